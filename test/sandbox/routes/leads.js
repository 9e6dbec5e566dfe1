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
 * @typedef {{ byEmail: Map<string, string>, byPhone: Map<string, string> }} DuplicateIndex
 *   Lower-cased email → lead ID, phone digits → lead ID; the newest-created lead per key.
 */

/**
 * One index per lead map (reset() makes a new map, so a fresh index), built on the first POST /leads
 * that needs it and kept current as leads are created and updated; dropped when an update changes
 * an email or phone (a key then points at the wrong lead and is rebuilt on the next use).
 * @type {WeakMap<Map<string, Lead>, DuplicateIndex>}
 */
const duplicateIndexes = new WeakMap();

/**
 * Forgets the index when `after` has another email or phone than `before`.
 * @param {Store} store
 * @param {Lead} before
 * @param {Lead} after
 */
function leadKeysChanged(store, before, after) {
	if (before.email !== after.email || before.phone !== after.phone) duplicateIndexes.delete(store.leads);
}

/**
 * @param {Store} store
 * @param {DuplicateIndex} index
 * @param {Lead} lead
 */
function indexLead(store, index, lead) {
	/**
	 * @param {Map<string, string>} map
	 * @param {string} key
	 */
	const keepNewest = (map, key) => {
		const known = map.get(key);
		const knownLead = known === undefined ? undefined : store.leads.get(known);
		if (!knownLead || newestFirst(lead, knownLead) < 0) map.set(key, lead.id);
	};
	if (lead.email) keepNewest(index.byEmail, lead.email.toLowerCase());
	const digits = lead.phone ? phoneDigits(lead.phone) : '';
	if (digits) keepNewest(index.byPhone, digits);
}

/**
 * The lead POST /leads would update instead of creating (README "Choices" 11): by lower-cased
 * email, else by phone digits; the newest-created lead wins a tie.
 * @param {Store} store
 * @param {{ email: string | null, phone: string | null }} fields
 * @returns {Lead | undefined}
 */
function findDuplicate(store, fields) {
	const digits = fields.phone ? phoneDigits(fields.phone) : '';
	if (!fields.email && !digits) return undefined;
	let index = duplicateIndexes.get(store.leads);
	if (!index) {
		const fresh = { byEmail: new Map(), byPhone: new Map() };
		for (const lead of store.leads.values()) indexLead(store, fresh, lead);
		duplicateIndexes.set(store.leads, fresh);
		index = fresh;
	}
	const byMail = fields.email ? index.byEmail.get(fields.email.toLowerCase()) : undefined;
	const id = byMail !== undefined ? byMail : digits ? index.byPhone.get(digits) : undefined;
	return id === undefined ? undefined : store.leads.get(id);
}

/**
 * Keeps the index current after a POST /leads stored `stored` (`before`: the lead it updated).
 * @param {Store} store
 * @param {Lead} stored
 * @param {Lead | undefined} before
 */
function duplicateStored(store, stored, before) {
	if (before) leadKeysChanged(store, before, stored);
	const index = duplicateIndexes.get(store.leads);
	if (index) indexLead(store, index, stored);
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
 * @returns {Outcome}
 */
function createOrUpdate(item, ctx) {
	const { store } = ctx;
	const result = validateCreate(item, store.campaignIds, new Set(store.workflows.map((w) => w.id)));
	if (!result.ok) return result;
	const { lead: fields, given, workflowId, forceFirstMessage } = result.value;
	const target = store.duplicates === 'upsert' ? findDuplicate(store, fields) : undefined;
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
	duplicateStored(store, stored, target);
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
	/** @type {Lead[]} */
	const leads = [];
	let created = 0;
	/** @type {{ index: number, error: string, message: string }[]} */
	const errors = [];
	items.forEach((item, index) => {
		const outcome = createOrUpdate(item, ctx);
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
	const outcome = createOrUpdate(parsed.value, ctx);
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
	leadKeysChanged(store, lead, stored);
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
