// @ts-check
'use strict';
/**
 * The playground: this package, freshly built and packed, installed into a real n8n 2.41.1 (Node 24)
 * the way n8n installs community nodes, next to the Nexor sandbox, with an owner account, a Nexor
 * credential pointing at the sandbox and the example workflows from examples/ imported.
 *
 * `npm start` (start.js) runs it on the fixed ports 5678 (n8n) and 4010 (sandbox) with a persistent
 * user folder; the screenshot script (screenshots.js) runs its own copy in a temp folder on free
 * ports. It lives under test/ beside the sandbox and the pinned runtimes it is built from.
 *
 * Node built-ins only (plus the repo's own test helpers); runs on the machine's Node 20, while n8n
 * itself runs on the cached Node 24 from test/runtimes/install.js.
 */

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { ensureRuntime, runtimePaths } = require('../runtimes/install.js');
const { packPackage, ROOT } = require('../e2e/harness/pack.js');
const { startSandbox } = require('../sandbox/server.js');

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
// The caller's variables that reach n8n; nothing else (no N8N_*/DB_* of the developer's own n8n).
const PASS_ENV = [
	'PATH',
	'LANG',
	'LC_ALL',
	'LC_CTYPE',
	'TZ',
	'USER',
	'LOGNAME',
	'SHELL',
	'TERM',
	'TMPDIR',
];

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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
 * @param {number} port
 * @returns {Promise<boolean>} whether 127.0.0.1:port can be bound right now
 */
function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
function killGroup(child, signal) {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
}

/**
 * A command's output made readable: terminal control sequences and spinner frames (n8n-node build
 * draws one even without a terminal) removed, repeated lines collapsed.
 * @param {string} out
 */
function readable(out) {
	const lines = out
		.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '\n')
		.split(/\r?\n/)
		.map((l) => l.trimEnd())
		.filter((l) => l && !/^[◒◐◓◑]/.test(l));
	return lines.filter((l, i) => l !== lines[i - 1]).join('\n');
}

/**
 * Waits until no process of the child's group is left (n8n's task runner included), killing the
 * group after 5 s; gives up after 10 s.
 * @param {import('node:child_process').ChildProcess} child
 */
async function groupGone(child) {
	if (!child.pid) return;
	const started = Date.now();
	for (;;) {
		try {
			process.kill(-child.pid, 0);
		} catch {
			return; // ESRCH: the whole group is gone
		}
		if (Date.now() - started > 10000) return;
		if (Date.now() - started > 5000) killGroup(child, 'SIGKILL');
		await sleep(100);
	}
}

/**
 * Runs a command to completion.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, log?: string, inherit?: boolean }} o
 * @returns {Promise<string>} its output (stdout + stderr)
 */
function run(cmd, args, o) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: o.cwd,
			env: o.env || process.env,
			stdio: o.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout?.setEncoding('utf8').on('data', (d) => (out += d));
		child.stderr?.setEncoding('utf8').on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			const shown = readable(out);
			if (o.log)
				fs.appendFileSync(
					o.log,
					`\n$ ${path.basename(cmd)} ${args.join(' ')}  → ${signal || `exit ${code}`}\n${shown}\n`,
				);
			if (code === 0) resolve(out);
			else
				reject(
					new Error(
						`\`${path.basename(cmd)} ${args.join(' ')}\` failed (${signal || `exit ${code}`}):\n${shown.slice(-4000)}`,
					),
				);
		});
	});
}

/**
 * `POST` JSON to n8n's REST API.
 * @param {string} url
 * @param {unknown} body
 * @returns {Promise<{ status: number, text: string }>}
 */
async function postJson(url, body) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'nexor-playground' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(30000),
	});
	return { status: res.status, text: await res.text() };
}

/**
 * Sets up the owner on a new database, else checks that the owner's password still signs in.
 * Returns null while n8n's REST routes are not mounted yet.
 * @param {string} url
 * @returns {Promise<{ ok: boolean, note: string } | null>}
 */
