// @ts-check
/**
 * The Nexor API credential's "Test" inside real n8n (2.41.1 on Node 24 and 1.123.81 on Node 20),
 * through n8n's own REST endpoint POST /rest/credentials/test, as the editor calls it. The test is
 * the node's testedBy function (nodes/Nexor/shared/credential-test.ts over core/credential-check.ts):
 * it must accept exactly the Base URLs the node accepts, send the key nowhere else, never follow a
 * redirect, and pass only on Nexor's own answer. One `n8n start` per line.
 */
const { startSandbox, startRecorder } = require('../sandbox/server.js');
const { createN8nHome, LINES } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');

jest.setTimeout(20 * 60 * 1000);

const CREDENTIAL = { id: 'nexorCredTest01', name: 'Nexor credential test' };

describe.each(LINES)('line %s (%s): the credential test', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof startRecorder>>} */
	let recorder;
	/** @type {Awaited<ReturnType<typeof createN8nHome>>} */
	let home;
	/** @type {import('./harness/n8n.js').N8nServer | undefined} */
	let server;

	beforeAll(async () => {
		sandbox = await startSandbox();
		recorder = await startRecorder();
		home = await createN8nHome({ line: /** @type {'1'|'2'} */ (line) });
		await home.installPackage(packPackage());
		// n8n tests data against a stored credential the owner may use (403 for an unknown id).
		await home.importCredentials([
			{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } },
		]);
		// A stalled n8n start-up (its own, before our node is involved) gets one bounded second try.
		server = await home.start({ readyTimeoutMs: 180000, attempts: 2 });
	});

	afterAll(async () => {
		if (server) await server.stop();
		if (home) {
			const everything = home.logs.join('\n');
			// The key never reaches n8n's output or logs.
			expect(everything).not.toContain(sandbox.apiKey);
			await home.cleanup();
		}
		if (recorder) await recorder.close();
		if (sandbox) await sandbox.close();
	});

	beforeEach(() => {
		sandbox.reset();
		recorder.clear();
	});

	/**
	 * n8n's answer to "Test" for this credential data: `{ status: 'OK' | 'Error', message }`.
	 * @param {{ apiKey: string, baseUrl: string }} data
	 */
	async function testCredential(data) {
		if (!server) throw new Error('n8n did not start');
		const res = await server.rest('POST', '/rest/credentials/test', {
			credentials: { ...CREDENTIAL, type: 'nexorApi', data },
		});
		expect(res.status).toBe(200);
		const result = res.json?.data ?? res.json;
		// Whatever happened, the key is not in what the editor shows.
		expect(JSON.stringify(result)).not.toContain(sandbox.apiKey);
		return result;
	}

	const tagReads = () => sandbox.journal().filter((e) => e.path.endsWith('/tags'));

	it('a good key: OK, after exactly one GET /tags with the key', async () => {
		const result = await testCredential({ apiKey: ` ${sandbox.apiKey} `, baseUrl: `${sandbox.baseUrl}/` });
		expect(result).toMatchObject({ status: 'OK' });
		expect(tagReads().map((e) => [e.method, e.headers['x-api-key'], e.status])).toEqual([['GET', 'valid', 200]]);
	});

	it('a rejected key: Error naming the key and where to get a good one', async () => {
		const result = await testCredential({ apiKey: 'nxr_live_this_key_does_not_exist_42', baseUrl: sandbox.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Nexor rejected the API key \(HTTP 401\)\. Copy the key again/);
		expect(tagReads().map((e) => e.headers['x-api-key'])).toEqual(['invalid']);
	});

	it('"http://api.getnexor.ai@127.0.0.1:<port>/api/public": Error naming the Base URL, and nothing is sent', async () => {
		const tricky = `http://api.getnexor.ai@127.0.0.1:${sandbox.port}/api/public`;
		const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl: tricky });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`The Base URL "${tricky.slice(0, 40)}…" contains a user name or password`);
		expect(result.message).toContain('Remove everything up to and including "@"');
		expect(sandbox.journal()).toEqual([]);
	});

	it.each(['http://api.getnexor.ai/api/public', 'http://10.0.0.5/api/public'])(
		'plain http to another machine (%s): Error naming the Base URL before anything is sent',
		async (baseUrl) => {
			const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl });
			expect(result.status).toBe('Error');
			expect(result.message).toContain(`The Base URL "${baseUrl}" uses http://, which would send your API key unencrypted`);
			expect(result.message).toContain('Use https:// instead');
		},
	);

	it('a 404: "Nexor could not be found at this Base URL", not a lead message', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { status: 404 } });
		const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Nexor could not be found at this Base URL/);
		expect(result.message).not.toMatch(/No lead|Lead not found/);
	});

	it('a 200 HTML page (captive portal): Error, not "Connection successful"', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'html' } });
		const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The Base URL answered HTTP 200 with a web page \(HTML\) instead of Nexor's answer/);
	});

	it('a redirect to a second host: Error naming the redirect; that host never sees X-API-Key', async () => {
		const location = recorder.url('/api/public/tags');
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'redirect', status: 307, location } });
		const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`The Base URL answered with a redirect (HTTP 307) to "${location}"`);
		expect(sandbox.journal().map((e) => [e.status, e.fault])).toEqual([[307, 'redirect:307']]);
		// The recorder would have answered like GET /tags ("Connection successful") had n8n followed.
		expect(recorder.requests()).toEqual([]);
	});

	it('a 302 to the second host (what GET redirects usually are): the same', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'redirect', status: 302, location: recorder.url('/x') } });
		const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('redirect (HTTP 302)');
		expect(recorder.requests().filter((r) => r.apiKey === 'present' || r.secretSeen)).toEqual([]);
		expect(recorder.requests()).toEqual([]);
	});

	it('Nexor unreachable: Error saying so, not a key problem', async () => {
		sandbox.addRule({ match: { path: '/tags' }, fault: { type: 'reset' } });
		const result = await testCredential({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Could not reach Nexor at this Base URL \((ECONNRESET|socket hang up|no response)\)/);
	});
});
