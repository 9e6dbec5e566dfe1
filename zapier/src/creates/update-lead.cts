/** Update Lead: Zapier's inputs → core's updateLead operation → core's send loop over z.request. */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
	CLEARABLE_FIELDS,
	EXAMPLE_UUID,
	HELP,
	LEAD_FIELDS,
	MetadataEntry,
	MetadataSource,
	UpdateLeadInput,
	fieldHelp,
	isPlainObject,
	updateLead,
} from '../../../core/index';
import { secretOf, toZapierError } from '../errors.cjs';
import { runCall } from '../transport.cjs';

/** Zapier's part of the typing rule: what "asking for a number" means here. */
const ZAPIER_TYPING =
	'Zapier passes every mapped value as text, so list the keys that hold numbers in Metadata Number Keys and those that hold true/false in Metadata True/False Keys.';
/** What "mapped" means in Zapier, for When a Mapped Value Is Empty. */
const ZAPIER_MAPPED =
	'A field counts as mapped when you filled it in or inserted a value from an earlier step; fields you left untouched are never cleared.';

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
		key: 'empty_values',
		label: 'When a Mapped Value Is Empty',
		type: 'string',
		required: false,
		default: 'skip',
		choices: [
			{ value: 'skip', label: 'Skip It', sample: 'skip' },
			{ value: 'clear', label: 'Clear the Field', sample: 'clear' },
		],
		helpText: `${HELP.emptyValues} ${ZAPIER_MAPPED}`,
	},
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
		type: 'string',
		list: true,
		required: false,
		placeholder: 'edad',
		helpText: HELP.metadataNumberKeys,
	},
	{
		key: 'metadata_boolean_keys',
		label: 'Metadata True/False Keys',
		type: 'string',
		list: true,
		required: false,
		placeholder: 'vip',
		helpText: HELP.metadataBooleanKeys,
	},
]);

/**
 * Zapier's inputs in core's platform-neutral shape. A key present in inputData is a mapped input;
 * its value is passed on as it came ('' and null are blank to core: skipped, or with When a Mapped
 * Value Is Empty = Clear the Field, cleared). The old Metadata Value Types input (`metadata_types`,
 * Auto/Text) is no longer read: values keep the type they arrive with (always text in Zapier) unless
 * their key is in Metadata Number Keys or Metadata True/False Keys.
 */
function readInputs(input: Record<string, unknown>): UpdateLeadInput {
	const fields: Record<string, unknown> = {};
	for (const field of LEAD_FIELDS) {
		if (field.name in input) fields[field.name] = input[field.name];
	}
	const dict = input.metadata;
	let metadata: MetadataSource | undefined;
	if (isPlainObject(dict)) {
		metadata = { entries: Object.entries(dict).map(([key, value]) => ({ key, value })) };
	} else if (dict !== undefined && dict !== null && dict !== '') {
		// Not a key/value set (e.g. text from a misconfigured invoke): let core name the problem.
		metadata = { entries: dict as unknown as MetadataEntry[] };
	}
	return {
		leadId: input.lead_id,
		fields,
		clear: input.clear_fields,
		metadata,
		metadataNumberKeys: input.metadata_number_keys,
		metadataBooleanKeys: input.metadata_boolean_keys,
		emptyValues: input.empty_values as UpdateLeadInput['emptyValues'],
	};
}

/** Core's Update Lead operation, run by core's send loop with z.request (transport.cts). */
async function perform(z: ZObject, bundle: Bundle) {
	let call;
	try {
		call = updateLead.prepare(readInputs(bundle.inputData ?? {}));
	} catch (error) {
		throw toZapierError(z, error, { secret: secretOf(bundle.authData) });
	}
	return await runCall(z, bundle, call);
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
		// Load-bearing for "When a Mapped Value Is Empty: Clear the Field": Zapier's cleaning would drop
		// a mapped empty value before perform, and a dropped key can't be told from an unmapped one. With
		// the default Skip It it changes nothing (core treats "", whitespace and null as blank either way).
		cleanInputData: false,
		sample,
		outputFields,
	},
});
