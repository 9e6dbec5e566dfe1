// @ts-check
'use strict';
/**
 * Fault shapes: checking one (from a rule, the x-sandbox-fault header or a hold's settings), the
 * name it gets in the journal and stats, and the answer it gives instead of the operation.
 * A new fault type changes this file (and README "Fault shapes") only.
 */

const http = require('node:http');
const { LIMITS } = require('../limits.js');
const { SandboxConfigError, isPlainObject, hasOwn, clone, checkStatus } = require('../validation.js');
const { HTML_TYPE, BODIES } = require('../http.js');
const { normalizeMatch } = require('./match.js');

/**
 * @typedef {import('./match.js').RuleMatch} RuleMatch
 *
 * @typedef {number | string | { seconds: number, format?: 'seconds' | 'http-date' }} RetryAfterSpec
 *   number: `Retry-After: <n>`; 'none': no header; other string: sent verbatim;
 *   object: computed when answering (seconds from now, as delta-seconds or as an HTTP date).
 * @typedef {{
 *   status: number, body?: unknown, headers?: Record<string, string>, retryAfter?: RetryAfterSpec
 * }} StatusFault
 * @typedef {{ type: 'reset' }} ResetFault
 * @typedef {{ type: 'hang' }} HangFault
 * @typedef {{ type: 'html', status?: number, body?: string }} HtmlFault
 * @typedef {{ type: 'truncated', status?: number }} TruncatedFault
 * @typedef {{ type: 'unexpected', status?: number, body?: unknown }} UnexpectedFault
 * @typedef {{ type: 'redirect', status?: 301 | 302 | 303 | 307 | 308, location: string }} RedirectFault
 *   Answers with that status (default 302) and `Location: <location>`; never follows or proxies it.
 *   `location` is a path on this sandbox ("/x") or an http(s) URL on a loopback host (127.0.0.0/8,
 *   localhost, [::1]), e.g. a recorder's URL.
 * @typedef {{ type: 'hold', name?: string, maxMs?: number, until?: RuleMatch }} HoldFault
 *   Keeps the request unanswered until release() (or POST /__sandbox/holds/release), until a later
 *   request matching `until` has been answered, or until `maxMs` (default 10 s, at most 60 s) have
 *   passed; then it is served normally (rate limit, latency, authentication, the operation).
 * @typedef {StatusFault | ResetFault | HangFault | HtmlFault | TruncatedFault | UnexpectedFault | RedirectFault | HoldFault} Fault
 *
 * @typedef {{ status: number, payload: string | Buffer, headers: Record<string, string> }} RawAnswer
 */

const REDIRECT_STATUSES = Object.freeze([301, 302, 303, 307, 308]);

/**
 * @param {unknown} input
 * @param {string} where
 * @returns {Fault}
 */
