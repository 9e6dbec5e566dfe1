// @ts-check
'use strict';
/**
 * Drives a real, headless n8n for the e2e tests: a throw-away user folder, the packed community
 * package extracted into it, credentials and workflows imported with the CLI, workflows run with
 * `n8n execute --id`, and `n8n start` + REST. Two lines: '2' = n8n 2.41.1 on Node 24, '1' = n8n
 * 1.123.81 on Node 20 (runtimes from test/runtimes/install.js, installed on first use).
 *
 * Every child is spawned asynchronously: the tests' mock HTTP server lives in the jest process, and
 * a spawnSync would freeze it while n8n waits for its answer.
 *
 * CLI commands write their stdout to a FILE in the user folder, never to a pipe: n8n ends with
 * process.exit(), and a pipe's pending writes are lost then (a multi-MB run JSON arrived cut short
 * under load, and a 10,000-item run printed 3 of its ~12 MB). Writes to a file are synchronous in
 * Node, so nothing is lost. `execute` throws when no complete run JSON is in that file.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { ensureRuntime, runtimePaths } = require('../../runtimes/install');

/** @typedef {'1' | '2'} Line */

/**
 * @typedef {object} Runtime
 * @property {Line} line
 * @property {string} version   n8n version
 * @property {string} bin       n8n entry script (node_modules/n8n/bin/n8n)
 * @property {string} nodeBin   the Node binary that runs it
 */

/**
 * @typedef {object} CommandResult
 * @property {number | null} code   exit code (null when killed)
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms            wall time
 */

/**
 * @typedef {object} ExecuteResult
 * @property {number | null} code
 * @property {any} run              the IRun JSON n8n printed; null only when n8n said the workflow
 *                                  does not exist (any other missing or cut-short run JSON throws)
 * @property {string} stdout
 * @property {string} stderr
 * @property {NodeJS.Signals | null} signal  set when n8n died of a signal (code is then null)
 * @property {number} ms
 * @property {boolean} timedOut
 */

/**
 * @typedef {object} RestResult
 * @property {number} status
 * @property {any} json             parsed body, null when not JSON
 * @property {string} text
 * @property {Record<string, string | string[] | undefined>} headers
 */

/**
 * @typedef {object} N8nServer
 * @property {string} baseUrl       http://127.0.0.1:<port>
 * @property {number} port
 * @property {string} cookie        "n8n-auth=…" of the owner
 * @property {(method: string, urlPath: string, body?: unknown) => Promise<RestResult>} rest
 * @property {() => Promise<void>} stop
 */

const VERSIONS = { 2: '2.41.1', 1: '1.123.81' };
const ENCRYPTION_KEY = 'nexor-e2e-fixed-encryption-key-0001';
const OWNER = {
	email: 'owner@example.com',
	password: 'Passw0rd!Passw0rd',
	firstName: 'Owner',
	lastName: 'Test',
};
// n8n binds the auth cookie to this header when it is sent at login; send the same one always.
const BROWSER_ID = 'nexor-e2e-browser';

// Only these survive from the caller's env: no proxies, no npm_config_* (we may run under
// `npm test`), no N8N_*/DB_* of a developer's own n8n.
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

/** @type {Set<import('node:child_process').ChildProcess>} */
const live = new Set();
let exitHookSet = false;

/** Children run in their own process group (n8n spawns task runners); never leave them behind. */
function killAllOnExit() {
	if (exitHookSet) return;
	exitHookSet = true;
	const killAll = () => {
		for (const c of live) killGroup(c, 'SIGKILL');
	};
	process.on('exit', killAll);
	// Ctrl-C reaches only our own process group, not the detached n8n groups
	for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
		process.once(sig, () => {
			killAll();
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		});
	}
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
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** @returns {Promise<number>} a port free on 127.0.0.1 right now */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * @param {string} cookie
 * @param {boolean} hasBody
 * @returns {Record<string, string>}
 */
