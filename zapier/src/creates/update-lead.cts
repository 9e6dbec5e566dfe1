/** Update Lead: Zapier's inputs → core's updateLead operation → core's send loop over z.request. */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
	CLEARABLE_FIELDS,
	HELP,
	LEAD_FIELDS,
	UpdateLeadInput,
	fieldHelp,
	updateLead,
} from '../../../core/index';
import { CAMPAIGN_DROPDOWN, LEAD_OUTPUT_FIELDS, LEAD_SAMPLE, leadIdField, metadataFields, readLeadFields, readMetadata } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

/** What "mapped" means in Zapier, for When a Mapped Value Is Empty. */
const ZAPIER_MAPPED =
	'A field counts as mapped when you filled it in or inserted a value from an earlier step; fields you left untouched are never cleared.';

const inputFields = defineInputFields([
	// A dropdown of recent leads with "Add a search step" (Find Lead); a typed or mapped ID still works.
	leadIdField(HELP.leadId),
	...LEAD_FIELDS.map((field) => ({
		key: field.name,
		label: field.label,
		type: 'string' as const,
		required: false,
		helpText: fieldHelp(field),
		placeholder: field.example,
		...(field.name === 'campaign_id' && { dynamic: CAMPAIGN_DROPDOWN }),
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
	...metadataFields,
]);

/**
 * Zapier's inputs in core's platform-neutral shape. A key present in inputData is a mapped input;
 * its value is passed on as it came ('' and null are blank to core: skipped, or with When a Mapped
 * Value Is Empty = Clear the Field, cleared). The old Metadata Value Types input (`metadata_types`,
 * Auto/Text) is no longer read: values keep the type they arrive with (always text in Zapier) unless
 * their key is in Metadata Number Keys or Metadata True/False Keys.
 */
function readInputs(input: Record<string, unknown>): UpdateLeadInput {
	return {
		leadId: input.lead_id,
		fields: readLeadFields(input),
		clear: input.clear_fields,
		metadata: readMetadata(input.metadata),
		metadataNumberKeys: input.metadata_number_keys,
		metadataBooleanKeys: input.metadata_boolean_keys,
		emptyValues: input.empty_values as UpdateLeadInput['emptyValues'],
	};
}

/** Core's Update Lead operation, run by core's send loop with z.request (transport.cts). */
async function perform(z: ZObject, bundle: Bundle) {
	return await runOperation(z, bundle, updateLead, readInputs(bundle.inputData ?? {}));
}

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
		sample: LEAD_SAMPLE,
		outputFields: LEAD_OUTPUT_FIELDS,
	},
});
