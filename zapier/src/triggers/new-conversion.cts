/**
 * New Conversion: a polling trigger over GET /conversions (newest first). Each poll reads one page of
 * the 50 newest through core's listConversions operation (the same request n8n's Get Many sends with
 * Limit 50); Zapier remembers the `id`s it has seen and starts the Zap once per new one, so no
 * checkpoint is kept here (core's conversionPollCall/newConversions are n8n's, which has to).
 */
import { defineInputFields, defineTrigger } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { POLL_PAGE, listConversions } from '../../../core/index';
import { CONVERSION_OUTPUT_FIELDS, CONVERSION_SAMPLE, CONVERSION_TYPE_DROPDOWN } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	{
		key: 'conversion_type_id',
		label: 'Conversion Type',
		type: 'string',
		required: false,
		dynamic: CONVERSION_TYPE_DROPDOWN,
		helpText:
			'Only conversions of this type, such as a booking or a sale. Blank: every conversion. Choose it from the list, or map a conversion type ID (a UUID).',
	},
]);

/** A conversion as Zapier needs it: `id` is the key Zapier deduplicates on. */
type Conversion = Record<string, unknown> & { id: string };

/**
 * The newest conversions in Nexor's order (newest first), each once: as core's newConversions does for
 * n8n, one without a text ID (which Zapier could never deduplicate) is left out, and an ID seen twice on
 * the page is kept once.
 */
async function perform(z: ZObject, bundle: Bundle): Promise<Conversion[]> {
	const input = bundle.inputData ?? {};
	const page = await runOperation(z, bundle, listConversions, { conversionTypeId: input.conversion_type_id, limit: POLL_PAGE });
	const seen = new Set<string>();
	return page.filter((event): event is Conversion => {
		if (typeof event.id !== 'string' || event.id === '' || seen.has(event.id)) return false;
		seen.add(event.id);
		return true;
	});
}

export default defineTrigger({
	key: 'new_conversion',
	noun: 'Conversion',
	display: {
		label: 'New Conversion',
		description: 'Triggers when a conversion (a booking, a sale or another outcome of a lead) is recorded in Nexor.',
	},
	operation: {
		type: 'polling',
		inputFields,
		perform,
		sample: CONVERSION_SAMPLE,
		outputFields: CONVERSION_OUTPUT_FIELDS,
	},
});
