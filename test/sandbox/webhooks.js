// @ts-check
'use strict';
/**
 * Outbound webhooks (§11): the sandbox POSTs Nexor's documented envelope to a URL on this
 * machine (127.0.0.1 or localhost, http only), on request (`deliverWebhook`) or when an API call
 * fires an event (`emit`, e.g. a meeting cancel) and a target is configured. A failed attempt
 * (non-2xx, no connection, timeout) is tried again after the given delays with a new
 * `delivery_id` and the same `event_id`. Every attempt is bounded (10 s at most, 5 attempts at
 * most) and kept in a deliveries list apart from the request journal. close() stops everything.
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { LIMITS } = require('./limits.js');
const { SandboxConfigError, isPlainObject, clone } = require('./validation.js');
const { defaultEventData } = require('./routes/webhook-data.js');

/**
 * @typedef {import('./seed.js').Store} Store
 * @typedef {{ attempts?: number, delaysMs?: number[] }} WebhookRetry
 *   `attempts`: tries in all (1 to 5); `delaysMs`: the pause before the 2nd, 3rd, … try (each
 *   0 to 60,000 ms; the last one repeats when there are fewer than attempts − 1).
 * @typedef {{ url: string, retry?: WebhookRetry, timeoutMs?: number }} WebhookTarget
 *   Where emitted events go (options.webhook, setWebhook).
 * @typedef {{ url: string, retry: { attempts: number, delaysMs: number[] }, timeoutMs: number }} WebhookTargetConfig
 * @typedef {{
 *   url: string, event_type: string, data?: unknown, test?: boolean, event_id?: string,
 *   delivery_id?: string, headers?: Record<string, string>, retry?: WebhookRetry, timeoutMs?: number
 * }} DeliverOptions
 * @typedef {{ attempt: number, deliveryId: string, status: number | null, error: string | null, durationMs: number }} DeliveryAttempt
 *   `status` null: no answer (`error` says why: a connection error code, `timeout after <n> ms`).
 * @typedef {{
 *   delivered: boolean, status: number | null, body: string, eventId: string, deliveryId: string,
 *   attempts: DeliveryAttempt[], envelope: Envelope
 * }} DeliveryResult
 *   `status`, `body` (the answer's text, first 64 KiB), `deliveryId` and `envelope`: of the last attempt.
 * @typedef {{
 *   event_type: string, event_id: string, webhook_id: string, delivery_id: string,
 *   timestamp: string, client_id: string, test: boolean, data: unknown
 * }} Envelope
 * @typedef {{
 *   at: number, url: string, event_type: string, event_id: string, delivery_id: string,
 *   attempt: number, status: number | null, error: string | null, test: boolean
 * }} Delivery
 *   One attempt, as deliveries() lists it; `at`: ms since the sandbox started (the journal's clock).
 */

/** The sandbox's webhook and account (client) IDs, in every envelope. */
const SANDBOX_WEBHOOK_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b01';
const SANDBOX_CLIENT_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b02';
const USER_AGENT = 'Nexor-Webhooks/1.0 (sandbox)';
/** Nexor's real signature scheme is undocumented: the sandbox says so instead of inventing one. */
const SIGNATURE_HEADER = 'x-nexor-sandbox-signature';

/** An emitted event's retries by default: Nexor's 3 retries after 1, 5 and 30 minutes, as ms. */
const TARGET_RETRY = Object.freeze({ attempts: 4, delaysMs: Object.freeze([60, 300, 1800]) });
/** deliverWebhook's pauses when `retry.attempts` is given without `delaysMs`. */
const DEFAULT_DELAYS_MS = Object.freeze([60, 300, 1800]);

const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);
const DELIVER_KEYS = new Set([
	'url',
	'event_type',
	'data',
	'test',
	'event_id',
	'delivery_id',
	'headers',
	'retry',
	'timeoutMs',
]);

/**
 * `webhookEventId(n)`: the n-th event the sandbox made up an ID for, since it started (reset()
 * doesn't restart the count, so an ID never comes twice from one sandbox):
 * `f4000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 */