function normalizeFault(input, where) {
	if (!isPlainObject(input)) throw new SandboxConfigError(`${where}: must be an object`);
	/** @param {string[]} allowed */
	const onlyKeys = (allowed) => {
		for (const key of Object.keys(input)) {
			if (!allowed.includes(key)) {
				throw new SandboxConfigError(
					`${where}.${key}: unknown key (allowed: ${allowed.join(', ')})`,
				);
			}
		}
	};
	if (input.type === undefined) {
		onlyKeys(['status', 'body', 'headers', 'retryAfter']);
		const status = checkStatus(input.status, `${where}.status`);
		/** @type {StatusFault} */
		const fault = { status };
		if (hasOwn(input, 'body')) fault.body = clone(input.body);
		if (input.headers !== undefined) {
			if (!isPlainObject(input.headers))
				throw new SandboxConfigError(`${where}.headers: must be an object`);
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [k, v] of Object.entries(input.headers)) {
				if (typeof v !== 'string' || /[\r\n]/.test(v) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) {
					throw new SandboxConfigError(
						`${where}.headers.${k}: must be a valid header with a string value`,
					);
				}
				headers[k.toLowerCase()] = v;
			}
			fault.headers = headers;
		}
		if (input.retryAfter !== undefined) {
			const ra = input.retryAfter;
			const okNumber = typeof ra === 'number' && Number.isFinite(ra) && ra >= 0 && ra <= 86_400;
			const okString = typeof ra === 'string' && !/[\r\n]/.test(ra);
			const okObject =
				isPlainObject(ra) &&
				typeof ra.seconds === 'number' &&
				Number.isFinite(ra.seconds) &&
				ra.seconds >= 0 &&
				ra.seconds <= 86_400 &&
				(ra.format === undefined || ra.format === 'seconds' || ra.format === 'http-date');
			if (!okNumber && !okString && !okObject) {
				throw new SandboxConfigError(
					`${where}.retryAfter: must be seconds (0..86400), a string, or { seconds, format: 'seconds' | 'http-date' }`,
				);
			}
			fault.retryAfter = /** @type {RetryAfterSpec} */ (clone(ra));
		}
		return fault;
	}
	switch (input.type) {
		case 'reset':
			onlyKeys(['type']);
			return { type: 'reset' };
		case 'hang':
			onlyKeys(['type']);
			return { type: 'hang' };
		case 'html': {
			onlyKeys(['type', 'status', 'body']);
			/** @type {HtmlFault} */
			const fault = { type: 'html' };
			if (input.status !== undefined) fault.status = checkStatus(input.status, `${where}.status`);
			if (input.body !== undefined) {
				if (typeof input.body !== 'string')
					throw new SandboxConfigError(`${where}.body: must be a string`);
				fault.body = input.body;
			}
			return fault;
		}
		case 'truncated': {
			onlyKeys(['type', 'status']);
			/** @type {TruncatedFault} */
			const fault = { type: 'truncated' };
			if (input.status !== undefined) fault.status = checkStatus(input.status, `${where}.status`);
			return fault;
		}
		case 'unexpected': {
			onlyKeys(['type', 'status', 'body']);
			/** @type {UnexpectedFault} */
			const fault = { type: 'unexpected' };
			if (input.status !== undefined) fault.status = checkStatus(input.status, `${where}.status`);
			if (hasOwn(input, 'body')) fault.body = clone(input.body);
			return fault;
		}
		case 'redirect': {
			onlyKeys(['type', 'status', 'location']);
			/** @type {RedirectFault} */
			const fault = { type: 'redirect', location: checkLocation(input.location, `${where}.location`) };
			if (input.status !== undefined) {
				if (!REDIRECT_STATUSES.includes(/** @type {number} */ (input.status))) {
					throw new SandboxConfigError(`${where}.status: must be one of ${REDIRECT_STATUSES.join(', ')}`);
				}
				fault.status = /** @type {RedirectFault['status']} */ (input.status);
			}
			return fault;
		}
		case 'hold': {
			onlyKeys(['type', 'name', 'maxMs', 'until']);
			/** @type {HoldFault} */
			const fault = { type: 'hold' };
			if (input.name !== undefined) {
				if (typeof input.name !== 'string' || input.name === '' || input.name.length > 100) {
					throw new SandboxConfigError(`${where}.name: must be a non-empty string of at most 100 characters`);
				}
				fault.name = input.name;
			}
			if (input.maxMs !== undefined) {
				const v = input.maxMs;
				if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > LIMITS.maxHoldMs) {
					throw new SandboxConfigError(`${where}.maxMs: must be a number in (0, ${LIMITS.maxHoldMs}]`);
				}
				fault.maxMs = v;
			}
			if (input.until !== undefined && input.until !== null) {
				// Checked now; kept as given (a RegExp path stays a RegExp) and compiled when held.
				normalizeMatch(input.until, `${where}.until`);
				const until = /** @type {RuleMatch} */ (input.until);
				fault.until = until.path instanceof RegExp ? { ...until } : clone(until);
			}
			return fault;
		}
		default:
			throw new SandboxConfigError(
				`${where}.type: must be 'reset', 'hang', 'html', 'truncated', 'unexpected', 'redirect' or 'hold' (or omit it and give a status)`,
			);
	}
}

/**
 * A redirect target: a path on this sandbox, or an http(s) URL on a loopback host, so a redirect
 * fault can never send a client off this machine.
 * @param {unknown} value
 * @param {string} where
 * @returns {string}
 */
