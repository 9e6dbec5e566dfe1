/**
 * The outcome half of Nexor's API (nexor-api.md §8–§10): record and list conversions, send a
 * message, log and cancel a meeting. Each is data run by the one engine.
 */
import { answerArray, answerObject, unexpectedAnswer, withoutSuccessFlag } from './answers';
import { NexorInputError, quoteShort } from './errors';
import {
	InputName,
	choice,
	optionalAmount,
	optionalIsoDate,
	optionalText,
	optionalUuid,
	requiredText,
	requiredUuid,
	wholeNumber,
	yesNo,
} from './inputs';
import { LEAD_ID, Row, WORKFLOW_ID, leadTarget } from './lead-operations';
import { MetadataSource, buildMetadata } from './metadata';
import type { NexorRequest, Operation } from './operation';
import { isBlank, isPlainObject, looksLikeEmail } from './values';

const CONVERSION_TYPE: InputName = { field: 'conversion_type_id', label: 'Conversion Type' };
const AMOUNT: InputName = { field: 'amount', label: 'Amount' };
const CURRENCY: InputName = { field: 'currency', label: 'Currency' };

// ── Conversions ────────────────────────────────────────────────────────────────────────────────

export interface RecordConversionInput {
	conversionTypeId: unknown;
	leadId: unknown;
	amount: unknown;
	/** ISO 4217, three letters; blank: the type's currency. */
	currency?: unknown;
	/** ISO 8601; blank: now. */
	convertedAt?: unknown;
	workflowRunId?: unknown;
	notes?: unknown;
	/** The type's own fields (and any extra keys), sent as metadata. */
	fields?: MetadataSource;
}

export const recordConversion: Operation<RecordConversionInput, Row> = {
	resource: 'conversion',
	name: 'record',
	action: 'Record conversion',
	prepare(input) {
		const conversionTypeId = requiredUuid(input.conversionTypeId, CONVERSION_TYPE, 'conversion type', 'chosen from the list');
		const { leadId, leadKey } = leadTarget(input.leadId);
		const amount = optionalAmount(input.amount, AMOUNT);
		if (amount === undefined) {
			throw new NexorInputError(AMOUNT.field, AMOUNT.label, 'Amount is empty', 'Nexor needs the conversion\'s amount: map a number such as 85000.');
		}
		const currencyText = optionalText(input.currency, CURRENCY, { max: 10 });
		if (currencyText !== undefined && !/^[A-Za-z]{3}$/.test(currencyText)) {
			throw new NexorInputError(CURRENCY.field, CURRENCY.label, `Currency ${quoteShort(currencyText)} is not a three-letter currency code`, 'Give an ISO 4217 code such as USD, EUR or CLP, or leave it empty for the conversion type\'s currency.');
		}
		const convertedAt = optionalIsoDate(input.convertedAt, { field: 'converted_at', label: 'Converted At' });
		const workflowRunId = optionalUuid(input.workflowRunId, { field: 'workflow_run_id', label: 'Workflow Run ID' }, 'workflow run');
		const notes = optionalText(input.notes, { field: 'notes', label: 'Notes' }, { max: 5000 });
		const metadata = buildMetadata(input.fields, { emptyValues: 'skip' });
		const body = {
			conversion_type_id: conversionTypeId,
			lead_id: leadId,
			amount,
			...(workflowRunId !== undefined && { workflow_run_id: workflowRunId }),
			...(currencyText !== undefined && { currency: currencyText.toUpperCase() }),
			...(convertedAt !== undefined && { converted_at: convertedAt }),
			...(metadata !== undefined && { metadata }),
			...(notes !== undefined && { notes }),
		};
		return {
			request: { method: 'POST', path: '/conversions', body },
			leadKey,
			// Recorded twice would count twice.
			idempotent: false,
			failureWords: { leadId, action: 'conversion' },
			read: (answer) => {
				const event = answerObject(answer.body, answer.status).conversion_event;
				if (!isPlainObject(event) || typeof event.id !== 'string') throw unexpectedAnswer(answer.status, 'it did not contain the recorded conversion');
				return event;
			},
		};
	},
};

export interface ListConversionsInput {
	leadId?: unknown;
	workflowId?: unknown;
	conversionTypeId?: unknown;
	workflowRunId?: unknown;
	returnAll?: unknown;
	limit?: unknown;
}

/** Nexor's largest page (documented). */
export const CONVERSION_PAGE = 200;

/** `GET /conversions` pages, newest first: a request for `limit` entries from `offset`. */
export function conversionsRequest(filters: Record<string, string>, offset: number, limit: number): NexorRequest {
	return { method: 'GET', path: '/conversions', query: { ...filters, limit: String(limit), offset: String(offset) } };
}

export function readConversionPage(body: unknown, status?: number): Row[] {
	return answerArray(body, status, 'conversion_events');
}

