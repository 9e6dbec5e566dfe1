// @ts-check
'use strict';
/**
 * The sandbox's data: the fake API key, seed campaigns, leads, tags, workflows and their runs, the
 * leads' tags, variables, history and meetings, conversion types and conversions, meeting types,
 * the generated and created IDs, the lead shape, and the store the routes read and write (rebuilt
 * by reset()).
 * A new resource adds its seed constants here and, if requests change it, its part of the store.
 */

const { clone } = require('./validation.js');
const { DEFAULT_SHAPES } = require('./shapes.js');

/**
 * @typedef {import('./validation.js').JsonObject} JsonObject
 *
 * @typedef {{
 *   id: string, first_name: string, last_name: string | null, email: string | null,
 *   phone: string | null, company: string | null, title: string | null, source: string,
 *   campaign_id: string | null, metadata: JsonObject, created_at: string, updated_at: string
 * }} Lead
 *
 * @typedef {{ id: string } & Partial<Omit<Lead, 'id'>>} LeadSeed
 * @typedef {{ id: string, name: string }} Campaign
 * @typedef {{
 *   id: string, name: string, slug: string, description: string | null,
 *   created_at: string, updated_at: string
 * }} Tag
 * @typedef {Pick<Tag, 'id' | 'name' | 'slug'>} TagRef
 *
 * @typedef {'active' | 'won' | 'lost' | 'deferred'} StatusCategory
 *   `won` and `lost` are terminal: a run in such a status is over (README "Choices" 27).
 * @typedef {{ id: string, key: string, label: string, category: StatusCategory, color: string }} WorkflowStatus
 * @typedef {{ channel: string, totalSteps: number, hasCallSteps: boolean }} WorkflowCadence
 *   Not part of any answer: the first touch's channel and the number of steps (the
 *   `workflow_run.cadence` of POST /leads), and whether a lead needs a phone to enter.
 * @typedef {{
 *   id: string, name: string, goal_type: string, is_active: boolean,
 *   statuses: WorkflowStatus[], cadence: WorkflowCadence
 * }} Workflow
 *   `is_active: false` means the workflow is paused: a lead enters it, but its cadence waits.
 * @typedef {{ id: string, name: string, email: string, avatar_url: string | null }} User
 * @typedef {{
 *   stepIndex: number, channel: string, attemptNumber: number, maxAttempts: number, totalSteps: number
 * }} Cadence
 * @typedef {{
 *   id: string, lead_id: string, workflow_id: string, job_id: string, is_active: boolean,
 *   human_takeover: boolean, cadence_state: 'active' | 'paused', status_key: string,
 *   reason: string | null, actor_id: string | null, pending_tasks: number, cadence: Cadence,
 *   assigned_user: User | null, started_at: string, ended_at: string | null
 * }} WorkflowRun
 *   A lead's run through a workflow. `is_active` goes false when assign-workflow replaces it;
 *   `human_takeover` is automation/stop; `pending_tasks` is what stop cancels.
 * @typedef {{ value: unknown, value_text: string, confidence: number, updated_at: string }} Variable
 * @typedef {JsonObject & { type: string, timestamp: string }} HistoryItem
 * @typedef {{
 *   id: string, title: string, starts_at: string, ends_at: string, duration_minutes: number,
 *   timezone: string, status: MeetingStatus, meeting_url: string | null, location_type: string,
 *   location_details: string | null, host_name: string | null, meeting_type: string | null,
 *   attendee_name: string | null, attendee_email: string | null, confirmed_by_lead: boolean,
 *   cancelled_at: string | null, cancellation_reason: string | null, no_show_reason: string | null,
 *   outcome_notes: string | null, created_at: string
 * }} Meeting
 * @typedef {'scheduled' | 'confirmed' | 'completed' | 'cancelled' | 'no_show'} MeetingStatus
 * @typedef {{ id: string, name: string, slug: string }} MeetingType
 *   `slug` is what a meeting's `meeting_type` shows in GET /leads/{id}/meetings.
 * @typedef {{
 *   source: string, host_id: string | null, meeting_type_id: string | null,
 *   attendee_phone: string | null, description: string | null,
 *   additional_attendees: { name: string | null, email: string }[],
 *   external_calendar_provider: string | null, external_event_id: string | null,
 *   outcome_at: string | null, updated_at: string
 * }} MeetingExtras
 *   What the sandbox keeps about a meeting besides the 20 keys GET /leads/{id}/meetings shows
 *   (webhook `data` reads some of it; a provider makes the meeting provider-owned).
 * @typedef {{ lead_id: string, meeting: Meeting } & MeetingExtras} MeetingRecord
 * @typedef {{ key: string, label: string, type: 'text' | 'number' }} ConversionField
 * @typedef {{
 *   id: string, name: string, description: string | null, category: 'intermediary' | 'final',
 *   currency: string, fields: ConversionField[], workflow_id: string | null,
 *   master_workflow_id: string | null, created_at: string, is_active: boolean
 * }} ConversionType
 *   `is_active` is the sandbox's own: GET /conversion-types lists only active types, without it.
 * @typedef {{
 *   id: string, conversion_type_id: string, lead_id: string, amount: number, currency: string,
 *   converted_at: string, created_at: string, workflow_id: string | null,
 *   master_workflow_id: string | null, workflow_run_id: string | null, metadata: JsonObject,
 *   notes: string | null
 * }} ConversionEvent
 *   A stored conversion, in the documented key order (answers add `conversion_types`).
 */

