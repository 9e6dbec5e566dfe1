// @ts-check
'use strict';
/**
 * The playground: this package, freshly built and packed, installed into a real n8n 2.41.1 (Node 24)
 * the way n8n installs community nodes, next to the Nexor sandbox, with an owner account, a Nexor
 * credential pointing at the sandbox and the example workflows from examples/ imported. It is the
 * e2e harness (test/e2e/harness/n8n.js) with a persistent user folder, fixed ports, its own owner
 * and n8n's default expression engine for the editor.
 *
 * `npm start` (start.js) runs it on the fixed ports 5678 (n8n) and 4010 (sandbox) with a persistent
 * user folder; the screenshot script (screenshots.js) runs its own copy in a temp folder on free
 * ports. It lives under test/ beside the sandbox and the pinned runtimes it is built from.
 *
 * Node built-ins only (plus the repo's own test helpers); runs on the machine's Node 20, while n8n
 * itself runs on the cached Node 24 from test/runtimes/install.js.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { createN8nHome } = require('../e2e/harness/n8n.js');
const { packPackage, ROOT } = require('../e2e/harness/pack.js');
const { startSandbox } = require('../sandbox/server.js');
const { freePort, portIsFree, readable, runOk } = require('../support/process.js');

const EXAMPLES_DIR = path.join(ROOT, 'examples');
const DEFAULT_N8N_PORT = 5678;
// Fixed, so the imported credential's Base URL stays valid from one start to the next.
const DEFAULT_SANDBOX_PORT = 4010;
/** The credential every example refers to (same id and name). */
const CREDENTIAL = Object.freeze({ id: 'nexorPlayground1', name: 'Nexor sandbox' });
/** The playground's n8n owner (local only, printed on start). */
const OWNER = Object.freeze({
	email: 'playground@example.com',
	password: 'Nexor-Playground-1',
	firstName: 'Nexor',
	lastName: 'Playground',
});
// Fixed so a persistent user folder's credentials stay readable across starts (local data only).
const ENCRYPTION_KEY = 'nexor-playground-local-encryption-key-01';
const N8N_VERSION = '2.41.1';

/**
 * @typedef {object} PlaygroundOptions
 * @property {string} userFolder        n8n user folder (N8N_USER_FOLDER); created if missing
 * @property {number} [n8nPort]         default 5678
 * @property {number} [sandboxPort]     default 4010
 * @property {boolean} [build]          run `npm run build` first (default true)
 * @property {(line: string) => void} [say]  progress lines (default: stderr)
 */

/**
 * @typedef {object} Playground
 * @property {string} url               the n8n editor, http://127.0.0.1:<port>
 * @property {typeof OWNER} owner
 * @property {{ ok: boolean, note: string }} login  whether the owner password signs in
 * @property {import('../sandbox/server.js').Sandbox} sandbox
 * @property {string} userFolder
 * @property {string} logFile           n8n's output (imports and server)
 * @property {{ name: string, id: string }[]} workflows  the imported examples
 * @property {Record<string, number>} timings  ms per step
 * @property {Promise<{ code: number | null, signal: string | null }>} n8nExited
 * @property {() => Promise<void>} stop  stops n8n (its whole process group) and the sandbox
 */

/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @returns {{ file: string, workflow: any }[]} the example workflows, in file-name order */
function readExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({
			file: path.join(EXAMPLES_DIR, f),
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')),
		}));
}

/**
 * The credential to import: the examples' id and name, pointing at a sandbox.
 * @param {{ apiKey: string, baseUrl: string }} sandbox
 */
function credentialFor(sandbox) {
	return {
		...CREDENTIAL,
		type: 'nexorApi',
		data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl },
	};
}

/**
 * Whether n8n's database holds the credential and every example workflow (read with Node 24's
 * built-in node:sqlite; n8n is not running yet). Any problem reading it counts as "no".
 * @param {string} node24
 * @param {string} db
 * @param {string} credentialId
 * @param {string[]} workflowIds
 * @returns {Promise<boolean>}
 */
