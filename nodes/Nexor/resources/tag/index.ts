/** The Tag resource: the account's tags (list, create, delete). */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CreateTagInput, ListTagsInput, OPERATIONS } from '../../../../core';
import type { NodeOperation } from '../../shared/execute';
import { LOCATOR_VALUE, locator } from '../../shared/locators';

const show = (operation: string) => ({ show: { resource: ['tag'], operation: [operation] } });

const getManyDescription: INodeProperties[] = [
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'e.g. vip',
		description: "Only tags whose name, slug or description contains this text. Empty: all.",
		displayOptions: show('getMany'),
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show('getMany'),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show('getMany').show, returnAll: [false] } },
	},
];

const createDescription: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Follow-up',
		description: 'The tag as people see it',
		displayOptions: show('create'),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('create'),
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What the tag means' },
			{
				displayName: 'Slug',
				name: 'slug',
				type: 'string',
				default: '',
				placeholder: 'e.g. follow-up',
				description: 'Unique in the account: lower-case letters, digits and hyphens. Empty: made from the name.',
			},
		],
	},
];

const deleteDescription: INodeProperties[] = [
	locator({
		name: 'tagId',
		displayName: 'Tag',
		what: 'tag',
		searchListMethod: 'searchTags',
		required: true,
		description: 'The tag to delete. It is also removed from every lead that has it.',
		displayOptions: show('delete'),
	}),
];

const ops = OPERATIONS.tag;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const tagOperations: Record<string, NodeOperation<any, any>> = {
	getMany: {
		core: ops.getMany,
		description: getManyDescription,
		readInput: (context: IExecuteFunctions, i: number): ListTagsInput => ({
			search: context.getNodeParameter('search', i, ''),
			returnAll: context.getNodeParameter('returnAll', i, false),
			limit: context.getNodeParameter('limit', i, 50),
		}),
	},
	create: {
		core: ops.create,
		description: createDescription,
		readInput: (context: IExecuteFunctions, i: number): CreateTagInput => {
			const more = context.getNodeParameter('additionalFields', i, {}) as { slug?: unknown; description?: unknown };
			return { name: context.getNodeParameter('name', i, ''), slug: more.slug, description: more.description };
		},
	},
	delete: {
		core: ops.delete,
		description: deleteDescription,
		readInput: (context: IExecuteFunctions, i: number) => ({ tagId: context.getNodeParameter('tagId', i, '', LOCATOR_VALUE) }),
	},
};

export const tagOperationDescription: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['tag'] } },
	options: [
		{ name: 'Create', value: 'create', action: 'Create a tag', description: 'Create a tag in the account' },
		{ name: 'Delete', value: 'delete', action: 'Delete a tag', description: 'Delete a tag; it is removed from every lead' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many tags', description: "List the account's tags" },
	],
	default: 'getMany',
};
