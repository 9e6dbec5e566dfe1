// @ts-check
'use strict';
/**
 * Nexor sandbox: an in-memory fake of the parts of Nexor's public API the integrations use
 * (every lead and tag endpoint, plus the workflow and campaign lists), with a request journal and
 * bounded fault
 * injection (statuses, resets, hangs, redirects, held requests). A second, minimal "recorder" server
 * (startRecorder) records whatever reaches it, e.g. to prove that a redirect never carried the API
 * key to another host. Plain CommonJS + JSDoc because the n8n Cloud lint rules forbid node built-ins in
 * .ts files but give .js files no rules. Binds 127.0.0.1 only; never opens outbound connections.
 * Decisions where Nexor's docs are silent are listed in README.md next to this file, with the
 * layout of the modules this entry point puts together (and re-exports from).
 */

const { LIMITS } = require('./limits.js');
const { SandboxConfigError } = require('./validation.js');
const seed = require('./seed.js');
const { BASE_PATH, CONTROL_PATH, writeResponse, serve } = require('./http.js');
const { createClock, createScheduler } = require('./timers.js');
const { checkOptions } = require('./options.js');
const { createJournal } = require('./journal.js');
const { createFaultSettings } = require('./faults/settings.js');
const { createRules } = require('./faults/rules.js');
const { createHolds } = require('./faults/holds.js');
const { createApiHandler } = require('./pipeline.js');
const { handleControl } = require('./control.js');
const { startRecorder } = require('./recorder.js');
const { normalizeShapes } = require('./shapes.js');
const { clone } = require('./validation.js');
const webhooks = require('./webhooks.js');
const { WEBHOOK_EVENT_TYPES } = require('./routes/webhook-data.js');

// Types, re-exported from the modules that define them (import('./server.js').X keeps working).
/**
 * @template T
 * @typedef {import('./validation.js').Result<T>} Result
 */
/**
 * @typedef {import('./validation.js').JsonObject} JsonObject
 * @typedef {import('./seed.js').Lead} Lead
 * @typedef {import('./seed.js').LeadSeed} LeadSeed
 * @typedef {import('./seed.js').Campaign} Campaign
 * @typedef {import('./seed.js').Tag} Tag
 * @typedef {import('./seed.js').Workflow} Workflow
 * @typedef {import('./seed.js').WorkflowStatus} WorkflowStatus
 * @typedef {import('./seed.js').WorkflowRun} WorkflowRun
 * @typedef {import('./seed.js').ConversionType} ConversionType
 * @typedef {import('./seed.js').ConversionEvent} ConversionEvent
 * @typedef {import('./seed.js').Meeting} Meeting
 * @typedef {import('./seed.js').MeetingType} MeetingType
 * @typedef {import('./shapes.js').Shapes} Shapes
 * @typedef {import('./shapes.js').ListShape} ListShape
 * @typedef {import('./shapes.js').LeadShape} LeadShape
 * @typedef {import('./faults/settings.js').RetryAfterFormat} RetryAfterFormat
 * @typedef {import('./faults/settings.js').RateLimit} RateLimit
 * @typedef {import('./faults/settings.js').Faults} Faults
 * @typedef {import('./faults/fault.js').RetryAfterSpec} RetryAfterSpec
 * @typedef {import('./faults/fault.js').StatusFault} StatusFault
 * @typedef {import('./faults/fault.js').ResetFault} ResetFault
 * @typedef {import('./faults/fault.js').HangFault} HangFault
 * @typedef {import('./faults/fault.js').HtmlFault} HtmlFault
 * @typedef {import('./faults/fault.js').TruncatedFault} TruncatedFault
 * @typedef {import('./faults/fault.js').UnexpectedFault} UnexpectedFault
 * @typedef {import('./faults/fault.js').RedirectFault} RedirectFault
 * @typedef {import('./faults/fault.js').HoldFault} HoldFault
 * @typedef {import('./faults/fault.js').Fault} Fault
 * @typedef {import('./faults/match.js').RuleMatch} RuleMatch
 * @typedef {import('./faults/match.js').Matcher} Matcher
 * @typedef {import('./faults/rules.js').Rule} Rule
 * @typedef {import('./faults/rules.js').ActiveRule} ActiveRule
 * @typedef {import('./faults/holds.js').HoldRecord} HoldRecord
 * @typedef {import('./faults/holds.js').HoldFilter} HoldFilter
 * @typedef {import('./journal.js').JournalEntry} JournalEntry
 * @typedef {import('./journal.js').Stats} Stats
 * @typedef {import('./recorder.js').RecordedRequest} RecordedRequest
 * @typedef {import('./recorder.js').RecorderOptions} RecorderOptions
 * @typedef {import('./recorder.js').Recorder} Recorder
 * @typedef {import('./webhooks.js').WebhookTarget} WebhookTarget
 * @typedef {import('./webhooks.js').WebhookTargetConfig} WebhookTargetConfig
 * @typedef {import('./webhooks.js').WebhookRetry} WebhookRetry
 * @typedef {import('./webhooks.js').DeliverOptions} DeliverOptions
 * @typedef {import('./webhooks.js').DeliveryResult} DeliveryResult
 * @typedef {import('./webhooks.js').DeliveryAttempt} DeliveryAttempt
 * @typedef {import('./webhooks.js').Delivery} Delivery
 * @typedef {import('./webhooks.js').Envelope} Envelope
 */