async function rowsPresent(node24, db, credentialId, workflowIds) {
	if (!fs.existsSync(db)) return false;
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const [db, cred, ...wfs] = process.argv.slice(1);
		const d = new DatabaseSync(db, { readOnly: true });
		const has = (table, id) => d.prepare('SELECT 1 FROM ' + table + ' WHERE id = ?').get(id) !== undefined;
		process.stdout.write(String(has('credentials_entity', cred) && wfs.every((id) => has('workflow_entity', id))));`;
	try {
		const r = await runOk(node24, ['--no-warnings', '-e', script, db, credentialId, ...workflowIds], {
			cwd: path.dirname(db),
		});
		return r.stdout.trim() === 'true';
	} catch {
		return false;
	}
}

/**
 * Starts the playground. Fails (after stopping whatever it started) when a port is taken or a step
 * fails; n8n's output goes to <userFolder>/playground.log.
 * @param {PlaygroundOptions} opts
 * @returns {Promise<Playground>}
 */
async function startPlayground(opts) {
	const say = opts.say || ((/** @type {string} */ line) => process.stderr.write(`${line}\n`));
	const n8nPort = opts.n8nPort || DEFAULT_N8N_PORT;
	const sandboxPort = opts.sandboxPort || DEFAULT_SANDBOX_PORT;
	const userFolder = path.resolve(opts.userFolder);
	const logFile = path.join(userFolder, 'playground.log');
	/** @type {Record<string, number>} */
	const timings = {};
	const t0 = Date.now();
	/** @param {string} name @param {number} since */
	const took = (name, since) => (timings[name] = Date.now() - since);

	// Fail fast, before minutes of building or installing.
	for (const [port, what, variable] of /** @type {const} */ ([
		[n8nPort, 'n8n', 'NEXOR_PLAYGROUND_PORT'],
		[sandboxPort, 'the Nexor sandbox', 'NEXOR_PLAYGROUND_SANDBOX_PORT'],
	])) {
		if (!(await portIsFree(port))) {
			throw new Error(
				`Port ${port} on 127.0.0.1 (for ${what}) is already in use. Is another \`npm start\` or n8n running? ` +
					`Stop it, or pick another port with ${variable}=<port>.`,
			);
		}
	}
	fs.mkdirSync(userFolder, { recursive: true });
	fs.writeFileSync(
		logFile,
		`${new Date().toISOString()} playground starting (n8n ${N8N_VERSION})\n`,
	);

	if (opts.build !== false) {
		say('» Building the package (npm run build)…');
		const t = Date.now();
		const args = ['run', '--silent', 'build'];
		const r = await runOk('npm', args, { cwd: ROOT });
		fs.appendFileSync(logFile, `\n$ npm ${args.join(' ')}  → exit ${r.code}\n${readable(r.output)}\n`);
		took('build', t);
		say(`  built in ${secs(timings.build)}`);
	}

	say(`» n8n ${N8N_VERSION} on Node 24 (installed once into the cache; progress below)…`);
	let t = Date.now();
	// The CLI imports evaluate no expressions: the harness's legacy engine spares them the
	// isolated-vm crash at exit seen with `n8n execute` on 2.41.1 (see test/e2e/harness/n8n.js).
	// `n8n start` keeps n8n's default engine, as users run it.
	const home = await createN8nHome({
		line: '2',
		dir: userFolder,
		owner: OWNER,
		encryptionKey: ENCRYPTION_KEY,
		logFile,
	});
	took('runtime', t);

	say(
		'» Packing the package and installing the tarball into n8n (as n8n installs community nodes)…',
	);
	t = Date.now();
	const tgz = packPackage();
	const pkg = await home.installPackage(tgz);
	fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	took('install', t);
	say(
		`  ${pkg.name}@${pkg.version} → ${path.relative(userFolder, pkg.dir)} (${secs(timings.install)})`,
	);

	/** @type {import('../sandbox/server.js').Sandbox | undefined} */
	let sandbox;
	/** @type {import('../e2e/harness/n8n.js').N8nServer | undefined} */
	let server;
	const stop = async () => {
		if (server) await server.stop();
		if (sandbox) await sandbox.close();
	};

	try {
		say(`» Nexor sandbox on 127.0.0.1:${sandboxPort}…`);
		sandbox = await startSandbox({ port: sandboxPort, maxLifetimeMs: 8 * 60 * 60 * 1000 });

		// Imported again only when the credential or an example file changed since the last import,
		// or one of them is missing from the database: then `import` overwrites by fixed ID (nothing
		// is duplicated). Otherwise what the user changed in the editor is kept.
		const examples = readExamples();
		const workflows = examples.map(({ workflow }) => ({ name: workflow.name, id: workflow.id }));
		const credential = credentialFor(sandbox);
		const fingerprint = crypto
			.createHash('sha256')
			.update(
				JSON.stringify({ n8n: N8N_VERSION, credential, examples: examples.map((e) => e.workflow) }),
			)
			.digest('hex');
		const marker = path.join(userFolder, '.imported');
		const previous = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : '';
		t = Date.now();
		const present =
			previous === fingerprint
				? await rowsPresent(
						home.runtime.nodeBin,
						path.join(home.n8nDir, 'database.sqlite'),
						CREDENTIAL.id,
						workflows.map((w) => w.id),
					)
				: false;
		if (present) {
			say(
				`» Credential "${CREDENTIAL.name}" and the ${workflows.length} example workflows are unchanged since the last start: kept as they are`,
			);
		} else {
			say(
				`» Importing the credential "${CREDENTIAL.name}" and the ${workflows.length} example workflows (fixed IDs: an import overwrites, never duplicates)…`,
			);
			fs.rmSync(marker, { force: true });
			await home.importCredentials([credential]);
			await home.importWorkflows(examples.map((e) => e.workflow));
			fs.writeFileSync(marker, `${fingerprint}\n`);
			took('import', t);
			say(`  imported in ${secs(timings.import)}`);
		}

		say(`» Starting n8n on http://127.0.0.1:${n8nPort} (log: ${logFile})…`);
		t = Date.now();
		server = await home.start({
			port: n8nPort,
			readyTimeoutMs: 180000,
			expressionEngine: null,
			loginMayFail: true,
			stopGraceMs: 15000,
			waitForGroup: true,
		});
		const login = server.owner.ok
			? {
					ok: true,
					note: server.owner.created ? 'owner account created' : 'owner account already set up',
				}
			: {
					ok: false,
					note: `the owner account exists but ${OWNER.email} / ${OWNER.password} was refused (HTTP ${server.owner.status}); log in with the password you set, or start over with --reset`,
				};
		took('n8nStart', t);
		timings.total = Date.now() - t0;
		say(`  n8n ready in ${secs(timings.n8nStart)}; ${login.note}`);
		return {
			url: server.baseUrl,
			owner: OWNER,
			login,
			sandbox,
			userFolder,
			logFile,
			workflows,
			timings,
			n8nExited: server.exited,
			stop,
		};
	} catch (e) {
		await stop();
		const tail = fs.existsSync(logFile)
			? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')
			: '';
		throw new Error(
			`${/** @type {Error} */ (e).message}\n--- last lines of ${logFile} ---\n${tail}`,
		);
	}
}

module.exports = {
	startPlayground,
	readExamples,
	credentialFor,
	portIsFree,
	freePort,
	secs,
	CREDENTIAL,
	OWNER,
	EXAMPLES_DIR,
	DEFAULT_N8N_PORT,
	DEFAULT_SANDBOX_PORT,
	N8N_VERSION,
};
