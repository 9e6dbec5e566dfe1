/** The Conversion resource: record a conversion, list conversions (nexor-api.md §8). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { ListConversionsInput, MetadataEntry, OPERATIONS, RecordConversionInput } from '../../../../core';
import type { NodeOperation } from '../../shared/execute';
import { LOCATOR_VALUE, leadLocator, locator } from '../../shared/locators';

const show = (operation: string) => ({ show: { resource: ['conversion'], operation: [operation] } });
const record = show('record');

const recordDescription: INodeProperties[] = [
	locator({
		name: 'conversionTypeId',
		displayName: 'Conversion Type',
		what: 'conversion type',
		searchListMethod: 'searchConversionTypes',
		required: true,
		description: "What happened, such as a booking or a sale: its fields, currency and workflow come from the type",
		displayOptions: record,
	}),
	leadLocator(record, 'The lead who converted'),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		typeOptions: { numberPrecision: 2 },
		default: 0,
		description: 'The value of the conversion, such as 85000. A mapped text such as "85000.50" is read as a number; "85.000,50" is refused.',
		displayOptions: record,
	},
	{
		displayName: 'Conversion Fields',
		name: 'conversionFields',
		type: 'fixedCollection',
		placeholder: 'Add Field',
		default: {},
		typeOptions: { multipleValues: true },
		description: "The conversion type's own fields (sent as its metadata). Blank values are skipped.",
		displayOptions: record,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'key',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getConversionFields', loadOptionsDependsOn: ['conversionTypeId.value'] },
						default: '',
						description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The value; a number field takes digits such as 7' },
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'auto',
						options: [
							{ name: 'As Mapped', value: 'auto' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text', value: 'text' },
						],
						description: 'Number converts text such as "7" for a number field',
					},
				],
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: record,
		options: [
			{ displayName: 'Converted At', name: 'convertedAt', type: 'dateTime', default: '', description: 'When it happened. Empty: now.' },
			{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'e.g. USD', description: "ISO 4217 code, such as USD, EUR or CLP. Empty: the conversion type's currency." },
			{ displayName: 'Notes', name: 'notes', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Free text stored with the conversion' },
			{ displayName: 'Workflow Run ID', name: 'workflowRunId', type: 'string', default: '', placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000', description: 'The run the conversion belongs to (from Get Lead or Add to Workflow)' },
		],
	},
];

const list = show('getMany');
const getManyDescription: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: list,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...list.show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: list,
		options: [
			{ displayName: 'Conversion Type ID', name: 'conversionTypeId', type: 'string', default: '', description: 'Only conversions of this type' },
			{ displayName: 'Lead ID', name: 'leadId', type: 'string', default: '', description: 'Only this lead\'s conversions' },
			{ displayName: 'Workflow ID', name: 'workflowId', type: 'string', default: '', description: 'Only conversions in this workflow' },
			{ displayName: 'Workflow Run ID', name: 'workflowRunId', type: 'string', default: '', description: 'Only conversions of this run' },
		],
	},
];

const ops = OPERATIONS.conversion;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const conversionOperations: Record<string, NodeOperation<any, any>> = {
	record: {
		core: ops.record,
		description: recordDescription,
		readInput: (context: IExecuteFunctions, i: number): RecordConversionInput => {
			const more = context.getNodeParameter('additionalFields', i, {}) as IDataObject;
			const fields = context.getNodeParameter('conversionFields', i, {}) as IDataObject;
			return {
				conversionTypeId: context.getNodeParameter('conversionTypeId', i, '', LOCATOR_VALUE),
				leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE),
				amount: context.getNodeParameter('amount', i, ''),
				currency: more.currency,
				convertedAt: more.convertedAt,
				workflowRunId: more.workflowRunId,
				notes: more.notes,
				fields: { entries: (fields.field ?? []) as MetadataEntry[] },
			};
		},
		leadIdOf: (input: RecordConversionInput) => input.leadId,
	},
	getMany: {
		core: ops.getMany,
		description: getManyDescription,
		readInput: (context: IExecuteFunctions, i: number): ListConversionsInput => ({
			returnAll: context.getNodeParameter('returnAll', i, false),
			limit: context.getNodeParameter('limit', i, 50),
			...(context.getNodeParameter('filters', i, {}) as IDataObject),
		}),
	},
};

export const conversionOperationDescription: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['conversion'] } },
	options: [
		{ name: 'Get Many', value: 'getMany', action: 'Get many conversions', description: 'List conversions, newest first, with filters' },
		{ name: 'Record', value: 'record', action: 'Record a conversion', description: "Record a lead's conversion (a booking, a sale) with its amount and the type's fields" },
	],
	default: 'record',
};

