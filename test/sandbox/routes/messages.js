// @ts-check
'use strict';
/**
 * POST /messages (§9): a WhatsApp message (free text inside the 24-hour window, else a template),
 * an email, or an AI call, to one lead through one workflow's sender. What is sent is appended
 * to the lead's history as an outbound item.
 */

const { parseJsonObject } = require('../validation.js');
const { BODIES, reply, validationError } = require('../http.js');
const { createdMessageId, createdActivityId, createdCallId } = require('../seed.js');
const { findLead, findWorkflow } = require('./lead-view.js');
const { fieldsProblem, missingField, optionalString, optionalUuid, uuid, oneOf } = require('./body-checks.js');
const { stampOf, nextMessageId, addHistory } = require('./runs.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').HistoryItem} HistoryItem
 */

const CHANNELS = Object.freeze(/** @type {const} */ (['whatsapp', 'email', 'call']));

/** Meta's customer-service window: free text only within this long after the lead's last message. */
const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

const OUTSIDE_WINDOW = 'Outside the 24-hour WhatsApp window: send a template (template_id)';

/** The documented default subject of an email. */
const DEFAULT_SUBJECT = 'Message from your advisor';

/** @param {unknown} v */
const hasText = (v) => typeof v === 'string' && v.trim() !== '';

/**
 * When the lead last wrote on WhatsApp (an inbound WhatsApp message in its history), or null.
 * @param {Store} store
 * @param {string} leadId
 * @returns {number | null}
 */
function lastInbound(store, leadId) {
	let last = null;
	for (const item of store.history.get(leadId) || []) {
		if (item.type !== 'message' || item.channel !== 'whatsapp' || item.direction !== 'inbound') continue;
		const t = Date.parse(item.timestamp);
		if (Number.isFinite(t) && (last === null || t > last)) last = t;
	}
	return last;
}

/**
 * Whether free-text WhatsApp may go to this lead now: its last inbound WhatsApp message is at
 * most 24 hours old.
 * @param {Store} store
 * @param {string} leadId
 * @param {number} nowMs
 */
function insideWindow(store, leadId, nowMs) {
	const last = lastInbound(store, leadId);
	return last !== null && nowMs - last <= WHATSAPP_WINDOW_MS;
}

/**
 * An outbound `message` history item (the documented keys; `subject` for email).
 * @param {{ id: string, channel: string, content: string | null, messageType: string,
 *   providerId: string | null, timestamp: string, subject?: string }} m
 * @returns {HistoryItem}
 */
function outboundMessage(m) {
	/** @type {HistoryItem} */
	const item = {
		type: 'message',
		id: m.id,
		channel: m.channel,
		direction: 'outbound',
		content: m.content,
		message_type: m.messageType,
		media_url: null,
		attachments: [],
		status: 'sent',
		provider_message_id: m.providerId,
		sent_at: m.timestamp,
		delivered_at: null,
		read_at: null,
		reaction: null,
		buttons: [],
		timestamp: m.timestamp,
	};
	if (m.subject !== undefined) item.subject = m.subject;
	return item;
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function sendMessage(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return validationError(parsed.message);
	const body = parsed.value;
	const problem =
		missingField(body, ['lead_id', 'workflow_id', 'channel']) ||
		fieldsProblem(body, {
			lead_id: uuid,
			workflow_id: uuid,
			channel: oneOf(CHANNELS),
			content: optionalString,
			html: optionalString,
			subject: optionalString,
			template_id: optionalUuid,
			components: (v) => (v === undefined || v === null || Array.isArray(v) ? null : 'must be an array'),
			begin_message: optionalString,
		});
	if (problem) return validationError(problem);
	if (!findWorkflow(store, body.workflow_id)) {
		return validationError('workflow_id: workflow not found or does not belong to your account');
	}
	const channel = /** @type {'whatsapp' | 'email' | 'call'} */ (body.channel);
	const isTemplate = channel === 'whatsapp' && typeof body.template_id === 'string';
	if (channel === 'whatsapp' && !isTemplate && !hasText(body.content)) {
		return validationError('content: required for whatsapp unless template_id is given');
	}
	if (channel === 'email' && !hasText(body.content) && !hasText(body.html)) {
		return validationError('content: required for email unless html is given');
	}
	const lead = findLead(/** @type {string} */ (body.lead_id), store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	if (channel !== 'email' && !lead.phone) return validationError(`lead_id: the lead has no phone (needed for ${channel})`);
	if (channel === 'email' && !lead.email) return validationError('lead_id: the lead has no email (needed for email)');
	if (channel === 'whatsapp' && !isTemplate && !insideWindow(store, lead.id, ctx.now())) {
		return validationError(OUTSIDE_WINDOW);
	}

	const timestamp = stampOf(ctx.now);
	const content = typeof body.content === 'string' ? body.content : null;
	if (channel === 'call') {
		store.callCount += 1;
		const callId = createdCallId(store.callCount);
		addHistory(store, lead.id, {
			type: 'call',
			id: callId,
			channel: 'call',
			direction: 'outbound',
			call_status: 'registered',
			begin_message: typeof body.begin_message === 'string' ? body.begin_message : null,
			duration_seconds: null,
			call_successful: null,
			summary: null,
			recording_url: null,
			provider_call_id: null,
			timestamp,
		});
		return reply(200, { success: true, channel, call_id: callId, call_status: 'registered' });
	}
	const messageId = nextMessageId(store);
	const n = store.messageCount;
	if (channel === 'whatsapp') {
		const providerId = `wamid.${n}`;
		const type = isTemplate ? 'template' : 'text';
		addHistory(
			store,
			lead.id,
			outboundMessage({ id: messageId, channel, content, messageType: type, providerId, timestamp }),
		);
		return reply(200, { success: true, channel, type, message_id: messageId, provider_message_id: providerId });
	}
	const subject = hasText(body.subject) ? /** @type {string} */ (body.subject) : DEFAULT_SUBJECT;
	addHistory(
		store,
		lead.id,
		outboundMessage({
			id: messageId,
			channel,
			content: content !== null && content.trim() !== '' ? content : /** @type {string} */ (body.html),
			messageType: 'text',
			providerId: null,
			timestamp,
			subject,
		}),
	);
	return reply(200, { success: true, channel, message_id: messageId, activity_id: createdActivityId(n) });
}

/** @type {Route[]} */
const routes = [
	{
		method: 'POST',
		path: '/messages',
		handle: sendMessage,
		sample: () => ({
			success: true,
			channel: 'whatsapp',
			type: 'text',
			message_id: createdMessageId(1),
			provider_message_id: 'wamid.1',
		}),
	},
];

module.exports = { routes, insideWindow, lastInbound, WHATSAPP_WINDOW_MS };
