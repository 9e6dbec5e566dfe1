/** Log Meeting: core's logMeeting operation (POST /meetings): a meeting booked elsewhere, for a lead found by email or ID. */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { logMeeting } from '../../../core/index';
import { leadIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

/** Why the two calendar fields matter: said on both. */
export const REPLAY_HELP =
	'Set both Calendar Provider and External Event ID so that a replay (a re-run Zap, the same booking sent again) updates the same meeting instead of logging it twice; or leave both blank.';

const inputFields = defineInputFields([
	{
		key: 'lead_by',
		label: 'Find Lead By',
		type: 'string',
		required: false,
		default: 'email',
		choices: [
			{ value: 'email', label: 'Email', sample: 'email' },
			{ value: 'id', label: 'ID', sample: 'id' },
		],
		helpText:
			"How Nexor finds the lead: by email address (default; with several leads on one email, the most recently updated one) or by ID. A lead that doesn't exist is an error: create it first.",
	},
	{
		key: 'lead_email',
		label: 'Lead Email',
		type: 'string',
		required: false,
		placeholder: 'carlos@example.com',
		helpText: "With Find Lead By = Email: the lead's email address, such as the invitee's email from the booking.",
	},
	leadIdField('With Find Lead By = ID: the ID of the lead, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.', false),
	{ key: 'title', label: 'Title', type: 'string', required: true, placeholder: 'Demo call', helpText: 'The meeting\'s title, such as "Demo call".' },
	{
		key: 'starts_at',
		label: 'Starts At',
		type: 'datetime',
		required: true,
		helpText: 'When the meeting starts, sent as ISO 8601 such as 2026-02-10T15:00:00Z; a time without an offset is read in Timezone.',
	},
	{
		key: 'ends_at',
		label: 'Ends At',
		type: 'datetime',
		required: false,
		helpText: 'When the meeting ends. Give Ends At or Duration (Minutes).',
	},
	{
		key: 'duration_minutes',
		label: 'Duration (Minutes)',
		type: 'integer',
		required: false,
		placeholder: '30',
		helpText: 'How long the meeting lasts, 1 to 1440 minutes, when Ends At is blank.',
	},
	{
		key: 'timezone',
		label: 'Timezone',
		type: 'string',
		required: false,
		placeholder: 'America/Santiago',
		helpText: 'An IANA time zone such as America/Santiago or Europe/Madrid. Blank: UTC.',
	},
	{
		key: 'location_type',
		label: 'Location Type',
		type: 'string',
		required: false,
		choices: [
			{ value: 'video', label: 'Video', sample: 'video' },
			{ value: 'phone', label: 'Phone', sample: 'phone' },
			{ value: 'in_person', label: 'In Person', sample: 'in_person' },
		],
		helpText: "Blank: Nexor's default, video.",
	},
	{ key: 'meeting_url', label: 'Meeting URL', type: 'string', required: false, helpText: 'The video call link.' },
	{ key: 'location_details', label: 'Location Details', type: 'string', required: false, helpText: 'An address, a phone number or other directions.' },
	{ key: 'description', label: 'Description', type: 'text', required: false, helpText: 'What the meeting is about.' },
	{
		key: 'host_email',
		label: 'Host Email',
		type: 'string',
		required: false,
		helpText: 'The email of the Nexor user who hosts it (an active user of your Nexor account).',
	},
	{ key: 'attendee_name', label: 'Attendee Name', type: 'string', required: false, helpText: "Blank: the lead's name." },
	{ key: 'attendee_email', label: 'Attendee Email', type: 'string', required: false, helpText: "Blank: the lead's email." },
	{ key: 'attendee_phone', label: 'Attendee Phone', type: 'string', required: false, helpText: "Blank: the lead's phone." },
	{
		key: 'external_calendar_provider',
		label: 'Calendar Provider',
		type: 'string',
		required: false,
		placeholder: 'calendly',
		helpText: `Where the meeting was booked, such as calendly, google or ghl. ${REPLAY_HELP}`,
	},
	{
		key: 'external_event_id',
		label: 'External Event ID',
		type: 'string',
		required: false,
		helpText: `The booking's ID in that calendar (map it from the trigger). ${REPLAY_HELP}`,
	},
	{
		key: 'status',
		label: 'Status',
		type: 'string',
		required: false,
		choices: [
			{ value: 'scheduled', label: 'Scheduled', sample: 'scheduled' },
			{ value: 'confirmed', label: 'Confirmed', sample: 'confirmed' },
		],
		helpText: 'Confirmed when the lead has already confirmed. Blank: scheduled.',
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, logMeeting, {
		leadBy: input.lead_by,
		leadId: input.lead_id,
		leadEmail: input.lead_email,
		title: input.title,
		startsAt: input.starts_at,
		endsAt: input.ends_at,
		durationMinutes: input.duration_minutes,
		timezone: input.timezone,
		meetingUrl: input.meeting_url,
		locationType: input.location_type,
		locationDetails: input.location_details,
		description: input.description,
		hostEmail: input.host_email,
		attendeeName: input.attendee_name,
		attendeeEmail: input.attendee_email,
		attendeePhone: input.attendee_phone,
		provider: input.external_calendar_provider,
		externalEventId: input.external_event_id,
		status: input.status,
	});
}

export default defineCreate({
	key: 'log_meeting',
	noun: 'Meeting',
	display: {
		label: 'Log Meeting',
		description:
			'Logs a meeting booked outside Nexor (Calendly, Google Calendar, a sales rep) for a lead found by email or ID. With a calendar provider and event ID, a replay updates the same meeting.',
	},
	operation: {
		inputFields,
		perform,
		// The meeting as Nexor describes it (the meeting of its webhook events); the create page shows no answer.
		sample: {
			id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
			title: 'Demo call',
			starts_at: '2026-02-10T15:00:00Z',
			ends_at: '2026-02-10T15:30:00Z',
			duration_minutes: 30,
			timezone: 'America/Santiago',
			status: 'scheduled',
			meeting_url: 'https://meet.example.com/abc',
			location_type: 'video',
			location_details: null,
			attendee_name: 'Carlos Lopez',
			attendee_email: 'carlos@example.com',
			confirmed_by_lead: false,
			created_at: '2026-02-09T18:20:00Z',
		},
		outputFields: [
			{ key: 'id', label: 'Meeting ID', type: 'string' },
			{ key: 'title', label: 'Title', type: 'string' },
			{ key: 'starts_at', label: 'Starts At', type: 'datetime' },
			{ key: 'ends_at', label: 'Ends At', type: 'datetime' },
			{ key: 'duration_minutes', label: 'Duration (Minutes)', type: 'integer' },
			{ key: 'timezone', label: 'Timezone', type: 'string' },
			{ key: 'status', label: 'Status', type: 'string' },
			{ key: 'meeting_url', label: 'Meeting URL', type: 'string' },
			{ key: 'location_type', label: 'Location Type', type: 'string' },
			{ key: 'location_details', label: 'Location Details', type: 'string' },
			{ key: 'attendee_name', label: 'Attendee Name', type: 'string' },
			{ key: 'attendee_email', label: 'Attendee Email', type: 'string' },
			{ key: 'confirmed_by_lead', label: 'Confirmed by Lead', type: 'boolean' },
			{ key: 'created_at', label: 'Created At', type: 'datetime' },
		],
	},
});
