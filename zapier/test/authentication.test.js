'use strict';
/**
 * The connection: "Test connection" (GET /tags, judged by core's credential check, as the n8n
 * credential's Test is), the connection label and the API key header, over real HTTP against the
 * Nexor sandbox, through zapier-platform-core's appTester.
 */
const { loadBuiltApp, loadCore, sandboxModule, useSandbox, useRecorder, appErrorOf, caught } = require('./helpers.js');

const { zapier, App } = loadBuiltApp();
const core = loadCore();
const { startSandbox, SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const SHORT_KEY = 'nxr_live_abc';

const sandbox = useSandbox({ apiKeys: [SHORT_KEY] });
beforeEach(() => sandbox.reset());

const testAuth = (/** @type {string} */ apiKey) => appTester(App.authentication.test, { authData: { api_key: apiKey } });

describe('Test connection', () => {
	it('passes with a valid key, sending it as X-API-Key to GET /tags', async () => {
		const result = await testAuth(SANDBOX_API_KEY);
		expect(result).toEqual({ key_ending: SANDBOX_API_KEY.slice(-4) });
		const journal = sandbox.journal();
		expect(journal).toHaveLength(1);
		expect(journal[0]).toMatchObject({ method: 'GET', path: '/api/public/tags', status: 200 });
		expect(journal[0].headers['x-api-key']).toBe('valid');
		expect(journal[0].headers.accept).toBe('application/json');
	});

	it('trims a key pasted with surrounding spaces', async () => {
		await testAuth(`  ${SANDBOX_API_KEY}\t `);
		expect(sandbox.journal()[0].headers['x-api-key']).toBe('valid');
	});

	it('fails a rejected key with a sign-in error that names the fix and never the key', async () => {
		const wrongKey = 'nxr_live_this_key_does_not_exist_42';
		const error = await caught(() => testAuth(wrongKey));
		const expected = core.judgeCredentialCheck({ status: 401, body: '' });
		expect(appErrorOf(error)).toEqual({
			message: core.credentialCheckMessage(expected),
			code: 'AuthenticationError',
			status: 401,
		});
		expect(error.message).toContain('Nexor rejected the API key');
		expect(error.message).toContain('Integrations');
		expect(error.message).not.toContain(wrongKey);
		expect(sandbox.journal()[0].headers['x-api-key']).toBe('invalid');
	});

	it.each([
		['a line break', 'nxr_live_abc\ndef', 'The API Key contains a line break'],
		['an inner space', 'nxr_live_abc def', 'The API Key contains a space'],
		['non-ASCII characters', 'nxr_live_abcdéf', 'The API Key contains characters'],
		['nothing but spaces', '   ', 'The API Key is empty'],
	])('refuses a key with %s before sending anything', async (_what, apiKey, start) => {
		const error = await caught(() => testAuth(apiKey));
		const body = appErrorOf(error);
		expect(body.code).toBe('AuthenticationError');
		expect(body.message.startsWith(start)).toBe(true);
		expect(body.message).toContain('API Key');
		if (apiKey.trim() !== '') expect(error.message).not.toContain(apiKey.trim());
		expect(sandbox.journal()).toHaveLength(0);
	});

	it.each([
		['an HTML page (captive portal)', { type: 'html' }, 'a web page (HTML)'],
		['JSON without a tag list', { type: 'unexpected' }, "JSON that is not Nexor's list of tags"],
		['an empty 200', { status: 200, body: null }, 'an empty answer'],
	])('does not accept a 2xx that is %s', async (_what, fault, words) => {
		sandbox.addRule({ match: { path: '/tags' }, fault });
		const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
		expect(body.code).toBe('UnexpectedResponse');
		expect(body.message).toMatch(new RegExp(`^The Base URL answered HTTP 200 with ${words.replace(/[()]/g, '\\$&')} instead of Nexor's answer`));
		expect(body.message).toContain('https://api.getnexor.ai/api/public');
	});

	it('a 404 means Nexor is not at this Base URL (not "no lead")', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { status: 404 } });
		const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
		expect(body).toMatchObject({ code: 'NotFound', status: 404 });
		expect(body.message).toMatch(/^Nexor could not be found at this Base URL/);
		expect(body.message).not.toMatch(/No lead|Lead not found/);
	});

	it('a 503 is Nexor being unavailable, not a bad key', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { status: 503 } });
		const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
		expect(body).toMatchObject({ code: 'NexorUnavailable', status: 503 });
		expect(body.message).toMatch(/^Nexor is temporarily unavailable \(HTTP 503\)/);
	});

	it('reports an unreachable Nexor as such, not as a bad key', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'reset' } });
		const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
		expect(body.code).toBe('NexorUnreachable');
		expect(body.message).toContain('Could not reach Nexor at this Base URL (ECONNRESET)');
	});
});

describe('redirects are never followed: the key stays with the Base URL', () => {
	const recorder = useRecorder();

	it.each([301, 302, 303, 307, 308])('%i to a second host: an error naming the redirect, nothing reaches that host', async (status) => {
		const location = recorder.url('/api/public/tags');
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'redirect', status, location } });
		const error = await caught(() => testAuth(SANDBOX_API_KEY));
		const body = appErrorOf(error);
		expect(body.code).toBe('UnexpectedResponse');
		expect(body.message).toContain(`The Base URL answered with a redirect (HTTP ${status}) to "${location}"`);
		expect(body.message).toContain('the API key was not sent there');
		expect(sandbox.journal()).toEqual([expect.objectContaining({ status, fault: `redirect:${status}` })]);
		// The recorder answers like GET /tags: a client that followed would even have "passed".
		expect(recorder.requests()).toEqual([]);
		expect(error.message).not.toContain(SANDBOX_API_KEY);
	});
});

