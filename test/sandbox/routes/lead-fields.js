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
 * @returns {string | null}
 */
function fieldProblem(field, value, campaignIds) {
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

/**
 * One POST /leads item → the lead fields (without id/timestamps), or the first problem.
 * @param {unknown} item
 * @param {Set<string>} campaignIds
 * @returns {Result<Omit<Lead, 'id' | 'created_at' | 'updated_at'>>}
 */
function validateCreate(item, campaignIds) {
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
		const problem = fieldProblem(key, item[key], campaignIds);
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
	return {
		ok: true,
		value: {
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