/** The sandbox's own fake key; works nowhere else. */
const SANDBOX_API_KEY = 'nxr_live_sandbox_key_0123456789abcdef';

/** Key order of every lead the sandbox returns. */
const LEAD_KEYS = Object.freeze(/** @type {const} */ ([
	'id',
	'first_name',
	'last_name',
	'email',
	'phone',
	'company',
	'title',
	'source',
	'campaign_id',
	'metadata',
	'created_at',
	'updated_at',
]));

/** Key order of every tag (GET /tags), as documented. */
const TAG_KEYS = Object.freeze(
	/** @type {const} */ (['id', 'name', 'slug', 'description', 'created_at', 'updated_at']),
);

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
	if (value !== null && typeof value === 'object') {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

/** @type {ReadonlyArray<Campaign>} */
const SEED_CAMPAIGNS = deepFreeze([
	// The campaign ID used in Nexor's own PUT /leads/{id} example.
	{ id: '123e4567-e89b-12d3-a456-426614174001', name: 'Q1 Campaign' },
	{ id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Webinar Follow-up' },
	{ id: '16fd2706-8baf-433b-82eb-8c7fada847da', name: 'Spring Promo' },
]);
const SEED_CAMPAIGN_IDS = Object.freeze(SEED_CAMPAIGNS.map((c) => c.id));

/** @type {ReadonlyArray<Lead>} */
const SEED_LEADS = Object.freeze([
	{
		// Nexor's documentation example lead (get-lead / update-lead pages).
		id: '123e4567-e89b-12d3-a456-426614174000',
		first_name: 'Carlos',
		last_name: 'Lopez',
		email: 'carlos@example.com',
		phone: '+56912345678',
		company: 'Acme Corp',
		title: null,
		source: 'api',
		campaign_id: null,
		metadata: { edad: 35, utm_source: 'google' },
		created_at: '2026-02-10T12:00:00Z',
		updated_at: '2026-02-10T12:00:00Z',
	},
	{
		id: '3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01',
		first_name: 'María',
		last_name: 'González',
		email: 'maria.gonzalez@example.cl',
		phone: '+56987654321',
		company: 'Inmobiliaria Sur',
		title: 'Broker',
		source: 'website',
		campaign_id: '123e4567-e89b-12d3-a456-426614174001',
		metadata: { broker_asociado: 'Juan Perez', utm_source: 'facebook' },
		created_at: '2026-02-11T09:30:00Z',
		updated_at: '2026-02-12T15:45:10Z',
	},
	{
		id: '8f14e45f-ceea-467f-a0e6-1b2c3d4e5f02',
		first_name: 'John',
		last_name: 'Doe',
		email: 'john@example.com',
		phone: '+1234567890',
		company: 'Stark Industries',
		title: 'Manager',
		source: 'api',
		campaign_id: null,
		metadata: {},
		created_at: '2026-03-01T08:00:00Z',
		updated_at: '2026-03-01T08:00:00Z',
	},
	{
		id: 'c9f0f895-fb98-4b91-99f5-a1b2c3d4e5f3',
		first_name: 'Ana',
		last_name: 'Silva',
		email: null,
		phone: '+5491155550123',
		company: null,
		title: null,
		source: 'whatsapp',
		campaign_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
		metadata: { estado_lead: 'calificado', edad: 42 },
		created_at: '2026-03-15T18:20:00Z',
		updated_at: '2026-04-02T10:05:00Z',
	},
	{
		id: 'd3d94468-02a4-4259-b55d-e5f6a7b8c9d4',
		first_name: 'Sofía',
		last_name: 'Martínez',
		email: 'sofia@example.org',
		phone: null,
		company: 'Globex',
		title: 'CTO',
		source: 'import',
		campaign_id: null,
		metadata: { crm: { deal_id: 'D-1001', stage: 'proposal' }, vip: true },
		created_at: '2026-04-20T14:00:00Z',
		updated_at: '2026-05-05T11:11:11Z',
	},
	{
		// The "automatic metadata mapping" example from the create-lead page.
		id: 'e4da3b7f-bbce-4345-9777-2b3c4d5e6f05',
		first_name: 'Tony',
		last_name: null,
		email: 'tony@example.com',
		phone: '+56922223333',
		company: null,
		title: null,
		source: 'api',
		campaign_id: '16fd2706-8baf-433b-82eb-8c7fada847da',
		metadata: { edad: 35, broker: 'Tony' },
		created_at: '2026-06-01T07:00:00Z',
		updated_at: '2026-06-01T07:00:00Z',
	},
]);
for (const lead of SEED_LEADS) deepFreeze(lead);
const SEED_LEAD_IDS = Object.freeze(SEED_LEADS.map((l) => l.id));

/** @type {ReadonlyArray<Tag>} */
const SEED_TAGS = deepFreeze([
	{
		id: '0f8fad5b-d9cb-469f-a165-70867728950e',
		name: 'VIP',
		slug: 'vip',
		description: 'High-value leads',
		created_at: '2026-01-15T10:00:00Z',
		updated_at: '2026-01-15T10:00:00Z',
	},
	{
		id: '1c6b1470-3f5b-4b3a-9f0e-6b8d2a7e4c11',
		name: 'Follow-up',
		slug: 'follow-up',
		description: null,
		created_at: '2026-01-20T12:30:00Z',
		updated_at: '2026-02-01T09:00:00Z',
	},
	{
		id: '2d7c2581-4a6c-4c4b-8a1f-7c9e3b8f5d22',
		name: 'Hot lead',
		slug: 'hot-lead',
		description: 'Replied in the last 24 hours',
		created_at: '2026-02-05T16:45:00Z',
		updated_at: '2026-02-05T16:45:00Z',
	},
]);

/** @type {ReadonlyArray<Workflow>} */
const SEED_WORKFLOWS = deepFreeze([
	{
		// The workflow of the create-lead example ("Sales Outreach", first touch a call of 5 steps).
		id: '9b2f6c1e-4d3a-4f8b-a1c2-3e4f5a6b7c81',
		name: 'Sales Outreach',
		goal_type: 'appointment',
		is_active: true,
		statuses: [
			{ id: '51000000-0000-4000-8000-000000000001', key: 'new', label: 'New', category: 'active', color: '#94a3b8' },
			{ id: '51000000-0000-4000-8000-000000000002', key: 'contacted', label: 'Contacted', category: 'active', color: '#3b82f6' },
			{ id: '51000000-0000-4000-8000-000000000003', key: 'engaged', label: 'Engaged', category: 'active', color: '#8b5cf6' },
			{ id: '51000000-0000-4000-8000-000000000004', key: 'qualified', label: 'Qualified', category: 'won', color: '#22c55e' },
			{ id: '51000000-0000-4000-8000-000000000005', key: 'lost', label: 'Lost', category: 'lost', color: '#ef4444' },
		],
		cadence: { channel: 'call', totalSteps: 5, hasCallSteps: true },
	},
	{
		// The workflow name of the assign-workflow example.
		id: '9b2f6c1e-4d3a-4f8b-a1c2-3e4f5a6b7c82',
		name: 'Premium Outreach',
		goal_type: 'appointment',
		is_active: true,
		statuses: [
			{ id: '52000000-0000-4000-8000-000000000001', key: 'new', label: 'New', category: 'active', color: '#94a3b8' },
			{ id: '52000000-0000-4000-8000-000000000002', key: 'contacted', label: 'Contacted', category: 'active', color: '#3b82f6' },
			{ id: '52000000-0000-4000-8000-000000000003', key: 'interested', label: 'Interested', category: 'active', color: '#f59e0b' },
			{ id: '52000000-0000-4000-8000-000000000004', key: 'meeting_booked', label: 'Meeting booked', category: 'won', color: '#22c55e' },
			{ id: '52000000-0000-4000-8000-000000000005', key: 'not_interested', label: 'Not interested', category: 'lost', color: '#ef4444' },
		],
		cadence: { channel: 'whatsapp', totalSteps: 4, hasCallSteps: false },
	},
	{
		// A paused workflow: assign-workflow answers `paused: true`, and a run's cadence waits.
		id: '9b2f6c1e-4d3a-4f8b-a1c2-3e4f5a6b7c83',
		name: 'Legacy Nurture',
		goal_type: 'qualification',
		is_active: false,
		statuses: [
			{ id: '53000000-0000-4000-8000-000000000001', key: 'new', label: 'New', category: 'active', color: '#94a3b8' },
			{ id: '53000000-0000-4000-8000-000000000002', key: 'snoozed', label: 'Snoozed', category: 'deferred', color: '#a3a3a3' },
			{ id: '53000000-0000-4000-8000-000000000003', key: 'revived', label: 'Revived', category: 'won', color: '#22c55e' },
			{ id: '53000000-0000-4000-8000-000000000004', key: 'lost', label: 'Lost', category: 'lost', color: '#ef4444' },
		],
		cadence: { channel: 'email', totalSteps: 3, hasCallSteps: false },
	},
]);
const SEED_WORKFLOW_IDS = Object.freeze(SEED_WORKFLOWS.map((w) => w.id));

/** The user of the old get-lead example (assigned on appointment workflows). */
const SEED_USER = deepFreeze(
	/** @type {User} */ ({ id: '6f1c2d3e-4b5a-4c6d-8e7f-8a9b0c1d2e01', name: 'Ana', email: 'ana@co.com', avatar_url: null }),
);

/** @type {ReadonlyArray<WorkflowRun>} */
const SEED_RUNS = deepFreeze([
	{
		// Nexor's set-status / assign-workflow example run ID, on the documentation example lead.
		id: '550e8400-e29b-41d4-a716-446655440000',
		lead_id: '123e4567-e89b-12d3-a456-426614174000',
		workflow_id: SEED_WORKFLOW_IDS[0],
		job_id: 'job-123',
		is_active: true,
		human_takeover: false,
		cadence_state: 'active',
		status_key: 'contacted',
		reason: null,
		actor_id: null,
		pending_tasks: 2,
		cadence: { stepIndex: 1, channel: 'whatsapp', attemptNumber: 1, maxAttempts: 3, totalSteps: 5 },
		assigned_user: SEED_USER,
		started_at: '2026-02-10T12:00:05Z',
		ended_at: null,
	},
	{
		// María has two active runs: set-status needs a workflow_id for her.
		id: '550e8400-e29b-41d4-a716-446655440001',
		lead_id: '3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01',
		workflow_id: SEED_WORKFLOW_IDS[0],
		job_id: 'job-124',
		is_active: true,
		human_takeover: false,
		cadence_state: 'active',
		status_key: 'engaged',
		reason: null,
		actor_id: null,
		pending_tasks: 1,
		cadence: { stepIndex: 0, channel: 'call', attemptNumber: 1, maxAttempts: 3, totalSteps: 5 },
		assigned_user: null,
		started_at: '2026-02-11T09:31:00Z',
		ended_at: null,
	},
	{
		id: '550e8400-e29b-41d4-a716-446655440002',
		lead_id: '3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01',
		workflow_id: SEED_WORKFLOW_IDS[1],
		job_id: 'job-125',
		is_active: true,
		human_takeover: false,
		cadence_state: 'active',
		status_key: 'new',
		reason: null,
		actor_id: null,
		pending_tasks: 1,
		cadence: { stepIndex: 0, channel: 'whatsapp', attemptNumber: 1, maxAttempts: 3, totalSteps: 4 },
		assigned_user: null,
		started_at: '2026-02-12T15:45:10Z',
		ended_at: null,
	},
	{
		// Tony is in a human takeover: is_paused answers true, stop answers already_stopped.
		id: '550e8400-e29b-41d4-a716-446655440003',
		lead_id: 'e4da3b7f-bbce-4345-9777-2b3c4d5e6f05',
		workflow_id: SEED_WORKFLOW_IDS[1],
		job_id: 'job-126',
		is_active: true,
		human_takeover: true,
		cadence_state: 'paused',
		status_key: 'contacted',
		reason: null,
		actor_id: null,
		pending_tasks: 0,
		cadence: { stepIndex: 0, channel: 'whatsapp', attemptNumber: 1, maxAttempts: 3, totalSteps: 4 },
		assigned_user: null,
		started_at: '2026-06-01T07:00:05Z',
		ended_at: null,
	},
]);

/** Tag IDs (in order) on seed leads; every other lead starts without tags. */
const SEED_LEAD_TAGS = deepFreeze(
	/** @type {Record<string, string[]>} */ ({
		'123e4567-e89b-12d3-a456-426614174000': [SEED_TAGS[0].id],
		'3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01': [SEED_TAGS[1].id, SEED_TAGS[2].id],
	}),
);

/** GET /leads/{id} `variables` (values the AI extracted); `{}` for every other lead. */
const SEED_VARIABLES = deepFreeze(
	/** @type {Record<string, Record<string, Variable>>} */ ({
		// The get-lead example's variables.
		'123e4567-e89b-12d3-a456-426614174000': {
			edad: { value: 35, value_text: '35', confidence: 0.95, updated_at: '2026-02-10T13:00:00Z' },
			broker_asociado: {
				value: 'Juan Perez',
				value_text: 'Juan Perez',
				confidence: 0.9,
				updated_at: '2026-02-10T13:05:00Z',
			},
		},
	}),
);

/** GET /leads/{id}/history items, oldest first; requests append to them. */
const SEED_HISTORY = deepFreeze(
	/** @type {Record<string, HistoryItem[]>} */ ({
		'123e4567-e89b-12d3-a456-426614174000': [
			{
				type: 'activity',
				channel: 'system',
				activity_type: 'workflow_assigned',
				title: 'Assigned to workflow Sales Outreach',
				description: 'Enrolled when the lead was created through the API',
				actor_type: 'system',
				timestamp: '2026-02-10T12:00:05Z',
			},
			{
				type: 'message',
				id: '7d1e2f30-1a2b-4c3d-8e4f-5a6b7c8d9e01',
				channel: 'whatsapp',
				direction: 'outbound',
				content: 'Hola Carlos, soy Sofía de Acme. ¿Tienes 10 minutos esta semana?',
				message_type: 'template',
				media_url: null,
				attachments: [],
				status: 'read',
				provider_message_id: 'wamid.HBgLNTY5MTIzNDU2NzgVAgARGBI1',
				sent_at: '2026-02-10T12:01:00Z',
				delivered_at: '2026-02-10T12:01:02Z',
				read_at: '2026-02-10T12:05:40Z',
				reaction: null,
				buttons: [{ type: 'URL', text: 'Agendar', url: 'https://example.com/agenda' }],
				timestamp: '2026-02-10T12:01:00Z',
			},
			{
				type: 'call_missed',
				id: '7d1e2f30-1a2b-4c3d-8e4f-5a6b7c8d9e02',
				channel: 'call',
				call_status: 'not_connected',
				disconnection_reason: 'dial_no_answer',
				content: 'Missed call: no answer',
				provider_call_id: 'call_0001',
				timestamp: '2026-02-11T15:00:00Z',
			},
			{
				type: 'message',
				id: '7d1e2f30-1a2b-4c3d-8e4f-5a6b7c8d9e03',
				channel: 'whatsapp',
				direction: 'inbound',
				content: 'Hola, sí, llámame mañana a las 10',
				message_type: 'text',
				media_url: null,
				attachments: [],
				status: 'delivered',
				provider_message_id: 'wamid.HBgLNTY5MTIzNDU2NzgVAgASGBI2',
				sent_at: '2026-02-11T15:10:00Z',
				delivered_at: '2026-02-11T15:10:00Z',
				read_at: null,
				reaction: null,
				buttons: [],
				timestamp: '2026-02-11T15:10:00Z',
			},
			{
				type: 'call',
				id: '7d1e2f30-1a2b-4c3d-8e4f-5a6b7c8d9e04',
				channel: 'call',
				duration_seconds: 184,
				call_status: 'ended',
				call_successful: true,
				summary: 'Carlos wants a demo next week; budget approved.',
				recording_url: 'https://example.com/recordings/call_0002.mp3',
				provider_call_id: 'call_0002',
				timestamp: '2026-02-12T10:00:00Z',
			},
		],
	}),
);

/**
 * GET /leads/{id}/meetings at start, per lead (the store keeps them by meeting ID with their
 * extras; POST /meetings and cancel change the store's copies).
 */
const SEED_MEETINGS = deepFreeze(
	/** @type {Record<string, Meeting[]>} */ ({
		'123e4567-e89b-12d3-a456-426614174000': [
			{
				id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
				title: 'Demo with Carlos Lopez',
				starts_at: '2026-07-02T15:00:00Z',
				ends_at: '2026-07-02T15:30:00Z',
				duration_minutes: 30,
				timezone: 'America/Santiago',
				status: 'scheduled',
				meeting_url: 'https://meet.google.com/abc-defg-hij',
				location_type: 'google_meet',
				location_details: null,
				host_name: 'Ana',
				meeting_type: 'demo',
				attendee_name: 'Carlos Lopez',
				attendee_email: 'carlos@example.com',
				confirmed_by_lead: true,
				cancelled_at: null,
				cancellation_reason: null,
				no_show_reason: null,
				outcome_notes: null,
				created_at: '2026-06-20T10:00:00Z',
			},
			{
				id: '3f2504e0-4f89-41d3-9a0c-0305e82c3302',
				title: 'Discovery call with Carlos Lopez',
				starts_at: '2026-02-20T14:00:00Z',
				ends_at: '2026-02-20T14:30:00Z',
				duration_minutes: 30,
				timezone: 'America/Santiago',
				status: 'no_show',
				meeting_url: 'https://meet.google.com/xyz-abcd-efg',
				location_type: 'google_meet',
				location_details: null,
				host_name: 'Ana',
				meeting_type: 'discovery',
				attendee_name: 'Carlos Lopez',
				attendee_email: 'carlos@example.com',
				confirmed_by_lead: false,
				cancelled_at: null,
				cancellation_reason: null,
				no_show_reason: 'The lead did not join',
				outcome_notes: null,
				created_at: '2026-02-12T10:05:00Z',
			},
		],
	}),
);

/** Meeting types (`meeting_type_id` of POST /meetings; `meeting_type` of webhook data). */
const SEED_MEETING_TYPES = deepFreeze(
	/** @type {MeetingType[]} */ ([
		{ id: '2c9d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e01', name: 'Demo', slug: 'demo' },
		{ id: '2c9d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e02', name: 'Discovery call', slug: 'discovery' },
	]),
);

/** The seed meetings' extras (by meeting ID): booked by the AI agent, hosted by Ana. */
const SEED_MEETING_EXTRAS = deepFreeze(
	/** @type {Record<string, MeetingExtras>} */ ({
		'3f2504e0-4f89-41d3-9a0c-0305e82c3301': {
			source: 'ai_agent',
			host_id: SEED_USER.id,
			meeting_type_id: SEED_MEETING_TYPES[0].id,
			attendee_phone: '+56912345678',
			description: null,
			additional_attendees: [],
			external_calendar_provider: null,
			external_event_id: null,
			outcome_at: null,
			updated_at: '2026-06-20T10:00:00Z',
		},
		'3f2504e0-4f89-41d3-9a0c-0305e82c3302': {
			source: 'ai_agent',
			host_id: SEED_USER.id,
			meeting_type_id: SEED_MEETING_TYPES[1].id,
			attendee_phone: '+56912345678',
			description: null,
			additional_attendees: [],
			external_calendar_provider: null,
			external_event_id: null,
			outcome_at: '2026-02-20T14:45:00Z',
			updated_at: '2026-02-20T14:45:00Z',
		},
	}),
);

/** The account's users (a POST /meetings `host_email` must be one of them). */
const SEED_USERS = deepFreeze(/** @type {User[]} */ ([SEED_USER]));

/** Conversion types: two active (listed by GET /conversion-types) and one inactive (not listed). */
const SEED_CONVERSION_TYPES = deepFreeze(
	/** @type {ConversionType[]} */ ([
		{
			// The name, category and currency of the list-conversions example.
			id: '4c1d8a3e-2b7f-4e6a-9d10-3f5e7a9b1c01',
			name: 'Reserva',
			description: 'A unit reserved with a deposit',
			category: 'intermediary',
			currency: 'CLP',
			fields: [
				{ key: 'unit', label: 'Unit', type: 'text' },
				{ key: 'floor', label: 'Floor', type: 'number' },
			],
			workflow_id: SEED_WORKFLOW_IDS[0],
			master_workflow_id: null,
			created_at: '2026-01-05T10:00:00Z',
			is_active: true,
		},
		{
			id: '4c1d8a3e-2b7f-4e6a-9d10-3f5e7a9b1c02',
			name: 'Venta',
			description: null,
			category: 'final',
			currency: 'USD',
			fields: [{ key: 'contract_number', label: 'Contract number', type: 'text' }],
			workflow_id: null,
			master_workflow_id: SEED_WORKFLOW_IDS[0],
			created_at: '2026-01-05T10:05:00Z',
			is_active: true,
		},
		{
			id: '4c1d8a3e-2b7f-4e6a-9d10-3f5e7a9b1c03',
			name: 'Visita',
			description: 'Site visit (retired)',
			category: 'intermediary',
			currency: 'CLP',
			fields: [],
			workflow_id: null,
			master_workflow_id: null,
			created_at: '2025-11-20T09:00:00Z',
			is_active: false,
		},
	]),
);

/** Conversions recorded before the sandbox started, oldest first. */
const SEED_CONVERSIONS = deepFreeze(
	/** @type {ConversionEvent[]} */ ([
		{
			// The create-conversion example's amount, on Carlos's seed run.
			id: '8e3a6f20-5c4b-4d9e-a1f7-2b6c8d0e4a01',
			conversion_type_id: SEED_CONVERSION_TYPES[0].id,
			lead_id: SEED_LEAD_IDS[0],
			amount: 85000,
			currency: 'CLP',
			converted_at: '2026-02-14T16:00:00Z',
			created_at: '2026-02-14T16:00:05Z',
			workflow_id: SEED_WORKFLOW_IDS[0],
			master_workflow_id: null,
			workflow_run_id: SEED_RUNS[0].id,
			metadata: { unit: 'A-101', floor: 3 },
			notes: 'Deposit paid by bank transfer',
		},
		{
			id: '8e3a6f20-5c4b-4d9e-a1f7-2b6c8d0e4a02',
			conversion_type_id: SEED_CONVERSION_TYPES[0].id,
			lead_id: SEED_LEAD_IDS[1],
			amount: 120000,
			currency: 'CLP',
			converted_at: '2026-02-20T11:30:00Z',
			created_at: '2026-02-20T11:30:02Z',
			workflow_id: SEED_WORKFLOW_IDS[0],
			master_workflow_id: null,
			workflow_run_id: SEED_RUNS[1].id,
			metadata: { unit: 'B-204', floor: 2 },
			notes: null,
		},
		{
			id: '8e3a6f20-5c4b-4d9e-a1f7-2b6c8d0e4a03',
			conversion_type_id: SEED_CONVERSION_TYPES[1].id,
			lead_id: SEED_LEAD_IDS[0],
			amount: 2500.5,
			currency: 'USD',
			converted_at: '2026-03-01T09:00:00Z',
			created_at: '2026-03-01T09:00:03Z',
			workflow_id: null,
			master_workflow_id: SEED_WORKFLOW_IDS[0],
			workflow_run_id: null,
			metadata: { contract_number: 'CN-2026-0001' },
			notes: 'Signed at the sales office',
		},
	]),
);

/** A recent inbound WhatsApp reply of Carlos, stamped one hour before the sandbox clock at reset(). */
const CARLOS_RECENT_MESSAGE_ID = '7d1e2f30-1a2b-4c3d-8e4f-5a6b7c8d9e05';

/**
 * Carlos's recent reply (it keeps his 24-hour WhatsApp window open, README "Choices" 40).
 * @param {number} nowMs
 * @returns {HistoryItem}
 */
function recentInbound(nowMs) {
	const at = new Date(nowMs - 60 * 60 * 1000).toISOString();
	return {
		type: 'message',
		id: CARLOS_RECENT_MESSAGE_ID,
		channel: 'whatsapp',
		direction: 'inbound',
		content: '¿Me puedes mandar la propuesta por acá?',
		message_type: 'text',
		media_url: null,
		attachments: [],
		status: 'delivered',
		provider_message_id: 'wamid.HBgLNTY5MTIzNDU2NzgVAgASGBI3',
		sent_at: at,
		delivered_at: at,
		read_at: null,
		reaction: null,
		buttons: [],
		timestamp: at,
	};
}

/**
 * Inserts a history item after every item not newer than it (the history stays oldest first).
 * @param {HistoryItem[]} items
 * @param {HistoryItem} item
 */
function insertByTime(items, item) {
	const t = Date.parse(item.timestamp);
	let i = items.length;
	while (i > 0 && Date.parse(items[i - 1].timestamp) > t) i -= 1;
	items.splice(i, 0, item);
}

const GENERATED_PREFIX = 'a0000000-0000-4000-8000-';
const CREATED_PREFIX = 'b0000000-0000-4000-8000-';
const RUN_PREFIX = 'c0000000-0000-4000-8000-';
const TAG_PREFIX = 'd0000000-0000-4000-8000-';
const CONVERSION_PREFIX = 'e0000000-0000-4000-8000-';
const MESSAGE_PREFIX = 'f0000000-0000-4000-8000-';
const ACTIVITY_PREFIX = 'f1000000-0000-4000-8000-';
const CALL_PREFIX = 'f2000000-0000-4000-8000-';
const MEETING_PREFIX = 'f3000000-0000-4000-8000-';

/**
 * @param {string} prefix
 * @param {number} n
 */
const numbered = (prefix, n) => prefix + n.toString(16).padStart(12, '0');

/**
 * ID of the i-th lead made by `options.leadCount` (0-based):
 * `a0000000-0000-4000-8000-` + i as 12 lower-case hex digits, e.g. i=10 → …-00000000000a.
 * @param {number} i
 * @returns {string}
 */
function generatedLeadId(i) {
	if (!Number.isInteger(i) || i < 0 || i >= 2 ** 48) {
		throw new RangeError(`generatedLeadId: i must be an integer in [0, 2^48), got ${i}`);
	}
	return GENERATED_PREFIX + i.toString(16).padStart(12, '0');
}

/**
 * ID of the n-th lead created through POST /leads since start or the last reset (1-based).
 * @param {number} n
 * @returns {string}
 */
function createdLeadId(n) {
	return CREATED_PREFIX + n.toString(16).padStart(12, '0');
}

/**
 * ID of the n-th workflow run started through the API (POST /leads with a workflow_id,
 * assign-workflow) since start or the last reset (1-based): `c0000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 * @returns {string}
 */
function createdRunId(n) {
	return RUN_PREFIX + n.toString(16).padStart(12, '0');
}

/**
 * ID of the n-th tag created through the API (POST /tags, PUT /leads/tags) since start or the
 * last reset (1-based): `d0000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 * @returns {string}
 */
function createdTagId(n) {
	return TAG_PREFIX + n.toString(16).padStart(12, '0');
}

/**
 * ID of the n-th conversion recorded through POST /conversions since start or the last reset
 * (1-based): `e0000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 * @returns {string}
 */
function createdConversionId(n) {
	return numbered(CONVERSION_PREFIX, n);
}

/**
 * ID of the n-th message written through the API (POST /messages on whatsapp or email, or a
 * `force_first_message`) since start or the last reset (1-based): `f0000000-0000-4000-8000-` + n
 * in hex. Its WhatsApp `provider_message_id` is `wamid.<n>` (decimal).
 * @param {number} n
 * @returns {string}
 */
function createdMessageId(n) {
	return numbered(MESSAGE_PREFIX, n);
}

/**
 * `activity_id` of the email that is the n-th message (createdMessageId(n)):
 * `f1000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 * @returns {string}
 */
function createdActivityId(n) {
	return numbered(ACTIVITY_PREFIX, n);
}

/**
 * `call_id` of the n-th call started through POST /messages since start or the last reset
 * (1-based): `f2000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 * @returns {string}
 */
function createdCallId(n) {
	return numbered(CALL_PREFIX, n);
}

/**
 * ID of the n-th meeting created through POST /meetings since start or the last reset (1-based;
 * a replay that updates a meeting uses no number): `f3000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 * @returns {string}
 */
function createdMeetingId(n) {
	return numbered(MEETING_PREFIX, n);
}

const FIRST_NAMES = [
	'Lucas',
	'Valentina',
	'Mateo',
	'Camila',
	'Benjamín',
	'Isidora',
	'Diego',
	'Emma',
	'Tomás',
	'Florencia',
];
const ASCII_FIRST = [
	'lucas',
	'valentina',
	'mateo',
	'camila',
	'benjamin',
	'isidora',
	'diego',
	'emma',
	'tomas',
	'florencia',
];
const LAST_NAMES = [
	'Rojas',
	'Muñoz',
	'Díaz',
	'Pérez',
	'Soto',
	'Contreras',
	'Silva',
	'Martínez',
	'Sepúlveda',
	'Morales',
	'Fuentes',
];
const ASCII_LAST = [
	'rojas',
	'munoz',
	'diaz',
	'perez',
	'soto',
	'contreras',
	'silva',
	'martinez',
	'sepulveda',
	'morales',
	'fuentes',
];
const COMPANIES = [
	'Acme Corp',
	null,
	'Globex',
	'Initech',
	null,
	'Umbrella SpA',
	'Stark Industries',
];
const TITLES = ['Manager', null, 'CEO', 'Broker', 'Analyst'];
const SOURCES = ['api', 'website', 'import', 'whatsapp'];
const UTM = ['google', 'facebook', 'newsletter', 'linkedin', 'direct'];

/**
 * The i-th generated lead. Pure function of i, so two sandboxes agree.
 * @param {number} i
 * @returns {Lead}
 */
function generatedLead(i) {
	const created = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('.000Z', 'Z');
	const campaignSlot = i % (SEED_CAMPAIGN_IDS.length + 1);
	return {
		id: generatedLeadId(i),
		first_name: FIRST_NAMES[i % FIRST_NAMES.length],
		last_name: LAST_NAMES[i % LAST_NAMES.length],
		email: `${ASCII_FIRST[i % ASCII_FIRST.length]}.${ASCII_LAST[i % ASCII_LAST.length]}.${i}@example.com`,
		phone: `+1555${String(i).padStart(7, '0')}`,
		company: COMPANIES[i % COMPANIES.length],
		title: TITLES[i % TITLES.length],
		source: SOURCES[i % SOURCES.length],
		campaign_id: campaignSlot === SEED_CAMPAIGN_IDS.length ? null : SEED_CAMPAIGN_IDS[campaignSlot],
		metadata: { index: i, utm_source: UTM[i % UTM.length] },
		created_at: created,
		updated_at: created,
	};
}

/**
 * A copy of a lead with its keys in the documented order.
 * @param {Lead} lead
 * @returns {Lead}
 */
function presentLead(lead) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const key of LEAD_KEYS) out[key] = clone(lead[key]);
	return /** @type {Lead} */ (out);
}

