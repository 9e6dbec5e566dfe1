'use strict';
/**
 * Nexor sandbox: an in-memory fake of the parts of Nexor's public API the integrations use
 * (PUT/PATCH/GET /leads/{id}, POST /leads, GET /tags), with a request journal and bounded fault
 * injection (statuses, resets, hangs, redirects, held requests). A second, minimal "recorder" server
 * (startRecorder) records whatever reaches it, e.g. to prove that a redirect never carried the API
 * key to another host. Plain CommonJS + JSDoc because the n8n Cloud lint rules forbid node built-ins in
 * .ts files but give .js files no rules. Binds 127.0.0.1 only; never opens outbound connections.
 * Decisions where Nexor's docs are silent are listed in README.md next to this file.
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { LIMITS } = require('./limits.js');
const {
	SandboxConfigError,
	UUID_RE,
	isPlainObject,
	clone,
	parseJson,
} = require('./validation.js');
const {
	SANDBOX_API_KEY,
	SEED_CAMPAIGNS,
	SEED_CAMPAIGN_IDS,
	SEED_LEADS,
	SEED_LEAD_IDS,
	SEED_TAGS,
	generatedLeadId,
	createdLeadId,
	generatedLead,
	presentLead,
} = require('./seed.js');
const { validateUpdate, validateCreate, normalizeSeedLead } = require('./routes/lead-fields.js');
const { BODIES } = require('./http.js');
const { scrub } = require('./journal.js');
const { normalizeMatch, matches } = require('./faults/match.js');
const { normalizeFault, faultName, faultAnswer } = require('./faults/fault.js');
const { normalizeRule } = require('./faults/rules.js');
const { normalizeFaults } = require('./faults/settings.js');
const { startRecorder } = require('./recorder.js');

const BASE_PATH = '/api/public';
const CONTROL_PATH = '/__sandbox';
const JSON_TYPE = 'application/json; charset=utf-8';

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
 * }} SandboxOptions
 *
 * @typedef {{
 *   baseUrl: string, origin: string, port: number, apiKey: string, leadIds: string[],
 *   campaignIds: string[], tagIds: string[],
 *   journal: () => JournalEntry[], clearJournal: () => void,
 *   setFaults: (faults: Faults) => void, addRule: (rule: Rule) => void, clearRules: () => void,
 *   reset: () => void, stats: () => Stats, getLead: (id: string) => Lead | undefined,
 *   holds: () => HoldRecord[], release: (filter?: HoldFilter) => number,
 *   waitForHold: (o?: { name?: string, count?: number, timeoutMs?: number }) => Promise<HoldRecord[]>,
 *   close: () => Promise<void>, closed: Promise<'closed' | 'max-lifetime'>
 * }} Sandbox
 */

// ---------------------------------------------------------------------------------------------
// The server

