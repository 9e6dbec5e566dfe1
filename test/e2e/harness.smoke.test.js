// @ts-check
'use strict';
/**
 * Proves the real-n8n harness on both lines (n8n 2.41.1 on Node 24, n8n 1.123.81 on Node 20):
 * a fake community package from a tarball, a credential, workflows with an HTTP Request against a
 * local recording server, a Code node and the fake node, `n8n execute --id`, and `n8n start` + REST.
 * First run on a machine installs the runtimes (several minutes, progress on stderr).
 *
 *   npx jest --selectProjects e2e test/e2e/harness.smoke.test.js
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { createN8nHome } = require('./harness/n8n');
const { ensureRuntime } = require('../runtimes/install');
const { runOk } = require('../support/process');
const { jsonOf, nodeOutput } = require('../support/workflows');

const INSTALL_TIMEOUT = 20 * 60 * 1000;
const SECRET = 'harness-secret-key-5f1d3c';
const CRED = { id: 'harnessCred0001', name: 'Harness header auth' };

/**
 * @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, body: string }} Seen
 */

/** A 127.0.0.1 server that records every request and answers JSON. */
function startRecorder() {
	/** @type {Seen[]} */
	const seen = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			seen.push({
				method: req.method || '',
				url: req.url || '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString(),
			});
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ pong: true, url: req.url, n: 21 }));
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${addr.port}`,
				seen,
				close: () => new Promise((r) => server.close(() => r(undefined))),
			});
		});
	});
}

/** A minimal community package `n8n-nodes-harnesscheck` with one node, packed like `npm pack`. */
async function packFakePackage() {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-fakepkg-'));
	const pkg = path.join(root, 'package');
	fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
	fs.writeFileSync(
		path.join(pkg, 'package.json'),
		JSON.stringify({
			name: 'n8n-nodes-harnesscheck',
			version: '0.0.1',
			keywords: ['n8n-community-node-package'],
			files: ['dist'],
			n8n: { n8nNodesApiVersion: 1, nodes: ['dist/HarnessCheck.node.js'] },
			peerDependencies: { 'n8n-workflow': '*' },
		}),
	);
	fs.writeFileSync(
		path.join(pkg, 'dist', 'HarnessCheck.node.js'),
		`'use strict';