/**
 * What an `options.leads` entry with a new id starts from.
 * @param {string} id
 * @returns {Lead}
 */
function newLeadDefaults(id) {
	return {
		id,
		first_name: 'Lead',
		last_name: null,
		email: null,
		phone: null,
		company: null,
		title: null,
		source: 'api',
		campaign_id: null,
		metadata: {},
		created_at: '2026-02-10T12:00:00Z',
		updated_at: '2026-02-10T12:00:00Z',
	};
}

/**
 * @typedef {{
 *   leads: Map<string, Lead>, createdCount: number,
 *   campaigns: Campaign[], campaignIds: Set<string>,
 *   workflows: ReadonlyArray<Workflow>,
 *   runs: Map<string, WorkflowRun>, runCount: number,
 *   tags: Tag[], tagCount: number, leadTags: Map<string, string[]>,
 *   history: Map<string, HistoryItem[]>, messageCount: number, callCount: number,
 *   meetings: Map<string, MeetingRecord>, meetingCount: number,
 *   meetingTypes: ReadonlyArray<MeetingType>, users: ReadonlyArray<User>,
 *   conversionTypes: ReadonlyArray<ConversionType>,
 *   conversions: ConversionEvent[], conversionCount: number,
 *   variables: Readonly<Record<string, Readonly<Record<string, Variable>>>>,
 *   shapes: import('./shapes.js').Shapes, duplicates: 'upsert' | 'create',
 *   reset: () => void
 * }} Store
 *   What the routes read and write. Leads, runs (in the order they started), tags, the leads' tags
 *   (in the order they were given) and history, meetings (by ID, in the order they were made),
 *   conversions (oldest first: `created_at` ascending, then `id`), the counters and the shapes
 *   change with requests and go back to the seed (and the startup shapes) on reset();
 *   campaigns, workflows, meeting types, users, conversion types, variables and `duplicates` are
 *   fixed for the sandbox's life.
 */