function restHeaders(cookie, hasBody) {
	/** @type {Record<string, string>} */
	const h = { cookie, 'browser-id': BROWSER_ID, accept: 'application/json' };
	if (hasBody) h['content-type'] = 'application/json';
	return h;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Paths of a line's runtime (not installed by this call: createN8nHome does that).
 * @param {Line} line
 * @returns {Runtime}
 */
function runtimeFor(line) {
	if (line !== '1' && line !== '2')
		throw new Error(`line must be '1' or '2', got ${JSON.stringify(line)}`);
	const p = runtimePaths();
	const rt = line === '2' ? p.n8n2 : p.n8n1;
	if (!rt.nodeBin) throw new Error('n8n 1.x needs Node 20 and none was found (set NEXOR_NODE20)');
	return { line, version: VERSIONS[line], bin: rt.bin, nodeBin: rt.nodeBin };
}

/**
 * The run JSON n8n prints on stdout among its log lines (with or without --rawOutput): from the
 * first line that is exactly "{" to a line that is exactly "}" (the last one that parses).
 * @param {string} stdout
 * @returns {any}
 */
function parseRun(stdout) {
	const lines = stdout.split(/\r?\n/);
	const start = lines.indexOf('{');
	if (start < 0) return null;
	for (let end = lines.length - 1; end > start; end--) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			/* a shorter span may parse */
		}
	}
	return null;
}

/**
 * n8n's own answer to `execute --id` of a workflow it doesn't have (exit 1, no run): the only case
 * where `execute` returns `run: null` instead of throwing.
 * @param {string} workflowId
 * @param {string} output  stdout + stderr
 */
function saysNoSuchWorkflow(workflowId, output) {
	return output.includes(`The workflow with the id "${workflowId}" does not exist.`);
}

/** @param {string} text */
const tail = (text) => JSON.stringify(text.slice(-500));

/**
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<RestResult>}
 */
