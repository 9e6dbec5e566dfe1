/**
 * Input fields and output shapes several Zapier actions share: the Lead, Workflow and Campaign
 * pickers (dynamic dropdowns from the hidden list triggers, with a search connector for leads),
 * the metadata trio, and the lead sample. Wording comes from core where core has it.
 */
import { EXAMPLE_UUID, HELP, LEAD_FIELDS, MetadataEntry, MetadataSource, isPlainObject } from '../../core/index';

/** Zapier's part of the typing rule: what "asking for a number" means here. */
export const ZAPIER_TYPING =
	'Zapier passes every mapped value as text, so list the keys that hold numbers in Metadata Number Keys and those that hold true/false in Metadata True/False Keys.';


/**
 * The lead an action acts on: a dropdown of recent leads, "Add a search step" (Find Lead), or an ID
 * typed or mapped by hand; core checks it either way.
 */
export function leadIdField(helpText: string, required = true) {
	return {
		key: 'lead_id',
		label: 'Lead ID',
		type: 'string' as const,
		required,
		dynamic: 'lead_list.id.name',
		search: 'find_lead.id',
		placeholder: EXAMPLE_UUID,
		helpText,
	};
}

/** A workflow (agent) picker; Nexor's docs call workflows "agents" in places. */
export function workflowIdField(helpText: string, required: boolean) {
	return {
		key: 'workflow_id',
		label: 'Workflow',
		type: 'string' as const,
		required,
		dynamic: 'workflow_list.id.name',
		helpText: `${helpText} Choose it from the list, or map a workflow ID (a UUID) from an earlier step.`,
	};
}

/** The campaign picker: core's Campaign ID field as a dropdown. */
export const CAMPAIGN_DROPDOWN = 'campaign_list.id.name';

export const metadataFields = [
	{
		key: 'metadata',
		label: 'Metadata',
		dict: true,
		required: false,
		helpText: `${HELP.metadata} ${HELP.metadataTyping} ${ZAPIER_TYPING} ${HELP.metadataKeys}`,
	},
	{
		key: 'metadata_number_keys',
		label: 'Metadata Number Keys',
		type: 'string' as const,
		list: true,
		required: false,
		placeholder: 'edad',
		helpText: HELP.metadataNumberKeys,
	},
	{
		key: 'metadata_boolean_keys',
		label: 'Metadata True/False Keys',
		type: 'string' as const,
		list: true,
		required: false,
		placeholder: 'vip',
		helpText: HELP.metadataBooleanKeys,
	},
];

/**
 * Zapier's key/value field as core's metadata entries. Anything else (text from a misconfigured
 * invoke, say) is handed on for core to name the problem.
 */
export function readMetadata(dict: unknown): MetadataSource | undefined {
	if (isPlainObject(dict)) return { entries: Object.entries(dict).map(([key, value]) => ({ key, value })) };
	if (dict !== undefined && dict !== null && dict !== '') return { entries: dict as unknown as MetadataEntry[] };
	return undefined;
}

/** Only the lead fields present in inputData (a present key is a mapped input). */
export function readLeadFields(input: Record<string, unknown>): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const field of LEAD_FIELDS) {
		if (field.name in input) fields[field.name] = input[field.name];
	}
	return fields;
}

/** One realistic lead (nexor-api.md §3/§4), for samples. */
export const LEAD_SAMPLE = {
	id: '123e4567-e89b-12d3-a456-426614174000',
	first_name: 'Carlos',
	last_name: 'Rodriguez',
	email: 'carlos@example.com',
	phone: '+56987654321',
	company: 'Stark Industries',
	title: 'Manager',
	source: 'website',
	campaign_id: '123e4567-e89b-12d3-a456-426614174001',
	metadata: { estado_lead: 'calificado', broker_asociado: 'Maria Gonzalez', edad: 35 },
	created_at: '2026-02-10T12:00:00Z',
	updated_at: '2026-02-12T15:45:10Z',
};

export const LEAD_OUTPUT_FIELDS = [
	{ key: 'id', label: 'Lead ID', type: 'string' as const },
	...LEAD_FIELDS.map((field) => ({ key: field.name, label: field.label, type: 'string' as const })),
	{ key: 'created_at', label: 'Created At', type: 'datetime' as const },
	{ key: 'updated_at', label: 'Updated At', type: 'datetime' as const },
];

/** A tag as Nexor lists it on a lead (nexor-api.md §5). */
export const TAG_SAMPLE = { id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'VIP', slug: 'vip' };
