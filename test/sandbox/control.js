// @ts-check
'use strict';
/**
 * The control API under /__sandbox: the sandbox object's methods over HTTP, for a client in
 * another process. Not journaled, no key, no faults. Webhook deliveries have their own list
 * (GET /__sandbox/webhooks/deliveries).
 */

const { LIMITS } = require('./limits.js');
const { SandboxConfigError, isPlainObject, clone, parseJson } = require('./validation.js');
const { CONTROL_PATH, BODIES, reply, writeResponse, readBody } = require('./http.js');
const { createRouter } = require('./router.js');

/**
 * @typedef {import('./server.js').Sandbox} Sandbox
 * @typedef {import('./server.js').Faults} Faults
 * @typedef {import('./server.js').Rule} Rule
 * @typedef {import('./server.js').HoldFilter} HoldFilter
 * @typedef {{ sandbox: Sandbox, settings: import('./faults/settings.js').Settings,
 *   rules: import('./faults/rules.js').Rules }} ControlContext
 * @typedef {import('./router.js').Route<ControlContext, Reply | Promise<Reply>>} Route
 *   A control handler may answer later (webhooks/deliver waits for the target's answers).
 * @typedef {import('./router.js').RouteRequest} RouteRequest
 * @typedef {import('./http.js').Reply} Reply
 */

/** @param {string} message */
const bad = (message) => reply(400, { error: 'Sandbox error', message });

/**
 * A control route that takes a JSON body (empty means `{}`); invalid JSON gets 400.
 * @param {(value: unknown, ctx: ControlContext) => unknown} fn answers 200 with what it returns
 * @returns {Route['handle']}
 */
const withBody = (fn) => (req, ctx) => {
	const parsed = req.text.trim() === '' ? { ok: /** @type {const} */ (true), value: {} } : parseJson(req.text);
	return parsed.ok ? reply(200, fn(parsed.value, ctx)) : bad(parsed.message);
};

/**
 * @param {(ctx: ControlContext, req: RouteRequest) => unknown} fn answers 200 with what it returns
 * @returns {Route['handle']}
 */
const ok = (fn) => (req, ctx) => reply(200, fn(ctx, req));

/** @type {Route[]} */
const CONTROL_ROUTES = [
	{ method: 'GET', path: '/journal', handle: ok(({ sandbox }) => ({ journal: sandbox.journal() })) },
	{
		method: 'DELETE',
		path: '/journal',
		handle: ok(({ sandbox }) => {
			sandbox.clearJournal();
			return { success: true };
		}),
	},
	{ method: 'GET', path: '/faults', handle: ok(({ settings }) => ({ faults: clone(settings.get()) })) },
	{
		method: 'POST',
		path: '/faults',
		handle: withBody((value, { sandbox, settings }) => {
			sandbox.setFaults(/** @type {Faults} */ (value));
			return { success: true, faults: clone(settings.get()) };
		}),
	},
	{ method: 'GET', path: '/rules', handle: ok(({ rules }) => ({ rules: rules.describe() })) },
	{
		method: 'POST',
		path: '/rules',
		handle: withBody((value, { sandbox, rules }) => {
			sandbox.addRule(/** @type {Rule} */ (value));
			return { success: true, rules: rules.count() };
		}),
	},
	{
		method: 'DELETE',
		path: '/rules',
		handle: ok(({ sandbox }) => {
			sandbox.clearRules();
			return { success: true };
		}),
	},
	{
		method: 'POST',
		path: '/reset',
		handle: ok(({ sandbox }) => {
			sandbox.reset();
			return { success: true };
		}),
	},
	{ method: 'GET', path: '/stats', handle: ok(({ sandbox }) => sandbox.stats()) },
	{ method: 'GET', path: '/shapes', handle: ok(({ sandbox }) => ({ shapes: sandbox.getShapes() })) },
	{
		method: 'POST',
		path: '/shapes',
		handle: withBody((value, { sandbox }) => ({
			success: true,
			shapes: sandbox.setShapes(/** @type {Partial<import('./server.js').Shapes>} */ (value)),
		})),
	},
	{ method: 'GET', path: '/holds', handle: ok(({ sandbox }) => ({ holds: sandbox.holds() })) },
	{
		method: 'POST',
		path: '/holds/release',
		handle: withBody((value, { sandbox }) => {
			const filter = isPlainObject(value) && Object.keys(value).length === 0 ? undefined : value;
			return { success: true, released: sandbox.release(/** @type {HoldFilter} */ (filter)) };
		}),
	},
	{ method: 'GET', path: '/webhooks', handle: ok(({ sandbox }) => ({ webhook: sandbox.getWebhook() })) },
	{
		method: 'POST',
		path: '/webhooks',
		handle: withBody((value, { sandbox }) => ({
			success: true,
			webhook: sandbox.setWebhook(/** @type {import('./server.js').WebhookTarget} */ (value)),
		})),
	},
	{
		method: 'DELETE',
		path: '/webhooks',
		handle: ok(({ sandbox }) => {
			sandbox.setWebhook(null);
			return { success: true };
		}),
	},
	{
		method: 'GET',
		path: '/webhooks/deliveries',
		handle: ok(({ sandbox }) => ({ deliveries: sandbox.deliveries() })),
	},
	{
		method: 'POST',
		path: '/webhooks/deliver',
		// Answers once every attempt is over: 200 with deliverWebhook's result, whatever the target said.
		handle: (req, { sandbox }) => {
			const parsed = req.text.trim() === '' ? { ok: /** @type {const} */ (true), value: {} } : parseJson(req.text);
			if (!parsed.ok) return bad(parsed.message);
			return sandbox
				.deliverWebhook(/** @type {import('./server.js').DeliverOptions} */ (parsed.value))
				.then((result) => reply(200, result));
		},
	},
	{
		method: 'GET',
		path: '/leads/:id',
		handle: (req, { sandbox }) => {
			const lead = sandbox.getLead(req.params.id);
			return lead ? reply(200, { lead }) : reply(404, BODIES.leadNotFound);
		},
	},
];

const router = createRouter(
	CONTROL_PATH,
	CONTROL_ROUTES,
	(method, fullPath) => `No sandbox control route ${method} ${fullPath}`,
);

/**
 * Serves one control request; invalid settings (SandboxConfigError) get 400.
 * @param {ControlContext} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} rel path below /__sandbox, without the query
 * @param {string} query
 */
function handleControl(ctx, req, res, rel, query) {
	/** @param {Reply} answer */
	const write = (answer) => writeResponse(res, answer.status, JSON.stringify(answer.body), answer.headers);
	/** @param {unknown} error */
	const failed = (error) => {
		if (error instanceof SandboxConfigError) return bad(error.message);
		return reply(500, { error: 'Sandbox error', message: error instanceof Error ? error.message : String(error) });
	};
	readBody(req, LIMITS.maxBodyBytes, (text, _bytes, tooLarge) => {
		/** @type {Reply | Promise<Reply>} */
		let answer;
		if (tooLarge) answer = reply(413, { error: 'Payload too large', message: 'Body too large' });
		else {
			try {
				answer = router.dispatch({ method: req.method || 'GET', rel, query, text }, ctx);
			} catch (error) {
				if (!(error instanceof SandboxConfigError)) throw error;
				answer = bad(error.message);
			}
		}
		if (answer instanceof Promise) answer.then(write, (error) => write(failed(error)));
		else write(answer);
	});
}

module.exports = { handleControl };
