/** Lead → Get Tags, Add Tags (by tag ID), Set Tags (the whole set, by name; lead by ID or email). */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { AddLeadTagsInput, SetLeadTagsInput } from '../../../../core';
import { LOCATOR_VALUE, leadLocator } from '../../shared/locators';

const show = (operation: string) => ({ show: { resource: ['lead'], operation: [operation] } });

export const leadGetTagsDescription: INodeProperties[] = [leadLocator(show('getTags'), "The lead whose tags to get: one item per tag")];

export const leadAddTagsDescription: INodeProperties[] = [
	leadLocator(show('addTags'), 'The lead to tag'),
	{
		displayName: 'Tag Names or IDs',
		name: 'tagIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getTags' },
		required: true,
		default: [],
		description:
			'The tags to add; tags the lead already has are skipped and its other tags are kept. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show('addTags'),
	},
];

export function readAddTagsInput(context: IExecuteFunctions, i: number): AddLeadTagsInput {
	return { leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE), tagIds: context.getNodeParameter('tagIds', i, []) };
}

const setTags = show('setTags');

export const leadSetTagsDescription: INodeProperties[] = [
	{
		displayName: 'Find Lead By',
		name: 'leadBy',
		type: 'options',
		default: 'id',
		options: [
			{ name: 'ID', value: 'id' },
			{ name: 'Email', value: 'email', description: "The lead's email address, in any case" },
		],
		displayOptions: setTags,
	},
	leadLocator({ show: { ...setTags.show, leadBy: ['id'] } }, 'The lead whose tags to replace'),
	{
		displayName: 'Lead Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The email address of the lead whose tags to replace',
		displayOptions: { show: { ...setTags.show, leadBy: ['email'] } },
	},
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'e.g. VIP, Follow-up',
		description:
			'The tag names the lead should have, separated by commas (or a list from an expression). Tags not listed are REMOVED from the lead; names not yet in Nexor are created. Blank names are ignored, and an empty list sends nothing: to remove every tag, turn on Remove All Tags.',
		displayOptions: setTags,
	},
	{
		displayName: 'Remove All Tags',
		name: 'removeAllTags',
		type: 'boolean',
		default: false,
		description: 'Whether to remove every tag from the lead (Tags must then be empty)',
		displayOptions: setTags,
	},
];

export function readSetTagsInput(context: IExecuteFunctions, i: number): SetLeadTagsInput {
	const leadBy = context.getNodeParameter('leadBy', i, 'id');
	return {
		leadBy,
		...(leadBy === 'email'
			? { email: context.getNodeParameter('email', i, '') }
			: { leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE) }),
		tags: context.getNodeParameter('tags', i, ''),
		removeAllTags: context.getNodeParameter('removeAllTags', i, false),
	};
}
