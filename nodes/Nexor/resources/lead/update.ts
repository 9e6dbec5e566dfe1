import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CLEARABLE_FIELDS, HELP, LEAD_FIELDS, UpdateLeadInput, fieldHelp } from '../../../../core';
import { LOCATOR_VALUE, leadLocator } from '../../shared/locators';
import { metadataParameters, readMetadata } from './metadata';

const showFor = { show: { resource: ['lead'], operation: ['update'] } };
const byLabel = <T extends { label: string }>(a: T, b: T) => a.label.localeCompare(b.label);

// n8n's UI rules want collection options alphabetised; core's catalogue order is the body order.
const updateFieldOptions: INodeProperties[] = [...LEAD_FIELDS].sort(byLabel).map((field) => ({
	displayName: field.label,
	name: field.name,
	type: 'string',
	default: '',
	placeholder: field.format === 'email' ? 'name@email.com' : `e.g. ${field.example}`,
	description: fieldHelp(field),
}));

// Built outside the property literals: they join core's shared wording, which n8n's description
// lint rules cannot read inside template literals.
const updateFieldsHelp = `The lead fields to change. ${HELP.blank} With When a Mapped Value Is Empty set to Clear the Field, a field added here that comes out empty is cleared instead. ${HELP.dates}`;

export const leadUpdateDescription: INodeProperties[] = [
	leadLocator(showFor, HELP.leadId),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: updateFieldsHelp,
		displayOptions: showFor,
		options: updateFieldOptions,
	},
	{
		displayName: 'Fields to Clear',
		name: 'fieldsToClear',
		type: 'multiOptions',
		default: [],
		description: HELP.fieldsToClear,
		displayOptions: showFor,
		options: [...CLEARABLE_FIELDS].sort(byLabel).map((field) => ({
			name: field.label,
			value: field.name,
		})),
	},
	{
		displayName: 'When a Mapped Value Is Empty',
		name: 'emptyValues',
		type: 'options',
		default: 'skip',
		description: HELP.emptyValues,
		displayOptions: showFor,
		options: [
			{ name: 'Skip It', value: 'skip', description: HELP.emptyValuesSkip },
			{ name: 'Clear the Field', value: 'clear', description: HELP.emptyValuesClear },
		],
	},
	...metadataParameters(['update']),
];

/** The item's parameters as core's platform-neutral Update Lead input. */
export function readLeadUpdateInput(context: IExecuteFunctions, itemIndex: number): UpdateLeadInput {
	return {
		leadId: context.getNodeParameter('leadId', itemIndex, '', LOCATOR_VALUE),
		fields: context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		clear: context.getNodeParameter('fieldsToClear', itemIndex, []),
		metadata: readMetadata(context, itemIndex),
		// Passed on as given: core refuses anything but 'skip' or 'clear' (an expression can produce any value).
		emptyValues: context.getNodeParameter('emptyValues', itemIndex, 'skip') as 'skip' | 'clear',
	};
}