async function setUpOwner(url) {
	const setup = await postJson(`${url}/rest/owner/setup`, OWNER);
	if (setup.status === 404) return null;
	if (setup.status === 200) return { ok: true, note: 'owner account created' };
	const login = await postJson(`${url}/rest/login`, {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	if (login.status === 404) return null;
	if (login.status === 200) return { ok: true, note: 'owner account already set up' };
	return {
		ok: false,
		note: `the owner account exists but ${OWNER.email} / ${OWNER.password} was refused (HTTP ${login.status}); log in with the password you set, or start over with --reset`,
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
		const out = await run(
			node24,
			['--no-warnings', '-e', script, db, credentialId, ...workflowIds],
			{
				cwd: path.dirname(db),
			},
		);
		return out.trim() === 'true';
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
	const n8nDir = path.join(userFolder, '.n8n');
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
	fs.mkdirSync(n8nDir, { recursive: true });
	fs.writeFileSync(
		logFile,
		`${new Date().toISOString()} playground starting (n8n ${N8N_VERSION})\n`,
	);

	if (opts.build !== false) {
		say('» Building the package (npm run build)…');
		const t = Date.now();
		await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, log: logFile });
		took('build', t);
		say(`  built in ${secs(timings.build)}`);
	}

	say(`» n8n ${N8N_VERSION} on Node 24 (installed once into the cache; progress below)…`);
	let t = Date.now();
	await ensureRuntime('n8n2');
	const rt = runtimePaths();
	took('runtime', t);

	say(
		'» Packing the package and installing the tarball into n8n (as n8n installs community nodes)…',
	);
	t = Date.now();
	const tgz = packPackage();
	/** @type {{ name: string, version: string }} */
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const nodesDir = path.join(n8nDir, 'nodes');
	const dest = path.join(nodesDir, 'node_modules', pkg.name);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	await run('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1'], { cwd: userFolder });
	fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
			null,
			2,
		),
	);
	took('install', t);
	say(
		`  ${pkg.name}@${pkg.version} → ${path.relative(userFolder, dest)} (${secs(timings.install)})`,
	);

	/** @type {Record<string, string>} */
	const env = {};
	for (const k of PASS_ENV) {
		const v = process.env[k];
		if (v !== undefined) env[k] = v;
	}
	Object.assign(env, {
		PATH: `${path.dirname(rt.node24Bin)}${path.delimiter}${env.PATH || '/usr/bin:/bin'}`,
		HOME: userFolder, // nothing lands in the developer's own ~/.n8n
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(n8nPort),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LOG_LEVEL: 'info',
	});
	const n8nArgs = (/** @type {string[]} */ args) => [rt.n8n2.bin, ...args];

	/** @type {import('../sandbox/server.js').Sandbox | undefined} */
	let sandbox;
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let child;
	/** @type {Promise<{ code: number | null, signal: string | null }>} */
	let n8nExited = Promise.resolve({ code: null, signal: null });
	let exited = false;
	const onExit = () => child && !exited && killGroup(child, 'SIGKILL');

	const stop = async () => {
		if (child && !exited) {
			killGroup(child, 'SIGTERM');
			const hard = setTimeout(() => child && killGroup(child, 'SIGKILL'), 15000);
			await n8nExited;
			clearTimeout(hard);
		}
		if (child) await groupGone(child);
		process.off('exit', onExit);
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
						rt.node24Bin,
						path.join(n8nDir, 'database.sqlite'),
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
			// The CLI imports evaluate no expressions: the legacy engine spares them the isolated-vm
			// crash at exit seen with `n8n execute` on 2.41.1 (see test/e2e/harness/n8n.js). `n8n start`
			// keeps n8n's default engine, as users run it.
			const importEnv = { ...env, N8N_EXPRESSION_ENGINE: 'legacy' };
			const credFile = path.join(userFolder, 'credentials.import.json');
			fs.writeFileSync(credFile, JSON.stringify([credential]), { mode: 0o600 });
			try {
				await run(rt.n8n2.nodeBin, n8nArgs(['import:credentials', `--input=${credFile}`]), {
					cwd: userFolder,
					env: importEnv,
					log: logFile,
				});
			} finally {
				fs.rmSync(credFile, { force: true });
			}
			await run(
				rt.n8n2.nodeBin,
				n8nArgs(['import:workflow', '--separate', `--input=${EXAMPLES_DIR}`]),
				{
					cwd: userFolder,
					env: importEnv,
					log: logFile,
				},
			);
			fs.writeFileSync(marker, `${fingerprint}\n`);
			took('import', t);
			say(`  imported in ${secs(timings.import)}`);
		}

		say(`» Starting n8n on http://127.0.0.1:${n8nPort} (log: ${logFile})…`);
		t = Date.now();
		const log = fs.openSync(logFile, 'a');
		fs.writeSync(log, `\n$ n8n start (port ${n8nPort})\n`);
		// Its own process group: n8n starts task runners, and Ctrl-C must stop all of them, in order.
		child = spawn(rt.n8n2.nodeBin, n8nArgs(['start']), {
			cwd: userFolder,
			env,
			stdio: ['ignore', log, log],
			detached: true,
		});
		fs.closeSync(log);
		const started = child;
		process.on('exit', onExit);
		n8nExited = new Promise((resolve) => {
			started.on('exit', (code, signal) => {
				exited = true;
				killGroup(started, 'SIGKILL'); // a task runner left behind
				resolve({ code, signal });
			});
		});
		const url = `http://127.0.0.1:${n8nPort}`;
		/** @type {{ ok: boolean, note: string } | null} */
		let login = null;
		for (;;) {
			if (exited) throw new Error(`n8n exited while starting; see ${logFile}`);
			if (Date.now() - t > 180000) throw new Error(`n8n was not ready after 180 s; see ${logFile}`);
			try {
				const ready = await fetch(`${url}/healthz/readiness`, {
					signal: AbortSignal.timeout(5000),
				});
				if (ready.status === 200) login = await setUpOwner(url);
			} catch {
				/* not listening yet */
			}
			if (login) break;
			await sleep(500);
		}
		took('n8nStart', t);
		timings.total = Date.now() - t0;
		say(`  n8n ready in ${secs(timings.n8nStart)}; ${login.note}`);
		return {
			url,
			owner: OWNER,
			login,
			sandbox,
			userFolder,
			logFile,
			workflows,
			timings,
			n8nExited,
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
