'use strict';
/**
 * The connection: "Test connection" (GET /tags), the connection label and the API key header,
 * over real HTTP against the Nexor sandbox, through zapier-platform-core's appTester.
 */
const { loadBuiltApp, loadCore, sandboxModule, appErrorOf, caught } = require('./helpers.js');

const { zapier, App } = loadBuiltApp();
const core = loadCore();
const { startSandbox, SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const SHORT_KEY = 'nxr_live_abc';

/** @type {any} */
let sandbox;
const savedBaseUrl = process.env.NEXOR_BASE_URL;

beforeAll(async () => {
	sandbox = await startSandbox({ apiKeys: [SHORT_KEY] });
	process.env.NEXOR_BASE_URL = sandbox.baseUrl;
});
afterAll(async () => {
	if (savedBaseUrl === undefined) delete process.env.NEXOR_BASE_URL;
	else process.env.NEXOR_BASE_URL = savedBaseUrl;
	await sandbox.close();
});
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
		const expected = core.interpretFailure({ status: 401, attempt: 1, now: 0, random: 0 }).error;
		expect(appErrorOf(error)).toEqual({
			message: `${expected.message}. ${expected.fix}`,
			code: 'AuthenticationError',
			status: 401,
		});
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

	it('does not accept a 200 that is not Nexor JSON (wrong address, captive portal)', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'html' } });
		const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
		expect(body.code).toBe('UnexpectedResponse');
	});

	it('reports an unreachable Nexor as such, not as a bad key', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'reset' } });
		const body = appErrorOf(await caught(() => testAuth(SANDBOX_API_KEY)));
		expect(body.code).toBe('NexorUnreachable');
		expect(body.message).toContain('Could not reach Nexor');
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
			expect(body.message).toContain('ENOTFOUND');
		} finally {
			lookup.mockRestore();
			process.env.NEXOR_BASE_URL = sandbox.baseUrl;
		}
	});
});
