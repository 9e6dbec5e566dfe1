// @ts-check
'use strict';
/**
 * The lead endpoints: POST /leads (one lead or up to 1000; an upsert by email, then phone, unless
 * `duplicates: 'create'`; enrols in `workflow_id`), GET /leads/{id}, PUT and PATCH /leads/{id}
 * (partial update, metadata shallow-merged). Field rules are in lead-fields.js.
 */

const { LIMITS } = require('../limits.js');
const { isPlainObject, clone, parseJson } = require('../validation.js');
const { BODIES, reply, validationError } = require('../http.js');
const { SEED_LEADS, SEED_LEAD_IDS, createdLeadId, presentLead } = require('../seed.js');
const { validateUpdate, validateCreate } = require('./lead-fields.js');
const { findLead, findWorkflow, activeRuns, newestFirst, leadBody } = require('./lead-view.js');
const { enrol, presentNewRun } = require('./runs.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').WorkflowRun} WorkflowRun
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
 * The next `updated_at` of a lead: now, but strictly after the last one even when two updates share
 * a millisecond (or the clock is behind).
 * @param {string} previous
 * @param {() => number} now
 */
function nextUpdatedAt(previous, now) {
	let t = now();
	const prev = Date.parse(previous);
	if (Number.isFinite(prev) && t <= prev) t = prev + 1;
	return new Date(t).toISOString();
}

/** @param {string} phone */
const phoneDigits = (phone) => phone.replace(/\D/g, '');

/**
 * The leads POST /leads would update instead of creating (README "Choices" 11): looked up by
 * lower-cased email, then by phone digits, the newest lead winning a tie. Built on first use, once
 * per request, and kept current as the request creates and updates leads.
 * @param {Store} store
 */
function duplicateFinder(store) {
	// Keys → lead IDs (the stored lead is read at lookup time, so it is never a stale copy).
	/** @type {Map<string, string> | null} */
	let byEmail = null;
	/** @type {Map<string, string>} */
	let byPhone = new Map();
	/**
	 * @param {Map<string, string>} map
	 * @param {string} key
	 * @param {Lead} lead
	 */
	const keepNewest = (map, key, lead) => {
		const known = map.get(key);
		const knownLead = known === undefined ? undefined : store.leads.get(known);
		if (!knownLead || newestFirst(lead, knownLead) < 0) map.set(key, lead.id);
	};
	/** @param {Lead} lead */
	const index = (lead) => {
		if (!byEmail) return;
		if (lead.email) keepNewest(byEmail, lead.email.toLowerCase(), lead);
		const digits = lead.phone ? phoneDigits(lead.phone) : '';
		if (digits) keepNewest(byPhone, digits, lead);
	};
	return {
		/**
		 * @param {{ email: string | null, phone: string | null }} fields
		 * @returns {Lead | undefined}
		 */
		find: (fields) => {
			const digits = fields.phone ? phoneDigits(fields.phone) : '';
			if (!fields.email && !digits) return undefined;
			if (!byEmail) {
				byEmail = new Map();
				byPhone = new Map();
				for (const lead of store.leads.values()) index(lead);
			}
			const byMail = fields.email ? byEmail.get(fields.email.toLowerCase()) : undefined;
			const id = byMail !== undefined ? byMail : digits ? byPhone.get(digits) : undefined;
			return id === undefined ? undefined : store.leads.get(id);
		},
		/**
		 * @param {Lead} stored the lead as now stored
		 * @param {Lead | undefined} before the same lead before this request changed it, if it existed
		 */
		stored: (stored, before) => {
			// A changed email or phone leaves a stale key behind: look everything up again next time.
			if (before && (before.email !== stored.email || before.phone !== stored.phone)) byEmail = null;
			else index(stored);
		},
	};
}

/**
 * @typedef {{ ok: true, lead: Lead, created: boolean, run: WorkflowRun | null }
 *   | { ok: false, message: string }} Outcome
 */

