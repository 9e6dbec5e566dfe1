/**
 * The hidden triggers behind the dropdowns (Lead, Workflow, Campaign, Tags, Conversion Type): core's choiceRequest and
 * readChoices through runCall. A list Nexor answers in a shape core doesn't know is an error that says
 * so, never an empty dropdown; the user can still type or map an ID.
 */
import { defineTrigger } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { ChoiceList, PreparedCall, choiceRequest, readChoices } from '../../../core/index';
import { runCall } from '../transport.cjs';

export type ChoiceRow = { id: string; name: string; description?: string };

/** The list as a prepared call: GET /<list> (leads: the 50 newest), read defensively by core. */
export function listCall(list: ChoiceList): PreparedCall<ChoiceRow[]> {
	return {
		request: choiceRequest(list),
		idempotent: true,
		// "workflow list", "conversion type list".
		failureWords: { action: `${list.slice(0, -1).replace(/-/g, ' ')} list` },
		read: (answer) =>
			readChoices(list, answer.body, answer.status).map((choice) => ({
				id: choice.value,
				name: choice.name,
				...(choice.description !== undefined && { description: choice.description }),
			})),
	};
}

function listTrigger(key: string, list: ChoiceList, noun: string, description: string, sample: ChoiceRow) {
	return defineTrigger({
		key,
		noun,
		display: { label: `List ${noun}s`, description, hidden: true },
		operation: {
			type: 'polling',
			perform: (z: ZObject, bundle: Bundle) => runCall(z, bundle, listCall(list)),
			sample,
			outputFields: [
				{ key: 'id', label: `${noun} ID`, type: 'string' },
				{ key: 'name', label: 'Name', type: 'string' },
			],
		},
	});
}

export const tagList = listTrigger('tag_list', 'tags', 'Tag', 'Triggers when a tag is created (lists tags for dropdowns).', {
	id: '0f8fad5b-d9cb-469f-a165-70867728950e',
	name: 'VIP',
	description: 'High-value leads',
});

export const workflowList = listTrigger(
	'workflow_list',
	'workflows',
	'Workflow',
	'Triggers when a workflow is created (lists workflows for dropdowns).',
	{ id: 'c0000000-0000-4000-8000-000000000001', name: 'Sales Outreach' },
);

export const campaignList = listTrigger(
	'campaign_list',
	'campaigns',
	'Campaign',
	'Triggers when a campaign is created (lists campaigns for dropdowns).',
	{ id: '123e4567-e89b-12d3-a456-426614174001', name: 'Q1 Campaign' },
);

export const leadList = listTrigger('lead_list', 'leads', 'Lead', 'Triggers when a lead is created (lists recent leads for dropdowns).', {
	id: '123e4567-e89b-12d3-a456-426614174000',
	name: 'Carlos Lopez (carlos@example.com)',
});

export const conversionTypeList = listTrigger(
	'conversion_type_list',
	'conversion-types',
	'Conversion Type',
	'Triggers when a conversion type is created (lists active conversion types for dropdowns).',
	{ id: 'c1000000-0000-4000-8000-000000000001', name: 'Reserva', description: 'intermediary, USD' },
);
