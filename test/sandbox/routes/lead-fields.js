// @ts-check
'use strict';
/**
 * The field rules of a lead: what PUT/PATCH and POST /leads accept, and the check of
 * `options.leads` (seed leads follow the same rules as PUT). See README "Choices" 1-12.
 */

const { UUID_RE, SandboxConfigError, isPlainObject, hasOwn, clone } = require('../validation.js');
const { LEAD_KEYS } = require('../seed.js');

/**
 * @typedef {import('../validation.js').JsonObject} JsonObject
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').LeadSeed} LeadSeed
 * @typedef {{ channel: 'whatsapp' | 'email', content: string, subject: string | null,
 *   sender_id: string | null }} ForceFirstMessage
 * @typedef {{
 *   lead: Omit<Lead, 'id' | 'created_at' | 'updated_at'>, given: string[],
 *   workflowId: string | null, forceFirstMessage: ForceFirstMessage | null
 * }} CreateInput
 *   One checked POST /leads item: the lead's fields (defaults filled in), the lead fields the item
 *   really sent (an upsert replaces only those; metadata is always merged), the workflow to enrol
 *   in (lower-cased) and the first message to send instead of the cadence's.
 */
/**
 * @template T
 * @typedef {import('../validation.js').Result<T>} Result
 */

// Deliberately simple: one @, no whitespace, a dot in the domain part.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const NULLABLE_STRING_FIELDS = ['last_name', 'email', 'phone', 'company', 'title'];
const READ_ONLY_FIELDS = ['id', 'created_at', 'updated_at'];

/**
 * Checks one lead field; returns an error text (without the field name) or null.
 * @param {string} field
 * @param {unknown} value
 * @param {Set<string>} campaignIds
 * @param {Set<string>} [workflowIds] the known workflows, for `workflow_id` on create
 * @returns {string | null}
 */
function fieldProblem(field, value, campaignIds, workflowIds) {
	if (field === 'first_name' || field === 'source') {
		if (value === null) return 'must not be null';
		if (typeof value !== 'string') return 'must be a string';
		if (value.trim() === '') return 'must not be empty';
		return null;
	}
	if (NULLABLE_STRING_FIELDS.includes(field)) {
		if (value === null) return null;
		if (typeof value !== 'string') return 'must be a string or null';
		if (field === 'email' && !EMAIL_RE.test(value)) return 'must be a valid email address';
		return null;
	}
	if (field === 'campaign_id') {
		if (value === null) return null;
		if (typeof value !== 'string') return 'must be a UUID string or null';
		if (!UUID_RE.test(value)) return 'must be a valid UUID';
		if (!campaignIds.has(value.toLowerCase())) {
			return 'campaign not found or does not belong to your account';
		}
		return null;
	}
	if (field === 'metadata') {
		if (!isPlainObject(value)) return 'must be an object';
		return null;
	}
	if (field === 'workflow_id') {
		if (value === null) return null;
		if (typeof value !== 'string' || !UUID_RE.test(value)) return 'must be a valid UUID';
		if (workflowIds && !workflowIds.has(value.toLowerCase())) {
			return 'workflow not found or does not belong to your account';
		}
		return null;
	}
	if (field === 'force_first_message') {
		if (!isPlainObject(value)) return 'must be an object';
		return null;
	}
	return 'unknown field';
}

const UPDATE_FIELDS = [
	'first_name',
	...NULLABLE_STRING_FIELDS,
	'source',
	'campaign_id',
	'metadata',
];
const CREATE_CORE_FIELDS = [...UPDATE_FIELDS, 'workflow_id', 'force_first_message'];

/**
 * PUT/PATCH body → the changes to apply, or the first problem (fields checked in body order).
 * @param {JsonObject} body
 * @param {Set<string>} campaignIds
 * @returns {Result<JsonObject>}
 */
function validateUpdate(body, campaignIds) {
	const keys = Object.keys(body);
	if (keys.length === 0) return { ok: false, message: 'No fields to update' };
	/** @type {JsonObject} */
	const changes = {};
	for (const key of keys) {
		if (READ_ONLY_FIELDS.includes(key)) return { ok: false, message: `${key}: is read-only` };
		if (!UPDATE_FIELDS.includes(key)) return { ok: false, message: `${key}: unknown field` };
		const problem = fieldProblem(key, body[key], campaignIds);
		if (problem) return { ok: false, message: `${key}: ${problem}` };
		changes[key] =
			key === 'campaign_id' && typeof body[key] === 'string'
				? String(body[key]).toLowerCase()
				: body[key];
	}
	return { ok: true, value: changes };
}

const FIRST_MESSAGE_FIELDS = ['channel', 'content', 'subject', 'sender_id'];

/**
 * `force_first_message` (documented fields: channel, content, subject for email, sender_id) →
 * the first problem as a whole message naming the field, or null. What needs the lead or the
 * workflow (an email for the email channel; workflow_id) is checked by the caller.
 * @param {unknown} value
 * @returns {string | null}
 */
