'use strict';
/**
 * The API key must never appear in an error message or a log line: not when Nexor echoes it
 * back, not when it was pasted with spaces (so it differs from what Zapier's own log scrubber
 * knows as authData), not on any failure path.
 */
const { loadBuiltApp, sandboxModule, useSandbox, captureAppOutput, caught } = require('./helpers.js');

const { zapier, App } = loadBuiltApp();
const { SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const LEAD_ID = '123e4567-e89b-12d3-a456-426614174000';
const PADDED_KEY = `  ${SANDBOX_API_KEY}\n`;

const sandbox = useSandbox();
// Every console line and HTTP log line the app prints, still shown on the terminal.
const captured = captureAppOutput({ echo: true, depth: 5 });

/** @type {Error[]} */
const errors = [];

const update = (/** @type {Record<string, unknown>} */ inputData, apiKey = PADDED_KEY) =>
	appTester(App.creates.update_lead.operation.perform, { authData: { api_key: apiKey }, inputData });
const failWith = (/** @type {any} */ fault) => sandbox.addRule({ match: { method: 'PUT' }, times: 1, fault });

describe('the API key stays out of messages and logs', () => {
	it('works with the padded key (it is trimmed before use)', async () => {
		expect(await appTester(App.authentication.test, { authData: { api_key: PADDED_KEY } })).toHaveProperty('key_ending');
		expect((await update({ lead_id: LEAD_ID, company: 'Acme' })).company).toBe('Acme');
	});

	it('redacts the key when Nexor echoes it back in an error', async () => {
		failWith({ status: 400, body: { error: 'Validation error', message: `key ${SANDBOX_API_KEY} may not update this lead` } });
		const error = await caught(() => update({ lead_id: LEAD_ID, company: 'Acme' }));
		errors.push(error);
		expect(error.message).toContain('key [redacted] may not update this lead');
	});

	it('collects every failure path', async () => {
		const runs = [
			() => appTester(App.authentication.test, { authData: { api_key: 'nxr_live_wrong_but_long_key_000' } }),
			() => appTester(App.authentication.test, { authData: { api_key: `${SANDBOX_API_KEY}\nInjected: 1` } }),
			() => update({ lead_id: LEAD_ID, company: 'Acme' }, 'nxr_live_wrong_but_long_key_000'),
			() => update({ lead_id: '00000000-0000-4000-8000-000000000000', company: 'Acme' }),
			() => update({ lead_id: LEAD_ID, email: 'not-an-email' }),
			() => update({ lead_id: LEAD_ID }),
			() => (failWith({ status: 429, retryAfter: 5 }), update({ lead_id: LEAD_ID, company: 'Acme' })),
			() => (failWith({ status: 500, body: { error: `boom ${SANDBOX_API_KEY}` } }), update({ lead_id: LEAD_ID, company: 'A' })),
			() => (failWith({ type: 'reset' }), update({ lead_id: LEAD_ID, company: 'Acme' })),
			() => (failWith({ type: 'html', body: `<p>${SANDBOX_API_KEY}</p>` }), update({ lead_id: LEAD_ID, company: 'A' })),
			() => (failWith({ status: 200, body: `not json ${SANDBOX_API_KEY}` }), update({ lead_id: LEAD_ID, company: 'A' })),
		];
		for (const run of runs) errors.push(await caught(run));
		expect(errors.map((e) => e.name)).toEqual([
			'AppError',
			'AppError',
			'AppError',
			'ExpiredAuthError',
			'AppError',
			'AppError',
			'HaltedError',
			'ThrottledError',
			'AppError',
			'AppError',
			'AppError',
			'AppError',
		]);
	});

	it('no error message contains the key', () => {
		expect(errors.length).toBeGreaterThan(10);
		for (const error of errors) {
			expect(error.message).not.toContain(SANDBOX_API_KEY);
			expect(String(error.stack)).not.toContain(SANDBOX_API_KEY);
		}
	});

	it('no log line contains the key', () => {
		const text = captured.join('\n');
		// The logs were really captured: the HTTP log lines name the requests.
		expect(text).toContain(`PUT ${sandbox.baseUrl}/leads/${LEAD_ID}`);
		expect(text).toContain(`GET ${sandbox.baseUrl}/tags`);
		expect(text).not.toContain(SANDBOX_API_KEY);
		expect(text).not.toContain(SANDBOX_API_KEY.slice('nxr_live_'.length));
	});
});