/**
 * @typedef {{
 *   port?: number,
 *   apiKeys?: string[],
 *   leads?: LeadSeed[],
 *   leadCount?: number,
 *   campaigns?: Campaign[],
 *   faults?: Faults,
 *   rules?: Rule[],
 *   maxLifetimeMs?: number,
 *   journalLimit?: number,
 *   allowHeaderFaults?: boolean,
 *   now?: () => number,
 *   shapes?: Partial<Shapes>,
 *   duplicates?: 'upsert' | 'create',
 *   webhook?: WebhookTarget | null,
 * }} SandboxOptions
 *
 * @typedef {{
 *   baseUrl: string, origin: string, port: number, apiKey: string, leadIds: string[],
 *   campaignIds: string[], tagIds: string[],
 *   journal: () => JournalEntry[], clearJournal: () => void,
 *   setFaults: (faults: Faults) => void, addRule: (rule: Rule) => void, clearRules: () => void,
 *   workflowIds: string[],
 *   reset: () => void, stats: () => Stats, getLead: (id: string) => Lead | undefined,
 *   getRuns: (leadId?: string) => WorkflowRun[],
 *   setShapes: (shapes: Partial<Shapes>) => Shapes, getShapes: () => Shapes,
 *   holds: () => HoldRecord[], release: (filter?: HoldFilter) => number,
 *   waitForHold: (o?: { name?: string, count?: number, timeoutMs?: number }) => Promise<HoldRecord[]>,
 *   deliverWebhook: (options: DeliverOptions) => Promise<DeliveryResult>,
 *   deliveries: () => Delivery[], settleWebhooks: () => Promise<Delivery[]>,
 *   setWebhook: (target: WebhookTarget | null) => WebhookTargetConfig | null,
 *   getWebhook: () => WebhookTargetConfig | null,
 *   close: () => Promise<void>, closed: Promise<'closed' | 'max-lifetime'>
 * }} Sandbox
 */

