// @ts-check
'use strict';
/**
 * Drives a real, headless n8n: a user folder (a throw-away one, or a persistent one the caller
 * names), the packed community package extracted into it, credentials and workflows imported with
 * the CLI, workflows run with `n8n execute --id`, and `n8n start` + REST with an owner account. Two
 * lines: '2' = n8n 2.41.1 on Node 24, '1' = n8n 1.123.81 on Node 20 (runtimes from
 * test/runtimes/install.js, installed on first use). Used by the e2e suites, the playground
 * (test/playground/), the benchmark (test/bench/), the volume run (test/reliability/volume.js) and
 * queue mode (queue.js).
 *
 * Every child is spawned asynchronously (test/support/process.js): the tests' mock HTTP server
 * lives in the jest process, and a spawnSync would freeze it while n8n waits for its answer.
 *
 * CLI commands write their stdout to a FILE in the user folder, never to a pipe: n8n ends with
 * process.exit(), and a pipe's pending writes are lost then (a multi-MB run JSON arrived cut short
 * under load, and a 10,000-item run printed 3 of its ~12 MB). Writes to a file are synchronous in
 * Node, so nothing is lost. `execute` throws when no complete run JSON is in that file.
 */

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { ensureRuntime, runtimePaths } = require('../../runtimes/install');
const { passEnv, freePort, start: startProcess, runOk, commandLine, waitFor } = require('../../support/process');

/** @typedef {'1' | '2'} Line */

/**
 * @typedef {object} Runtime
 * @property {Line} line
 * @property {string} version   n8n version
 * @property {string} bin       n8n entry script (node_modules/n8n/bin/n8n)
 * @property {string} nodeBin   the Node binary that runs it
 */

/** @typedef {import('../../support/process').Result} CommandResult */

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
 * @typedef {object} Owner
 * @property {string} email
 * @property {string} password
 * @property {string} firstName
 * @property {string} lastName
 */

/**
 * @typedef {object} N8nServer
 * @property {string} baseUrl       http://127.0.0.1:<port>
 * @property {number} port
 * @property {string} cookie        "n8n-auth=…" of the owner ('' when the login was refused)
 * @property {{ ok: boolean, created: boolean, status: number }} owner  created: set up by this start
 * @property {(method: string, urlPath: string, body?: unknown) => Promise<RestResult>} rest
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited
 * @property {() => Promise<void>} stop
 */

/**
 * @typedef {object} StartOptions
 * @property {number} [port]            default: a free one
 * @property {number} [readyTimeoutMs]  default 120 s
 * @property {number} [attempts]        tries (default 1): on a busy 2-core machine n8n's start has
 *   been seen to stall before "Editor is now accessible", in its own start-up
 * @property {string | null} [expressionEngine]  this server's (null: n8n's own default)
 * @property {boolean} [loginMayFail]   a refused owner login (someone changed the password) is
 *   reported in `owner.ok` instead of thrown
 * @property {number} [stopGraceMs]     SIGKILL this long after SIGTERM (default 10 s)
 * @property {boolean} [waitForGroup]   stop() also waits until nothing of n8n's group is left
 */

/**
 * @typedef {object} HomeOptions
 * @property {Line} line
 * @property {Record<string, string>} [env]  extra variables for every n8n command (they win over
 *   the defaults, e.g. queue mode's)
 * @property {string} [dir]          a persistent user folder (created if missing, kept by cleanup());
 *   default: a new temp folder, removed by cleanup()
 * @property {Owner} [owner]         the account start() sets up or signs in with (default OWNER)
 * @property {string} [encryptionKey]  default ENCRYPTION_KEY; a persistent folder needs the same one
 *   at every start
 * @property {string | null} [expressionEngine]  N8N_EXPRESSION_ENGINE of every command (default
 *   'legacy', see below); null: n8n's own default
 * @property {string} [logFile]      every log entry is appended here too, and `n8n start`'s output
 *   streams here (instead of into `logs`)
 */

