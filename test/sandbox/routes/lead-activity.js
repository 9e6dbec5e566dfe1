// @ts-check
'use strict';
/**
 * What happened with a lead: GET /leads/{id}/history (§4.10; messages, calls and activities,
 * oldest first, with what the API itself did appended) and GET /leads/{id}/meetings[?status=]
 * (§4.11; newest first, the seed meetings and those POST /meetings made, cancellations included).
 */

const { clone } = require('../validation.js');
const { BODIES, reply, validationError } = require('../http.js');
const { SEED_LEAD_IDS } = require('../seed.js');
const { findLead } = require('./lead-view.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Meeting} Meeting
 * @typedef {import('../seed.js').MeetingStatus} MeetingStatus
 */

/** @type {ReadonlyArray<MeetingStatus>} */
const MEETING_STATUSES = Object.freeze(['scheduled', 'confirmed', 'completed', 'cancelled', 'no_show']);

/**
 * @param {Store} store
 * @param {Lead} lead
 */
function historyBody(store, lead) {
	return {
		success: true,
		lead: {
			id: lead.id,
			first_name: lead.first_name,
			last_name: lead.last_name,
			phone: lead.phone,
			email: lead.email,
			source: lead.source,
			created_at: lead.created_at,
		},
		history: clone(store.history.get(lead.id) || []),
	};
}

/**
 * The lead's meetings with one of `statuses` (all when null), newest first: `starts_at`
 * descending, then `created_at` descending.
 * @param {Store} store
 * @param {Lead} lead
 * @param {Set<string> | null} statuses
 * @returns {Meeting[]}
 */
function meetingsOf(store, lead, statuses) {
	return [...store.meetings.values()]
		.filter((r) => r.lead_id === lead.id)
		.map((r) => r.meeting)
		.filter((m) => statuses === null || statuses.has(m.status))
		.sort(
			(a, b) =>
				Date.parse(b.starts_at) - Date.parse(a.starts_at) || Date.parse(b.created_at) - Date.parse(a.created_at),
		)
		.map((m) => clone(m));
}

/**
 * `?status=a,b` → the set of statuses (null: no filter), or the first unknown one.
 * @param {string} query
 * @returns {{ ok: true, value: Set<string> | null } | { ok: false, message: string }}
 */
function statusFilter(query) {
	const raw = new URLSearchParams(query).get('status');
	if (raw === null) return { ok: true, value: null };
	const wanted = raw
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (wanted.length === 0) return { ok: true, value: null };
	const unknown = wanted.find((s) => !MEETING_STATUSES.includes(/** @type {MeetingStatus} */ (s)));
	if (unknown !== undefined) {
		return { ok: false, message: `status: "${unknown}" is not one of ${MEETING_STATUSES.join(', ')}` };
	}
	return { ok: true, value: new Set(wanted) };
}

/**
 * @param {Store} store
 * @param {string} rawId
 * @returns {Lead | undefined}
 */
const sampleLead = (store, rawId) => findLead(rawId, store) || store.leads.get(SEED_LEAD_IDS[0]);

/** @type {Route[]} */
const routes = [
	{
		method: 'GET',
		path: '/leads/:id/history',
		handle: (req, { store }) => {
			const lead = findLead(req.params.id, store);
			if (!lead) return reply(404, BODIES.leadNotFound);
			return reply(200, historyBody(store, lead));
		},
		sample: (params, { store }) => {
			const lead = sampleLead(store, params.id);
			return lead ? historyBody(store, lead) : { success: true, history: [] };
		},
	},
	{
		method: 'GET',
		path: '/leads/:id/meetings',
		handle: (req, { store }) => {
			const lead = findLead(req.params.id, store);
			if (!lead) return reply(404, BODIES.leadNotFound);
			const filter = statusFilter(req.query);
			if (!filter.ok) return validationError(filter.message);
			return reply(200, { success: true, meetings: meetingsOf(store, lead, filter.value) });
		},
		sample: (params, { store }) => {
			const lead = sampleLead(store, params.id);
			return { success: true, meetings: lead ? meetingsOf(store, lead, null) : [] };
		},
	},
];

module.exports = { routes, MEETING_STATUSES, meetingsOf };