const webhookEventId = (n) => `f4000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
/**
 * `webhookDeliveryId(n)`: the n-th attempt's delivery ID since the sandbox started:
 * `f5000000-0000-4000-8000-` + n in hex.
 * @param {number} n
 */
const webhookDeliveryId = (n) => `f5000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * An http URL on 127.0.0.1 or localhost, else SandboxConfigError: the sandbox never sends a
 * webhook off this machine.
 * @param {unknown} value
 * @param {string} where
 * @returns {URL}
 */
function checkUrl(value, where) {
	/** @type {URL | null} */
	let url = null;
	try {
		url = typeof value === 'string' ? new URL(value) : null;
	} catch {
		url = null;
	}
	if (
		!url ||
		url.protocol !== 'http:' ||
		(url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') ||
		url.username !== '' ||
		url.password !== ''
	) {
		throw new SandboxConfigError(
			`${where}: must be an http:// URL on 127.0.0.1 or localhost (the sandbox sends webhooks to this machine only)`,
		);
	}
	return url;
}

/**
 * @param {unknown} value
 * @param {string} where
 * @param {{ attempts: number, delaysMs: ReadonlyArray<number> }} fallback when `value` is undefined
 * @returns {{ attempts: number, delaysMs: number[] }}
 */
function checkRetry(value, where, fallback) {
	if (value === undefined) return { attempts: fallback.attempts, delaysMs: [...fallback.delaysMs] };
	if (!isPlainObject(value)) throw new SandboxConfigError(`${where}: must be an object { attempts, delaysMs? }`);
	for (const key of Object.keys(value)) {
		if (key !== 'attempts' && key !== 'delaysMs') throw new SandboxConfigError(`${where}.${key}: unknown key (attempts, delaysMs)`);
	}
	const attempts = value.attempts === undefined ? 1 : value.attempts;
	if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > LIMITS.maxWebhookAttempts) {
		throw new SandboxConfigError(`${where}.attempts: must be an integer in [1, ${LIMITS.maxWebhookAttempts}]`);
	}
	const delays = value.delaysMs === undefined ? [...DEFAULT_DELAYS_MS] : value.delaysMs;
	if (
		!Array.isArray(delays) ||
		(delays.length === 0 && attempts > 1) ||
		delays.some((d) => typeof d !== 'number' || !(d >= 0) || d > LIMITS.maxWebhookDelayMs)
	) {
		throw new SandboxConfigError(
			`${where}.delaysMs: must be a non-empty array of numbers in [0, ${LIMITS.maxWebhookDelayMs}] (ms)`,
		);
	}
	return { attempts, delaysMs: [...delays] };
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {number}
 */
function checkTimeout(value, where) {
	if (value === undefined) return LIMITS.maxWebhookTimeoutMs;
	if (typeof value !== 'number' || !(value >= 1) || value > LIMITS.maxWebhookTimeoutMs) {
		throw new SandboxConfigError(`${where}: must be a number of ms in [1, ${LIMITS.maxWebhookTimeoutMs}]`);
	}
	return value;
}

/**
 * The webhook target (options.webhook, setWebhook): null turns it off.
 * @param {unknown} value
 * @param {string} where
 * @returns {WebhookTargetConfig | null}
 */
function normalizeTarget(value, where) {
	if (value === undefined || value === null) return null;
	if (!isPlainObject(value)) throw new SandboxConfigError(`${where}: must be an object { url, retry?, timeoutMs? } or null`);
	for (const key of Object.keys(value)) {
		if (key !== 'url' && key !== 'retry' && key !== 'timeoutMs') {
			throw new SandboxConfigError(`${where}.${key}: unknown key (url, retry, timeoutMs)`);
		}
	}
	checkUrl(value.url, `${where}.url`);
	return {
		url: /** @type {string} */ (value.url),
		retry: checkRetry(value.retry, `${where}.retry`, TARGET_RETRY),
		timeoutMs: checkTimeout(value.timeoutMs, `${where}.timeoutMs`),
	};
}

/**
 * Extra request headers: names lower-cased; they may replace the sandbox's own (content-type,
 * user-agent, the signature), but not host, content-length, transfer-encoding or connection.
 * @param {unknown} value
 * @param {string} where
 * @returns {Record<string, string>}
 */
function checkHeaders(value, where) {
	if (value === undefined) return {};
	if (!isPlainObject(value)) throw new SandboxConfigError(`${where}: must be an object of header names to strings`);
	/** @type {Record<string, string>} */
	const out = {};
	for (const [name, v] of Object.entries(value)) {
		const lower = name.toLowerCase();
		if (!HEADER_NAME_RE.test(name) || FORBIDDEN_HEADERS.has(lower)) {
			throw new SandboxConfigError(`${where}.${name}: not a header the sandbox lets you set`);
		}
		if (typeof v !== 'string' || /[\r\n\0]/.test(v)) throw new SandboxConfigError(`${where}.${name}: must be a string on one line`);
		out[lower] = v;
	}
	return out;
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {string | null}
 */
function optionalId(value, where) {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
		throw new SandboxConfigError(`${where}: must be a non-empty string of at most 200 characters`);
	}
	return value;
}

/**
 * @typedef {{
 *   url: URL, urlText: string, eventType: string, data: unknown, test: boolean,
 *   eventId: string | null, deliveryId: string | null, headers: Record<string, string>,
 *   attempts: number, delaysMs: number[], timeoutMs: number
 * }} Plan
 */

/**
 * deliverWebhook's options, checked (SandboxConfigError for the first problem).
 * @param {unknown} o
 * @returns {Plan}
 */
function checkDeliver(o) {
	const where = 'deliverWebhook';
	if (!isPlainObject(o)) throw new SandboxConfigError(`${where}: options must be an object`);
	for (const key of Object.keys(o)) {
		if (!DELIVER_KEYS.has(key)) throw new SandboxConfigError(`${where}.${key}: unknown option (${[...DELIVER_KEYS].join(', ')})`);
	}
	const url = checkUrl(o.url, `${where}.url`);
	if (typeof o.event_type !== 'string' || o.event_type.trim() === '' || o.event_type.length > 100) {
		throw new SandboxConfigError(`${where}.event_type: must be a non-empty string, e.g. "meeting.cancelled"`);
	}
	if (o.test !== undefined && typeof o.test !== 'boolean') throw new SandboxConfigError(`${where}.test: must be a boolean`);
	const retry = checkRetry(o.retry, `${where}.retry`, { attempts: 1, delaysMs: DEFAULT_DELAYS_MS });
	return {
		url,
		urlText: /** @type {string} */ (o.url),
		eventType: o.event_type,
		data: o.data,
		test: o.test === true,
		eventId: optionalId(o.event_id, `${where}.event_id`),
		deliveryId: optionalId(o.delivery_id, `${where}.delivery_id`),
		headers: checkHeaders(o.headers, `${where}.headers`),
		attempts: retry.attempts,
		delaysMs: retry.delaysMs,
		timeoutMs: checkTimeout(o.timeoutMs, `${where}.timeoutMs`),
	};
}

/**
 * @param {{ store: Store, now: () => number, elapsed: () => number, target: WebhookTargetConfig | null }} o
 *   `target`: the startup target (options.webhook), restored by reset()
 */
function createWebhooks(o) {
	const { store, now, elapsed } = o;
	let target = o.target;
	/** @type {Delivery[]} */
	let deliveries = [];
	let generation = 0;
	let eventCount = 0;
	let deliveryCount = 0;
	let closed = false;
	/** @type {Set<http.ClientRequest>} */
	const requests = new Set();
	/** @type {Set<{ timer: NodeJS.Timeout, resolve: (waited: boolean) => void }>} */
	const waits = new Set();
	/** @type {Set<Promise<unknown>>} */
	const background = new Set();

	/**
	 * Waits `ms`, unless the sandbox closes first (then false).
	 * @param {number} ms
	 * @returns {Promise<boolean>}
	 */
	const pause = (ms) =>
		new Promise((resolve) => {
			if (closed) return resolve(false);
			const wait = {
				timer: setTimeout(() => {
					waits.delete(wait);
					resolve(true);
				}, ms),
				resolve,
			};
			waits.add(wait);
		});

	/**
	 * One POST; never rejects.
	 * @param {URL} url
	 * @param {Record<string, string>} headers
	 * @param {string} payload
	 * @param {number} timeoutMs
	 * @returns {Promise<{ status: number | null, body: string, error: string | null }>}
	 */
	const post = (url, headers, payload, timeoutMs) =>
		new Promise((resolve) => {
			let done = false;
			/** @type {Buffer[]} */
			const chunks = [];
			let kept = 0;
			const body = () => Buffer.concat(chunks).toString('utf8');
			/** @param {{ status: number | null, body: string, error: string | null }} r */
			const finish = (r) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				requests.delete(req);
				resolve(r);
			};
			const req = http.request({
				// localhost is this machine's loopback; no name lookup at all.
				host: '127.0.0.1',
				port: Number(url.port) || 80,
				path: `${url.pathname}${url.search}`,
				method: 'POST',
				headers,
				agent: false,
			});
			requests.add(req);
			const timer = setTimeout(() => {
				finish({ status: null, body: '', error: `timeout after ${timeoutMs} ms` });
				req.destroy();
			}, timeoutMs);
			req.on('response', (res) => {
				res.on('data', (/** @type {Buffer} */ chunk) => {
					if (kept < LIMITS.maxWebhookAnswerBytes) {
						const part = chunk.subarray(0, LIMITS.maxWebhookAnswerBytes - kept);
						chunks.push(part);
						kept += part.length;
					}
				});
				res.on('end', () => finish({ status: res.statusCode || null, body: body(), error: null }));
				res.on('error', (error) => finish({ status: res.statusCode || null, body: body(), error: error.message }));
			});
			req.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
				finish({ status: null, body: '', error: closed ? 'sandbox closed' : error.code || error.message });
			});
			req.end(payload);
		});

	/** @param {Delivery} d */
	const record = (d) => {
		deliveries.push(d);
		if (deliveries.length > LIMITS.maxDeliveries) deliveries.splice(0, deliveries.length - LIMITS.maxDeliveries);
	};

	/**
	 * Every attempt of one event, until one gets a 2xx or none is left.
	 * @param {Plan} plan
	 * @returns {Promise<DeliveryResult>}
	 */
	const run = async (plan) => {
		const startedIn = generation;
		const eventId = plan.eventId || webhookEventId(++eventCount);
		const timestamp = new Date(now()).toISOString();
		const data = plan.data === undefined ? defaultEventData(store, plan.eventType, timestamp) : plan.data;
		/** @type {DeliveryAttempt[]} */
		const attempts = [];
		/** @type {{ status: number | null, body: string, error: string | null }} */
		let last = { status: null, body: '', error: null };
		/** @type {Envelope | null} */
		let envelope = null;
		for (let attempt = 1; attempt <= plan.attempts; attempt++) {
			if (attempt > 1 && !(await pause(plan.delaysMs[Math.min(attempt - 2, plan.delaysMs.length - 1)]))) break;
			if (closed) break;
			const deliveryId = attempt === 1 && plan.deliveryId ? plan.deliveryId : webhookDeliveryId(++deliveryCount);
			envelope = {
				event_type: plan.eventType,
				event_id: eventId,
				webhook_id: SANDBOX_WEBHOOK_ID,
				delivery_id: deliveryId,
				timestamp,
				client_id: SANDBOX_CLIENT_ID,
				test: plan.test,
				data,
			};
			const payload = JSON.stringify(envelope);
			const at = elapsed();
			const started = performance.now();
			last = await post(
				plan.url,
				{
					host: plan.url.host,
					'content-type': 'application/json',
					'user-agent': USER_AGENT,
					[SIGNATURE_HEADER]: 'unsigned',
					...plan.headers,
					'content-length': String(Buffer.byteLength(payload)),
				},
				payload,
				plan.timeoutMs,
			);
			const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
			attempts.push({ attempt, deliveryId, status: last.status, error: last.error, durationMs });
			if (generation === startedIn) {
				record({
					at,
					url: plan.urlText,
					event_type: plan.eventType,
					event_id: eventId,
					delivery_id: deliveryId,
					attempt,
					status: last.status,
					error: last.error,
					test: plan.test,
				});
			}
			if (last.status !== null && last.status >= 200 && last.status < 300) break;
		}
		const delivered = last.status !== null && last.status >= 200 && last.status < 300;
		if (!envelope || (closed && !delivered)) throw new Error('The sandbox closed during the webhook delivery');
		return {
			delivered,
			status: last.status,
			body: last.body,
			eventId,
			deliveryId: envelope.delivery_id,
			attempts,
			envelope: clone(envelope),
		};
	};

	/**
	 * Checks the options at once (a bad one rejects with SandboxConfigError), then delivers.
	 * @param {unknown} options
	 * @returns {{ ok: true, plan: Plan } | { ok: false, error: Error }}
	 */
	const plan = (options) => {
		if (closed) return { ok: false, error: new Error('The sandbox is closed') };
		try {
			const checked = checkDeliver(options);
			if (checked.data === undefined && defaultEventData(store, checked.eventType, '') === undefined) {
				throw new SandboxConfigError(`deliverWebhook.data: required for event type "${checked.eventType}" (it has no default)`);
			}
			return { ok: true, plan: checked };
		} catch (error) {
			return { ok: false, error: /** @type {Error} */ (error) };
		}
	};

	return {
		/**
		 * @param {DeliverOptions} options
		 * @returns {Promise<DeliveryResult>}
		 */
		deliver: (options) => {
			const p = plan(options);
			return p.ok ? run(p.plan) : Promise.reject(p.error);
		},
		/**
		 * Queues an event for the configured target (nothing without one); never throws.
		 * @param {string} eventType
		 * @param {unknown} data
		 */
		emit: (eventType, data) => {
			if (!target || closed) return;
			const p = plan({
				url: target.url,
				event_type: eventType,
				data,
				retry: { attempts: target.retry.attempts, delaysMs: target.retry.delaysMs },
				timeoutMs: target.timeoutMs,
			});
			if (!p.ok) return;
			const running = run(p.plan).catch(() => undefined);
			background.add(running);
			void running.then(() => background.delete(running));
		},
		/**
		 * Resolves with deliveries() once no emitted event is still being delivered.
		 * @returns {Promise<Delivery[]>}
		 */
		settle: async () => {
			while (background.size > 0) await Promise.all([...background]);
			return clone(deliveries);
		},
		/** @returns {Delivery[]} */
		deliveries: () => clone(deliveries),
		/** @returns {WebhookTargetConfig | null} */
		getTarget: () => clone(target),
		/**
		 * @param {WebhookTarget | null} next
		 * @returns {WebhookTargetConfig | null}
		 */
		setTarget: (next) => {
			target = normalizeTarget(next, 'setWebhook');
			return clone(target);
		},
		/** Forgets the deliveries (attempts still running are not listed) and restores the startup target. */
		reset: () => {
			generation += 1;
			deliveries = [];
			target = o.target;
		},
		/** Stops every pause and open request; running deliveries end (deliverWebhook rejects). */
		close: () => {
			closed = true;
			for (const wait of waits) {
				clearTimeout(wait.timer);
				wait.resolve(false);
			}
			waits.clear();
			for (const req of requests) req.destroy();
		},
	};
}

/** @typedef {ReturnType<typeof createWebhooks>} Webhooks */

module.exports = {
	createWebhooks,
	normalizeTarget,
	webhookEventId,
	webhookDeliveryId,
	SANDBOX_WEBHOOK_ID,
	SANDBOX_CLIENT_ID,
	USER_AGENT,
	SIGNATURE_HEADER,
};
