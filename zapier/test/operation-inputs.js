'use strict';
/**
 * How a core operation's input (test/vectors/operations.json, the bad-input catalogue
 * test/reliability/bad-inputs.json) becomes the inputData of the Zapier action or search that offers
 * it, and which core operations the app does not offer. Used by operations.test.js and
 * reliability.test.js.
 */

/**
 * `to[key] = from[name]` for each pair whose `name` is in `from` (a key present with "", null or
 * undefined stays present: the action decides what blank means, as Zapier hands it over).
 * @param {Record<string, unknown>} from
 * @param {Record<string, string>} names core name → Zapier key
 */
function rename(from, names) {
	/** @type {Record<string, unknown>} */
	const to = {};
	for (const [name, key] of Object.entries(names)) if (name in from) to[key] = from[name];
	return to;
}

/**
 * Core's metadata entries as the Zapier dict, with per-entry types as Metadata Number Keys /
 * Metadata True/False Keys (the only typing a Zapier user has).
 * @param {any} metadata
 */
function metadataInput(metadata) {
	if (metadata === undefined) return {};
	if (!Array.isArray(metadata.entries)) throw new Error('only key/value metadata can reach Zapier (a dict field)');
	/** @type {Record<string, unknown>} */
	const dict = {};
	/** @type {string[]} */
	const numberKeys = [];
	/** @type {string[]} */
	const booleanKeys = [];
	for (const entry of metadata.entries) {
		Object.defineProperty(dict, entry.key, { value: entry.value, enumerable: true, writable: true, configurable: true });
		if (entry.type === 'number') numberKeys.push(entry.key);
		else if (entry.type === 'boolean') booleanKeys.push(entry.key);
		else if (entry.type !== undefined) throw new Error(`a Zapier dict entry can't have type ${entry.type}`);
	}
	return {
		metadata: dict,
		...(numberKeys.length > 0 && { metadata_number_keys: numberKeys }),
		...(booleanKeys.length > 0 && { metadata_boolean_keys: booleanKeys }),
	};
}

/**
 * A conversion's type fields (core's `fields` entries) as Record Conversion's dynamic inputs: an entry
 * typed number is the type's number field (`conversion_number_<key>`), an untyped one a text field
 * (`conversion_field_<key>`), in entry order.
 * @param {any} fields
 */
function conversionFieldsInput(fields) {
	if (fields === undefined) return {};
	if (!Array.isArray(fields.entries)) throw new Error('only key/value fields can reach Zapier (one input per type field)');
	/** @type {Record<string, unknown>} */
	const data = {};
	for (const entry of fields.entries) {
		if (entry.type === 'number') data[`conversion_number_${entry.key}`] = entry.value;
		else if (entry.type === undefined) data[`conversion_field_${entry.key}`] = entry.value;
		else throw new Error(`a conversion type field can't have type ${entry.type} in Zapier`);
	}
	return data;
}

/**
 * Per operation: where it lives in the app and how a vector's core input becomes its inputData.
 * @type {Record<string, { where: string, inputData: (input: any) => Record<string, unknown> }>}
 */
const ON_ZAPIER = {
	'lead:create': {
		where: 'creates.create_lead',
		inputData: (i) => ({
			...i.fields,
			...rename(i, { workflowId: 'workflow_id', metadataNumberKeys: 'metadata_number_keys', metadataBooleanKeys: 'metadata_boolean_keys' }),
			...metadataInput(i.metadata),
			...rename(i.firstMessage || {}, {
				channel: 'first_message_channel',
				content: 'first_message_content',
				subject: 'first_message_subject',
				senderId: 'first_message_sender_id',
			}),
		}),
	},
	'lead:find': { where: 'searches.find_lead', inputData: (i) => rename(i, { email: 'email', phone: 'phone' }) },
	'lead:setStatus': {
		where: 'creates.set_lead_status',
		inputData: (i) => rename(i, { leadId: 'lead_id', statusKey: 'status_key', reason: 'reason', workflowId: 'workflow_id' }),
	},
	'lead:addToWorkflow': {
		where: 'creates.add_lead_to_workflow',
		inputData: (i) => rename(i, { leadId: 'lead_id', workflowId: 'workflow_id', reason: 'reason', actorId: 'actor_id' }),
	},
	'lead:stopAutomation': {
		where: 'creates.stop_ai_automation',
		inputData: (i) => rename(i, { leadId: 'lead_id', workflowId: 'workflow_id' }),
	},
	'lead:resumeAutomation': {
		where: 'creates.resume_ai_automation',
		inputData: (i) => rename(i, { leadId: 'lead_id', workflowId: 'workflow_id', resumeCadence: 'resume_cadence' }),
	},
	'lead:addTags': { where: 'creates.add_lead_tags', inputData: (i) => rename(i, { leadId: 'lead_id', tagIds: 'tag_ids' }) },
	'lead:setTags': {
		where: 'creates.set_lead_tags',
		inputData: (i) =>
			rename(i, { leadBy: 'lead_by', leadId: 'lead_id', email: 'email', tags: 'tags', removeAllTags: 'remove_all_tags' }),
	},
	'tag:create': { where: 'creates.create_tag', inputData: (i) => rename(i, { name: 'name', slug: 'slug', description: 'description' }) },
	'conversion:record': {
		where: 'creates.record_conversion',
		inputData: (i) => ({
			...rename(i, {
				conversionTypeId: 'conversion_type_id',
				leadId: 'lead_id',
				amount: 'amount',
				currency: 'currency',
				convertedAt: 'converted_at',
				workflowRunId: 'workflow_run_id',
				notes: 'notes',
			}),
			...conversionFieldsInput(i.fields),
		}),
	},
	'message:send': {
		where: 'creates.send_message',
		inputData: (i) =>
			rename(i, {
				leadId: 'lead_id',
				workflowId: 'workflow_id',
				channel: 'channel',
				content: 'content',
				html: 'html',
				subject: 'subject',
				templateId: 'template_id',
				components: 'components',
				beginMessage: 'begin_message',
			}),
	},
	'meeting:log': {
		where: 'creates.log_meeting',
		inputData: (i) =>
			rename(i, {
				leadBy: 'lead_by',
				leadId: 'lead_id',
				leadEmail: 'lead_email',
				title: 'title',
				startsAt: 'starts_at',
				endsAt: 'ends_at',
				durationMinutes: 'duration_minutes',
				timezone: 'timezone',
				meetingUrl: 'meeting_url',
				locationType: 'location_type',
				locationDetails: 'location_details',
				description: 'description',
				hostEmail: 'host_email',
				attendeeName: 'attendee_name',
				attendeeEmail: 'attendee_email',
				attendeePhone: 'attendee_phone',
				provider: 'external_calendar_provider',
				externalEventId: 'external_event_id',
				status: 'status',
			}),
	},
	'meeting:cancel': { where: 'creates.cancel_meeting', inputData: (i) => rename(i, { meetingId: 'meeting_id', reason: 'reason' }) },
};

/** Core operations the Zapier app does not offer (n8n only), so their vectors can't run here. */
const NOT_ON_ZAPIER = [
	'lead:get',
	'lead:getAutomationStatus',
	'lead:getHistory',
	'lead:getMeetings',
	'lead:getTags',
	'tag:getMany',
	'tag:delete',
	// The New Conversion trigger reads GET /conversions (the newest 50); there is no Get Many action.
	'conversion:getMany',
];

module.exports = { rename, metadataInput, conversionFieldsInput, ON_ZAPIER, NOT_ON_ZAPIER };
