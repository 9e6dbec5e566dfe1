// @ts-check
'use strict';
/**
 * The lead endpoints: POST /leads (one lead or up to 1000), GET /leads/{id}, PUT and PATCH
 * /leads/{id} (partial update, metadata shallow-merged). Field rules are in lead-fields.js.
 */

const { LIMITS } = require('../limits.js');
const { isPlainObject, clone, parseJson } = require('../validation.js');
const { BODIES, reply, validationError } = require('../http.js');
const { SEED_LEADS, SEED_LEAD_IDS, createdLeadId, presentLead } = require('../seed.js');
const { validateUpdate, validateCreate } = require('./lead-fields.js');
const { findLead, leadBody } = require('./lead-view.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../validation.js').JsonObject} JsonObject
 */

const NOT_A_LEAD = 'Request body must be a lead object or an array of lead objects';

/**
 * The lead a `truncated` answer shows: the one asked for, else the first seed lead.
 * @param {Store} store
 * @param {string | null} rawId
 * @returns {Lead}
 */
function sampleLeadOf(store, rawId) {
	return (
		(rawId !== null && findLead(rawId, store)) || store.leads.get(SEED_LEAD_IDS[0]) || SEED_LEADS[0]
	);
}

/**
 * What PUT, PATCH or POST /leads would answer for this lead (the `truncated` fault): the lead
 * asked for, else the first seed lead, as `{ success, lead }` with the 12 keys.
 * @param {Store} store
 * @param {string | null} rawId
 */
function sampleLead(store, rawId) {
	return { success: true, lead: presentLead(sampleLeadOf(store, rawId)) };
}

/**
 * @param {ApiContext} ctx
 * @param {Omit<Lead, 'id' | 'created_at' | 'updated_at'>} fields
 */
function create(ctx, fields) {
	ctx.store.createdCount += 1;
	const stamp = new Date(ctx.now()).toISOString();
	const lead = presentLead({
		id: createdLeadId(ctx.store.createdCount),
		...fields,
		created_at: stamp,
		updated_at: stamp,
	});
	ctx.store.leads.set(lead.id, lead);
	return presentLead(lead);
}

/**
 * Bulk POST /leads: partial success (README "Choices" 13).
 * @param {unknown[]} items
 * @param {ApiContext} ctx
 * @returns {Reply}
 */
function createMany(items, ctx) {
	if (items.length === 0) return validationError('At least one lead is required');
	if (items.length > LIMITS.maxBulkLeads) {
		return validationError(
			`Too many leads: at most ${LIMITS.maxBulkLeads} per request (got ${items.length})`,
		);
	}
	/** @type {Lead[]} */
	const created = [];
	/** @type {{ index: number, error: string, message: string }[]} */
	const errors = [];
	items.forEach((item, index) => {
		const result = validateCreate(item, ctx.store.campaignIds);
		if (result.ok) created.push(create(ctx, result.value));
		else errors.push({ index, error: 'Validation error', message: result.message });
	});
	if (created.length === 0) {
		return validationError(`[${errors[0].index}] ${errors[0].message}`, { errors });
	}
	return reply(201, { success: true, leads: created, errors });
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function createLeads(req, ctx) {
	if (req.text.trim() === '') return validationError(NOT_A_LEAD);
	const parsed = parseJson(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	if (Array.isArray(parsed.value)) return createMany(parsed.value, ctx);
	const result = validateCreate(parsed.value, ctx.store.campaignIds);
	if (!result.ok) return validationError(isPlainObject(parsed.value) ? result.message : NOT_A_LEAD);
	return reply(201, { success: true, lead: create(ctx, result.value) });
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function getLead(req, { store }) {
	const lead = findLead(req.params.id, store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	return reply(200, leadBody(store, lead));
}

/**
 * PUT and PATCH: the body is checked before the lead lookup, the fields after it; nothing is
 * applied on a 400 (README "Choices" 1-7).
 * @type {(req: RouteRequest, ctx: ApiContext) => Reply}
 */
function updateLead(req, { store, now }) {
	/** @type {JsonObject} */
	let body = {};
	// An empty body is treated like {}: it ends in "No fields to update" once the lead is found.
	if (req.text.trim() !== '') {
		const parsed = parseJson(req.text);
		if (!parsed.ok) return validationError(parsed.message);
		if (!isPlainObject(parsed.value)) return validationError('Request body must be a JSON object');
		body = parsed.value;
	}
	const lead = findLead(req.params.id, store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	const result = validateUpdate(body, store.campaignIds);
	if (!result.ok) return validationError(result.message);
	/** @type {Lead} */
	const next = { ...lead, metadata: { ...lead.metadata } };
	for (const [key, value] of Object.entries(result.value)) {
		if (key === 'metadata') {
			// Shallow merge: unsent keys stay, sent keys (null included) overwrite.
			next.metadata = { ...next.metadata, .../** @type {JsonObject} */ (clone(value)) };
		} else {
			/** @type {Record<string, unknown>} */ (next)[key] = value;
		}
	}
	// Strictly increasing per lead, even when two updates share a millisecond.
	let t = now();
	const prev = Date.parse(lead.updated_at);
	if (Number.isFinite(prev) && t <= prev) t = prev + 1;
	next.updated_at = new Date(t).toISOString();
	const stored = presentLead(next);
	store.leads.set(stored.id, stored);
	return reply(200, { success: true, lead: presentLead(stored) });
}

/** @type {(params: Record<string, string>, ctx: ApiContext) => unknown} */
const sample = (params, { store }) => sampleLead(store, params.id);

/** @type {Route[]} */
const routes = [
	{ method: 'POST', path: '/leads', handle: createLeads, sample: (_params, { store }) => sampleLead(store, null) },
	{
		method: 'GET',
		path: '/leads/:id',
		handle: getLead,
		sample: (params, { store }) => leadBody(store, sampleLeadOf(store, params.id)),
	},
	{ method: 'PUT', path: '/leads/:id', handle: updateLead, sample },
	{ method: 'PATCH', path: '/leads/:id', handle: updateLead, sample },
];

module.exports = { routes, sampleLead };
