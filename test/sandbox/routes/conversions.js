// @ts-check
'use strict';
/**
 * Conversions (§8): GET /conversion-types (active types only), POST /conversions (record one,
 * 201) and GET /conversions (filters, limit/offset, newest first, with `total`).
 */

const { UUID_RE, clone, isPlainObject, parseJsonObject } = require('../validation.js');
const { BODIES, reply, validationError } = require('../http.js');
const { createdConversionId } = require('../seed.js');
const { findLead } = require('./lead-view.js');
const { fieldsProblem, missingField, optionalString, optionalUuid, uuid, optionalObject } = require('./body-checks.js');
const { parseInstant } = require('./times.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').ConversionType} ConversionType
 * @typedef {import('../seed.js').ConversionEvent} ConversionEvent
 * @typedef {import('../validation.js').JsonObject} JsonObject
 */

/** GET /conversions paging, as documented. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** The GET /conversions filters, each an exact match on the stored field of the same name. */
const FILTERS = Object.freeze(
	/** @type {const} */ (['lead_id', 'workflow_id', 'master_workflow_id', 'workflow_run_id', 'conversion_type_id']),
);

const CURRENCY_RE = /^[A-Z]{3}$/;

/**
 * A conversion type as GET /conversion-types lists it (without the sandbox's `is_active`).
 * @param {ConversionType} t
 */
function presentType(t) {
	return {
		id: t.id,
		name: t.name,
		description: t.description,
		category: t.category,
		currency: t.currency,
		fields: clone(t.fields),
		workflow_id: t.workflow_id,
		master_workflow_id: t.master_workflow_id,
		created_at: t.created_at,
	};
}

/**
 * A stored conversion with its type embedded as documented: POST answers `{ name, fields }`,
 * GET lists `{ name, category, fields }`.
 * @param {Store} store
 * @param {ConversionEvent} c
 * @param {boolean} withCategory
 */
function presentConversion(store, c, withCategory) {
	const type = store.conversionTypes.find((t) => t.id === c.conversion_type_id);
	const embedded = type
		? withCategory
			? { name: type.name, category: type.category, fields: clone(type.fields) }
			: { name: type.name, fields: clone(type.fields) }
		: null;
	return { ...clone(c), conversion_types: embedded };
}

/**
 * The checked POST /conversions body: required fields first (in the documented order), then
 * every key in body order (README "Choices" 37).
 * @param {JsonObject} body
 * @returns {string | null}
 */