describe('connection label', () => {
	it('shows the last four characters of the key, from the test result', async () => {
		const authData = { api_key: SANDBOX_API_KEY };
		const testResult = await appTester(App.authentication.test, { authData });
		const label = await appTester(App.authentication.connectionLabel, { authData, inputData: testResult });
		expect(label).toBe(`Nexor (key ending …${SANDBOX_API_KEY.slice(-4)})`);
		expect(label).not.toContain(SANDBOX_API_KEY.slice(0, -4));
	});

	it('shows no part of a short key', async () => {
		const authData = { api_key: SHORT_KEY };
		const testResult = await appTester(App.authentication.test, { authData });
		expect(testResult).toEqual({ key_ending: '' });
		expect(await appTester(App.authentication.connectionLabel, { authData, inputData: testResult })).toBe('Nexor');
	});
});

describe('authentication definition', () => {
	it('is a custom auth with one password field, api_key, whose help says where the key is', () => {
		expect(App.authentication.type).toBe('custom');
		expect(App.authentication.fields).toEqual([
			expect.objectContaining({ key: 'api_key', label: 'API Key', type: 'password', required: true }),
		]);
		const help = App.authentication.fields[0].helpText;
		expect(help).toContain('Integrations');
		expect(help).toContain('bottom left');
		expect(help).toContain('nxr_live_');
		expect(help).toContain('https://docs.getnexor.ai/docs/en/api/authentication');
	});
});

describe('base URL', () => {
	it('is read at request time from NEXOR_BASE_URL (trailing slash tolerated)', async () => {
		const other = await startSandbox();
		try {
			process.env.NEXOR_BASE_URL = `${other.baseUrl}/`;
			await testAuth(SANDBOX_API_KEY);
			expect(other.journal()).toHaveLength(1);
			expect(sandbox.journal()).toHaveLength(0);
		} finally {
			process.env.NEXOR_BASE_URL = sandbox.baseUrl;
			await other.close();
		}
	});

	/**
	 * Runs `fn` with NEXOR_BASE_URL set, counting every outgoing HTTP(S) request (node-fetch calls
	 * http.request / https.request at send time, so a spy that calls through sees them all).
	 * @param {string} baseUrl
	 * @param {() => Promise<unknown>} fn
	 */
	async function withBaseUrl(baseUrl, fn) {
		const http = require('node:http');
		const https = require('node:https');
		const spies = [jest.spyOn(http, 'request'), jest.spyOn(https, 'request')];
		process.env.NEXOR_BASE_URL = baseUrl;
		try {
			const error = await caught(fn);
			return { error, sent: spies.reduce((n, spy) => n + spy.mock.calls.length, 0) };
		} finally {
			for (const spy of spies) spy.mockRestore();
			process.env.NEXOR_BASE_URL = sandbox.baseUrl;
		}
	}

	it('refuses a Base URL with a user name before "@": the key would go to the host after it', async () => {
		const tricky = `http://api.getnexor.ai@127.0.0.1:${sandbox.port}/api/public`;
		const { error, sent } = await withBaseUrl(tricky, () => testAuth(SANDBOX_API_KEY));
		const body = appErrorOf(error);
		expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(body.message).toMatch(/^The Base URL ".*" contains a user name or password\. Remove everything up to and including "@"/);
		expect(sent).toBe(0);
		expect(sandbox.journal()).toEqual([]);
	});

	it.each(['http://api.getnexor.ai/api/public', 'http://10.0.0.5/api/public'])(
		'refuses plain http to a host that is not this machine (%s) before sending anything',
		async (url) => {
			const { error, sent } = await withBaseUrl(url, () => testAuth(SANDBOX_API_KEY));
			const body = appErrorOf(error);
			expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
			expect(body.message).toContain(`The Base URL "${url}" uses http://, which would send your API key unencrypted. Use https:// instead.`);
			expect(sent).toBe(0);
		},
	);

	it('refuses an invalid NEXOR_BASE_URL with a message naming it', async () => {
		process.env.NEXOR_BASE_URL = 'ftp://example.invalid';
		try {
			const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
			expect(body.code).toBe('InvalidData');
			expect(body.message).toContain('Base URL');
		} finally {
			process.env.NEXOR_BASE_URL = sandbox.baseUrl;
		}
	});

	it('defaults to core DEFAULT_BASE_URL when NEXOR_BASE_URL is unset', async () => {
		// The host is captured at DNS lookup and answered with ENOTFOUND: nothing leaves the machine.
		const dns = require('node:dns');
		/** @type {string[]} */
		const hosts = [];
		const lookup = jest.spyOn(dns, 'lookup').mockImplementation(
			/** @type {any} */ (
				(/** @type {string} */ host, /** @type {any} */ options, /** @type {any} */ callback) => {
					const cb = typeof options === 'function' ? options : callback;
					hosts.push(host);
					process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })));
				}
			),
		);
		delete process.env.NEXOR_BASE_URL;
		try {
			const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
			expect(hosts).toEqual([new URL(core.DEFAULT_BASE_URL).hostname]);
			expect(body.code).toBe('NexorUnreachable');
			expect(body.message).toContain("The Base URL's host name could not be found (ENOTFOUND)");
		} finally {
			lookup.mockRestore();
			process.env.NEXOR_BASE_URL = sandbox.baseUrl;
		}
	});
});