/**
 * Starts a sandbox on 127.0.0.1.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(options = {}) {
	const config = checkOptions(options);
	const clock = createClock(config.now);
	const scheduler = createScheduler();
	const store = seed.createStore(config);
	const journal = createJournal(config.journalLimit, clock);
	const settings = createFaultSettings(config.faults, clock);
	const rules = createRules(config.rules);
	const holds = createHolds(clock, scheduler);
	const hooks = webhooks.createWebhooks({ store, now: config.now, elapsed: clock.elapsed, target: config.webhook });
	const leadIds = [...store.leads.keys()];
	const handleApi = createApiHandler({
		apiKeys: config.apiKeys,
		allowHeaderFaults: config.allowHeaderFaults,
		journal,
		settings,
		rules,
		holds,
		scheduler,
		ctx: { store, now: config.now, emit: hooks.emit },
	});
	/** @type {Sandbox} assigned below, once listening; read only when a control request arrives */
	let sandbox;

	/** @type {import('node:http').RequestListener} */
	const onRequest = (req, res) => {
		const rawUrl = req.url || '/';
		const q = rawUrl.indexOf('?');
		const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
		const query = q === -1 ? '' : rawUrl.slice(q + 1);
		if (pathname === CONTROL_PATH || pathname.startsWith(`${CONTROL_PATH}/`)) {
			handleControl({ sandbox, settings, rules }, req, res, pathname.slice(CONTROL_PATH.length), query);
		} else if (pathname === BASE_PATH || pathname.startsWith(`${BASE_PATH}/`)) {
			handleApi(req, res, rawUrl, pathname, query);
		} else {
			req.resume();
			const message = `Nothing here: the Nexor sandbox API lives under ${BASE_PATH} (control API under ${CONTROL_PATH})`;
			writeResponse(res, 404, JSON.stringify({ error: 'Not found', message }));
		}
	};

	const served = await serve(onRequest, {
		name: 'sandbox',
		port: config.port,
		maxLifetimeMs: config.maxLifetimeMs,
		answerClientErrors: true,
		beforeClose: () => {
			scheduler.closeAll();
			holds.close();
			hooks.close();
		},
	});

	sandbox = {
		baseUrl: `${served.origin}${BASE_PATH}`,
		origin: served.origin,
		port: served.port,
		apiKey: seed.SANDBOX_API_KEY,
		leadIds,
		campaignIds: store.campaigns.map((c) => c.id),
		tagIds: store.tags.map((t) => t.id),
		workflowIds: store.workflows.map((w) => w.id),
		journal: journal.list,
		clearJournal: journal.clear,
		setFaults: (next) => settings.set(next),
		addRule: rules.add,
		clearRules: rules.clear,
		reset: () => {
			// Held requests are let go (served against the fresh data); their history is dropped.
			holds.reset();
			store.reset();
			journal.reset();
			// Back to the startup configuration: options.faults / options.rules (none by default).
			rules.reset();
			settings.reset();
			// Deliveries are forgotten and the webhook target is the startup one (options.webhook).
			hooks.reset();
		},
		stats: journal.stats,
		getLead: (id) => {
			const lead = typeof id === 'string' ? store.leads.get(id.toLowerCase()) : undefined;
			return lead ? seed.presentLead(lead) : undefined;
		},
		getRuns: (leadId) => {
			const lower = typeof leadId === 'string' ? leadId.toLowerCase() : undefined;
			return [...store.runs.values()].filter((r) => lower === undefined || r.lead_id === lower).map((r) => clone(r));
		},
		setShapes: (shapes) => {
			store.shapes = normalizeShapes(shapes, 'shapes', store.shapes);
			return { ...store.shapes };
		},
		getShapes: () => ({ ...store.shapes }),
		holds: holds.list,
		release: holds.release,
		waitForHold: holds.waitFor,
		deliverWebhook: hooks.deliver,
		deliveries: hooks.deliveries,
		settleWebhooks: hooks.settle,
		setWebhook: hooks.setTarget,
		getWebhook: hooks.getTarget,
		close: served.close,
		closed: served.closed,
	};
	return sandbox;
}

// The public API: the same names as before the split (README "Layout").
module.exports = {
	startSandbox,
	startRecorder,
	generatedLeadId: seed.generatedLeadId,
	createdLeadId: seed.createdLeadId,
	createdRunId: seed.createdRunId,
	createdTagId: seed.createdTagId,
	createdConversionId: seed.createdConversionId,
	createdMessageId: seed.createdMessageId,
	createdActivityId: seed.createdActivityId,
	createdCallId: seed.createdCallId,
	createdMeetingId: seed.createdMeetingId,
	SANDBOX_API_KEY: seed.SANDBOX_API_KEY,
	SEED_LEADS: seed.SEED_LEADS,
	SEED_LEAD_IDS: seed.SEED_LEAD_IDS,
	SEED_CAMPAIGNS: seed.SEED_CAMPAIGNS,
	SEED_CAMPAIGN_IDS: seed.SEED_CAMPAIGN_IDS,
	SEED_TAGS: seed.SEED_TAGS,
	SEED_WORKFLOWS: seed.SEED_WORKFLOWS,
	SEED_WORKFLOW_IDS: seed.SEED_WORKFLOW_IDS,
	SEED_RUNS: seed.SEED_RUNS,
	SEED_LEAD_TAGS: seed.SEED_LEAD_TAGS,
	SEED_MEETINGS: seed.SEED_MEETINGS,
	SEED_MEETING_TYPES: seed.SEED_MEETING_TYPES,
	SEED_USERS: seed.SEED_USERS,
	SEED_CONVERSION_TYPES: seed.SEED_CONVERSION_TYPES,
	SEED_CONVERSIONS: seed.SEED_CONVERSIONS,
	CARLOS_RECENT_MESSAGE_ID: seed.CARLOS_RECENT_MESSAGE_ID,
	webhookEventId: webhooks.webhookEventId,
	webhookDeliveryId: webhooks.webhookDeliveryId,
	SANDBOX_WEBHOOK_ID: webhooks.SANDBOX_WEBHOOK_ID,
	SANDBOX_CLIENT_ID: webhooks.SANDBOX_CLIENT_ID,
	WEBHOOK_EVENT_TYPES,
	LIMITS,
	SandboxConfigError,
};