export const listConversions: Operation<ListConversionsInput, Row[]> = {
	resource: 'conversion',
	name: 'getMany',
	action: 'Get many conversions',
	prepare(input) {
		const filters: Record<string, string> = {};
		const lead = optionalUuid(input.leadId, LEAD_ID, 'lead');
		const workflow = optionalUuid(input.workflowId, WORKFLOW_ID, 'workflow');
		const type = optionalUuid(input.conversionTypeId, CONVERSION_TYPE, 'conversion type');
		const run = optionalUuid(input.workflowRunId, { field: 'workflow_run_id', label: 'Workflow Run ID' }, 'workflow run');
		if (lead !== undefined) filters.lead_id = lead;
		if (workflow !== undefined) filters.workflow_id = workflow;
		if (type !== undefined) filters.conversion_type_id = type;
		if (run !== undefined) filters.workflow_run_id = run;
		const returnAll = yesNo(input.returnAll, { field: 'return_all', label: 'Return All' }, false);
		const wanted = returnAll ? Infinity : wholeNumber(input.limit, { field: 'limit', label: 'Limit' }, { min: 1, max: 100000 }, 50);
		const pageSize = (taken: number) => Math.min(CONVERSION_PAGE, wanted - taken);
		return {
			request: conversionsRequest(filters, 0, pageSize(0)),
			idempotent: true,
			failureWords: { action: 'conversion list' },
			read: (answer) => readConversionPage(answer.body, answer.status),
			nextRequest: (page, sofar, request) => {
				const taken = sofar.reduce((n, p) => n + p.length, 0);
				// A short page is the last one; Limit reached ends it too.
				if (page.length < Number(request.query?.limit) || taken >= wanted) return undefined;
				// A server that ignored the offset would send the same page again and again.
				const earlier = new Set(sofar.slice(0, -1).flat().map((event) => event.id));
				if (page.length > 0 && page.every((event) => earlier.has(event.id))) return undefined;
				return conversionsRequest(filters, taken, pageSize(taken));
			},
		};
	},
};

// ── Messages ───────────────────────────────────────────────────────────────────────────────────

export const MESSAGE_CHANNELS = ['whatsapp', 'email', 'call'] as const;

export interface SendMessageInput {
	leadId: unknown;
	workflowId: unknown;
	channel: unknown;
	content?: unknown;
	/** Email only. */
	html?: unknown;
	subject?: unknown;
	/** WhatsApp template, for outside the 24-hour window. */
	templateId?: unknown;
	/** Meta-format template parameters: a list, or JSON text of one. */
	components?: unknown;
	/** Call only: the opening line. */
	beginMessage?: unknown;
}

function componentsList(raw: unknown): unknown[] | undefined {
	if (isBlank(raw)) return undefined;
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			value = undefined;
		}
	}
	if (!Array.isArray(value)) {
		throw new NexorInputError('components', 'Template Components', 'Template Components is not a JSON list', 'Give the template parameters as a JSON list in Meta\'s format, such as [{"type":"body","parameters":[{"type":"text","text":"Carlos"}]}], or leave it empty.');
	}
	return value;
}

export const sendMessage: Operation<SendMessageInput, Row> = {
	resource: 'message',
	name: 'send',
	action: 'Send message',
	prepare(input) {
		const { leadId, leadKey } = leadTarget(input.leadId);
		const workflowId = requiredUuid(input.workflowId, WORKFLOW_ID, 'workflow', 'whose WhatsApp number, email sender or voice agent sends it');
		const channel = choice(input.channel, { field: 'channel', label: 'Channel' }, MESSAGE_CHANNELS);
		const content = optionalText(input.content, { field: 'content', label: 'Content' }, { max: 10000 });
		const body: Record<string, unknown> = { lead_id: leadId, workflow_id: workflowId, channel };
		if (channel === 'whatsapp') {
			const templateId = optionalUuid(input.templateId, { field: 'template_id', label: 'Template ID' }, 'WhatsApp template');
			const components = componentsList(input.components);
			if (content === undefined && templateId === undefined) {
				throw new NexorInputError('content', 'Content', 'Content is empty and no Template ID is given', 'A WhatsApp message needs text (inside the 24-hour window after the lead last wrote) or a template (outside it): fill in Content or Template ID.');
			}
			if (content !== undefined) body.content = content;
			if (templateId !== undefined) body.template_id = templateId;
			if (components !== undefined) body.components = components;
		} else if (channel === 'email') {
			const html = optionalText(input.html, { field: 'html', label: 'HTML' }, { max: 100000 });
			const subject = optionalText(input.subject, { field: 'subject', label: 'Subject' }, { max: 1000 });
			if (content === undefined && html === undefined) {
				throw new NexorInputError('content', 'Content', 'Content and HTML are both empty', 'An email needs a body: fill in Content (plain text) or HTML.');
			}
			if (content !== undefined) body.content = content;
			if (html !== undefined) body.html = html;
			if (subject !== undefined) body.subject = subject;
		} else {
			const begin = optionalText(input.beginMessage, { field: 'begin_message', label: 'Opening Line' }, { max: 2000 });
			if (begin !== undefined) body.begin_message = begin;
		}
		return {
			request: { method: 'POST', path: '/messages', body },
			leadKey,
			// A real message to a real person: never sent twice by a retry that can't prove it wasn't.
			idempotent: false,
			failureWords: { leadId, action: 'message' },
			read: (answer) => ({ lead_id: leadId, ...withoutSuccessFlag(answerObject(answer.body, answer.status)) }),
		};
	},
};