function request(url, opts = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: opts.method || 'GET', headers: opts.headers, timeout: opts.timeoutMs || 60000 },
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json = null;
					try {
						json = JSON.parse(text);
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode || 0, json, text, headers: res.headers });
				});
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${opts.method || 'GET'} ${url}`)));
		req.on('error', reject);
		req.end(opts.body);
	});
}

/**
 * A fresh n8n user folder for one line (installs the runtime on first use, a few minutes).
 * @param {{ line: Line, env?: Record<string, string> }} opts  env: extra variables for every n8n
 *   command (they win over the defaults, e.g. { N8N_EXPRESSION_ENGINE: 'vm' })
 */
async function createN8nHome(opts) {
	const line = opts.line;
	await ensureRuntime(line === '2' ? 'n8n2' : 'n8n1');
	const rt = runtimeFor(line);
	killAllOnExit();

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nexor-n8n${line}-`));
	const n8nDir = path.join(dir, '.n8n');
	fs.mkdirSync(n8nDir, { recursive: true });
	/** @type {string[]} */
	const logs = [];

	/** @type {Record<string, string>} */
	const env = {
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_LOG_LEVEL: 'info', // the run JSON is logged at info: warn or silent would hide it
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
	// Expressions are evaluated in-process on both lines. Line 1: Node 20 can't build isolated-vm,
	// which 1.123's default `vm` engine needs. Line 2: with the default `vm` engine (isolated-vm 7.0.1
	// prebuild, Node 24.21.0) `n8n execute` died of SIGSEGV at exit in 4-6 of 8 runs on this 2-core
	// box, after printing a correct run (gdb: an isolate thread still allocating while V8's
	// platform is torn down); legacy and quickjs exited 0 in 8/8. Pass env to try another engine.
	env.N8N_EXPRESSION_ENGINE = 'legacy';
	Object.assign(env, opts.env || {});

	/** @param {Record<string, string>} extra */
	function childEnv(extra) {
		/** @type {Record<string, string>} */
		const e = {};
		for (const k of PASS_ENV) {
			const v = process.env[k];
			if (v !== undefined) e[k] = v;
		}
		// the runtime's Node first, for anything n8n spawns by name; HOME inside the temp folder so
		// nothing lands in the real ~/.n8n or ~/.cache
		e.PATH = `${path.dirname(rt.nodeBin)}${path.delimiter}${e.PATH || '/usr/bin:/bin'}`;
		e.HOME = dir;
		return Object.assign(e, env, extra);
	}

	let outSeq = 0;
	/**
	 * Runs n8n with its stdout going to a file (see the top of this file), read back once the
	 * process has closed; stderr stays a pipe.
	 * @param {string[]} args  n8n arguments
	 * @param {{ timeoutMs?: number, env?: Record<string, string>, stdoutFile?: string }} [o]
	 *   stdoutFile: where stdout goes, left in place for the caller (default: a file in the user
	 *   folder, deleted once read)
	 * @returns {Promise<CommandResult>}
	 */
	function n8n(args, o = {}) {
		const timeoutMs = o.timeoutMs || 180000;
		const started = Date.now();
		const outFile =
			o.stdoutFile ||
			path.join(dir, `n8n-${++outSeq}-${String(args[0]).replace(/[^\w.-]+/g, '_')}.stdout`);
		return new Promise((resolve, reject) => {
			const fd = fs.openSync(outFile, 'w', 0o600);
			/** @type {import('node:child_process').ChildProcess} */
			let child;
			try {
				child = spawn(rt.nodeBin, [rt.bin, ...args], {
					cwd: dir,
					env: childEnv(o.env || {}),
					stdio: ['ignore', fd, 'pipe'],
					detached: true,
				});
			} finally {
				fs.closeSync(fd); // the child has its own copy
			}
			live.add(child);
			let stderr = '';
			/** @type {import('node:stream').Readable} */ (child.stderr)
				.setEncoding('utf8')
				.on('data', (d) => (stderr += d));
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				killGroup(child, 'SIGKILL');
			}, timeoutMs);
			child.on('error', (err) => {
				clearTimeout(timer);
				live.delete(child);
				reject(err);
			});
			// a leftover task runner holding our stderr pipe would delay 'close' until the timeout
			/** @type {NodeJS.Timeout | undefined} */
			let grace;
			child.on('exit', () => {
				grace = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
				grace.unref();
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				clearTimeout(grace);
				live.delete(child);
				killGroup(child, 'SIGKILL'); // stray task runners
				const ms = Date.now() - started;
				let stdout = '';
				try {
					stdout = fs.readFileSync(outFile, 'utf8');
				} catch (e) {
					stdout = `(could not read ${outFile}: ${/** @type {Error} */ (e).message})`;
				}
				if (!o.stdoutFile) fs.rmSync(outFile, { force: true });
				logs.push(
					`$ n8n ${args.join(' ')}  → ${timedOut ? `TIMEOUT after ${timeoutMs} ms` : signal || `exit ${code}`} in ${ms} ms\n` +
						`--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
				);
				resolve({ code, signal, timedOut, stdout, stderr, ms });
			});
		});
	}

	/**
	 * @param {string} what
	 * @param {CommandResult} r
	 */
	function mustSucceed(what, r) {
		if (r.code === 0) return r;
		throw new Error(
			`${what} failed (${r.timedOut ? 'timeout' : r.signal || `exit ${r.code}`}, n8n ${rt.version})\n` +
				`--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`,
		);
	}

	let inputSeq = 0;
	/**
	 * @param {string} kind
	 * @param {unknown[]} items
	 */
	function writeInput(kind, items) {
		if (!Array.isArray(items)) throw new Error(`${kind}: expected an array`);
		const file = path.join(dir, `${kind}-${++inputSeq}.json`);
		fs.writeFileSync(file, JSON.stringify(items, null, '\t'), { mode: 0o600 });
		return file;
	}

	/** @type {Set<N8nServer>} */
	const servers = new Set();

	const home = {
		line,
		runtime: rt,
		/** the user folder (N8N_USER_FOLDER); n8n's data is in <dir>/.n8n */
		dir,
		n8nDir,
		env,
		/** "$ n8n …" header + stdout + stderr of every command, in order */
		logs,

		/** Runs any n8n CLI command (does not throw on a non-zero exit). */
		n8n,

		/**
		 * The environment every n8n command of this folder gets (plus `extra`), for callers that spawn
		 * n8n themselves (queue mode's long-running workers, test/e2e/harness/queue.js).
		 */
		childEnv,

		/**
		 * Extracts a packed package (npm pack) into <dir>/.n8n/nodes/node_modules/<name>, as n8n's
		 * own community-package install does; n8n loads it from there at startup.
		 * @param {string} tgzPath
		 * @returns {Promise<{ name: string, version: string, dir: string }>}
		 */
		async installPackage(tgzPath) {
			const tgz = path.resolve(tgzPath);
			const manifest = await tool('tar', ['-xzf', tgz, '-O', 'package/package.json'], dir);
			/** @type {{ name: string, version: string, dependencies?: Record<string, string> }} */
			const pkg = JSON.parse(manifest);
			const nodesDir = path.join(n8nDir, 'nodes');
			const dest = path.join(nodesDir, 'node_modules', pkg.name);
			fs.rmSync(dest, { recursive: true, force: true });
			fs.mkdirSync(dest, { recursive: true });
			await tool('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1'], dir);
			// n8n's own install then runs `npm install` for the package's runtime dependencies (peer and
			// dev dependencies stripped); only needed when there are some.
			if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
				await tool(
					'npm',
					[
						'install',
						'--omit=dev',
						'--omit=peer',
						'--ignore-scripts',
						'--no-audit',
						'--no-fund',
						'--no-package-lock',
					],
					dest,
				);
			}
			const listFile = path.join(nodesDir, 'package.json');
			/** @type {{ name: string, private: boolean, dependencies: Record<string, string> }} */
			let list = { name: 'installed-nodes', private: true, dependencies: {} };
			if (fs.existsSync(listFile)) list = JSON.parse(fs.readFileSync(listFile, 'utf8'));
			list.dependencies = Object.assign({}, list.dependencies, { [pkg.name]: pkg.version });
			fs.writeFileSync(listFile, JSON.stringify(list, null, 2));
			logs.push(`installed ${pkg.name}@${pkg.version} from ${tgz} into ${dest}`);
			return { name: pkg.name, version: pkg.version, dir: dest };
		},

		/**
		 * `n8n import:credentials`; `data` may be a plain object (n8n encrypts it with the fixed key).
		 * The input file (plain secrets) is deleted afterwards.
		 * @param {unknown[]} credentials
		 * @param {{ timeoutMs?: number }} [o]
		 */
		async importCredentials(credentials, o = {}) {
			const file = writeInput('credentials', credentials);
			try {
				return mustSucceed(
					'n8n import:credentials',
					await n8n([`import:credentials`, `--input=${file}`], o),
				);
			} finally {
				fs.rmSync(file, { force: true });
			}
		},

		/**
		 * `n8n import:workflow` of one file holding all workflows (give each a fixed `id`).
		 * @param {unknown[]} workflows
		 * @param {{ timeoutMs?: number }} [o]
		 */
		async importWorkflows(workflows, o = {}) {
			const file = writeInput('workflows', workflows);
			return mustSucceed(
				'n8n import:workflow',
				await n8n([`import:workflow`, `--input=${file}`], o),
			);
		},

		/**
		 * `n8n execute --id <id> --rawOutput`, stdout written to <dir>/execute-<id>-<n>.stdout. Success:
		 * code 0 and run.status 'success'; a failed run exits 1 with the error in
		 * run.data.resultData.error (returned, not thrown). Assert on `run`, not only on `code`.
		 * Throws when the file holds no complete run JSON (a timeout, a crash, a cut-short write),
		 * naming the file (kept until cleanup()); the one exception is n8n saying the workflow does
		 * not exist (exit 1, `run` null).
		 * @param {string} workflowId
		 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [o]  env: extra variables
		 *   for this run only (e.g. NODE_OPTIONS)
		 * @returns {Promise<ExecuteResult>}
		 */
		async execute(workflowId, o = {}) {
			const timeoutMs = o.timeoutMs || 120000;
			const file = path.join(
				dir,
				`execute-${workflowId.replace(/[^\w.-]+/g, '_')}-${++outSeq}.stdout`,
			);
			const r = await n8n(['execute', `--id=${workflowId}`, '--rawOutput'], {
				timeoutMs,
				env: o.env,
				stdoutFile: file,
			});
			const run = parseRun(r.stdout);
			const result = {
				code: r.code,
				run,
				stdout: r.stdout,
				stderr: r.stderr,
				signal: r.signal,
				ms: r.ms,
				timedOut: r.timedOut,
			};
			const noSuchWorkflow =
				run === null &&
				!r.timedOut &&
				r.signal === null &&
				r.code !== 0 &&
				saysNoSuchWorkflow(workflowId, `${r.stdout}\n${r.stderr}`);
			if (run !== null || noSuchWorkflow) {
				fs.rmSync(file, { force: true });
				return result;
			}
			const how = r.timedOut
				? `killed after the ${timeoutMs} ms timeout`
				: r.signal
					? `killed by ${r.signal}`
					: `exit code ${r.code}`;
			throw new Error(
				`n8n execute --id ${workflowId}: no complete run JSON in ${file} ` +
					`(${how}, n8n ${rt.version}, ${r.stdout.length} chars of stdout; ` +
					`last 500 chars of stdout: ${tail(r.stdout)}; last 500 of stderr: ${tail(r.stderr)})`,
			);
		},

		/**
		 * `n8n start` on 127.0.0.1, waits for /healthz/readiness, then signs in as the owner
		 * (owner@example.com / Passw0rd!Passw0rd; set up on first start of this folder).
		 * @param {{ port?: number, readyTimeoutMs?: number }} [o]
		 * @returns {Promise<N8nServer>}
		 */
		async start(o = {}) {
			const port = o.port || (await freePort());
			const readyTimeoutMs = o.readyTimeoutMs || 120000;
			const baseUrl = `http://127.0.0.1:${port}`;
			const started = Date.now();
			// its own broker port: an `execute` may run while the server is up
			const brokerPort = String(await freePort());
			const child = spawn(rt.nodeBin, [rt.bin, 'start'], {
				cwd: dir,
				env: childEnv({
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					N8N_PORT: String(port),
					N8N_RUNNERS_BROKER_PORT: brokerPort,
				}),
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
			live.add(child);
			let out = '';
			child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
			child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
			/** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
			let exited = null;
			const exitedP = new Promise((resolve) => {
				child.on('close', (code, signal) => {
					exited = { code, signal };
					live.delete(child);
					killGroup(child, 'SIGKILL');
					logs.push(
						`$ n8n start (port ${port}) → ${signal || `exit ${code}`} after ${Date.now() - started} ms\n${out}`,
					);
					resolve(undefined);
				});
			});
			child.on('error', (err) => {
				out += `\nspawn error: ${err.message}`;
			});

			const stop = async () => {
				if (exited) return;
				killGroup(child, 'SIGTERM');
				const hard = setTimeout(() => killGroup(child, 'SIGKILL'), 10000);
				await exitedP;
				clearTimeout(hard);
			};

			try {
				for (;;) {
					if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)})`);
					if (Date.now() - started > readyTimeoutMs)
						throw new Error(`not ready after ${readyTimeoutMs} ms`);
					try {
						const r = await request(`${baseUrl}/healthz/readiness`, { timeoutMs: 5000 });
						if (r.status === 200) break;
					} catch {
						/* not listening yet */
					}
					await sleep(500);
				}
				// 1.123 answers readiness before it mounts the REST routes (404 for a few seconds)
				let cookie = '';
				for (;;) {
					if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)})`);
					const signedIn = await signIn(baseUrl);
					if (signedIn) {
						cookie = signedIn;
						break;
					}
					if (Date.now() - started > readyTimeoutMs)
						throw new Error(`REST still 404 after ${readyTimeoutMs} ms`);
					await sleep(500);
				}
				/** @type {N8nServer} */
				const server = {
					baseUrl,
					port,
					cookie,
					rest: (method, urlPath, body) =>
						request(`${baseUrl}${urlPath}`, {
							method,
							headers: restHeaders(cookie, body !== undefined),
							body: body === undefined ? undefined : JSON.stringify(body),
						}),
					stop: async () => {
						servers.delete(server);
						await stop();
					},
				};
				servers.add(server);
				return server;
			} catch (e) {
				await stop();
				throw new Error(
					`n8n start (n8n ${rt.version}, ${baseUrl}): ${/** @type {Error} */ (e).message}\n--- output ---\n${out}`,
				);
			}
		},

		/** Stops any server still running and removes the folder. */
		async cleanup() {
			for (const s of [...servers]) await s.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};

	/**
	 * A short helper process (tar, npm); its output goes to the logs too.
	 * @param {string} cmd
	 * @param {string[]} args
	 * @param {string} cwd
	 * @returns {Promise<string>} stdout
	 */
	function tool(cmd, args, cwd) {
		return new Promise((resolve, reject) => {
			const child = spawn(cmd, args, { cwd, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
			child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
			child.on('error', reject);
			child.on('close', (code) => {
				logs.push(`$ ${cmd} ${args.join(' ')} → exit ${code}\n${stderr}`);
				if (code === 0) resolve(stdout);
				else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${stderr}`));
			});
		});
	}

	/**
	 * Owner setup on a fresh database, a login otherwise; returns the n8n-auth cookie, or null while
	 * the REST routes are not mounted yet.
	 * @param {string} baseUrl
	 * @returns {Promise<string | null>}
	 */
	async function signIn(baseUrl) {
		const headers = { 'content-type': 'application/json', 'browser-id': BROWSER_ID };
		let r = await request(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify(OWNER),
		});
		if (r.status === 404) return null;
		if (r.status !== 200) {
			// owner already set up (a second start on this folder)
			r = await request(`${baseUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (r.status === 404) return null;
		}
		const raw = r.headers['set-cookie'];
		/** @type {string[]} */
		const setCookie = Array.isArray(raw) ? raw : raw ? [raw] : [];
		const auth = setCookie
			.map((c) => String(c).split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (r.status !== 200 || !auth)
			throw new Error(`owner setup/login failed: ${r.status} ${r.text.slice(0, 500)}`);
		return auth;
	}

	return home;
}

/** @typedef {Awaited<ReturnType<typeof createN8nHome>>} N8nHome */

module.exports = { createN8nHome, runtimeFor, parseRun, freePort, OWNER, ENCRYPTION_KEY };
