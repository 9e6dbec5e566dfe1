'use strict';
/**
 * Update Lead never follows a redirect (transport.cts passes `redirect: 'manual'` to z.request,
 * which zapier-platform-core 19.1.0 hands to node-fetch): a 3xx from the Base URL fails the step,
 * and the host in Location never receives the API key. Real HTTP: the Nexor sandbox's redirect
 * fault pointing at a second, recording server on another port.
 */
const { loadBuiltApp, sandboxModule, useSandbox, useRecorder, caught } = require('./helpers.js');

const { zapier, App } = loadBuiltApp();
const { SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const LEAD_ID = '123e4567-e89b-12d3-a456-426614174000';

const sandbox = useSandbox();
const recorder = useRecorder();
beforeEach(() => sandbox.reset());

describe('Update Lead and redirects', () => {
	it.each([301, 302, 303, 307, 308])('%i to a second host: the step fails, the other host gets nothing, the lead is unchanged', async (status) => {
		sandbox.addRule({
			match: { method: 'PUT' },
			fault: { type: 'redirect', status, location: recorder.url(`/api/public/leads/${LEAD_ID}`) },
		});
		const error = await caught(() =>
			appTester(App.creates.update_lead.operation.perform, {
				authData: { api_key: SANDBOX_API_KEY },
				inputData: { lead_id: LEAD_ID, company: 'Redirected Inc' },
			}),
		);
		// The step's wording belongs to core's failure classification; here only: it failed, keyless.
		expect(error.name).toBe('AppError');
		expect(error.message).not.toContain(SANDBOX_API_KEY);
		// Exactly one PUT, answered by the redirect; never a second try anywhere.
		expect(sandbox.journal().map((/** @type {any} */ e) => [e.method, e.status, e.fault])).toEqual([
			['PUT', status, `redirect:${status}`],
		]);
		expect(recorder.requests()).toEqual([]);
		expect(sandbox.getLead(LEAD_ID).company).toBe('Acme Corp');
	});
});
