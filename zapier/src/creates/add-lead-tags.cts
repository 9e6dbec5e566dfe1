/** Add Tags to Lead: core's addLeadTags operation (POST /leads/{id}/tags with tagIds). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { addLeadTags } from '../../../core/index';
import { TAG_SAMPLE, leadIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	leadIdField('The ID of the lead to tag, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	{
		key: 'tag_ids',
		label: 'Tags',
		type: 'string',
		list: true,
		required: true,
		dynamic: 'tag_list.id.name',
		helpText:
			"The tags to add. Choose them from the list, or map tag IDs (UUIDs). The lead keeps the tags it already has; a tag it already has is skipped. To tag by name, or to replace the lead's tags, use Set Lead Tags.",
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, addLeadTags, { leadId: input.lead_id, tagIds: input.tag_ids });
}

export default defineCreate({
	key: 'add_lead_tags',
	noun: 'Tag',
	display: {
		label: 'Add Tags to Lead',
		description: "Adds tags to a lead, keeping the tags it already has.",
	},
	operation: {
		inputFields,
		perform,
		sample: { lead_id: '123e4567-e89b-12d3-a456-426614174000', tags: [TAG_SAMPLE] },
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'tags[]id', label: 'Tag ID', type: 'string' },
			{ key: 'tags[]name', label: 'Tag Name', type: 'string' },
			{ key: 'tags[]slug', label: 'Tag Slug', type: 'string' },
		],
	},
});
