// @ts-check
'use strict';
/**
 * The `data` of the webhook events (§11): the documented meeting.* shape (meeting, lead, host,
 * meeting_type, workflow) built from a stored meeting, and the inferred
 * workflow_run.status_changed shape; plus the default `data` deliverWebhook sends for each event
 * type when none is given (from the first seed lead's data, as the store has it now).
 */

const { SEED_LEAD_IDS, SEED_MEETINGS, presentLead } = require('../seed.js');
const { findWorkflow, currentRun, activeRuns, statusOf } = require('./lead-view.js');

/**
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').MeetingRecord} MeetingRecord
 * @typedef {import('../seed.js').WorkflowRun} WorkflowRun
 */

/** The event types Nexor documents. */
const WEBHOOK_EVENT_TYPES = Object.freeze([
	'workflow_run.status_changed',
	'meeting.scheduled',
	'meeting.confirmed',
	'meeting.cancelled',
	'meeting.completed',
	'meeting.no_show',
]);

/**
 * meeting.* `data` for a stored meeting: the documented keys, in the documented order.
 * `workflow` is the lead's current run's workflow (`{id, name, goal_type}`), or null.
 * @param {Store} store
 * @param {MeetingRecord} record
 */
function meetingEventData(store, record) {
	const m = record.meeting;
	const lead = store.leads.get(record.lead_id);
	const host = record.host_id ? store.users.find((u) => u.id === record.host_id) : undefined;
	const type = record.meeting_type_id ? store.meetingTypes.find((t) => t.id === record.meeting_type_id) : undefined;
	const run = lead ? currentRun(store, lead.id) : null;
	const workflow = run ? findWorkflow(store, run.workflow_id) : undefined;
	const [hostFirst, ...hostRest] = host ? host.name.split(' ') : [];
	return {
		meeting: {
			id: m.id,
			title: m.title,
			starts_at: m.starts_at,
			ends_at: m.ends_at,
			duration_minutes: m.duration_minutes,
			timezone: m.timezone,
			location_type: m.location_type,
			location_details: m.location_details,
			meeting_url: m.meeting_url,
			status: m.status,
			source: record.source,
			attendee_name: m.attendee_name,
			attendee_email: m.attendee_email,
			attendee_phone: record.attendee_phone,
			confirmed_by_lead: m.confirmed_by_lead,
			cancelled_at: m.cancelled_at,
			cancellation_reason: m.cancellation_reason,
			outcome_notes: m.outcome_notes,
			outcome_at: record.outcome_at,
			no_show_reason: m.no_show_reason,
		},
		lead: lead
			? {
					id: lead.id,
					first_name: lead.first_name,
					last_name: lead.last_name,
					email: lead.email,
					phone: lead.phone,
					company: lead.company,
					source: lead.source,
				}
			: null,
		host: host ? { id: host.id, first_name: hostFirst, last_name: hostRest.length ? hostRest.join(' ') : null, email: host.email } : null,
		meeting_type: type ? { id: type.id, name: type.name } : null,
		workflow: workflow ? { id: workflow.id, name: workflow.name, goal_type: workflow.goal_type } : null,
	};
}

/**
 * workflow_run.status_changed `data` (inferred, §11): the full lead (12 keys, metadata
 * included), the workflow, the run and the statuses it moved between.
 * @param {Store} store
 * @param {WorkflowRun} run
 * @param {string} fromKey
 * @param {string} toKey
 */
function statusChangedData(store, run, fromKey, toKey) {
	const lead = store.leads.get(run.lead_id);
	const workflow = findWorkflow(store, run.workflow_id);
	/** @param {string} key */
	const status = (key) => {
		const s = workflow ? statusOf(workflow, key) : undefined;
		return s ? { key: s.key, label: s.label, category: s.category } : { key, label: key, category: null };
	};
	return {
		lead: lead ? presentLead(lead) : null,
		workflow: workflow ? { id: workflow.id, name: workflow.name } : { id: run.workflow_id, name: null },
		workflow_run: { id: run.id },
		from_status: status(fromKey),
		to_status: status(toKey),
	};
}

/** How each meeting.* default changes the seed meeting (what the event says happened). */
const MEETING_EVENT_CHANGES = Object.freeze(
	/** @type {Record<string, (m: Record<string, unknown>, at: string) => void>} */ ({
		'meeting.scheduled': (m) => {
			m.status = 'scheduled';
			m.cancelled_at = null;
			m.cancellation_reason = null;
		},
		'meeting.confirmed': (m) => {
			m.status = 'confirmed';
			m.confirmed_by_lead = true;
		},
		'meeting.cancelled': (m, at) => {
			// A meeting already cancelled keeps its own time and reason.
			if (m.status === 'cancelled') return;
			m.status = 'cancelled';
			m.cancelled_at = at;
			m.cancellation_reason = 'The lead asked to reschedule';
		},
		'meeting.completed': (m, at) => {
			m.status = 'completed';
			m.outcome_notes = 'Demo done; the proposal goes out tomorrow';
			m.outcome_at = at;
		},
		'meeting.no_show': (m, at) => {
			m.status = 'no_show';
			m.no_show_reason = 'The lead did not join';
			m.outcome_at = at;
		},
	}),
);

/**
 * The `data` deliverWebhook sends for a documented event type when none is given, or undefined
 * for an event type without a default:
 * - meeting.*: the first seed lead's upcoming seed meeting as stored now, with the status (and
 *   the cancellation, outcome or no-show fields) the event implies;
 * - workflow_run.status_changed: the first seed lead's current run (else the first active run)
 *   moving from its status to the workflow's next one.
 * @param {Store} store
 * @param {string} eventType
 * @param {string} at the event's timestamp
 * @returns {unknown}
 */
function defaultEventData(store, eventType, at) {
	const change = MEETING_EVENT_CHANGES[eventType];
	if (change) {
		const seedId = (SEED_MEETINGS[SEED_LEAD_IDS[0]] || [])[0]?.id;
		const record = (seedId && store.meetings.get(seedId)) || store.meetings.values().next().value;
		if (!record) return undefined;
		const data = meetingEventData(store, record);
		change(/** @type {Record<string, unknown>} */ (data.meeting), at);
		return data;
	}
	if (eventType === 'workflow_run.status_changed') {
		const run =
			currentRun(store, SEED_LEAD_IDS[0]) || [...store.runs.values()].find((r) => activeRuns(store, r.lead_id).includes(r));
		const workflow = run ? findWorkflow(store, run.workflow_id) : undefined;
		if (!run || !workflow) return undefined;
		const at = workflow.statuses.findIndex((s) => s.key === run.status_key);
		const next = workflow.statuses[(at + 1) % workflow.statuses.length];
		return statusChangedData(store, run, run.status_key, next.key);
	}
	return undefined;
}

module.exports = { WEBHOOK_EVENT_TYPES, meetingEventData, statusChangedData, defaultEventData };