class HarnessCheck {
	constructor() {
		this.description = {
			displayName: 'Harness Check', name: 'harnessCheck', group: ['transform'], version: 1,
			description: 'Marks items', defaults: { name: 'Harness Check' },
			inputs: ['main'], outputs: ['main'], properties: [],
		};
	}
	async execute() {
		return [this.getInputData().map((item) => ({ json: Object.assign({}, item.json, { harness: 'ok' }) }))];
	}
}
module.exports = { HarnessCheck };
`,
	);
	const tgz = path.join(root, 'n8n-nodes-harnesscheck-0.0.1.tgz');
	await runOk('tar', ['-czf', tgz, 'package'], { cwd: root });
	return { tgz, root };
}

/**
 * @param {string} name
 * @param {string} type
 * @param {number} typeVersion
 * @param {number} x
 * @param {Record<string, unknown>} parameters
 * @param {Record<string, unknown>} [extra]
 */
function node(name, type, typeVersion, x, parameters, extra) {
	return Object.assign(
		{ id: crypto.randomUUID(), name, type, typeVersion, position: [x, 0], parameters },
		extra || {},
	);
}

/** @param {string[]} names a chain of nodes */
function chain(names) {
	/** @type {Record<string, unknown>} */
	const c = {};
	for (let i = 0; i + 1 < names.length; i++)
		c[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return c;
}

/** @param {string} baseUrl */
function workflows(baseUrl) {
	const start = node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {});
	return [
		{
			id: 'wfHarnessSmoke1',
			name: 'Harness smoke (no credential)',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				start,
				node('Fetch', 'n8n-nodes-base.httpRequest', 4.2, 220, {
					url: `${baseUrl}/ping`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'sum', value: '={{ 1 + 2 }}' }] },
					options: {},
				}),
				node('Double', 'n8n-nodes-base.code', 2, 440, {
					jsCode:
						'return $input.all().map((i) => ({ json: { ...i.json, doubled: i.json.n * 2 } }));',
				}),
				node('Check', 'n8n-nodes-harnesscheck.harnessCheck', 1, 660, {}),
			],
			connections: chain(['Start', 'Fetch', 'Double', 'Check']),
		},
		{
			id: 'wfHarnessSmoke2',
			name: 'Harness smoke (header auth credential)',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				start,
				node(
					'Authed',
					'n8n-nodes-base.httpRequest',
					4.2,
					220,
					{
						url: `${baseUrl}/authed`,
						authentication: 'genericCredentialType',
						genericAuthType: 'httpHeaderAuth',
						options: {},
					},
					{ credentials: { httpHeaderAuth: CRED } },
				),
			],
			connections: chain(['Start', 'Authed']),
		},
	];
}

/**
 * @param {any} run
 * @param {string} nodeName
 * @returns {any[]} the json of the node's first output
 */
const outputOf = (run, nodeName) => jsonOf(nodeOutput(run, nodeName) ?? []);

/** @type {string[]} */
const timings = [];
/** @param {string} label @param {number} ms */
const timed = (label, ms) => timings.push(`${label}: ${(ms / 1000).toFixed(1)} s`);

afterAll(() => {
	if (timings.length) process.stderr.write(`[harness smoke] timings\n  ${timings.join('\n  ')}\n`);
});

describe.each([
	['2', '2.41.1', 'v24.'],
	['1', '1.123.81', 'v20.'],
])('n8n line %s (%s)', (line, version, nodeMajor) => {
	/** @type {import('./harness/n8n').N8nHome} */
	let home;
	/** @type {any} */
	let recorder;
	/** @type {{ tgz: string, root: string }} */
	let fake;

	beforeAll(async () => {
		const t0 = Date.now();
		await ensureRuntime(line === '2' ? 'n8n2' : 'n8n1');
		timed(`line ${line}: ensureRuntime`, Date.now() - t0);
		home = await createN8nHome({ line: /** @type {'1' | '2'} */ (line) });
		recorder = await startRecorder();
		fake = await packFakePackage();
	}, INSTALL_TIMEOUT);

	afterAll(async () => {
		if (recorder) await recorder.close();
		if (home) await home.cleanup();
		if (fake) fs.rmSync(fake.root, { recursive: true, force: true });
	}, 60000);

	test('runs on the expected Node', () => {
		expect(home.runtime.version).toBe(version);
		expect(fs.existsSync(home.runtime.bin)).toBe(true);
		expect(home.env.N8N_EXPRESSION_ENGINE).toBe('legacy');
		expect(nodeMajor).toMatch(/^v2[04]\.$/);
	});

	test('installs a package, imports, executes by id', async () => {
		const pkg = await home.installPackage(fake.tgz);
		expect(pkg).toMatchObject({ name: 'n8n-nodes-harnesscheck', version: '0.0.1' });
		expect(
			fs.existsSync(
				path.join(
					home.n8nDir,
					'nodes/node_modules/n8n-nodes-harnesscheck/dist/HarnessCheck.node.js',
				),
			),
		).toBe(true);

		const creds = await home.importCredentials([
			Object.assign({}, CRED, {
				type: 'httpHeaderAuth',
				data: { name: 'x-api-key', value: SECRET },
			}),
		]);
		timed(`line ${line}: import:credentials (first command, migrations)`, creds.ms);
		expect(creds.stdout).toMatch(/Successfully imported 1 credential/);

		const wfs = await home.importWorkflows(workflows(recorder.url));
		timed(`line ${line}: import:workflow`, wfs.ms);
		expect(wfs.stdout).toMatch(/Successfully imported 2 workflows/);

		const r1 = await home.execute('wfHarnessSmoke1');
		timed(`line ${line}: execute (HTTP + Code + community node)`, r1.ms);
		if (r1.code !== 0 || !r1.run)
			throw new Error(`execute failed (${r1.code})\n${r1.stdout}\n${r1.stderr}`);
		expect(r1.run.status).toBe('success');
		expect(r1.run.finished).toBe(true);
		expect(outputOf(r1.run, 'Fetch')).toEqual([{ pong: true, url: '/ping?sum=3', n: 21 }]);
		expect(outputOf(r1.run, 'Double')).toEqual([
			{ pong: true, url: '/ping?sum=3', n: 21, doubled: 42 },
		]);
		expect(outputOf(r1.run, 'Check')).toEqual([
			{ pong: true, url: '/ping?sum=3', n: 21, doubled: 42, harness: 'ok' },
		]);

		const r2 = await home.execute('wfHarnessSmoke2');
		timed(`line ${line}: execute (header auth credential)`, r2.ms);
		expect(r2.code).toBe(0);
		expect(outputOf(r2.run, 'Authed')).toEqual([{ pong: true, url: '/authed', n: 21 }]);

		const bad = await home.execute('noSuchWorkflow1');
		expect(bad.code).toBe(1);
		expect(bad.run).toBeNull();

		expect(recorder.seen.map((/** @type {Seen} */ s) => `${s.method} ${s.url}`)).toEqual([
			'GET /ping?sum=3',
			'GET /authed',
		]);
		expect(recorder.seen[1].headers['x-api-key']).toBe(SECRET);
		expect(recorder.seen[0].headers['x-api-key']).toBeUndefined();
		expect(home.logs.join('\n')).not.toContain(SECRET);
		expect(fs.readdirSync(home.dir).filter((f) => f.startsWith('credentials-'))).toEqual([]);
	}, 300000);

	test('n8n start: owner, REST, node types, stop', async () => {
		const t0 = Date.now();
		const server = await home.start();
		timed(`line ${line}: start until ready + owner setup`, Date.now() - t0);
		try {
			const types = await server.rest('GET', '/types/nodes.json');
			expect(types.status).toBe(200);
			/** @type {string[]} */
			const names = types.json.map((/** @type {{ name: string }} */ t) => t.name);
			expect(names).toContain('n8n-nodes-base.httpRequest');
			expect(names).toContain('n8n-nodes-harnesscheck.harnessCheck');

			const creds = await server.rest('GET', '/rest/credentials');
			expect(creds.status).toBe(200);
			expect(creds.json.data.map((/** @type {{ id: string }} */ c) => c.id)).toContain(CRED.id);
		} finally {
			const t1 = Date.now();
			await server.stop();
			timed(`line ${line}: stop`, Date.now() - t1);
		}
		expect(home.logs.join('\n')).not.toContain(SECRET);
	}, 300000);

	test('a second start on the same folder logs the owner in', async () => {
		const t0 = Date.now();
		const server = await home.start();
		timed(`line ${line}: second start until ready + login`, Date.now() - t0);
		try {
			const me = await server.rest('GET', '/rest/login');
			expect(me.status).toBe(200);
			expect(me.json.data.email).toBe('owner@example.com');
		} finally {
			await server.stop();
		}
	}, 300000);
});
