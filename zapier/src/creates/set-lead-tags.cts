/** Set Lead Tags: core's setLeadTags operation (PUT /leads/tags: the lead ends with exactly these tags). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { setLeadTags } from '../../../core/index';
import { TAG_SAMPLE, leadIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	{
		key: 'lead_by',
		label: 'Find Lead By',
		type: 'string',
		required: false,
		default: 'id',
		choices: [
			{ value: 'id', label: 'ID', sample: 'id' },
			{ value: 'email', label: 'Email', sample: 'email' },
		],
		helpText: 'How Nexor finds the lead: by its ID (Lead ID) or by its email address (Lead Email).',
	},
	leadIdField('With Find Lead By = ID: the ID of the lead, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.', false),
	{
		key: 'email',
		label: 'Lead Email',
		type: 'string',
		required: false,
		placeholder: 'carlos@example.com',
		helpText: "With Find Lead By = Email: the lead's email address (any case).",
	},
	{
		key: 'tags',
		label: 'Tags',
		type: 'string',
		list: true,
		required: false,
		placeholder: 'VIP',
		helpText:
			'**Replaces the lead\'s tags: tags not listed here are removed from the lead.** Tag names, such as VIP or Follow-up; a name not yet in Nexor is created. Blank names are ignored, and an empty list sends nothing (it never removes every tag: use Remove All Tags for that). To add tags without removing any, use Add Tags to Lead.',
	},
	{
		key: 'remove_all_tags',
		label: 'Remove All Tags',
		type: 'boolean',
		required: false,
		default: 'false',
		helpText: 'Yes: remove every tag from the lead (leave Tags empty). The only way to clear all tags.',
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, setLeadTags, {
		leadBy: input.lead_by,
		leadId: input.lead_id,
		email: input.email,
		tags: input.tags,
		removeAllTags: input.remove_all_tags,
	});
}

export default defineCreate({
	key: 'set_lead_tags',
	noun: 'Tag',
	display: {
		label: 'Set Lead Tags',
		description: "Replaces a lead's tags with the tags you list, removing any others.",
	},
	operation: {
		inputFields,
		perform,
		sample: {
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			tags: [TAG_SAMPLE, { id: '1c6b1470-3f5b-4b3a-9f0e-6b8d2a7e4c11', name: 'Follow-up', slug: 'follow-up' }],
			added: ['1c6b1470-3f5b-4b3a-9f0e-6b8d2a7e4c11'],
			removed: ['2d7c2581-4a6c-4c4b-8a1f-7c9e3b8f5d22'],
		},
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'tags[]id', label: 'Tag ID', type: 'string' },
			{ key: 'tags[]name', label: 'Tag Name', type: 'string' },
			{ key: 'tags[]slug', label: 'Tag Slug', type: 'string' },
			{ key: 'added', label: 'Added Tag IDs', type: 'string', list: true },
			{ key: 'removed', label: 'Removed Tag IDs', type: 'string', list: true },
		],
	},
});
