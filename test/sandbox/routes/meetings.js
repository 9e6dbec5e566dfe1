// @ts-check
'use strict';
/**
 * Meetings (§10): POST /meetings logs a meeting booked elsewhere (lead by `lead_id` or by email;
 * a provider plus an event ID makes a replay update the same meeting) and POST
 * /meetings/{id}/cancel cancels one (idempotent; provider-owned meetings are skipped; a
 * `meeting.cancelled` webhook goes to the configured target). Meetings show up in
 * GET /leads/{id}/meetings.
 */

const { UUID_RE, isPlainObject, parseJsonObject } = require('../validation.js');
const { BODIES, reply, validationError } = require('../http.js');
const { createdMeetingId, SEED_MEETINGS, SEED_LEAD_IDS } = require('../seed.js');
const { findLead, decodeParam } = require('./lead-view.js');
const {
	fieldsProblem,
	missingField,
	optionalString,
	optionalUuid,
	nonEmptyString,
	optionalOneOf,
	EMAIL_RE,
} = require('./body-checks.js');
const { parseInstant, isTimeZone } = require('./times.js');
const { meetingEventData } = require('./webhook-data.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Meeting} Meeting
 * @typedef {import('../seed.js').MeetingRecord} MeetingRecord
 * @typedef {import('../seed.js').MeetingStatus} MeetingStatus
 * @typedef {import('../validation.js').JsonObject} JsonObject
 * @typedef {import('./body-checks.js').Check} Check
 */

const LOCATION_TYPES = Object.freeze(['video', 'phone', 'in_person']);
const NEW_STATUSES = Object.freeze(['scheduled', 'confirmed']);
/** The longest meeting accepted (a day). */
const MAX_MINUTES = 24 * 60;

const MEETING_NOT_FOUND = Object.freeze({
	error: 'Not found',
	message: 'Meeting not found or does not belong to your account',
});
const NO_LEAD_WITH_EMAIL = Object.freeze({ error: 'Not found', message: 'No lead with this email: create the lead first' });

/** @type {Check} */
const optionalEmail = (v) =>
	v === undefined || v === null || (typeof v === 'string' && EMAIL_RE.test(v)) ? null : 'must be a valid email address';
/** @type {Check} */
const dateTime = (v) =>
	v === undefined || v === null || parseInstant(v, { requireTime: true }) !== null
		? null
		: 'must be an ISO 8601 date-time, e.g. "2026-07-02T15:00:00Z"';
/** @type {Check} */
const optionalText = (v) => (v === undefined || v === null ? null : nonEmptyString(v));

/** The POST /meetings fields and their checks (README "Choices" 41). */
const MEETING_CHECKS = Object.freeze(
	/** @type {Record<string, Check>} */ ({
		lead_email: optionalEmail,
		lead_id: optionalUuid,
		title: nonEmptyString,
		starts_at: dateTime,
		ends_at: dateTime,
		duration_minutes: (v) =>
			v === undefined || v === null || (Number.isInteger(v) && /** @type {number} */ (v) >= 1 && /** @type {number} */ (v) <= MAX_MINUTES)
				? null
				: `must be an integer between 1 and ${MAX_MINUTES}`,
		timezone: (v) =>
			v === undefined || v === null || (typeof v === 'string' && isTimeZone(v))
				? null
				: 'must be an IANA time zone, e.g. "America/Santiago"',
		meeting_url: optionalString,
		location_type: optionalOneOf(LOCATION_TYPES),
		location_details: optionalString,
		description: optionalString,
		host_email: optionalEmail,
		meeting_type_id: optionalUuid,
		attendee_name: optionalString,
		attendee_email: optionalEmail,
		attendee_phone: optionalString,
		additional_attendees: (v) =>
			v === undefined ||
			v === null ||
			(Array.isArray(v) &&
				v.every(
					(a) =>
						isPlainObject(a) &&
						typeof a.email === 'string' &&
						EMAIL_RE.test(a.email) &&
						(a.name === undefined || a.name === null || typeof a.name === 'string') &&
						Object.keys(a).every((k) => k === 'name' || k === 'email'),
				))
				? null
				: 'must be an array of {name, email}',
		external_calendar_provider: optionalText,
		external_event_id: optionalText,
		status: optionalOneOf(NEW_STATUSES),
	}),
);

/**
 * @param {JsonObject} body
 * @param {string} key
 * @returns {string | null}
 */
const text = (body, key) => (typeof body[key] === 'string' ? /** @type {string} */ (body[key]) : null);

/**
 * The lead a meeting is for: `lead_id` (skips the email), else the leads with that email (any
 * case), the most recently updated first.
 * @param {Store} store
 * @param {JsonObject} body
 * @returns {{ ok: true, lead: Lead } | { ok: false, reply: Reply }}
 */
function meetingLead(store, body) {
	if (typeof body.lead_id === 'string') {
		const lead = findLead(body.lead_id, store);
		return lead ? { ok: true, lead } : { ok: false, reply: reply(404, BODIES.leadNotFound) };
	}
	const wanted = /** @type {string} */ (body.lead_email).toLowerCase();
	/** @type {Lead | undefined} */
	let best;
	for (const lead of store.leads.values()) {
		if (!lead.email || lead.email.toLowerCase() !== wanted) continue;
		if (!best || mostRecentlyUpdated(lead, best) < 0) best = lead;
	}
	return best ? { ok: true, lead: best } : { ok: false, reply: reply(404, NO_LEAD_WITH_EMAIL) };
}

/**
 * `updated_at` descending, then `created_at` descending, then `id` descending.
 * @param {Lead} a
 * @param {Lead} b
 * @returns {number} negative when `a` comes first
 */
function mostRecentlyUpdated(a, b) {
	return (
		Date.parse(b.updated_at) - Date.parse(a.updated_at) ||
		Date.parse(b.created_at) - Date.parse(a.created_at) ||
		(a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
	);
}

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function createMeeting(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	const body = parsed.value;
	const absent = (/** @type {string} */ key) => body[key] === undefined || body[key] === null;
	if (absent('lead_email') && absent('lead_id')) return validationError('lead_email: required unless lead_id is given');
	const missing = missingField(body, ['title', 'starts_at']);
	if (missing) return validationError(missing);
	if (absent('ends_at') && absent('duration_minutes')) {
		return validationError('ends_at: required unless duration_minutes is given');
	}
	const problem = fieldsProblem(body, MEETING_CHECKS);
	if (problem) return validationError(problem);

	const zone = text(body, 'timezone') || 'UTC';
	const start = /** @type {number} */ (parseInstant(body.starts_at, { zone, requireTime: true }));
	let minutes = typeof body.duration_minutes === 'number' ? body.duration_minutes : null;
	let end;
	if (!absent('ends_at')) {
		end = /** @type {number} */ (parseInstant(body.ends_at, { zone, requireTime: true }));
		if (end <= start) return validationError('ends_at: must be after starts_at');
		const between = Math.round((end - start) / 60_000);
		if (between > MAX_MINUTES) return validationError(`ends_at: a meeting lasts at most ${MAX_MINUTES} minutes`);
		if (minutes !== null && minutes !== between) {
			return validationError(`duration_minutes: does not match starts_at and ends_at (${between} minutes)`);
		}
		minutes = between;
	} else {
		end = start + /** @type {number} */ (minutes) * 60_000;
	}
	const hostEmail = text(body, 'host_email');
	const host = hostEmail ? store.users.find((u) => u.email.toLowerCase() === hostEmail.toLowerCase()) : undefined;
	if (hostEmail && !host) return validationError('host_email: no active user with this email');
	const typeId = text(body, 'meeting_type_id');
	const type = typeId ? store.meetingTypes.find((t) => t.id === typeId.toLowerCase()) : undefined;
	if (typeId && !type) return validationError('meeting_type_id: meeting type not found or does not belong to your account');
	const found = meetingLead(store, body);
	if (!found.ok) return found.reply;
	const lead = found.lead;

	const provider = text(body, 'external_calendar_provider');
	const eventId = text(body, 'external_event_id');
	/** @type {MeetingRecord | undefined} */
	let replayed;
	if (provider && eventId) {
		for (const record of store.meetings.values()) {
			const p = record.external_calendar_provider;
			if (p && p.toLowerCase() === provider.toLowerCase() && record.external_event_id === eventId) replayed = record;
		}
	}
	const now = iso(ctx.now());
	let id = replayed ? replayed.meeting.id : '';
	if (!replayed) {
		store.meetingCount += 1;
		id = createdMeetingId(store.meetingCount);
	}
	const status = /** @type {MeetingStatus} */ (text(body, 'status') || 'scheduled');
	/** @type {MeetingRecord} */
	const record = {
		lead_id: lead.id,
		meeting: {
			id,
			title: /** @type {string} */ (body.title),
			starts_at: iso(start),
			ends_at: iso(end),
			duration_minutes: /** @type {number} */ (minutes),
			timezone: zone,
			status,
			meeting_url: text(body, 'meeting_url'),
			location_type: text(body, 'location_type') || 'video',
			location_details: text(body, 'location_details'),
			host_name: host ? host.name : null,
			meeting_type: type ? type.slug : null,
			attendee_name: text(body, 'attendee_name') ?? ([lead.first_name, lead.last_name].filter(Boolean).join(' ') || null),
			attendee_email: text(body, 'attendee_email') ?? lead.email,
			confirmed_by_lead: status === 'confirmed',
			cancelled_at: null,
			cancellation_reason: null,
			no_show_reason: null,
			outcome_notes: null,
			created_at: replayed ? replayed.meeting.created_at : now,
		},
		source: 'api',
		host_id: host ? host.id : null,
		meeting_type_id: type ? type.id : null,
		attendee_phone: text(body, 'attendee_phone') ?? lead.phone,
		description: text(body, 'description'),
		additional_attendees: Array.isArray(body.additional_attendees)
			? body.additional_attendees.map((/** @type {any} */ a) => ({ name: typeof a.name === 'string' ? a.name : null, email: a.email }))
			: [],
		external_calendar_provider: provider,
		external_event_id: eventId,
		outcome_at: null,
		updated_at: now,
	};
	store.meetings.set(id, record);
	return reply(replayed ? 200 : 201, { success: true, meeting: { ...record.meeting } });
}

/**
 * What a cancel answers about the meeting (§10).
 * @param {MeetingRecord} record
 */
const cancelView = (record) => ({
	id: record.meeting.id,
	lead_id: record.lead_id,
	status: record.meeting.status,
	cancelled_at: record.meeting.cancelled_at,
	cancellation_reason: record.meeting.cancellation_reason,
});

/**
 * @param {Store} store
 * @param {string} rawId
 * @returns {MeetingRecord | undefined}
 */
function findMeeting(store, rawId) {
	const id = decodeParam(rawId);
	return UUID_RE.test(id) ? store.meetings.get(id.toLowerCase()) : undefined;
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function cancelMeeting(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	const problem = fieldsProblem(parsed.value, { reason: optionalString });
	if (problem) return validationError(problem);
	const record = findMeeting(store, req.params.id);
	if (!record) return reply(404, MEETING_NOT_FOUND);
	if (record.external_calendar_provider) {
		return reply(200, {
			success: true,
			skipped: true,
			reason: 'managed_externally_inbound_only',
			message: `This meeting is managed by its ${record.external_calendar_provider} calendar: cancel it there, and Nexor picks up the change`,
		});
	}
	const m = record.meeting;
	if (m.status === 'cancelled') return reply(200, { success: true, meeting: cancelView(record), idempotent: true });
	if (m.status === 'completed' || m.status === 'no_show') {
		return validationError(`status: a ${m.status} meeting cannot be cancelled`);
	}
	const now = iso(ctx.now());
	m.status = 'cancelled';
	m.cancelled_at = now;
	m.cancellation_reason = typeof parsed.value.reason === 'string' ? parsed.value.reason : null;
	record.updated_at = now;
	ctx.emit('meeting.cancelled', meetingEventData(store, record));
	return reply(200, { success: true, meeting: cancelView(record) });
}

/**
 * The meeting of a sample: the one asked for, else Carlos's upcoming seed meeting.
 * @param {Store} store
 * @param {string | null} rawId
 */
function sampleRecord(store, rawId) {
	const seedId = (SEED_MEETINGS[SEED_LEAD_IDS[0]] || [])[0]?.id;
	return (rawId !== null && findMeeting(store, rawId)) || (seedId ? store.meetings.get(seedId) : undefined);
}

/** @type {Route[]} */
const routes = [
	{
		method: 'POST',
		path: '/meetings',
		handle: createMeeting,
		sample: (_params, { store }) => {
			const record = sampleRecord(store, null);
			return { success: true, meeting: record ? { ...record.meeting } : null };
		},
	},
	{
		method: 'POST',
		path: '/meetings/:id/cancel',
		handle: cancelMeeting,
		sample: (params, { store }) => {
			const record = sampleRecord(store, params.id);
			return { success: true, meeting: record ? { ...cancelView(record), status: 'cancelled' } : null };
		},
	},
];

module.exports = { routes, MEETING_NOT_FOUND, NO_LEAD_WITH_EMAIL };
