/** Update Lead: Zapier's inputs → core's buildUpdateRequest → PUT /leads/{id} → core's readLead. */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
	CLEARABLE_FIELDS,
	EXAMPLE_UUID,
	HELP,
	LEAD_FIELDS,
	MetadataEntry,
	MetadataSource,
	buildUpdateRequest,
	canonicalBody,
	fieldHelp,
	isPlainObject,
	readLead,
} from '../../../core/index';
import { secretOf, toZapierError } from '../errors.cjs';
import { send } from '../transport.cjs';

const inputFields = defineInputFields([
	{
		key: 'lead_id',
		label: 'Lead ID',
		type: 'string',
		required: true,
		helpText: HELP.leadId,
		placeholder: EXAMPLE_UUID,
	},
	...LEAD_FIELDS.map((field) => ({
		key: field.name,
		label: field.label,
		type: 'string' as const,
		required: false,
		helpText: fieldHelp(field),
		placeholder: field.example,
	})),
	// Right after the fields it acts on; metadata is a separate concern and comes last.
	{
		key: 'clear_fields',
		label: 'Fields to Clear',
		type: 'string',
		list: true,
		required: false,
		choices: CLEARABLE_FIELDS.map((field) => ({ value: field.name, label: field.label, sample: field.name })),
		helpText: HELP.fieldsToClear,
	},
	{
		key: 'metadata',
		label: 'Metadata',
		dict: true,
		required: false,
		helpText: HELP.metadata,
	},
	{
		key: 'metadata_types',
		label: 'Metadata Value Types',
		type: 'string',
		required: false,
		default: 'auto',
		choices: [
			{ value: 'auto', label: 'Auto', sample: 'auto' },
			{ value: 'text', label: 'Text', sample: 'text' },
		],
		helpText: `${HELP.metadataTyping} ${HELP.metadataTypingAuto} ${HELP.metadataTypingText}`,
	},
]);

/**
 * Zapier's inputs in core's platform-neutral shape. A `null` here means a mapped value from an
 * earlier step was empty (with cleanInputData: false Zapier may pass it through); in Zapier a
 * blank never erases data — clearing is chosen in Fields to Clear — so it is passed on as blank.
 */
function readInputs(input: Record<string, unknown>) {
	const fields: Record<string, unknown> = {};
	for (const field of LEAD_FIELDS) {
		if (!(field.name in input)) continue;
		const value = input[field.name];
		fields[field.name] = value === null ? undefined : value;
	}
	const dict = input.metadata;
	let metadata: MetadataSource | undefined;
	if (isPlainObject(dict)) {
		metadata = {
			entries: Object.entries(dict).map(([key, value]) => ({ key, value: value === null ? undefined : value })),
		};
	} else if (dict !== undefined && dict !== null && dict !== '') {
		// Not a key/value set (e.g. text from a misconfigured invoke): let core name the problem.
		metadata = { entries: dict as unknown as MetadataEntry[] };
	}
	return {
		leadId: input.lead_id,
		fields,
		clear: input.clear_fields,
		metadata,
		metadataTyping: input.metadata_types,
	};
}

async function perform(z: ZObject, bundle: Bundle) {
	const secret = secretOf(bundle.authData);
	let request;
	try {
		request = buildUpdateRequest(readInputs(bundle.inputData ?? {}));
	} catch (error) {
		throw toZapierError(z, error, { secret });
	}
	const response = await send(z, bundle, {
		method: 'PUT',
		path: request.path,
		// Core's exact bytes: an object body would go through z.request's cleaner, which strips
		// "{{…}}" text from top-level string values (cleaner.js normalizeEmptyBodyFields).
		body: canonicalBody(request.body),
		tags: { leadId: request.leadId },
	});
	try {
		// With the lead ID: an answer about another lead must not pass as this one's.
		return readLead(response.content, response.status, request.leadId);
	} catch (error) {
		throw toZapierError(z, error, { secret });
	}
}

const sample = {
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

const outputFields = [
	{ key: 'id', label: 'Lead ID', type: 'string' as const },
	...LEAD_FIELDS.map((field) => ({ key: field.name, label: field.label, type: 'string' as const })),
	{ key: 'created_at', label: 'Created At', type: 'datetime' as const },
	{ key: 'updated_at', label: 'Updated At', type: 'datetime' as const },
];

export default defineCreate({
	key: 'update_lead',
	noun: 'Lead',
	display: {
		label: 'Update Lead',
		description: "Updates an existing lead's fields and metadata in Nexor.",
	},
	operation: {
		inputFields,
		perform,
		// Explicit, not load-bearing: core skips "" and whitespace like a missing input, an empty Fields
		// to Clear or Metadata adds nothing, and readInputs treats null as blank, so Zapier's cleaning
		// would change no request; off, perform sees the inputs exactly as mapped.
		cleanInputData: false,
		sample,
		outputFields,
	},
});