// ── Meetings ───────────────────────────────────────────────────────────────────────────────────

export const LOCATION_TYPES = ['video', 'phone', 'in_person'] as const;

export interface LogMeetingInput {
	/** 'email' (default) or 'id'. */
	leadBy?: unknown;
	leadId?: unknown;
	leadEmail?: unknown;
	title: unknown;
	startsAt: unknown;
	endsAt?: unknown;
	durationMinutes?: unknown;
	timezone?: unknown;
	meetingUrl?: unknown;
	locationType?: unknown;
	locationDetails?: unknown;
	description?: unknown;
	hostEmail?: unknown;
	attendeeName?: unknown;
	attendeeEmail?: unknown;
	attendeePhone?: unknown;
	/** With External Event ID: a replay updates the same meeting instead of adding one. */
	provider?: unknown;
	externalEventId?: unknown;
	status?: unknown;
	/**
	 * The platform's own time zone (n8n: the workflow's), sent when Timezone is blank and a time has no
	 * UTC offset: Nexor would read such a time as UTC, hours away from what the user picked.
	 */
	defaultTimezone?: string;
}

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/;

function email(raw: unknown, name: InputName): string | undefined {
	const text = optionalText(raw, name, { max: 320 });
	if (text !== undefined && !looksLikeEmail(text)) {
		throw new NexorInputError(name.field, name.label, `${name.label} ${quoteShort(text)} is not a valid email address`, 'Map an address such as carlos@example.com.');
	}
	return text;
}