/**
 * Starts a sandbox on 127.0.0.1.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(options = {}) {
	if (!isPlainObject(options)) throw new SandboxConfigError('options: must be an object');
	const port = options.port === undefined ? 0 : options.port;
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new SandboxConfigError('options.port: must be an integer in [0, 65535]');
	}
	const apiKeys = [SANDBOX_API_KEY];
	for (const key of options.apiKeys || []) {
		if (typeof key !== 'string' || key.trim() === '' || key !== key.trim()) {
			throw new SandboxConfigError(
				'options.apiKeys: each key must be a non-empty string without surrounding spaces',
			);
		}
		apiKeys.push(key);
	}
	const validKeys = new Set(apiKeys);
	const leadCount = options.leadCount === undefined ? 0 : options.leadCount;
	if (!Number.isInteger(leadCount) || leadCount < 0 || leadCount > LIMITS.maxLeadCount) {
		throw new SandboxConfigError(
			`options.leadCount: must be an integer in [0, ${LIMITS.maxLeadCount}]`,
		);
	}
	/** @type {Campaign[]} */
	const campaigns = [...SEED_CAMPAIGNS.map((c) => ({ ...c }))];
	for (const c of options.campaigns || []) {
		if (
			!isPlainObject(c) ||
			typeof c.id !== 'string' ||
			!UUID_RE.test(c.id) ||
			typeof c.name !== 'string'
		) {
			throw new SandboxConfigError('options.campaigns: each needs a UUID "id" and a string "name"');
		}
		campaigns.push({ id: c.id.toLowerCase(), name: c.name });
	}
	const campaignIds = new Set(campaigns.map((c) => c.id));
	const extraLeads = (options.leads || []).map((l, i) =>
		normalizeSeedLead(l, `options.leads[${i}]`, campaignIds),
	);
	const maxLifetimeMs =
		options.maxLifetimeMs === undefined ? LIMITS.defaultLifetimeMs : options.maxLifetimeMs;
	if (
		typeof maxLifetimeMs !== 'number' ||
		!(maxLifetimeMs > 0) ||
		maxLifetimeMs > LIMITS.maxLifetimeMs
	) {
		throw new SandboxConfigError(
			`options.maxLifetimeMs: must be a number in (0, ${LIMITS.maxLifetimeMs}]`,
		);
	}
	const journalLimit =
		options.journalLimit === undefined ? LIMITS.defaultJournalLimit : options.journalLimit;
	if (!Number.isInteger(journalLimit) || journalLimit < 1) {
		throw new SandboxConfigError('options.journalLimit: must be a positive integer');
	}
	const allowHeaderFaults = options.allowHeaderFaults !== false;
	const now = options.now || Date.now;
	const initialFaults = normalizeFaults(options.faults);
	const initialRules = (options.rules || []).map((r) => normalizeRule(r));

	// ---- mutable state -------------------------------------------------------------------------
	/** @type {Map<string, Lead>} */
	let leads = new Map();
	let createdCount = 0;
	/** @type {JournalEntry[]} */
	let journal = [];
	let seq = 0;
	/** @type {ActiveRule[]} */
	let rules = [];
	let faults = initialFaults;
	/** @type {{ tokens: number, last: number }} */
	let bucket = { tokens: 0, last: 0 };
	/** @type {Stats} */
	let stats = { requests: 0, byStatus: {}, rateLimited: 0, faults: {} };

	/**
	 * Held requests (hold faults), current and past, oldest first.
	 * @typedef {HoldRecord & { until: Matcher | null, timer: NodeJS.Timeout | null, resume: () => void }} Hold
	 */
	/** @type {Hold[]} */
	let holdList = [];
	let holdIds = 0;
	/** @type {Set<{ name: string | undefined, count: number, resolve: (h: HoldRecord[]) => void, reject: (e: Error) => void, timer: NodeJS.Timeout }>} */
	const holdWaiters = new Set();
	/**
	 * What `until` matching needs to know about each journaled request.
	 * @type {WeakMap<JournalEntry, { method: string, leadId: string | null, rel: string, pathname: string }>}
	 */
	const entryInfo = new WeakMap();

	const startedAt = performance.now();
	const elapsed = () => performance.now() - startedAt;

	const seedData = () => {
		leads = new Map();
		for (const lead of SEED_LEADS) leads.set(lead.id, presentLead(lead));
		for (let i = 0; i < leadCount; i++) {
			const lead = generatedLead(i);
			leads.set(lead.id, lead);
		}
		for (const extra of extraLeads) {
			const id = extra.id;
			const base = leads.get(id) || {
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
			leads.set(id, presentLead({ ...base, ...clone(extra), id }));
		}
		createdCount = 0;
	};
	/** @param {ReturnType<typeof normalizeFaults>} next */
	const applyFaults = (next) => {
		faults = next;
		bucket = { tokens: next.rateLimit ? next.rateLimit.burst : 0, last: elapsed() };
	};
	seedData();
	applyFaults(initialFaults);
	rules = initialRules.map((r) => ({ ...r }));
	const leadIds = [...leads.keys()];

	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let closing = false;

	/** @param {string} previous */
	const nextUpdatedAt = (previous) => {
		let t = now();
		const prev = Date.parse(previous);
		// Keep updated_at strictly increasing per lead even when two updates share a millisecond.
		if (Number.isFinite(prev) && t <= prev) t = prev + 1;
		return new Date(t).toISOString();
	};

	/**
	 * @param {() => void} fn
	 * @param {number} ms
	 */
	const later = (fn, ms) => {
		if (ms <= 0) {
			fn();
			return;
		}
		const timer = setTimeout(() => {
			timers.delete(timer);
			if (!closing) fn();
		}, ms);
		timers.add(timer);
	};

	/** @returns {number} 0 when a token was taken, else ms until one is available */
	const takeToken = () => {
		const limit = faults.rateLimit;
		if (!limit) return 0;
		const t = elapsed();
		bucket.tokens = Math.min(
			limit.burst,
			bucket.tokens + ((t - bucket.last) / 1000) * limit.ratePerSec,
		);
		bucket.last = t;
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return ((1 - bucket.tokens) / limit.ratePerSec) * 1000;
	};

	/**
	 * @param {number} waitMs
	 * @param {'seconds' | 'http-date'} format
	 */
	const retryAfterValue = (waitMs, format) => {
		const seconds = Math.max(1, Math.ceil(waitMs / 1000));
		if (format === 'seconds') return String(seconds);
		// HTTP dates have one-second resolution: round up so waiting until the date is enough.
		return new Date(Math.ceil((now() + waitMs) / 1000) * 1000).toUTCString();
	};

	// ---- responding ---------------------------------------------------------------------------

	/**
	 * @param {http.ServerResponse} res
	 * @param {JournalEntry | null} entry
	 * @param {number} status
	 * @param {string | Buffer} payload
	 * @param {Record<string, string>} [headers]
	 */
	const sendRaw = (res, entry, status, payload, headers = {}) => {
		if (entry) {
			entry.status = status;
			entry.durationMs = elapsed() - entry.at;
			const key = String(status);
			stats.byStatus[key] = (stats.byStatus[key] || 0) + 1;
		}
		if (!res.destroyed && !res.writableEnded) {
			const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
			/** @type {Record<string, string | number>} */
			const out = { 'content-type': JSON_TYPE, 'content-length': body.length, ...headers };
			if (status === 204 || status === 304) {
				delete out['content-length'];
				res.writeHead(status, out);
				res.end();
			} else {
				res.writeHead(status, out);
				res.end(body);
			}
		}
		if (entry) releaseAnsweredHolds(entry);
	};

	// ---- held requests ------------------------------------------------------------------------

	/** @param {Hold} hold @returns {HoldRecord} */
	const holdRecord = (hold) => ({
		id: hold.id,
		seq: hold.seq,
		name: hold.name,
		method: hold.method,
		path: hold.path,
		state: hold.state,
		heldAt: hold.heldAt,
		releasedAt: hold.releasedAt,
		releasedBy: hold.releasedBy,
	});

	/**
	 * Lets a held request go on (served normally from the rate limiter on), a tick later so that
	 * whatever released it (another request's answer, a control call) finishes first.
	 * @param {Hold} hold
	 * @param {string} reason
	 */
	const releaseHold = (hold, reason) => {
		if (hold.state !== 'held') return false;
		hold.state = 'released';
		hold.releasedBy = reason;
		hold.releasedAt = elapsed();
		if (hold.timer) {
			clearTimeout(hold.timer);
			timers.delete(hold.timer);
			hold.timer = null;
		}
		const timer = setTimeout(() => {
			timers.delete(timer);
			if (!closing) hold.resume();
		}, 0);
		timers.add(timer);
		return true;
	};

	/** @param {JournalEntry} entry the request just answered */
	const releaseAnsweredHolds = (entry) => {
		const info = entryInfo.get(entry);
		if (!info) return;
		for (const hold of holdList) {
			if (hold.state === 'held' && hold.until && hold.seq !== entry.seq && matches(hold.until, info)) {
				releaseHold(hold, `answered:${entry.seq}`);
			}
		}
	};

	/** @param {HoldFilter | undefined} filter @param {Hold} hold */
	const holdSelected = (filter, hold) =>
		!filter ||
		((filter.id === undefined || filter.id === hold.id) &&
			(filter.seq === undefined || filter.seq === hold.seq) &&
			(filter.name === undefined || filter.name === hold.name));

	/** @param {unknown} filter @returns {HoldFilter | undefined} */
	const checkHoldFilter = (filter) => {
		if (filter === undefined || filter === null) return undefined;
		if (!isPlainObject(filter)) throw new SandboxConfigError('release: the filter must be an object');
		for (const [key, value] of Object.entries(filter)) {
			if (key === 'name' && typeof value === 'string') continue;
			if ((key === 'id' || key === 'seq') && Number.isInteger(value)) continue;
			throw new SandboxConfigError(`release.${key}: unknown or invalid (id: integer, seq: integer, name: string)`);
		}
		return /** @type {HoldFilter} */ (filter);
	};

	/**
	 * Starts holding a request; `resume` serves it once released.
	 * @param {JournalEntry} entry
	 * @param {HoldFault} fault
	 * @param {() => void} resume
	 */
	const startHold = (entry, fault, resume) => {
		holdIds += 1;
		/** @type {Hold} */
		const hold = {
			id: holdIds,
			seq: entry.seq,
			name: fault.name === undefined ? null : fault.name,
			method: entry.method,
			path: entry.path,
			state: 'held',
			heldAt: elapsed(),
			releasedAt: null,
			releasedBy: null,
			until: fault.until ? normalizeMatch(fault.until, 'hold.until') : null,
			timer: null,
			resume,
		};
		const timer = setTimeout(() => {
			timers.delete(timer);
			hold.timer = null;
			if (!closing) releaseHold(hold, 'timeout');
		}, fault.maxMs === undefined ? LIMITS.defaultHoldMs : fault.maxMs);
		timers.add(timer);
		hold.timer = timer;
		holdList.push(hold);
		if (holdList.length > LIMITS.maxHoldRecords) {
			const drop = holdList.findIndex((h) => h.state !== 'held');
			if (drop !== -1) holdList.splice(drop, 1);
		}
		for (const waiter of [...holdWaiters]) {
			const held = holdList.filter(
				(h) => h.state === 'held' && (waiter.name === undefined || h.name === waiter.name),
			);
			if (held.length >= waiter.count) {
				holdWaiters.delete(waiter);
				clearTimeout(waiter.timer);
				waiter.resolve(held.map(holdRecord));
			}
		}
	};

	/**
	 * @param {http.ServerResponse} res
	 * @param {JournalEntry | null} entry
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	const sendJson = (res, entry, status, body, headers) =>
		sendRaw(res, entry, status, JSON.stringify(body), headers);

	/**
	 * @param {JournalEntry} entry
	 * @param {string} name
	 */
	const markFault = (entry, name) => {
		entry.fault = name;
		stats.faults[name] = (stats.faults[name] || 0) + 1;
	};

	/**
	 * The body a successful answer to this path would roughly have; used by `truncated`.
	 * @param {string} rel
	 */
	const plausibleBody = (rel) => {
		if (rel === '/tags') return JSON.stringify({ data: SEED_TAGS });
		const m = /^\/leads\/([^/]+)$/.exec(rel);
		const lead =
			(m && leads.get(m[1].toLowerCase())) || leads.get(SEED_LEAD_IDS[0]) || SEED_LEADS[0];
		return JSON.stringify({ success: true, lead: presentLead(lead) });
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {JournalEntry} entry
	 * @param {Fault} fault
	 * @param {string} rel
	 */
	const executeFault = (req, res, entry, fault, rel) => {
		markFault(entry, faultName(fault));
		const answer = faultAnswer(fault, { sample: () => plausibleBody(rel), retryAfter: retryAfterValue });
		if (answer === 'reset') {
			entry.durationMs = elapsed() - entry.at;
			// Hard close (TCP RST where the platform allows it) without any response bytes.
			if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
			else req.socket.destroy();
		} else if (answer) sendRaw(res, entry, answer.status, answer.payload, answer.headers);
	};

	// ---- the API ------------------------------------------------------------------------------

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {JournalEntry} entry
	 * @param {string} rel path below /api/public, without the query
	 * @param {string} query
	 * @param {string} text raw body
	 * @param {'absent' | 'valid' | 'invalid'} keyState
	 */
	const handleApi = (req, res, entry, rel, query, text, keyState) => {
		if (keyState === 'absent') return sendJson(res, entry, 401, BODIES.missingKey);
		if (keyState === 'invalid') return sendJson(res, entry, 401, BODIES.invalidKey);
		const method = req.method || 'GET';
		/**
		 * @param {string[]} allowed
		 */
		const notAllowed = (allowed) =>
			sendJson(
				res,
				entry,
				405,
				{
					error: 'Method not allowed',
					message: `${method} is not supported on ${BASE_PATH}${rel}`,
				},
				{ allow: allowed.join(', ') },
			);

		if (rel === '/tags') {
			if (method !== 'GET') return notAllowed(['GET']);
			const search = new URLSearchParams(query).get('search');
			const needle = search ? search.toLowerCase() : '';
			const data = SEED_TAGS.filter(
				(t) =>
					!needle ||
					t.name.toLowerCase().includes(needle) ||
					t.slug.toLowerCase().includes(needle) ||
					(t.description || '').toLowerCase().includes(needle),
			);
			return sendJson(res, entry, 200, { data });
		}

		if (rel === '/leads') {
			if (method !== 'POST') return notAllowed(['POST']);
			if (text.trim() === '') {
				return sendJson(res, entry, 400, {
					error: 'Validation error',
					message: 'Request body must be a lead object or an array of lead objects',
				});
			}
			const parsed = parseJson(text);
			if (!parsed.ok)
				return sendJson(res, entry, 400, { error: 'Validation error', message: parsed.message });
			/** @param {Omit<Lead, 'id' | 'created_at' | 'updated_at'>} fields */
			const create = (fields) => {
				createdCount += 1;
				const stamp = new Date(now()).toISOString();
				const lead = presentLead({
					id: createdLeadId(createdCount),
					...fields,
					created_at: stamp,
					updated_at: stamp,
				});
				leads.set(lead.id, lead);
				return presentLead(lead);
			};
			if (Array.isArray(parsed.value)) {
				const items = parsed.value;
				if (items.length === 0) {
					return sendJson(res, entry, 400, {
						error: 'Validation error',
						message: 'At least one lead is required',
					});
				}
				if (items.length > LIMITS.maxBulkLeads) {
					return sendJson(res, entry, 400, {
						error: 'Validation error',
						message: `Too many leads: at most ${LIMITS.maxBulkLeads} per request (got ${items.length})`,
					});
				}
				/** @type {Lead[]} */
				const created = [];
				/** @type {{ index: number, error: string, message: string }[]} */
				const errors = [];
				items.forEach((item, index) => {
					const result = validateCreate(item, campaignIds);
					if (result.ok) created.push(create(result.value));
					else errors.push({ index, error: 'Validation error', message: result.message });
				});
				if (created.length === 0) {
					return sendJson(res, entry, 400, {
						error: 'Validation error',
						message: `[${errors[0].index}] ${errors[0].message}`,
						errors,
					});
				}
				return sendJson(res, entry, 201, { success: true, leads: created, errors });
			}
			const result = validateCreate(parsed.value, campaignIds);
			if (!result.ok) {
				const message = isPlainObject(parsed.value)
					? result.message
					: 'Request body must be a lead object or an array of lead objects';
				return sendJson(res, entry, 400, { error: 'Validation error', message });
			}
			return sendJson(res, entry, 201, { success: true, lead: create(result.value) });
		}

		const m = /^\/leads\/([^/]+)$/.exec(rel);
		if (m) {
			if (method !== 'GET' && method !== 'PUT' && method !== 'PATCH')
				return notAllowed(['GET', 'PUT', 'PATCH']);
			let id = m[1];
			try {
				id = decodeURIComponent(id);
			} catch {
				// Leave undecodable ids as they are; they are not UUIDs and end in 404 below.
			}
			/** @type {JsonObject | null} */
			let body = null;
			if (method !== 'GET' && text.trim() === '') {
				// An empty body is treated like {}: it ends in "No fields to update" once the lead is found.
				body = {};
			} else if (method !== 'GET') {
				const parsed = parseJson(text);
				if (!parsed.ok)
					return sendJson(res, entry, 400, { error: 'Validation error', message: parsed.message });
				if (!isPlainObject(parsed.value)) {
					return sendJson(res, entry, 400, {
						error: 'Validation error',
						message: 'Request body must be a JSON object',
					});
				}
				body = parsed.value;
			}
			const lead = UUID_RE.test(id) ? leads.get(id.toLowerCase()) : undefined;
			if (!lead) return sendJson(res, entry, 404, BODIES.leadNotFound);
			if (body === null)
				return sendJson(res, entry, 200, { success: true, lead: presentLead(lead) });
			const result = validateUpdate(body, campaignIds);
			if (!result.ok)
				return sendJson(res, entry, 400, { error: 'Validation error', message: result.message });
			const changes = result.value;
			/** @type {Lead} */
			const next = { ...lead, metadata: { ...lead.metadata } };
			for (const [key, value] of Object.entries(changes)) {
				if (key === 'metadata') {
					// Shallow merge: unsent keys stay, sent keys (null included) overwrite.
					next.metadata = { ...next.metadata, .../** @type {JsonObject} */ (clone(value)) };
				} else {
					/** @type {Record<string, unknown>} */ (next)[key] = value;
				}
			}
			next.updated_at = nextUpdatedAt(lead.updated_at);
			const stored = presentLead(next);
			leads.set(stored.id, stored);
			return sendJson(res, entry, 200, { success: true, lead: presentLead(stored) });
		}

		return sendJson(res, entry, 404, {
			error: 'Not found',
			message: `The sandbox has no route ${method} ${BASE_PATH}${rel}`,
		});
	};

	// ---- control API (not journaled) ------------------------------------------------------------

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} rel path below /__sandbox
	 * @param {string} text
	 */
	const handleControl = (req, res, rel, text) => {
		const method = req.method || 'GET';
		/** @param {string} message */
		const bad = (message) => sendJson(res, null, 400, { error: 'Sandbox error', message });
		/** @param {string[]} allowed */
		const notAllowed = (allowed) =>
			sendJson(
				res,
				null,
				405,
				{
					error: 'Method not allowed',
					message: `${method} is not supported on ${CONTROL_PATH}${rel}`,
				},
				{ allow: allowed.join(', ') },
			);
		/** @returns {Result<unknown>} */
		const body = () => (text.trim() === '' ? { ok: true, value: {} } : parseJson(text));
		/** @param {() => unknown} fn */
		const guarded = (fn) => {
			try {
				return sendJson(res, null, 200, fn());
			} catch (error) {
				if (error instanceof SandboxConfigError) return bad(error.message);
				throw error;
			}
		};
		switch (rel) {
			case '/journal':
				if (method === 'GET') return sendJson(res, null, 200, { journal: api.journal() });
				if (method === 'DELETE') {
					return guarded(() => {
						api.clearJournal();
						return { success: true };
					});
				}
				return notAllowed(['GET', 'DELETE']);
			case '/faults': {
				if (method === 'GET') return sendJson(res, null, 200, { faults: clone(faults) });
				if (method !== 'POST') return notAllowed(['GET', 'POST']);
				const parsed = body();
				if (!parsed.ok) return bad(parsed.message);
				return guarded(() => {
					api.setFaults(/** @type {Faults} */ (parsed.value));
					return { success: true, faults: clone(faults) };
				});
			}
			case '/rules': {
				if (method === 'GET') {
					const list = rules.map((r) => ({
						match: { method: r.method, leadId: r.leadId, path: r.path ? String(r.path) : null },
						remaining: r.remaining === Infinity ? null : r.remaining,
						skip: r.skip,
						fault: 'type' in r.fault && r.fault.type === 'hold' && r.fault.until?.path instanceof RegExp
							? { ...r.fault, until: { ...r.fault.until, path: String(r.fault.until.path) } }
							: r.fault,
					}));
					return sendJson(res, null, 200, { rules: list });
				}
				if (method === 'DELETE') {
					return guarded(() => {
						api.clearRules();
						return { success: true };
					});
				}
				if (method !== 'POST') return notAllowed(['GET', 'POST', 'DELETE']);
				const parsed = body();
				if (!parsed.ok) return bad(parsed.message);
				return guarded(() => {
					api.addRule(/** @type {Rule} */ (parsed.value));
					return { success: true, rules: rules.length };
				});
			}
			case '/reset':
				if (method !== 'POST') return notAllowed(['POST']);
				return guarded(() => {
					api.reset();
					return { success: true };
				});
			case '/stats':
				if (method !== 'GET') return notAllowed(['GET']);
				return sendJson(res, null, 200, api.stats());
			case '/holds':
				if (method !== 'GET') return notAllowed(['GET']);
				return sendJson(res, null, 200, { holds: api.holds() });
			case '/holds/release': {
				if (method !== 'POST') return notAllowed(['POST']);
				const parsed = body();
				if (!parsed.ok) return bad(parsed.message);
				return guarded(() => {
					const filter = isPlainObject(parsed.value) && Object.keys(parsed.value).length === 0 ? undefined : parsed.value;
					return { success: true, released: api.release(/** @type {HoldFilter} */ (filter)) };
				});
			}
			default: {
				const m = /^\/leads\/([^/]+)$/.exec(rel);
				if (m) {
					if (method !== 'GET') return notAllowed(['GET']);
					const lead = api.getLead(m[1]);
					return lead
						? sendJson(res, null, 200, { lead })
						: sendJson(res, null, 404, BODIES.leadNotFound);
				}
				return sendJson(res, null, 404, {
					error: 'Not found',
					message: `No sandbox control route ${method} ${CONTROL_PATH}${rel}`,
				});
			}
		}
	};

	// ---- request entry point ------------------------------------------------------------------

	/**
	 * Reads the whole body; bodies over the limit are drained but not kept.
	 * @param {http.IncomingMessage} req
	 * @param {(text: string, bytes: number, tooLarge: boolean) => void} done
	 */
	const readBody = (req, done) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let bytes = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			bytes += chunk.length;
			if (bytes <= LIMITS.maxBodyBytes) chunks.push(chunk);
		});
		req.on('end', () =>
			done(Buffer.concat(chunks).toString('utf8'), bytes, bytes > LIMITS.maxBodyBytes),
		);
		req.on('error', () => {
			// Client went away mid-body; nothing to answer.
		});
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	const onRequest = (req, res) => {
		const rawUrl = req.url || '/';
		const q = rawUrl.indexOf('?');
		const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
		const query = q === -1 ? '' : rawUrl.slice(q + 1);

		if (pathname === CONTROL_PATH || pathname.startsWith(`${CONTROL_PATH}/`)) {
			readBody(req, (text, _bytes, tooLarge) => {
				if (tooLarge)
					return sendJson(res, null, 413, {
						error: 'Payload too large',
						message: 'Body too large',
					});
				return handleControl(req, res, pathname.slice(CONTROL_PATH.length), text);
			});
			return;
		}
		if (pathname !== BASE_PATH && !pathname.startsWith(`${BASE_PATH}/`)) {
			req.resume();
			sendJson(res, null, 404, {
				error: 'Not found',
				message: `Nothing here: the Nexor sandbox API lives under ${BASE_PATH} (control API under ${CONTROL_PATH})`,
			});
			return;
		}

		const method = req.method || 'GET';
		const rel = pathname.slice(BASE_PATH.length) || '/';
		const rawKey = req.headers['x-api-key'];
		const keyText = Array.isArray(rawKey) ? rawKey.join(', ') : rawKey;
		/** @type {'absent' | 'valid' | 'invalid'} */
		const keyState =
			keyText === undefined || keyText.trim() === ''
				? 'absent'
				: validKeys.has(keyText.trim())
					? 'valid'
					: 'invalid';
		// Texts that must never reach the journal: every configured key and whatever key was sent
		// (short strings are skipped so that scrubbing a one-letter "key" doesn't mangle bodies).
		const secrets = [
			...apiKeys,
			...(keyText && keyText.trim().length >= 8 ? [keyText.trim()] : []),
		];

		/** @type {Record<string, string | string[]>} */
		const headers = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (value === undefined) continue;
			const lower = name.toLowerCase();
			if (lower === 'x-api-key') continue;
			if (lower === 'authorization' || lower === 'proxy-authorization' || lower === 'cookie') {
				headers[lower] = '[redacted]';
				continue;
			}
			headers[lower] = Array.isArray(value)
				? value.map((v) => scrub(v, secrets))
				: scrub(value, secrets);
		}
		headers['x-api-key'] = keyState;

		seq += 1;
		/** @type {JournalEntry} */
		const entry = {
			seq,
			at: elapsed(),
			wallTime: new Date(now()).toISOString(),
			method,
			path: scrub(rawUrl, secrets),
			headers,
			body: '',
			bodyBytes: 0,
			status: null,
			fault: null,
			durationMs: null,
		};
		journal.push(entry);
		if (journal.length > journalLimit) journal.splice(0, journal.length - journalLimit);
		stats.requests += 1;
		const leadMatch = /^\/leads\/([^/]+)/.exec(rel);
		const requestInfo = { method, leadId: leadMatch ? leadMatch[1].toLowerCase() : null, rel, pathname };
		entryInfo.set(entry, requestInfo);

		readBody(req, (text, bytes, tooLarge) => {
			const kept =
				text.length > LIMITS.maxJournalBodyChars ? text.slice(0, LIMITS.maxJournalBodyChars) : text;
			entry.body = scrub(kept, secrets);
			entry.bodyBytes = bytes;
			const latency = faults.latencyMs;

			// 1. A fault (per-request header first, then rules in order) short-circuits everything.
			/** @type {Fault | null} */
			let fault = null;
			const headerFault = req.headers['x-sandbox-fault'];
			if (allowHeaderFaults && typeof headerFault === 'string' && headerFault.trim() !== '') {
				try {
					fault = normalizeFault(JSON.parse(headerFault), 'x-sandbox-fault');
				} catch (error) {
					const message =
						error instanceof SandboxConfigError ? error.message : 'x-sandbox-fault: must be JSON';
					markFault(entry, 'invalid-sandbox-fault');
					return later(
						() => sendJson(res, entry, 400, { error: 'Sandbox error', message }),
						latency,
					);
				}
			}
			if (!fault) {
				for (const rule of rules) {
					if (rule.remaining <= 0) continue;
					if (!matches(rule, requestInfo)) continue;
					if (rule.skip > 0) {
						// Let this one through untouched, as if the rule weren't there.
						rule.skip -= 1;
						continue;
					}
					rule.remaining -= 1;
					fault = rule.fault;
					break;
				}
			}

			// 2-3. Served normally: the rate limiter, then (after the latency) the application.
			const proceed = () => {
				// The rate limiter, in front of authentication (every request costs a token).
				const waitMs = takeToken();
				if (waitMs > 0 && faults.rateLimit) {
					const format = faults.rateLimit.retryAfter;
					/** @type {Record<string, string>} */
					const extra = format === 'none' ? {} : { 'retry-after': retryAfterValue(waitMs, format) };
					markFault(entry, 'rate-limit');
					stats.rateLimited += 1;
					return later(() => sendJson(res, entry, 429, BODIES.tooManyRequests, extra), latency);
				}
				// Authentication, routing, validation: the application itself.
				return later(() => {
					if (tooLarge) {
						return sendJson(res, entry, 413, {
							error: 'Payload too large',
							message: `Request body exceeds ${LIMITS.maxBodyBytes} bytes`,
						});
					}
					return handleApi(req, res, entry, rel, query, text, keyState);
				}, latency);
			};

			if (fault && 'type' in fault && fault.type === 'hold') {
				// Kept unanswered until released, then served as if no fault had matched.
				markFault(entry, 'hold');
				return startHold(entry, fault, proceed);
			}
			if (fault) {
				const chosen = fault;
				return later(() => executeFault(req, res, entry, chosen, rel), latency);
			}
			return proceed();
		});
	};

	const server = http.createServer(onRequest);
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string')
		throw new Error('sandbox: unexpected server address');
	const origin = `http://127.0.0.1:${address.port}`;

	/** @type {(reason: 'closed' | 'max-lifetime') => void} */
	let resolveClosed = () => {};
	/** @type {Promise<'closed' | 'max-lifetime'>} */
	const closed = new Promise((resolve) => {
		resolveClosed = resolve;
	});
	/** @type {Promise<void> | null} */
	let closingPromise = null;

	/** @param {'closed' | 'max-lifetime'} reason */
	const shutdown = (reason) => {
		if (closingPromise) return closingPromise;
		closing = true;
		clearTimeout(lifetimeTimer);
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
		for (const waiter of holdWaiters) {
			clearTimeout(waiter.timer);
			waiter.reject(new Error('waitForHold: the sandbox closed'));
		}
		holdWaiters.clear();
		closingPromise = /** @type {Promise<void>} */ (
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				for (const socket of sockets) socket.destroy();
				server.closeAllConnections();
			})
		).then(() => resolveClosed(reason));
		return closingPromise;
	};
	const lifetimeTimer = setTimeout(() => void shutdown('max-lifetime'), maxLifetimeMs);
	// A forgotten sandbox must not keep a test process alive on its own.
	lifetimeTimer.unref();

	/** @type {Sandbox} */
	const api = {
		baseUrl: `${origin}${BASE_PATH}`,
		origin,
		port: address.port,
		apiKey: SANDBOX_API_KEY,
		leadIds,
		campaignIds: campaigns.map((c) => c.id),
		tagIds: SEED_TAGS.map((t) => t.id),
		journal: () => clone(journal),
		clearJournal: () => {
			journal = [];
		},
		setFaults: (next) => applyFaults(normalizeFaults(next)),
		addRule: (rule) => {
			if (rules.length >= LIMITS.maxRules) {
				throw new SandboxConfigError(
					`rule: at most ${LIMITS.maxRules} rules at once (clearRules() first)`,
				);
			}
			rules.push(normalizeRule(rule));
		},
		clearRules: () => {
			rules = [];
		},
		reset: () => {
			// Held requests are let go (served against the fresh data); their history is dropped.
			const held = holdList.filter((h) => h.state === 'held');
			holdList = [];
			for (const hold of held) releaseHold(hold, 'reset');
			seedData();
			journal = [];
			seq = 0;
			// Back to the startup configuration: options.faults / options.rules (none by default).
			rules = initialRules.map((r) => ({ ...r }));
			applyFaults(initialFaults);
			stats = { requests: 0, byStatus: {}, rateLimited: 0, faults: {} };
		},
		stats: () => clone(stats),
		getLead: (id) => {
			const lead = typeof id === 'string' ? leads.get(id.toLowerCase()) : undefined;
			return lead ? presentLead(lead) : undefined;
		},
		holds: () => holdList.map(holdRecord),
		release: (filter) => {
			const checked = checkHoldFilter(filter);
			let released = 0;
			for (const hold of holdList) {
				if (hold.state === 'held' && holdSelected(checked, hold) && releaseHold(hold, 'release')) released += 1;
			}
			return released;
		},
		waitForHold: (o = {}) => {
			const name = o.name;
			const count = o.count === undefined ? 1 : o.count;
			const timeoutMs = o.timeoutMs === undefined ? 5000 : o.timeoutMs;
			if (!Number.isInteger(count) || count < 1 || count > LIMITS.maxHoldRecords) {
				return Promise.reject(new SandboxConfigError('waitForHold: count must be a positive integer'));
			}
			if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > LIMITS.maxHoldMs) {
				return Promise.reject(new SandboxConfigError(`waitForHold: timeoutMs must be in (0, ${LIMITS.maxHoldMs}]`));
			}
			const held = holdList.filter((h) => h.state === 'held' && (name === undefined || h.name === name));
			if (held.length >= count) return Promise.resolve(held.map(holdRecord));
			if (closing) return Promise.reject(new Error('waitForHold: the sandbox is closed'));
			return new Promise((resolve, reject) => {
				const waiter = {
					name,
					count,
					resolve,
					reject,
					timer: setTimeout(() => {
						holdWaiters.delete(waiter);
						reject(new Error(`waitForHold: fewer than ${count} held request(s)${name ? ` named ${name}` : ''} after ${timeoutMs} ms`));
					}, timeoutMs),
				};
				waiter.timer.unref();
				holdWaiters.add(waiter);
			});
		},
		close: () => shutdown('closed'),
		closed,
	};
	return api;
}

module.exports = {
	startSandbox,
	startRecorder,
	generatedLeadId,
	createdLeadId,
	SANDBOX_API_KEY,
	SEED_LEADS,
	SEED_LEAD_IDS,
	SEED_CAMPAIGNS,
	SEED_CAMPAIGN_IDS,
	SEED_TAGS,
	LIMITS,
	SandboxConfigError,
};
