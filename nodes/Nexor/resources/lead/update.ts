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
const updateFieldsHelp = `The lead fields to change. ${HELP.blank} With When a Mapped Value Is Empty set to Clear the Field, a field added here that comes out empty is cleared instead. ${HELP.dates}`;
const metadataEntriesHelp = `${HELP.metadata} ${HELP.metadataTyping} With duplicate keys, the last entry wins. ${HELP.metadataKeys}`;
const metadataTypeHelp = `${HELP.metadataTyping} To send text such as "35" as a number, choose Number.`;
const metadataJsonHelp = `A JSON object to merge into the lead's metadata, such as {"utm_source": "google", "score": 35}. ${HELP.metadata} ${HELP.metadataJson}`;
const metadataValueHelp = `The value to store. A blank or null value leaves the key unchanged (unless When a Mapped Value Is Empty is Clear the Field). ${HELP.dates}`;

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
						description: HELP.metadataKeys,
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. google',
						description: metadataValueHelp,
						// A Null entry stores null: a value there would be ignored, so it isn't offered.
						displayOptions: { hide: { type: ['null'] } },
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						// 'auto' is kept as the stored value so existing workflows keep their setting.
						default: 'auto',
						description: metadataTypeHelp,
						options: [
							{
								name: 'As Mapped (Default)',
								value: 'auto',
								description:
									'Keep the type the value arrives with: text stays text (even "35"), a number stays a number, true/false stays true/false',
							},
							{ name: 'Boolean', value: 'boolean', description: 'Convert "true" or "false" (any case) to true/false' },
							{ name: 'JSON', value: 'json', description: 'Parse JSON text such as {"plan": "pro"} or [1, 2] and store it as it is' },
							{ name: 'Null', value: 'null', description: 'Store an empty (null) value under the key' },
							{ name: 'Number', value: 'number', description: 'Convert text such as "35" or "3.5" to a number' },
							{ name: 'Text', value: 'text', description: 'Send the value as text: a mapped 35 becomes "35"' },
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
		// Passed on as given: core refuses anything but 'skip' or 'clear' (an expression can produce any value).
		emptyValues: context.getNodeParameter('emptyValues', itemIndex, 'skip') as 'skip' | 'clear',
	};
}