function bodyProblem(body) {
	return (
		missingField(body, ['conversion_type_id', 'lead_id', 'amount']) ||
		fieldsProblem(body, {
			conversion_type_id: uuid,
			lead_id: uuid,
			amount: (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a number'),
			workflow_run_id: optionalUuid,
			currency: (v) =>
				v === undefined || v === null || (typeof v === 'string' && CURRENCY_RE.test(v))
					? null
					: 'must be a 3-letter ISO 4217 code in upper case, e.g. "USD"',
			converted_at: (v) =>
				v === undefined || v === null || parseInstant(v) !== null ? null : 'must be an ISO 8601 date or date-time',
			metadata: optionalObject,
			notes: optionalString,
		})
	);
}

/**
 * The first metadata value of the type's own fields with the wrong JSON type (null is fine;
 * keys the type doesn't name are stored as sent).
 * @param {ConversionType} type
 * @param {JsonObject} metadata
 * @returns {string | null}
 */
function metadataProblem(type, metadata) {
	for (const field of type.fields) {
		const value = metadata[field.key];
		if (value === undefined || value === null) continue;
		const ok = field.type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string';
		if (!ok) {
			return `metadata.${field.key}: must be a ${field.type === 'number' ? 'number' : 'string'} (field "${field.label}" of ${type.name})`;
		}
	}
	return null;
}

/**
 * The next `created_at`: now, but strictly after the newest stored conversion, so the list's
 * order is the order of creation even within one millisecond.
 * @param {Store} store
 * @param {() => number} now
 */
function nextCreatedAt(store, now) {
	let t = now();
	const last = store.conversions[store.conversions.length - 1];
	const prev = last ? Date.parse(last.created_at) : NaN;
	if (Number.isFinite(prev) && t <= prev) t = prev + 1;
	return t;
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function createConversion(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	const body = parsed.value;
	const problem = bodyProblem(body);
	if (problem) return validationError(problem);
	const typeId = /** @type {string} */ (body.conversion_type_id).toLowerCase();
	const type = store.conversionTypes.find((t) => t.id === typeId);
	if (!type) return validationError('conversion_type_id: conversion type not found or does not belong to your account');
	if (!type.is_active) return validationError(`conversion_type_id: conversion type ${type.name} is inactive`);
	const metadata = isPlainObject(body.metadata) ? /** @type {JsonObject} */ (clone(body.metadata)) : {};
	const metaProblem = metadataProblem(type, metadata);
	if (metaProblem) return validationError(metaProblem);
	const lead = findLead(/** @type {string} */ (body.lead_id), store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	/** @type {string | null} */
	let runId = null;
	if (typeof body.workflow_run_id === 'string') {
		const run = store.runs.get(body.workflow_run_id.toLowerCase());
		if (!run || run.lead_id !== lead.id) return validationError('workflow_run_id: workflow run not found for this lead');
		runId = run.id;
	}
	const createdMs = nextCreatedAt(store, ctx.now);
	const createdAt = new Date(createdMs).toISOString();
	const convertedMs = body.converted_at === undefined || body.converted_at === null ? null : parseInstant(body.converted_at);
	store.conversionCount += 1;
	/** @type {ConversionEvent} */
	const event = {
		id: createdConversionId(store.conversionCount),
		conversion_type_id: type.id,
		lead_id: lead.id,
		amount: /** @type {number} */ (body.amount),
		currency: typeof body.currency === 'string' ? body.currency : type.currency,
		converted_at: convertedMs === null ? createdAt : new Date(convertedMs).toISOString(),
		created_at: createdAt,
		workflow_id: type.workflow_id,
		master_workflow_id: type.master_workflow_id,
		workflow_run_id: runId,
		metadata,
		notes: typeof body.notes === 'string' ? body.notes : null,
	};
	store.conversions.push(event);
	return reply(201, { success: true, conversion_event: presentConversion(store, event, false) });
}

/**
 * `?limit&offset` and the filters, checked.
 * @param {string} query
 * @returns {{ ok: true, limit: number, offset: number, filters: [string, string][] } | { ok: false, message: string }}
 */
function listQuery(query) {
	const params = new URLSearchParams(query);
	const rawLimit = params.get('limit');
	let limit = DEFAULT_LIMIT;
	if (rawLimit !== null && rawLimit !== '') {
		limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : 0;
		if (limit < 1 || limit > MAX_LIMIT) return { ok: false, message: `limit: must be an integer between 1 and ${MAX_LIMIT}` };
	}
	const rawOffset = params.get('offset');
	let offset = 0;
	if (rawOffset !== null && rawOffset !== '') {
		if (!/^\d{1,9}$/.test(rawOffset)) return { ok: false, message: 'offset: must be an integer of 0 or more' };
		offset = Number(rawOffset);
	}
	/** @type {[string, string][]} */
	const filters = [];
	for (const key of FILTERS) {
		const value = params.get(key);
		if (value === null || value === '') continue;
		if (!UUID_RE.test(value)) return { ok: false, message: `${key}: must be a valid UUID` };
		filters.push([key, value.toLowerCase()]);
	}
	return { ok: true, limit, offset, filters };
}

/**
 * One page of the matching conversions, newest first, and how many match in all. The store keeps
 * them oldest first, so this walks it backwards once.
 * @param {Store} store
 * @param {{ limit: number, offset: number, filters: [string, string][] }} q
 */
function listConversions(store, q) {
	/** @type {ConversionEvent[]} */
	const page = [];
	let total = 0;
	for (let i = store.conversions.length - 1; i >= 0; i--) {
		const c = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (store.conversions[i]));
		if (!q.filters.every(([key, value]) => c[key] === value)) continue;
		if (total >= q.offset && page.length < q.limit) page.push(store.conversions[i]);
		total += 1;
	}
	return { success: true, conversion_events: page.map((c) => presentConversion(store, c, true)), total };
}

/**
 * GET /conversion-types: the active types, in seed order.
 * @param {Store} store
 */
const typesBody = (store) => ({
	success: true,
	conversion_types: store.conversionTypes.filter((t) => t.is_active).map(presentType),
});

/** @type {Route[]} */
const routes = [
	{
		method: 'GET',
		path: '/conversion-types',
		handle: (_req, { store }) => reply(200, typesBody(store)),
		sample: (_params, { store }) => typesBody(store),
	},
	{
		method: 'POST',
		path: '/conversions',
		handle: createConversion,
		sample: (_params, { store }) => {
			const first = store.conversions[0];
			return { success: true, conversion_event: first ? presentConversion(store, first, false) : null };
		},
	},
	{
		method: 'GET',
		path: '/conversions',
		handle: (req, { store }) => {
			const q = listQuery(req.query);
			if (!q.ok) return validationError(q.message);
			return reply(200, listConversions(store, q));
		},
		sample: (_params, { store }) => listConversions(store, { limit: DEFAULT_LIMIT, offset: 0, filters: [] }),
	},
];

module.exports = { routes, presentType, presentConversion };
