/**
 * Resource locators (n8n's UX guidelines: "From list" and "By ID") for the things a user would
 * otherwise paste an ID for: a lead, a workflow, a campaign, a tag. By ID checks the UUID shape as
 * it is typed; core checks it again for mapped values.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

const UUID_REGEX = '^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$';

interface LocatorOptions {
	name: string;
	displayName: string;
	/** The thing identified: "lead", "workflow". */
	what: string;
	searchListMethod: string;
	description: string;
	required?: boolean;
	displayOptions: IDisplayOptions;
}

export function locator(options: LocatorOptions): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(options.required && { required: true }),
		description: options.description,
		displayOptions: options.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${options.what}...`,
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 123e4567-e89b-12d3-a456-426614174000',
				validation: [
					{
						type: 'regex',
						properties: { regex: UUID_REGEX, errorMessage: `Not a valid ${options.what} ID: a ${options.what} ID is a UUID` },
					},
				],
			},
		],
	};
}

export const leadLocator = (displayOptions: IDisplayOptions, description: string): INodeProperties =>
	locator({ name: 'leadId', displayName: 'Lead', what: 'lead', searchListMethod: 'searchLeads', required: true, description, displayOptions });

export const workflowLocator = (displayOptions: IDisplayOptions, description: string, required = false): INodeProperties =>
	locator({ name: 'workflowId', displayName: 'Workflow', what: 'workflow', searchListMethod: 'searchWorkflows', required, description, displayOptions });

/** Reading a locator: its value, whichever mode (a plain string from before Lead became a locator passes as it is). */
export const LOCATOR_VALUE = { extractValue: true } as const;