/**
 * One POST /leads item: checked, then created, or (with `duplicates: 'upsert'`) merged into the
 * lead with the same email or phone; then enrolled if it names a workflow. Nothing is stored
 * when the item has a problem.
 * @param {unknown} item
 * @param {ApiContext} ctx
 * @param {ReturnType<typeof duplicateFinder>} duplicates
 * @returns {Outcome}
 */
function createOrUpdate(item, ctx, duplicates) {
	const { store } = ctx;
	const result = validateCreate(item, store.campaignIds, new Set(store.workflows.map((w) => w.id)));
	if (!result.ok) return result;
	const { lead: fields, given, workflowId, forceFirstMessage } = result.value;
	const target = store.duplicates === 'upsert' ? duplicates.find(fields) : undefined;
	/** @type {Lead} */
	let next;
	if (target) {
		next = { ...target, metadata: { ...target.metadata, ...fields.metadata } };
		for (const key of given) /** @type {Record<string, unknown>} */ (next)[key] = /** @type {Record<string, unknown>} */ (fields)[key];
		next.updated_at = nextUpdatedAt(target.updated_at, ctx.now);
	} else {
		const stamp = new Date(ctx.now()).toISOString();
		next = { id: '', ...fields, created_at: stamp, updated_at: stamp };
	}
	const workflow = workflowId === null ? undefined : findWorkflow(store, workflowId);
	if (workflow && workflow.cadence.hasCallSteps && !next.phone) {
		return { ok: false, message: `phone: required by workflow ${workflow.name}, which has call steps` };
	}
	if (forceFirstMessage && forceFirstMessage.channel === 'email' && !next.email) {
		return { ok: false, message: 'force_first_message.channel: "email" needs the lead to have an email' };
	}
	if (!target) {
		store.createdCount += 1;
		next.id = createdLeadId(store.createdCount);
	}
	const stored = presentLead(next);
	store.leads.set(stored.id, stored);
	duplicates.stored(stored, target);
	/** @type {WorkflowRun | null} */
	let run = null;
	if (workflow) {
		// Already in that workflow: the run goes on; no second run, no forced message (Choices 12).
		run =
			activeRuns(store, stored.id).find((r) => r.workflow_id === workflow.id) ||
			enrol(ctx, stored, workflow, {
				forceFirstMessage,
				actorType: 'api',
				description: target ? 'Enrolled by POST /leads (existing lead)' : 'Enrolled when the lead was created through the API',
			});
	}
	return { ok: true, lead: presentLead(stored), created: !target, run };
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
	const duplicates = duplicateFinder(ctx.store);
	/** @type {Lead[]} */
	const leads = [];
	let created = 0;
	/** @type {{ index: number, error: string, message: string }[]} */
	const errors = [];
	items.forEach((item, index) => {
		const outcome = createOrUpdate(item, ctx, duplicates);
		if (outcome.ok) {
			leads.push(outcome.lead);
			if (outcome.created) created += 1;
		} else errors.push({ index, error: 'Validation error', message: outcome.message });
	});
	if (leads.length === 0) {
		return validationError(`[${errors[0].index}] ${errors[0].message}`, { errors });
	}
	return reply(created > 0 ? 201 : 200, { success: true, leads, errors });
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function createLeads(req, ctx) {
	if (req.text.trim() === '') return validationError(NOT_A_LEAD);
	const parsed = parseJson(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	if (Array.isArray(parsed.value)) return createMany(parsed.value, ctx);
	const outcome = createOrUpdate(parsed.value, ctx, duplicateFinder(ctx.store));
	if (!outcome.ok) return validationError(isPlainObject(parsed.value) ? outcome.message : NOT_A_LEAD);
	/** @type {Record<string, unknown>} */
	const body = { success: true, lead: outcome.lead };
	if (outcome.run) body.workflow_run = presentNewRun(ctx.store, outcome.run);
	return reply(outcome.created ? 201 : 200, body);
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
	next.updated_at = nextUpdatedAt(lead.updated_at, now);
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