export const logMeeting: Operation<LogMeetingInput, Row> = {
	resource: 'meeting',
	name: 'log',
	action: 'Log meeting',
	prepare(input) {
		const by = isBlank(input.leadBy) ? 'email' : String(input.leadBy).trim().toLowerCase();
		const body: Record<string, unknown> = {};
		let leadKey: string;
		if (by === 'id') {
			const target = leadTarget(input.leadId);
			body.lead_id = target.leadId;
			leadKey = target.leadKey;
		} else if (by === 'email') {
			const leadEmail = email(input.leadEmail, { field: 'lead_email', label: 'Lead Email' });
			if (leadEmail === undefined) {
				throw new NexorInputError('lead_email', 'Lead Email', 'Lead Email is empty', "Map the lead's email address (Nexor finds the lead by it), or find the lead by ID.");
			}
			body.lead_email = leadEmail;
			leadKey = `email:${leadEmail.toLowerCase()}`;
		} else {
			throw new NexorInputError('lead_by', 'Find Lead By', `Find Lead By is ${quoteShort(input.leadBy)}, which is not a known choice`, 'Choose Email or ID.');
		}
		body.title = requiredText(input.title, { field: 'title', label: 'Title' }, { max: 500, example: 'Demo call' });
		const startsAt = optionalIsoDate(input.startsAt, { field: 'starts_at', label: 'Starts At' });
		if (startsAt === undefined) {
			throw new NexorInputError('starts_at', 'Starts At', 'Starts At is empty', 'Map when the meeting starts, as ISO 8601 such as 2026-02-10T15:00:00Z.');
		}
		body.starts_at = startsAt;
		const endsAt = optionalIsoDate(input.endsAt, { field: 'ends_at', label: 'Ends At' });
		const duration = isBlank(input.durationMinutes) ? undefined : wholeNumber(input.durationMinutes, { field: 'duration_minutes', label: 'Duration (Minutes)' }, { min: 1, max: 1440 }, 30);
		if (endsAt === undefined && duration === undefined) {
			throw new NexorInputError('ends_at', 'Ends At', 'Ends At and Duration (Minutes) are both empty', 'Give when the meeting ends, or how many minutes it lasts.');
		}
		if (endsAt !== undefined) body.ends_at = endsAt;
		if (duration !== undefined) body.duration_minutes = duration;
		const given = optionalText(input.timezone, { field: 'timezone', label: 'Timezone' }, { max: 64 });
		const local = [startsAt, endsAt].some((t) => t !== undefined && !HAS_OFFSET.test(t));
		const timezone = given ?? (local && input.defaultTimezone ? input.defaultTimezone : undefined);
		if (timezone !== undefined) {
			if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timezone)) {
				throw new NexorInputError('timezone', 'Timezone', `Timezone ${quoteShort(timezone)} is not an IANA time zone`, 'Give a zone such as America/Santiago or Europe/Madrid, or leave it empty for UTC.');
			}
			body.timezone = timezone;
		}
		const text = (raw: unknown, field: string, label: string, max = 1000) => {
			const value = optionalText(raw, { field, label }, { max });
			if (value !== undefined) body[field] = value;
		};
		text(input.meetingUrl, 'meeting_url', 'Meeting URL', 2000);
		if (!isBlank(input.locationType)) body.location_type = choice(input.locationType, { field: 'location_type', label: 'Location Type' }, LOCATION_TYPES);
		text(input.locationDetails, 'location_details', 'Location Details');
		text(input.description, 'description', 'Description', 5000);
		const host = email(input.hostEmail, { field: 'host_email', label: 'Host Email' });
		if (host !== undefined) body.host_email = host;
		text(input.attendeeName, 'attendee_name', 'Attendee Name');
		const attendee = email(input.attendeeEmail, { field: 'attendee_email', label: 'Attendee Email' });
		if (attendee !== undefined) body.attendee_email = attendee;
		text(input.attendeePhone, 'attendee_phone', 'Attendee Phone', 50);
		const provider = optionalText(input.provider, { field: 'external_calendar_provider', label: 'Calendar Provider' }, { max: 100 });
		const eventId = optionalText(input.externalEventId, { field: 'external_event_id', label: 'External Event ID' }, { max: 500 });
		if ((provider === undefined) !== (eventId === undefined)) {
			throw new NexorInputError(
				provider === undefined ? 'external_calendar_provider' : 'external_event_id',
				provider === undefined ? 'Calendar Provider' : 'External Event ID',
				'Calendar Provider and External Event ID go together',
				'Give both (a replay then updates the same meeting instead of logging it twice) or neither.',
			);
		}
		if (provider !== undefined) body.external_calendar_provider = provider;
		if (eventId !== undefined) body.external_event_id = eventId;
		if (!isBlank(input.status)) body.status = choice(input.status, { field: 'status', label: 'Status' }, ['scheduled', 'confirmed'] as const);
		return {
			request: { method: 'POST', path: '/meetings', body },
			leadKey,
			// With provider + event ID Nexor turns a replay into an update: only then is a retry harmless.
			idempotent: provider !== undefined,
			failureWords: {
				leadId: typeof body.lead_id === 'string' ? body.lead_id : undefined,
				action: 'meeting',
				...(body.lead_email !== undefined && {
					notFound: {
						message: `No lead with email ${quoteShort(body.lead_email)} exists in this Nexor account`,
						fix: 'Create the lead first (Lead → Create), or check the Lead Email.',
					},
				}),
			},
			read: (answer) => {
				const meeting = answerObject(answer.body, answer.status).meeting;
				if (!isPlainObject(meeting) || typeof meeting.id !== 'string') throw unexpectedAnswer(answer.status, 'it did not contain the meeting');
				return meeting;
			},
		};
	},
};

export interface CancelMeetingInput {
	meetingId: unknown;
	reason?: unknown;
}

export const cancelMeeting: Operation<CancelMeetingInput, Row> = {
	resource: 'meeting',
	name: 'cancel',
	action: 'Cancel meeting',
	prepare(input) {
		const meetingId = requiredUuid(input.meetingId, { field: 'meeting_id', label: 'Meeting ID' }, 'meeting', 'from the step that logged or listed it');
		const reason = optionalText(input.reason, { field: 'reason', label: 'Reason' }, { max: 1000 });
		return {
			request: { method: 'POST', path: `/meetings/${encodeURIComponent(meetingId)}/cancel`, ...(reason !== undefined && { body: { reason } }) },
			leadKey: `meeting:${meetingId.toLowerCase()}`,
			// Cancelling twice is a no-op (idempotent: true in the answer).
			idempotent: true,
			failureWords: {
				action: 'cancellation',
				notFound: { message: `No meeting with ID ${meetingId} exists in this Nexor account`, fix: 'Check the Meeting ID.' },
			},
			read: (answer) => {
				const body = withoutSuccessFlag(answerObject(answer.body, answer.status));
				const meeting = isPlainObject(body.meeting) ? body.meeting : {};
				// One flat result: the meeting, plus whether Nexor skipped it or had already cancelled it.
				return {
					id: meetingId,
					...meeting,
					skipped: body.skipped === true,
					already_cancelled: body.idempotent === true,
					...(typeof body.reason === 'string' && { skip_reason: body.reason }),
					...(typeof body.message === 'string' && { message: body.message }),
				};
			},
		};
	},
};
