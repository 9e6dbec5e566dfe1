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

/** A conversion event as Nexor returns it (nexor-api.md §8): New Conversion's items, Record Conversion's result. */
export const CONVERSION_SAMPLE = {
	id: 'e1000000-0000-4000-8000-000000000001',
	conversion_type_id: 'c1000000-0000-4000-8000-000000000001',
	lead_id: '123e4567-e89b-12d3-a456-426614174000',
	amount: 85000,
	currency: 'USD',
	converted_at: '2026-02-10T12:00:00Z',
	created_at: '2026-02-10T12:00:05Z',
	workflow_id: 'c0000000-0000-4000-8000-000000000001',
	master_workflow_id: null,
	workflow_run_id: '550e8400-e29b-41d4-a716-446655440000',
	metadata: { unit: '12B', floor: 7 },
	notes: 'Signed',
	conversion_types: {
		name: 'Reserva',
		category: 'intermediary',
		fields: [
			{ key: 'unit', label: 'Unit', type: 'text' },
			{ key: 'floor', label: 'Floor', type: 'number' },
		],
	},
};

export const CONVERSION_OUTPUT_FIELDS = [
	{ key: 'id', label: 'Conversion ID', type: 'string' as const },
	{ key: 'conversion_type_id', label: 'Conversion Type ID', type: 'string' as const },
	{ key: 'conversion_types__name', label: 'Conversion Type', type: 'string' as const },
	{ key: 'conversion_types__category', label: 'Conversion Category', type: 'string' as const },
	{ key: 'lead_id', label: 'Lead ID', type: 'string' as const },
	{ key: 'amount', label: 'Amount', type: 'number' as const },
	{ key: 'currency', label: 'Currency', type: 'string' as const },
	{ key: 'converted_at', label: 'Converted At', type: 'datetime' as const },
	{ key: 'created_at', label: 'Recorded At', type: 'datetime' as const },
	{ key: 'workflow_id', label: 'Workflow ID', type: 'string' as const },
	{ key: 'master_workflow_id', label: 'Master Workflow ID', type: 'string' as const },
	{ key: 'workflow_run_id', label: 'Workflow Run ID', type: 'string' as const },
	{ key: 'notes', label: 'Notes', type: 'string' as const },
];

/** The conversion type picker (hidden trigger conversion_type_list). */
export const CONVERSION_TYPE_DROPDOWN = 'conversion_type_list.id.name';