function firstMessageProblem(value) {
	const where = 'force_first_message';
	if (!isPlainObject(value)) return `${where}: must be an object`;
	const { channel, content, subject, sender_id: senderId } = value;
	if (channel === undefined || channel === null) return `${where}.channel: required`;
	if (channel !== 'whatsapp' && channel !== 'email') return `${where}.channel: must be "whatsapp" or "email"`;
	if (content === undefined || content === null) return `${where}.content: required`;
	if (typeof content !== 'string') return `${where}.content: must be a string`;
	if (content.trim() === '') return `${where}.content: must not be empty`;
	if (subject !== undefined && subject !== null && typeof subject !== 'string') {
		return `${where}.subject: must be a string`;
	}
	if (channel === 'email' && (typeof subject !== 'string' || subject.trim() === '')) {
		return `${where}.subject: required for email`;
	}
	if (senderId !== undefined && senderId !== null && (typeof senderId !== 'string' || !UUID_RE.test(senderId))) {
		return `${where}.sender_id: must be a valid UUID`;
	}
	const unknown = Object.keys(value).find((k) => !FIRST_MESSAGE_FIELDS.includes(k));
	if (unknown !== undefined) return `${where}.${unknown}: unknown field`;
	return null;
}

/**
 * One POST /leads item → the lead fields (without id/timestamps) and what to enrol it in, or the
 * first problem.
 * @param {unknown} item
 * @param {Set<string>} campaignIds
 * @param {Set<string>} workflowIds
 * @returns {Result<CreateInput>}
 */
function validateCreate(item, campaignIds, workflowIds) {
	if (!isPlainObject(item)) return { ok: false, message: 'lead: must be a JSON object' };
	if (!hasOwn(item, 'first_name') || item.first_name === undefined) {
		return { ok: false, message: 'first_name: is required' };
	}
	/** @type {JsonObject} */
	const extras = {};
	for (const key of Object.keys(item)) {
		if (!CREATE_CORE_FIELDS.includes(key)) {
			// Documented: unknown top-level keys on create become metadata.
			extras[key] = item[key];
			continue;
		}
		if (key === 'force_first_message') {
			const message = firstMessageProblem(item[key]);
			if (message) return { ok: false, message };
			continue;
		}
		const problem = fieldProblem(key, item[key], campaignIds, workflowIds);
		if (problem) return { ok: false, message: `${key}: ${problem}` };
	}
	if (
		item.force_first_message !== undefined &&
		(item.workflow_id === undefined || item.workflow_id === null)
	) {
		return { ok: false, message: 'force_first_message: requires workflow_id' };
	}
	/** @param {string} key */
	const nullable = (key) =>
		item[key] === undefined ? null : /** @type {string | null} */ (item[key]);
	const campaign = nullable('campaign_id');
	const workflowId = nullable('workflow_id');
	const first = item.force_first_message;
	return {
		ok: true,
		value: {
			lead: {
				first_name: /** @type {string} */ (item.first_name),
				last_name: nullable('last_name'),
				email: nullable('email'),
				phone: nullable('phone'),
				company: nullable('company'),
				title: nullable('title'),
				source: item.source === undefined ? 'api' : /** @type {string} */ (item.source),
				campaign_id: campaign === null ? null : campaign.toLowerCase(),
				// Explicit metadata wins over top-level extras, as documented.
				metadata: clone({ ...extras, ...(isPlainObject(item.metadata) ? item.metadata : {}) }),
			},
			given: UPDATE_FIELDS.filter((k) => k !== 'metadata' && item[k] !== undefined),
			workflowId: workflowId === null ? null : workflowId.toLowerCase(),
			forceFirstMessage: isPlainObject(first)
				? {
						channel: /** @type {'whatsapp' | 'email'} */ (first.channel),
						content: /** @type {string} */ (first.content),
						subject: typeof first.subject === 'string' ? first.subject : null,
						sender_id: typeof first.sender_id === 'string' ? first.sender_id.toLowerCase() : null,
					}
				: null,
		},
	};
}

/**
 * @param {unknown} value
 * @param {string} where
 * @param {Set<string>} campaignIds
 * @returns {LeadSeed}
 */
function normalizeSeedLead(value, where, campaignIds) {
	if (!isPlainObject(value) || typeof value.id !== 'string' || !UUID_RE.test(value.id)) {
		throw new SandboxConfigError(`${where}: each lead needs an "id" that is a UUID`);
	}
	for (const key of Object.keys(value)) {
		if (key === 'id') continue;
		if (key === 'created_at' || key === 'updated_at') {
			if (typeof value[key] !== 'string' || Number.isNaN(Date.parse(String(value[key])))) {
				throw new SandboxConfigError(`${where}.${key}: must be an ISO-8601 date string`);
			}
			continue;
		}
		if (!UPDATE_FIELDS.includes(key)) {
			throw new SandboxConfigError(`${where}.${key}: not a lead field (${LEAD_KEYS.join(', ')})`);
		}
		const problem = fieldProblem(key, value[key], campaignIds);
		if (problem) throw new SandboxConfigError(`${where}.${key}: ${problem}`);
	}
	const lead = /** @type {LeadSeed} */ (clone(value));
	lead.id = lead.id.toLowerCase();
	if (typeof lead.campaign_id === 'string') lead.campaign_id = lead.campaign_id.toLowerCase();
	return lead;
}

module.exports = { fieldProblem, validateUpdate, validateCreate, normalizeSeedLead };
