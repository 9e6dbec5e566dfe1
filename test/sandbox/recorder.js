// @ts-check
'use strict';
/**
 * The recorder: a second host on 127.0.0.1 that only records (e.g. the target of a redirect
 * fault, to prove that the API key never reached it).
 */

const { performance } = require('node:perf_hooks');
const { LIMITS } = require('./limits.js');
const { SANDBOX_API_KEY } = require('./seed.js');
const { SandboxConfigError, isPlainObject, clone, checkStatus, checkPort, checkLifetime } = require('./validation.js');
const { JSON_TYPE, readBody, serve } = require('./http.js');
const { scrub, redactHeaders } = require('./journal.js');

/**
 * @typedef {{
 *   seq: number, at: number, method: string, path: string,
 *   headers: Record<string, string | string[]>, apiKey: 'absent' | 'present',
 *   secretSeen: boolean, body: string, bodyBytes: number
 * }} RecordedRequest
 *   `headers` are lower-cased; `x-api-key` is replaced by 'absent' or 'present' (its text is never
 *   kept), `authorization`, `proxy-authorization` and `cookie` by '[redacted]'. `secretSeen` is true
 *   when any watched secret (the sandbox key, `options.secrets`) appeared anywhere in the request:
 *   path, any header, body. Watched secrets are replaced by '[redacted]' in what is kept.
 *
 * @typedef {{
 *   port?: number, secrets?: string[], status?: number, body?: unknown,
 *   maxLifetimeMs?: number, limit?: number
 * }} RecorderOptions
 *
 * @typedef {{
 *   origin: string, port: number, url: (path?: string) => string,
 *   requests: () => RecordedRequest[], clear: () => void,
 *   close: () => Promise<void>, closed: Promise<'closed' | 'max-lifetime'>
 * }} Recorder
 */

/** Body bytes kept per recorded request. */
const KEPT_BODY_BYTES = 64 * 1024;

/**
 * Starts a recorder on 127.0.0.1: every request to any path is recorded and answered with
 * `status` (default 200) and `body` (default `{"data":[]}`, which is what Nexor's GET /tags looks
 * like, so a client that wrongly follows a redirect here would even believe it succeeded).
 * `GET /__recorder/requests` returns `{ requests }` without being recorded. Bounded like the
 * sandbox: closes itself after `maxLifetimeMs` (default 30 min), keeps at most `limit` requests.
 * @param {RecorderOptions} [options]
 * @returns {Promise<Recorder>}
 */
async function startRecorder(options = {}) {
	if (!isPlainObject(options)) throw new SandboxConfigError('recorder options: must be an object');
	const port = checkPort(options.port, 'recorder options.port');
	const secrets = [SANDBOX_API_KEY];
	for (const secret of options.secrets || []) {
		if (typeof secret !== 'string' || secret.length < 8) {
			throw new SandboxConfigError('recorder options.secrets: each must be a string of at least 8 characters');
		}
		secrets.push(secret);
	}
	const status = options.status === undefined ? 200 : checkStatus(options.status, 'recorder options.status');
	const payload = JSON.stringify(options.body === undefined ? { data: [] } : options.body);
	const maxLifetimeMs = checkLifetime(options.maxLifetimeMs, 'recorder options.maxLifetimeMs');
	const limit = options.limit === undefined ? LIMITS.maxRecorded : options.limit;
	if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.maxRecorded) {
		throw new SandboxConfigError(`recorder options.limit: must be an integer in [1, ${LIMITS.maxRecorded}]`);
	}

	/** @type {RecordedRequest[]} */
	let recorded = [];
	let seq = 0;
	const startedAt = performance.now();

	/** @param {string} text */
	const seen = (text) => secrets.some((secret) => text.includes(secret));

	/** @type {import('node:http').RequestListener} */
	const onRequest = (req, res) => {
		const rawUrl = req.url || '/';
		/** @param {string} text */
		const answer = (text) => {
			res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
			res.end(text);
		};
		if (rawUrl === '/__recorder/requests' && req.method === 'GET') {
			req.resume();
			answer(JSON.stringify({ requests: recorded }));
			return;
		}
		const at = performance.now() - startedAt;
		readBody(req, KEPT_BODY_BYTES, (text, bytes) => {
			const headerValues = Object.values(req.headers).flatMap((v) => (v === undefined ? [] : v));
			const secretSeen = seen(rawUrl) || seen(text) || headerValues.some(seen);
			const apiKey = req.headers['x-api-key'] === undefined ? 'absent' : 'present';
			seq += 1;
			recorded.push({
				seq,
				at,
				method: req.method || 'GET',
				path: scrub(rawUrl, secrets),
				headers: redactHeaders(req.headers, secrets, apiKey),
				apiKey,
				secretSeen,
				body: scrub(text, secrets),
				bodyBytes: bytes,
			});
			if (recorded.length > limit) recorded.splice(0, recorded.length - limit);
			answer(payload);
		});
	};

	const served = await serve(onRequest, { name: 'recorder', port, maxLifetimeMs, answerClientErrors: false });
	return {
		origin: served.origin,
		port: served.port,
		url: (path = '/') => `${served.origin}${path.startsWith('/') ? path : `/${path}`}`,
		requests: () => clone(recorded),
		clear: () => {
			recorded = [];
		},
		close: served.close,
		closed: served.closed,
	};
}

module.exports = { startRecorder };
