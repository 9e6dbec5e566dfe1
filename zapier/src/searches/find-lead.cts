/** Find Lead: core's findLeads operation (GET /leads?search=…, matched exactly by core). */
import { defineInputFields, defineSearch } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { findLeads } from '../../../core/index';
import { LEAD_OUTPUT_FIELDS, LEAD_SAMPLE } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	{
		key: 'email',
		label: 'Email',
		type: 'string',
		required: false,
		placeholder: 'carlos@example.com',
		helpText: "The lead's email address, matched exactly (any case). When given, Phone is not used.",
	},
	{
		key: 'phone',
		label: 'Phone',
		type: 'string',
		required: false,
		placeholder: '+56912345678',
		helpText:
			'Used when Email is blank: the phone number with its country code, matched on every digit (spaces and symbols ignored). Fill in Email or Phone.',
	},
]);

/** Every lead that matches exactly; none is a normal, empty result ("nothing found"), not an error. */
async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, findLeads, { email: input.email, phone: input.phone });
}

export default defineSearch({
	key: 'find_lead',
	noun: 'Lead',
	display: {
		label: 'Find Lead',
		description: 'Finds a lead by email address or phone number.',
	},
	operation: {
		inputFields,
		perform,
		sample: LEAD_SAMPLE,
		outputFields: LEAD_OUTPUT_FIELDS,
	},
});