const VERSIONS = { 2: '2.41.1', 1: '1.123.81' };
/** The two lines, for describe.each: [line, 'n8n <version> on Node <major>']. */
const LINES = /** @type {const} */ ([
	['2', 'n8n 2.41.1 on Node 24'],
	['1', 'n8n 1.123.81 on Node 20'],
]);
const ENCRYPTION_KEY = 'nexor-e2e-fixed-encryption-key-0001';
/** @type {Readonly<Owner>} */
const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'Passw0rd!Passw0rd',
	firstName: 'Owner',
	lastName: 'Test',
});
// n8n binds the auth cookie to this header when it is sent at login; send the same one always.
const BROWSER_ID = 'nexor-e2e-browser';
const REST_TIMEOUT_MS = 60000;

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

/** @param {string} file */
function readText(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/**
 * An HTTP request on 127.0.0.1 (REST, readiness, webhooks).
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<RestResult>}
 */
function request(url, opts = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: opts.method || 'GET', headers: opts.headers, timeout: opts.timeoutMs || REST_TIMEOUT_MS },
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
 * An n8n user folder for one line (installs the runtime on first use, a few minutes).
 * @param {HomeOptions} opts
 */
async function createN8nHome(opts) {
	const line = opts.line;
	await ensureRuntime(line === '2' ? 'n8n2' : 'n8n1');
	const rt = runtimeFor(line);
	const owner = opts.owner || OWNER;

	const dir = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), `nexor-n8n${line}-`));
	const n8nDir = path.join(dir, '.n8n');
	fs.mkdirSync(n8nDir, { recursive: true });
	/** @type {string[]} */
	const logs = [];
	/** @param {string} entry */
	const log = (entry) => {
		logs.push(entry);
		if (opts.logFile) fs.appendFileSync(opts.logFile, `\n${entry}\n`);
	};
	const counts = { commands: 0, starts: 0 };

	/** @type {Record<string, string>} */
	const env = {
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: opts.encryptionKey || ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_LOG_LEVEL: 'info', // the run JSON is logged at info: warn or silent would hide it
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
	// Expressions are evaluated in-process on both lines. Line 1: Node 20 can't build isolated-vm,
	// which 1.123's default `vm` engine needs. Line 2: with the default `vm` engine (isolated-vm 7.0.1
	// prebuild, Node 24.21.0) `n8n execute` died of SIGSEGV at exit in 4-6 of 8 runs on this 2-core
	// box, after printing a correct run (gdb: an isolate thread still allocating while V8's
	// platform is torn down); legacy and quickjs exited 0 in 8/8. Pass expressionEngine (or env) to
	// try another engine.
	const engine = opts.expressionEngine === undefined ? 'legacy' : opts.expressionEngine;
	if (engine !== null) env.N8N_EXPRESSION_ENGINE = engine;
	Object.assign(env, opts.env || {});

	/**
	 * The environment of every n8n command of this folder, plus `extra` (null removes a variable):
	 * PASS_ENV, the runtime's Node first on PATH for anything n8n spawns by name, HOME inside the
	 * user folder so nothing lands in the real ~/.n8n or ~/.cache.
	 * @param {Record<string, string | null>} extra
	 */
	function childEnv(extra) {
		return passEnv({
			PATH: `${path.dirname(rt.nodeBin)}${path.delimiter}${process.env.PATH || '/usr/bin:/bin'}`,
			HOME: dir,
			...env,
			...extra,
		});
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
	async function n8n(args, o = {}) {
		const timeoutMs = o.timeoutMs || 180000;
		const outFile =
			o.stdoutFile ||
			path.join(dir, `n8n-${++outSeq}-${String(args[0]).replace(/[^\w.-]+/g, '_')}.stdout`);
		counts.commands++;
		const r = await startProcess(rt.nodeBin, [rt.bin, ...args], {
			cwd: dir,
			env: childEnv(o.env || {}),
			stdoutFile: outFile,
			group: true,
			timeoutMs,
		}).done;
		if (!o.stdoutFile) fs.rmSync(outFile, { force: true });
		log(`${commandLine('n8n', args, r, timeoutMs)}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
		return r;
	}

	/**
	 * A short helper process (tar, npm); its output goes to the logs too.
	 * @param {string} cmd
	 * @param {string[]} args
	 * @param {string} cwd
	 * @returns {Promise<string>} stdout
	 */
	async function tool(cmd, args, cwd) {
		try {
			const r = await runOk(cmd, args, { cwd, env: childEnv({}) });
			log(`${commandLine(cmd, args, r)}\n${r.stderr}`);
			return r.stdout;
		} catch (e) {
			log(/** @type {Error} */ (e).message);
			throw e;
		}
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
	 * `n8n import:<kind> --input=<file>` of `items`, through a file (mode 0600) deleted afterwards.
	 * @param {'credentials' | 'workflow'} kind
	 * @param {unknown[]} items
	 * @param {{ timeoutMs?: number }} o
	 */
	async function importFile(kind, items, o) {
		if (!Array.isArray(items)) throw new Error(`import:${kind}: expected an array`);
		const file = path.join(dir, `${kind}-${++inputSeq}.json`);
		fs.writeFileSync(file, JSON.stringify(items, null, '\t'), { mode: 0o600 });
		try {
			return mustSucceed(`n8n import:${kind}`, await n8n([`import:${kind}`, `--input=${file}`], o));
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * Owner setup on a fresh database, a login otherwise; null while the REST routes are not mounted
	 * yet.
	 * @param {string} baseUrl
	 */
	async function signIn(baseUrl) {
		const headers = { 'content-type': 'application/json', 'browser-id': BROWSER_ID };
		let r = await request(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify(owner),
		});
		if (r.status === 404) return null;
		const created = r.status === 200;
		if (!created) {
			// owner already set up (a second start on this folder)
			r = await request(`${baseUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
			});
			if (r.status === 404) return null;
		}
		const raw = r.headers['set-cookie'];
		/** @type {string[]} */
		const setCookie = Array.isArray(raw) ? raw : raw ? [raw] : [];
		const cookie =
			setCookie.map((c) => String(c).split(';')[0]).find((c) => c.startsWith('n8n-auth=')) || '';
		return { ok: r.status === 200 && cookie !== '', created, status: r.status, text: r.text, cookie };
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
		owner,
		/** "$ n8n …" header + stdout + stderr of every command, in order */
		logs,
		/** How many n8n processes this folder has started so far (CLI commands and `n8n start`). */
		get processes() {
			return counts.commands + counts.starts;
		},

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
			log(`installed ${pkg.name}@${pkg.version} from ${tgz} into ${dest}`);
			return { name: pkg.name, version: pkg.version, dir: dest };
		},

		/**
		 * `n8n import:credentials`; `data` may be a plain object (n8n encrypts it with the folder's
		 * key). The input file (plain secrets, mode 0600) is deleted afterwards.
		 * @param {unknown[]} credentials
		 * @param {{ timeoutMs?: number }} [o]
		 */
		importCredentials: (credentials, o = {}) => importFile('credentials', credentials, o),

		/**
		 * `n8n import:workflow` of one file holding all workflows (give each a fixed `id`: a second
		 * import overwrites it, never duplicates).
		 * @param {unknown[]} workflows
		 * @param {{ timeoutMs?: number }} [o]
		 */
		importWorkflows: (workflows, o = {}) => importFile('workflow', workflows, o),

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
		 * `n8n start` on 127.0.0.1, waits for /healthz/readiness, then signs in as the owner (set up
		 * on the first start of this folder).
		 * @param {StartOptions} [o]
		 * @returns {Promise<N8nServer>}
		 */
		async start(o = {}) {
			for (let attempt = 1; ; attempt++) {
				try {
					return await startOnce(o);
				} catch (e) {
					if (attempt >= (o.attempts ?? 1)) throw e;
				}
			}
		},

		/** Stops any server still running and removes the folder (unless the caller named it). */
		async cleanup() {
			for (const s of [...servers]) await s.stop();
			if (counts.commands + counts.starts > 0)
				process.stderr.write(
					`[n8n harness] n8n ${rt.version}: ${counts.commands + counts.starts} n8n processes ` +
						`(${counts.commands} CLI commands, ${counts.starts} n8n start) in ${dir}\n`,
				);
			if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
		},
	};

	/**
	 * @param {StartOptions} o
	 * @returns {Promise<N8nServer>}
	 */
	async function startOnce(o) {
		const port = o.port || (await freePort());
		const readyTimeoutMs = o.readyTimeoutMs || 120000;
		const baseUrl = `http://127.0.0.1:${port}`;
		const started = Date.now();
		const deadline = started + readyTimeoutMs;
		const outFile = opts.logFile || path.join(dir, `n8n-start-${++outSeq}.log`);
		if (opts.logFile) fs.appendFileSync(opts.logFile, `\n$ n8n start (port ${port})\n`);
		counts.starts++;
		const proc = startProcess(rt.nodeBin, [rt.bin, 'start'], {
			cwd: dir,
			env: childEnv({
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_PORT: String(port),
				// its own broker port: an `execute` may run while the server is up
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...(o.expressionEngine === undefined ? {} : { N8N_EXPRESSION_ENGINE: o.expressionEngine }),
			}),
			logFile: outFile,
			group: true,
		});
		let output = '';
		const exited = proc.done.then(
			(r) => {
				output = opts.logFile ? '' : readText(outFile);
				if (!opts.logFile) fs.rmSync(outFile, { force: true });
				log(`$ n8n start (port ${port}) → ${r.signal || `exit ${r.code}`} after ${r.ms} ms\n${output}`);
				return { code: r.code, signal: r.signal };
			},
			(err) => {
				output = `spawn error: ${err.message}`;
				return { code: null, signal: null };
			},
		);
		const giveUpIf = () =>
			proc.exited ? `n8n start exited early (${JSON.stringify({ code: proc.exited.code, signal: proc.exited.signal })})` : null;
		const stop = () => proc.stop(o.stopGraceMs ?? 10000, { waitForGroup: o.waitForGroup });

		try {
			await waitFor(
				async () => {
					try {
						return (await request(`${baseUrl}/healthz/readiness`, { timeoutMs: 5000 })).status === 200;
					} catch {
						return false; // not listening yet
					}
				},
				{ timeoutMs: readyTimeoutMs, intervalMs: 500, what: 'readiness', giveUpIf },
			);
			// 1.123 answers readiness before it mounts the REST routes (404 for a few seconds)
			const signedIn = await waitFor(() => signIn(baseUrl), {
				timeoutMs: Math.max(0, deadline - Date.now()),
				intervalMs: 500,
				what: 'the REST routes (still 404)',
				giveUpIf,
			});
			if (!signedIn.ok && !o.loginMayFail)
				throw new Error(`owner setup/login failed: ${signedIn.status} ${signedIn.text.slice(0, 500)}`);
			const cookie = signedIn.cookie;
			/** @type {N8nServer} */
			const server = {
				baseUrl,
				port,
				cookie,
				owner: { ok: signedIn.ok, created: signedIn.created, status: signedIn.status },
				rest: (method, urlPath, body) =>
					request(`${baseUrl}${urlPath}`, {
						method,
						headers: restHeaders(cookie, body !== undefined),
						body: body === undefined ? undefined : JSON.stringify(body),
					}),
				exited,
				stop: async () => {
					servers.delete(server);
					await stop();
				},
			};
			servers.add(server);
			return server;
		} catch (e) {
			await stop();
			await exited;
			const shown = opts.logFile
				? `; its output is in ${opts.logFile}`
				: `\n--- output ---\n${output.split('\n').slice(-200).join('\n')}`;
			throw new Error(`n8n start (n8n ${rt.version}, ${baseUrl}): ${/** @type {Error} */ (e).message}${shown}`);
		}
	}

	return home;
}

/** @typedef {Awaited<ReturnType<typeof createN8nHome>>} N8nHome */

module.exports = { createN8nHome, runtimeFor, parseRun, request, freePort, LINES, OWNER, ENCRYPTION_KEY };
