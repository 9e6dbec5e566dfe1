import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	CLEARABLE_FIELDS,
	HELP,
	LEAD_FIELDS,
	MetadataEntry,
	MetadataSource,
	UpdateLeadInput,
	fieldHelp,
} from '../../../../core';

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
const updateFieldsHelp = `The lead fields to change. ${HELP.blank}`;
const metadataEntriesHelp = `${HELP.metadata} With duplicate keys, the last entry wins.`;
const metadataJsonHelp = `A JSON object to merge into the lead's metadata, such as {"utm_source": "google", "score": 35}. ${HELP.metadata}`;

export const leadUpdateDescription: INodeProperties[] = [
	{
		displayName: 'Lead ID',
		name: 'leadId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 123e4567-e89b-12d3-a456-426614174000',
		description: HELP.leadId,
		displayOptions: showFor,
	},
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
		displayName: 'Metadata Input',
		name: 'metadataInput',
		type: 'options',
		default: 'fields',
		description: 'How to give the metadata to merge into the lead',
		displayOptions: showFor,
		options: [
			{ name: 'Using Fields Below', value: 'fields', description: 'Add key/value entries one by one' },
			{ name: 'Using JSON', value: 'json', description: 'Give one JSON object' },
		],
	},
	{
		displayName: 'Metadata',
		name: 'metadataFields',
		type: 'fixedCollection',
		placeholder: 'Add Metadata Entry',
		default: {},
		typeOptions: { multipleValues: true },
		description: metadataEntriesHelp,
		displayOptions: { show: { ...showFor.show, metadataInput: ['fields'] } },
		options: [
			{
				displayName: 'Entry',
				name: 'entry',
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: 'e.g. utm_source',
						description: 'The metadata key, up to 100 characters',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. google',
						description: 'The value to store. A blank value leaves the key unchanged.',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'auto',
						description: 'How to read the value before sending it',
						options: [
							{ name: 'Auto', value: 'auto', description: HELP.metadataTypingAuto },
							{ name: 'Boolean', value: 'boolean', description: 'True or false' },
							{ name: 'JSON', value: 'json', description: 'A JSON list or object, stored as it is' },
							{ name: 'Null', value: 'null', description: 'Store an empty (null) value under the key' },
							{ name: 'Number', value: 'number', description: 'A number such as 35 or 3.5' },
							{ name: 'Text', value: 'text', description: 'Send the value exactly as text' },
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Metadata (JSON)',
		name: 'metadataJson',
		type: 'json',
		default: '{}',
		description: metadataJsonHelp,
		displayOptions: { show: { ...showFor.show, metadataInput: ['json'] } },
	},
];

function readMetadata(context: IExecuteFunctions, itemIndex: number): MetadataSource {
	const mode = context.getNodeParameter('metadataInput', itemIndex, 'fields') as string;
	if (mode === 'json') return { json: context.getNodeParameter('metadataJson', itemIndex, '{}') };
	const collection = context.getNodeParameter('metadataFields', itemIndex, {}) as IDataObject;
	const entries = (collection.entry ?? []) as MetadataEntry[];
	return { entries };
}

/** The item's parameters as core's platform-neutral Update Lead input. */
export function readLeadUpdateInput(context: IExecuteFunctions, itemIndex: number): UpdateLeadInput {
	return {
		leadId: context.getNodeParameter('leadId', itemIndex, ''),
		fields: context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		clear: context.getNodeParameter('fieldsToClear', itemIndex, []),
		metadata: readMetadata(context, itemIndex),
	};
}