/**
 * The seed meetings as stored: the public keys plus their extras, by meeting ID.
 * @returns {Map<string, MeetingRecord>}
 */
function seedMeetingRecords() {
	/** @type {Map<string, MeetingRecord>} */
	const records = new Map();
	for (const [leadId, meetings] of Object.entries(SEED_MEETINGS)) {
		for (const meeting of meetings) {
			records.set(meeting.id, { lead_id: leadId, meeting: clone(meeting), ...clone(SEED_MEETING_EXTRAS[meeting.id]) });
		}
	}
	return records;
}

/**
 * @param {{ leadCount: number, leads: LeadSeed[], campaigns: Campaign[],
 *   shapes?: import('./shapes.js').Shapes, duplicates?: 'upsert' | 'create', now?: () => number }} config
 *   `leads`: already checked `options.leads` (lower-cased ids); `campaigns`: seed plus options;
 *   `shapes` and `duplicates`: as checked by options.js (defaults: DEFAULT_SHAPES, 'upsert');
 *   `now`: the sandbox clock (Carlos's recent WhatsApp reply is stamped from it at each reset)
 * @returns {Store}
 */
function createStore(config) {
	const startShapes = config.shapes || DEFAULT_SHAPES;
	/** @type {Store} */
	const store = {
		leads: new Map(),
		createdCount: 0,
		campaigns: config.campaigns,
		campaignIds: new Set(config.campaigns.map((c) => c.id)),
		workflows: SEED_WORKFLOWS,
		runs: new Map(),
		runCount: 0,
		tags: [],
		tagCount: 0,
		leadTags: new Map(),
		history: new Map(),
		messageCount: 0,
		callCount: 0,
		meetings: new Map(),
		meetingCount: 0,
		meetingTypes: SEED_MEETING_TYPES,
		users: SEED_USERS,
		conversionTypes: SEED_CONVERSION_TYPES,
		conversions: [],
		conversionCount: 0,
		variables: SEED_VARIABLES,
		shapes: { ...startShapes },
		duplicates: config.duplicates || 'upsert',
		reset: () => {
			const leads = new Map();
			for (const lead of SEED_LEADS) leads.set(lead.id, presentLead(lead));
			for (let i = 0; i < config.leadCount; i++) {
				const lead = generatedLead(i);
				leads.set(lead.id, lead);
			}
			for (const extra of config.leads) {
				const id = extra.id;
				const base = leads.get(id) || newLeadDefaults(id);
				leads.set(id, presentLead({ ...base, ...clone(extra), id }));
			}
			store.leads = leads;
			store.createdCount = 0;
			store.runs = new Map(SEED_RUNS.map((r) => [r.id, clone(r)]));
			store.runCount = 0;
			store.tags = SEED_TAGS.map((t) => ({ ...t }));
			store.tagCount = 0;
			store.leadTags = new Map(Object.entries(SEED_LEAD_TAGS).map(([id, tags]) => [id, [...tags]]));
			store.history = new Map(Object.entries(SEED_HISTORY).map(([id, items]) => [id, clone(items)]));
			const carlosHistory = store.history.get(SEED_LEAD_IDS[0]) || [];
			insertByTime(carlosHistory, recentInbound((config.now || Date.now)()));
			store.history.set(SEED_LEAD_IDS[0], carlosHistory);
			store.messageCount = 0;
			store.callCount = 0;
			store.meetings = seedMeetingRecords();
			store.meetingCount = 0;
			store.conversions = SEED_CONVERSIONS.map((c) => clone(c));
			store.conversionCount = 0;
			store.shapes = { ...startShapes };
		},
	};
	store.reset();
	return store;
}

module.exports = {
	SANDBOX_API_KEY,
	LEAD_KEYS,
	TAG_KEYS,
	SEED_CAMPAIGNS,
	SEED_CAMPAIGN_IDS,
	SEED_LEADS,
	SEED_LEAD_IDS,
	SEED_TAGS,
	SEED_WORKFLOWS,
	SEED_WORKFLOW_IDS,
	SEED_RUNS,
	SEED_USER,
	SEED_LEAD_TAGS,
	SEED_VARIABLES,
	SEED_HISTORY,
	SEED_MEETINGS,
	SEED_MEETING_TYPES,
	SEED_MEETING_EXTRAS,
	SEED_USERS,
	SEED_CONVERSION_TYPES,
	SEED_CONVERSIONS,
	CARLOS_RECENT_MESSAGE_ID,
	generatedLeadId,
	createdLeadId,
	createdRunId,
	createdTagId,
	createdConversionId,
	createdMessageId,
	createdActivityId,
	createdCallId,
	createdMeetingId,
	generatedLead,
	presentLead,
	createStore,
};
