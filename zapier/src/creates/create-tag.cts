/** Create Tag: core's createTag operation (POST /tags; the slug is made from the name when blank). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { createTag } from '../../../core/index';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	{ key: 'name', label: 'Name', type: 'string', required: true, placeholder: 'VIP', helpText: 'The tag as people see it, at most 100 characters.' },
	{
		key: 'slug',
		label: 'Slug',
		type: 'string',
		required: false,
		placeholder: 'vip',
		helpText:
			'A unique short key of lower-case letters, digits and hyphens, such as follow-up. Blank: made from the name ("Seguimiento Café" → seguimiento-cafe). A slug already used in Nexor is refused.',
	},
	{ key: 'description', label: 'Description', type: 'text', required: false, helpText: 'What the tag means, for your team.' },
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, createTag, { name: input.name, slug: input.slug, description: input.description });
}

export default defineCreate({
	key: 'create_tag',
	noun: 'Tag',
	display: {
		label: 'Create Tag',
		description: 'Creates a tag in your Nexor account.',
	},
	operation: {
		inputFields,
		perform,
		sample: {
			id: '0f8fad5b-d9cb-469f-a165-70867728950e',
			name: 'VIP',
			slug: 'vip',
			description: 'High-value leads',
			created_at: '2026-01-15T10:00:00Z',
		},
		outputFields: [
			{ key: 'id', label: 'Tag ID', type: 'string' },
			{ key: 'name', label: 'Name', type: 'string' },
			{ key: 'slug', label: 'Slug', type: 'string' },
			{ key: 'description', label: 'Description', type: 'string' },
			{ key: 'created_at', label: 'Created At', type: 'datetime' },
		],
	},
});
