// @ts-check
'use strict';
/**
 * Human takeover (§4.9): POST /leads/{id}/automation/stop and /automation/resume for one run
 * (found by `workflow_id`), and GET /leads/{id}/is_paused. These answer errors as `{ error }`
 * only, exactly as documented.
 */

const { UUID_RE, parseJsonObject } = require('../validation.js');
const { BODIES, reply } = require('../http.js');
const { SEED_LEAD_IDS } = require('../seed.js');
const { findLead, activeRuns, currentRun, isTerminal } = require('./lead-view.js');
const { stampOf, addHistory, activity } = require('./runs.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').WorkflowRun} WorkflowRun
 * @typedef {import('../validation.js').JsonObject} JsonObject
 */

const WORKFLOW_ID_REQUIRED = Object.freeze({ error: 'workflow_id is required' });
const NO_RUN = Object.freeze({ error: 'No active workflow run found for this lead and workflow' });

/**
 * The runs automation acts on: active and not in a terminal status.
 * @param {Store} store
 * @param {string} leadId
 */
const runningRuns = (store, leadId) => activeRuns(store, leadId).filter((r) => !isTerminal(store, r));

/**
 * The common part of stop and resume: the body, the lead, `workflow_id`, the run.
 * @param {RouteRequest} req
 * @param {Store} store
 * @returns {{ reply: Reply } | { lead: Lead, run: WorkflowRun, body: JsonObject }}
 */
function findRun(req, store) {
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return { reply: reply(400, { error: parsed.message }) };
	const lead = findLead(req.params.id, store);
	if (!lead) return { reply: reply(404, BODIES.leadNotFound) };
	const workflowId = parsed.value.workflow_id;
	if (typeof workflowId !== 'string' || workflowId.trim() === '') return { reply: reply(400, WORKFLOW_ID_REQUIRED) };
	// A non-UUID is a workflow the lead cannot be in (README "Choices" 29).
	const wanted = UUID_RE.test(workflowId) ? workflowId.toLowerCase() : null;
	const run = runningRuns(store, lead.id).find((r) => r.workflow_id === wanted);
	if (!run) return { reply: reply(404, NO_RUN) };
	return { lead, run, body: parsed.value };
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function stop(req, ctx) {
	const found = findRun(req, ctx.store);
	if ('reply' in found) return found.reply;
	const { lead, run } = found;
	if (run.human_takeover) return reply(200, { success: true, already_stopped: true, workflow_run_id: run.id });
	const cancelled = run.pending_tasks;
	run.human_takeover = true;
	run.cadence_state = 'paused';
	run.pending_tasks = 0;
	addHistory(
		ctx.store,
		lead.id,
		activity(stampOf(ctx.now), {
			activity_type: 'automation_stopped',
			title: 'AI automation stopped (human takeover)',
			description: null,
			actor_type: 'api',
		}),
	);
	return reply(200, { success: true, workflow_run_id: run.id, cadence_paused: true, tasks_cancelled: cancelled });
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function resume(req, ctx) {
	const found = findRun(req, ctx.store);
	if ('reply' in found) return found.reply;
	const { lead, run, body } = found;
	const cadence = body.resume_cadence === undefined || body.resume_cadence === null ? false : body.resume_cadence;
	if (typeof cadence !== 'boolean') return reply(400, { error: 'resume_cadence must be a boolean' });
	if (!run.human_takeover && (!cadence || run.cadence_state === 'active')) {
		return reply(200, { success: true, already_running: true, workflow_run_id: run.id });
	}
	run.human_takeover = false;
	if (cadence && run.cadence_state !== 'active') {
		run.cadence_state = 'active';
		// The cadence picks up again with its next touch.
		run.pending_tasks = 1;
	}
	addHistory(
		ctx.store,
		lead.id,
		activity(stampOf(ctx.now), {
			activity_type: 'automation_resumed',
			title: cadence ? 'AI automation and cadence resumed' : 'AI automation resumed',
			description: null,
			actor_type: 'api',
		}),
	);
	return reply(200, { success: true, workflow_run_id: run.id, cadence_resumed: cadence });
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function isPaused(req, { store }) {
	const lead = findLead(req.params.id, store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	return reply(200, { success: true, paused: pausedOf(store, lead, req.query) });
}

/**
 * Whether a running run (of `?workflow_id=` if given) is in a human takeover.
 * @param {Store} store
 * @param {Lead} lead
 * @param {string} query
 */
function pausedOf(store, lead, query) {
	const workflowId = new URLSearchParams(query).get('workflow_id');
	const wanted = workflowId ? workflowId.toLowerCase() : null;
	return runningRuns(store, lead.id).some((r) => r.human_takeover && (wanted === null || r.workflow_id === wanted));
}

/**
 * The run of a sample (`truncated`): the current run of the lead asked for, else the first seed
 * lead's.
 * @param {Store} store
 * @param {string} rawId
 */
function sampleRun(store, rawId) {
	const lead = findLead(rawId, store) || store.leads.get(SEED_LEAD_IDS[0]);
	return (lead && currentRun(store, lead.id)) || [...store.runs.values()][0];
}

/** @type {Route[]} */
const routes = [
	{
		method: 'POST',
		path: '/leads/:id/automation/stop',
		handle: stop,
		sample: (params, { store }) => {
			const run = sampleRun(store, params.id);
			return { success: true, workflow_run_id: run ? run.id : null, cadence_paused: true, tasks_cancelled: run ? run.pending_tasks : 0 };
		},
	},
	{
		method: 'POST',
		path: '/leads/:id/automation/resume',
		handle: resume,
		sample: (params, { store }) => {
			const run = sampleRun(store, params.id);
			return { success: true, workflow_run_id: run ? run.id : null, cadence_resumed: false };
		},
	},
	{
		method: 'GET',
		path: '/leads/:id/is_paused',
		handle: isPaused,
		sample: (params, { store }) => {
			const lead = findLead(params.id, store) || store.leads.get(SEED_LEAD_IDS[0]);
			return { success: true, paused: lead ? pausedOf(store, lead, '') : false };
		},
	},
];

module.exports = { routes };
