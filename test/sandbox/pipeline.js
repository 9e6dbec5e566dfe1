// @ts-check
'use strict';
/**
 * What happens to every /api/public request, in order (README "Order of processing"):
 * 1. journal it on arrival and read the whole body;
 * 2. look for a fault: the x-sandbox-fault header, then the rules (a hold pauses here);
 * 3. take a token from the rate limiter;
 * 4. wait out the latency;
 * 5. check the API key;
 * 6. route it (routes/), which parses, looks up, validates and applies.
 * An injected fault skips 3, 5 and 6: it never runs the operation.
 */

const { LIMITS } = require('./limits.js');
const { BASE_PATH, BODIES, reply, writeResponse, readBody } = require('./http.js');
const { requestInfo } = require('./faults/match.js');
const { faultName, faultAnswer } = require('./faults/fault.js');
const { headerFault } = require('./faults/rules.js');
const { apiRouter, fallbackSample } = require('./routes/index.js');

/**
 * @typedef {import('./routes/index.js').ApiContext} ApiContext
 * @typedef {import('./http.js').Reply} Reply
 * @typedef {import('./faults/fault.js').Fault} Fault
 * @typedef {'absent' | 'valid' | 'invalid'} KeyState
 *
 * @typedef {{
 *   apiKeys: string[], allowHeaderFaults: boolean,
 *   journal: import('./journal.js').Journal, settings: import('./faults/settings.js').Settings,
 *   rules: import('./faults/rules.js').Rules, holds: import('./faults/holds.js').Holds,
 *   scheduler: import('./timers.js').Scheduler, ctx: ApiContext
 * }} PipelineParts
 */

/**
 * The key's state and the texts that must never reach the journal: every configured key and
 * whatever key was sent (short strings are skipped so that scrubbing a one-letter "key" doesn't
 * mangle bodies). An empty header counts as missing.
 * @param {string | string[] | undefined} header
 * @param {string[]} apiKeys
 * @returns {{ keyState: KeyState, secrets: string[] }}
 */
function readKey(header, apiKeys) {
	const keyText = Array.isArray(header) ? header.join(', ') : header;
	/** @type {KeyState} */
	const keyState =
		keyText === undefined || keyText.trim() === ''
			? 'absent'
			: apiKeys.includes(keyText.trim())
				? 'valid'
				: 'invalid';
	const secrets = [...apiKeys, ...(keyText && keyText.trim().length >= 8 ? [keyText.trim()] : [])];
	return { keyState, secrets };
}

/**
 * @param {PipelineParts} p
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse,
 *   rawUrl: string, pathname: string, query: string) => void}
 */
function createApiHandler(p) {
	const { journal, settings, rules, holds, scheduler, ctx } = p;
	return (req, res, rawUrl, pathname, query) => {
		const method = req.method || 'GET';
		const rel = pathname.slice(BASE_PATH.length) || '/';
		const { keyState, secrets } = readKey(req.headers['x-api-key'], p.apiKeys);
		const entry = journal.open({ method, rawUrl, headers: req.headers, keyState, secrets });
		const info = requestInfo(method, rel, pathname);

		/**
		 * Answers, journals the status, and lets go the holds waiting for such an answer.
		 * @param {number} status
		 * @param {string | Buffer} payload
		 * @param {Record<string, string>} [headers]
		 */
		const send = (status, payload, headers) => {
			journal.finish(entry, status);
			writeResponse(res, status, payload, headers);
			holds.answered(entry.seq, info);
		};
		/** @param {Reply} r */
		const sendReply = (r) => send(r.status, JSON.stringify(r.body), r.headers);

		/** @param {Fault} fault */
		const answerFault = (fault) => {
			journal.markFault(entry, faultName(fault));
			const answer = faultAnswer(fault, {
				sample: () => {
					const body = apiRouter.sample(rel, ctx, method);
					return JSON.stringify(body === undefined ? fallbackSample(ctx) : body);
				},
				retryAfter: settings.retryAfter,
			});
			if (answer === 'reset') {
				journal.finish(entry, null);
				// Hard close (TCP RST where the platform allows it) without any response bytes.
				if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
				else req.socket.destroy();
			} else if (answer) send(answer.status, answer.payload, answer.headers);
		};

		readBody(req, LIMITS.maxBodyBytes, (text, bytes, tooLarge) => {
			journal.setBody(entry, text, bytes, secrets);
			const latency = settings.get().latencyMs;

			// Served normally: the rate limiter (in front of authentication: every request costs a
			// token), then, after the latency, the application.
			const proceed = () => {
				const waitMs = settings.takeToken();
				const limit = settings.get().rateLimit;
				if (waitMs > 0 && limit) {
					const format = limit.retryAfter;
					/** @type {Record<string, string>} */
					const extra = format === 'none' ? {} : { 'retry-after': settings.retryAfter(waitMs, format) };
					journal.markFault(entry, 'rate-limit');
					journal.countRateLimited();
					return scheduler.later(() => sendReply(reply(429, BODIES.tooManyRequests, extra)), latency);
				}
				return scheduler.later(() => {
					if (tooLarge) {
						const message = `Request body exceeds ${LIMITS.maxBodyBytes} bytes`;
						return sendReply(reply(413, { error: 'Payload too large', message }));
					}
					if (keyState === 'absent') return sendReply(reply(401, BODIES.missingKey));
					if (keyState === 'invalid') return sendReply(reply(401, BODIES.invalidKey));
					return sendReply(apiRouter.dispatch({ method, rel, query, text }, ctx));
				}, latency);
			};

			// A fault (the per-request header first, then the rules in order) short-circuits everything.
			/** @type {Fault | null} */
			let fault = null;
			const header = req.headers['x-sandbox-fault'];
			if (p.allowHeaderFaults && typeof header === 'string' && header.trim() !== '') {
				const picked = headerFault(header);
				if ('error' in picked) {
					journal.markFault(entry, 'invalid-sandbox-fault');
					const body = { error: 'Sandbox error', message: picked.error };
					return scheduler.later(() => sendReply(reply(400, body)), latency);
				}
				fault = picked.fault;
			}
			if (!fault) fault = rules.pick(info);
			if (fault && 'type' in fault && fault.type === 'hold') {
				// Kept unanswered until released, then served as if no fault had matched.
				journal.markFault(entry, 'hold');
				return holds.start(entry, fault, proceed);
			}
			if (fault) {
				const chosen = fault;
				return scheduler.later(() => answerFault(chosen), latency);
			}
			return proceed();
		});
	};
}

module.exports = { createApiHandler };
