// @ts-check
'use strict';
/**
 * Moving a lead within and between workflows: POST /leads/{id}/status (force the status of one
 * of its active runs, §4.7) and POST /leads/{id}/assign-workflow (enrol it, or replace its runs
 * with one in another workflow, §4.8; bare camelCase answer).
 */

const { UUID_RE, parseJsonObject } = require('../validation.js');
const { fieldsProblem, optionalString, optionalUuid } = require('./body-checks.js');
const { BODIES, reply, validationError } = require('../http.js');
const { SEED_LEAD_IDS, createdRunId } = require('../seed.js');
const { findLead, findWorkflow, activeRuns, currentRun, statusOf, isTerminal } = require('./lead-view.js');
const { stampOf, addHistory, activity, enrol, deactivate } = require('./runs.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../validation.js').JsonObject} JsonObject
 */

const NO_ACTIVE_RUN = Object.freeze({ error: 'No active workflow run found for this lead' });

/**
 * The lead of a sample (`truncated`): the one asked for, else the first seed lead.
 * @param {Store} store
 * @param {string} rawId
 * @returns {Lead | undefined}
 */
const sampleLead = (store, rawId) => findLead(rawId, store) || store.leads.get(SEED_LEAD_IDS[0]);

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function setStatus(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	const lead = findLead(req.params.id, store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	const body = parsed.value;
	if (body.status_key === undefined || body.status_key === null) return validationError('status_key: required');
	const problem = fieldsProblem(body, {
		status_key: (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'must be a non-empty string'),
		reason: optionalString,
		workflow_id: optionalUuid,
	});
	if (problem) return validationError(problem);
	const key = /** @type {string} */ (body.status_key);
	let runs = activeRuns(store, lead.id);
	if (typeof body.workflow_id === 'string') {
		const wanted = body.workflow_id.toLowerCase();
		runs = runs.filter((r) => r.workflow_id === wanted);
	}
	if (runs.length === 0) return reply(404, NO_ACTIVE_RUN);
	if (runs.length > 1) return validationError('workflow_id: required when the lead has more than one active run');
	const run = runs[0];
	const workflow = /** @type {import('../seed.js').Workflow} */ (findWorkflow(store, run.workflow_id));
	const status = statusOf(workflow, key);
	if (!status) return validationError(`status_key: "${key}" is not a status of workflow ${workflow.name}`);
	const previous = run.status_key;
	const changed = previous !== key;
	if (changed) {
		run.status_key = key;
		if (typeof body.reason === 'string') run.reason = body.reason;
		// A terminal status cancels what the cadence still had pending.
		if (isTerminal(store, run)) run.pending_tasks = 0;
		addHistory(
			store,
			lead.id,
			activity(stampOf(ctx.now), {
				activity_type: 'status_changed',
				title: `Status changed from ${previous} to ${key}`,
				description: typeof body.reason === 'string' ? body.reason : null,
				actor_type: 'api',
			}),
		);
	}
	return reply(200, {
		success: true,
		changed,
		previous_status: previous,
		new_status: key,
		workflow_run: { id: run.id, workflow_id: run.workflow_id },
	});
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function assignWorkflow(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	const lead = findLead(req.params.id, store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	const body = parsed.value;
	if (body.workflowId === undefined || body.workflowId === null) return validationError('workflowId: required');
	const problem = fieldsProblem(body, {
		workflowId: (v) => (typeof v === 'string' && UUID_RE.test(v) ? null : 'must be a valid UUID'),
		reason: optionalString,
		actorId: optionalString,
	});
	if (problem) return validationError(problem);
	const workflow = findWorkflow(store, body.workflowId);
	if (!workflow) return validationError('workflowId: workflow not found or does not belong to your account');
	const reason = typeof body.reason === 'string' ? body.reason : null;
	const actorId = typeof body.actorId === 'string' ? body.actorId : null;
	const previous = activeRuns(store, lead.id);
	const timestamp = stampOf(ctx.now);
	for (const run of previous) deactivate(run, timestamp, reason);
	const run = enrol(ctx, lead, workflow, {
		actorType: actorId ? 'user' : 'api',
		actorId,
		description: reason,
	});
	return reply(201, {
		workflowRunId: run.id,
		workflowId: workflow.id,
		workflowName: workflow.name,
		movementType: previous.length > 0 ? 'reassignment' : 'enrollment',
		paused: !workflow.is_active,
	});
}

/** @type {Route[]} */
const routes = [
	{
		method: 'POST',
		path: '/leads/:id/status',
		handle: setStatus,
		sample: (params, { store }) => {
			const lead = sampleLead(store, params.id);
			const run = (lead && currentRun(store, lead.id)) || [...store.runs.values()][0];
			const workflow = run && findWorkflow(store, run.workflow_id);
			const won = workflow && workflow.statuses.find((s) => s.category === 'won');
			return {
				success: true,
				changed: true,
				previous_status: run ? run.status_key : null,
				new_status: won ? won.key : 'qualified',
				workflow_run: run ? { id: run.id, workflow_id: run.workflow_id } : null,
			};
		},
	},
	{
		method: 'POST',
		path: '/leads/:id/assign-workflow',
		handle: assignWorkflow,
		sample: (params, { store }) => {
			const lead = sampleLead(store, params.id);
			const workflow = store.workflows[1];
			return {
				workflowRunId: createdRunId(store.runCount + 1),
				workflowId: workflow.id,
				workflowName: workflow.name,
				movementType: lead && currentRun(store, lead.id) ? 'reassignment' : 'enrollment',
				paused: !workflow.is_active,
			};
		},
	},
];

module.exports = { routes, fieldsProblem };
