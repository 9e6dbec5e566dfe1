// @ts-check
'use strict';
/**
 * Workflow runs and the lead history they write, shared by POST /leads (enrolment),
 * assign-workflow, set-status and automation stop/resume.
 */

const { createdRunId, createdMessageId } = require('../seed.js');

/**
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Workflow} Workflow
 * @typedef {import('../seed.js').WorkflowRun} WorkflowRun
 * @typedef {import('../seed.js').HistoryItem} HistoryItem
 * @typedef {import('./lead-fields.js').ForceFirstMessage} ForceFirstMessage
 * @typedef {import('./index.js').ApiContext} ApiContext
 */

/**
 * @param {() => number} now
 * @returns {string}
 */
const stampOf = (now) => new Date(now()).toISOString();

/**
 * The ID of the next message written through the API (createdMessageId), counted in the store.
 * @param {Store} store
 */
function nextMessageId(store) {
	store.messageCount += 1;
	return createdMessageId(store.messageCount);
}

/**
 * Appends an item to the lead's history (oldest first).
 * @param {Store} store
 * @param {string} leadId
 * @param {HistoryItem} item
 */
function addHistory(store, leadId, item) {
	const items = store.history.get(leadId) || [];
	items.push(item);
	store.history.set(leadId, items);
}

/**
 * A history `activity` item, in the documented key order.
 * @param {string} timestamp
 * @param {{ activity_type: string, title: string, description: string | null, actor_type: string }} what
 * @returns {HistoryItem}
 */
function activity(timestamp, what) {
	return {
		type: 'activity',
		channel: 'system',
		activity_type: what.activity_type,
		title: what.title,
		description: what.description,
		actor_type: what.actor_type,
		timestamp,
	};
}

/**
 * Starts a run of `workflow` for `lead` (status: the workflow's first; the cadence waits if the
 * workflow is paused) and records it in the lead's history, with the forced first message if any.
 * @param {ApiContext} ctx
 * @param {Lead} lead
 * @param {Workflow} workflow
 * @param {{ forceFirstMessage?: ForceFirstMessage | null, actorType: string, actorId?: string | null,
 *   description: string | null }} o
 * @returns {WorkflowRun}
 */
function enrol(ctx, lead, workflow, o) {
	const { store } = ctx;
	store.runCount += 1;
	const n = store.runCount;
	const timestamp = stampOf(ctx.now);
	const first = o.forceFirstMessage || null;
	/** @type {WorkflowRun} */
	const run = {
		id: createdRunId(n),
		lead_id: lead.id,
		workflow_id: workflow.id,
		job_id: `job-${n}`,
		is_active: true,
		human_takeover: false,
		cadence_state: workflow.is_active ? 'active' : 'paused',
		status_key: workflow.statuses[0].key,
		reason: null,
		actor_id: o.actorId || null,
		pending_tasks: workflow.is_active ? 1 : 0,
		cadence: {
			stepIndex: 0,
			// The forced message is the first touch.
			channel: first ? first.channel : workflow.cadence.channel,
			attemptNumber: 1,
			maxAttempts: 3,
			totalSteps: workflow.cadence.totalSteps,
		},
		assigned_user: null,
		started_at: timestamp,
		ended_at: null,
	};
	store.runs.set(run.id, run);
	addHistory(
		store,
		lead.id,
		activity(timestamp, {
			activity_type: 'workflow_assigned',
			title: `Assigned to workflow ${workflow.name}`,
			description: o.description,
			actor_type: o.actorType,
		}),
	);
	if (first) {
		/** @type {HistoryItem} */
		const message = {
			type: 'message',
			// A message like those of POST /messages: the next message number.
			id: nextMessageId(store),
			channel: first.channel,
			direction: 'outbound',
			content: first.content,
			message_type: 'text',
			media_url: null,
			attachments: [],
			status: 'sent',
			provider_message_id: null,
			sent_at: timestamp,
			delivered_at: null,
			read_at: null,
			reaction: null,
			buttons: [],
			timestamp,
		};
		if (first.channel === 'email') message.subject = first.subject;
		addHistory(store, lead.id, message);
	}
	return run;
}

/**
 * Ends a run (assign-workflow replacing it): inactive, pending tasks dropped, `reason` kept.
 * @param {WorkflowRun} run
 * @param {string} timestamp
 * @param {string | null} reason
 */
function deactivate(run, timestamp, reason) {
	run.is_active = false;
	run.ended_at = timestamp;
	run.pending_tasks = 0;
	if (reason !== null) run.reason = reason;
}

/**
 * `workflow_run` of a POST /leads answer (§4.1).
 * @param {Store} store
 * @param {WorkflowRun} run
 */
function presentNewRun(store, run) {
	const workflow = store.workflows.find((w) => w.id === run.workflow_id);
	return {
		id: run.id,
		job_id: run.job_id,
		workflow: { id: run.workflow_id, name: workflow ? workflow.name : null },
		cadence: { ...run.cadence },
	};
}

module.exports = { stampOf, nextMessageId, addHistory, activity, enrol, deactivate, presentNewRun };