function checkLocation(value, where) {
	if (typeof value !== 'string' || value === '' || value.length > LIMITS.maxLocationChars) {
		throw new SandboxConfigError(`${where}: must be a non-empty string of at most ${LIMITS.maxLocationChars} characters`);
	}
	if (/[\u0000-\u001f\u007f]/.test(value)) {
		throw new SandboxConfigError(`${where}: must not contain control characters`);
	}
	if (value.startsWith('/') && !value.startsWith('//')) return value;
	/** @type {URL} */
	let url;
	try {
		url = new URL(value);
	} catch {
		throw new SandboxConfigError(`${where}: must be a path ("/…") or an absolute http(s) URL`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new SandboxConfigError(`${where}: must be an http(s) URL`);
	}
	if (!isLoopbackHostname(url.hostname)) {
		throw new SandboxConfigError(
			`${where}: the host must be loopback (127.0.0.0/8, localhost or [::1]); got ${url.hostname}`,
		);
	}
	return value;
}

/**
 * 127.0.0.0/8, localhost or [::1], as the WHATWG URL parser reads the host.
 * @param {string} hostname `URL#hostname`
 */
function isLoopbackHostname(hostname) {
	const name = hostname.toLowerCase();
	return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** @type {Record<number, { error: string, message: string }>} */
const DEFAULT_FAULT_BODIES = {
	400: { error: 'Validation error', message: 'Injected validation error' },
	401: BODIES.invalidKey,
	403: { error: 'Forbidden', message: 'Injected forbidden error' },
	404: BODIES.leadNotFound,
	409: { error: 'Conflict', message: 'Injected conflict' },
	429: BODIES.tooManyRequests,
	500: { error: 'Internal server error', message: 'An unexpected error occurred' },
	502: { error: 'Bad gateway', message: 'The upstream server returned an invalid response' },
	503: {
		error: 'Service unavailable',
		message: 'The service is temporarily unavailable, retry later',
	},
	504: { error: 'Gateway timeout', message: 'The upstream server did not respond in time' },
};

/** @param {number} status */
function proxyErrorPage(status) {
	const text = status === 200 ? 'Bad Gateway' : `${status} ${http.STATUS_CODES[status] || 'Error'}`;
	return (
		'<!DOCTYPE html>\n<html>\n<head><title>' +
		text +
		'</title></head>\n<body>\n<center><h1>' +
		text +
		'</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n'
	);
}

/**
 * The name a fault gets in the journal and in stats.faults.
 * @param {Fault} fault
 */
function faultName(fault) {
	if (!('type' in fault)) return `status:${fault.status}`;
	if (fault.type === 'redirect') return `redirect:${fault.status || 302}`;
	return fault.type;
}

/** @param {number} status @param {string} location */
function redirectPage(status, location) {
	const text = `${status} ${http.STATUS_CODES[status] || 'Redirect'}`;
	const safe = location.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
	return `<html>\n<head><title>${text}</title></head>\n<body>\n<center><h1>${text}</h1></center>\n<p><a href="${safe}">${safe}</a></p>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

/**
 * The answer a fault gives in place of the operation: `'reset'` (destroy the socket), `null` (no
 * answer: hang, or a hold, which is handled before this is reached) or what to send.
 * @param {Fault} fault
 * @param {{ sample: () => string, retryAfter: (waitMs: number, format: 'seconds' | 'http-date') => string }} o
 *   `sample`: the body a successful GET of the path would have (for `truncated`);
 *   `retryAfter`: a computed Retry-After value
 * @returns {RawAnswer | 'reset' | null}
 */
function faultAnswer(fault, o) {
	if (!('type' in fault)) {
		/** @type {Record<string, string>} */
		const headers = { ...(fault.headers || {}) };
		const ra = fault.retryAfter;
		if (typeof ra === 'number') headers['retry-after'] = String(Math.ceil(ra));
		else if (typeof ra === 'string' && ra !== 'none') headers['retry-after'] = ra;
		else if (ra !== undefined && typeof ra === 'object') {
			headers['retry-after'] = o.retryAfter(ra.seconds * 1000, ra.format || 'seconds');
		}
		/** @param {string} payload */
		const answer = (payload) => ({ status: fault.status, payload, headers });
		if (!hasOwn(fault, 'body')) {
			const body =
				DEFAULT_FAULT_BODIES[fault.status] ||
				(fault.status < 300
					? { success: true }
					: { error: 'Sandbox fault', message: `Injected HTTP ${fault.status}` });
			return answer(JSON.stringify(body));
		}
		if (typeof fault.body === 'string') return answer(fault.body);
		if (fault.body === null) return answer('');
		return answer(JSON.stringify(fault.body));
	}
	switch (fault.type) {
		case 'reset':
			return 'reset';
		case 'hang':
			// Never answered; close() destroys the socket.
			return null;
		case 'html': {
			const status = fault.status || 200;
			const payload = fault.body === undefined ? proxyErrorPage(status) : fault.body;
			return { status, payload, headers: { 'content-type': HTML_TYPE } };
		}
		case 'truncated': {
			const full = Buffer.from(o.sample(), 'utf8');
			return { status: fault.status || 200, payload: full.subarray(0, Math.floor(full.length / 2)), headers: {} };
		}
		case 'unexpected': {
			const body = hasOwn(fault, 'body') ? fault.body : { ok: true };
			return { status: fault.status || 200, payload: JSON.stringify(body), headers: {} };
		}
		case 'redirect': {
			const status = fault.status || 302;
			return {
				status,
				payload: redirectPage(status, fault.location),
				headers: { 'content-type': HTML_TYPE, location: fault.location },
			};
		}
		case 'hold':
			// Handled before the answer is chosen (the request pipeline); never an answer by itself.
			return null;
	}
}

module.exports = { normalizeFault, faultName, faultAnswer };
