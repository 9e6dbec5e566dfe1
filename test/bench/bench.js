#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: bulk lead updates in real n8n 2.41.1 (Node 24), the Nexor node against n8n's
 * HTTP Request node, over the Nexor sandbox with latency and a token-bucket rate limit.
 *
 * Why test/bench/ and not a top-level bench/: a benchmark is neither a test nor product, but it is
 * built entirely from the test infrastructure (the sandbox, the n8n harness, the pinned runtimes),
 * so it sits beside it: test/tsconfig.json type-checks it with that code (checkJs), `files` in
 * package.json keeps it out of the tarball, and jest never collects it (no *.test.js).
 *
 *   npm run bench -- [--n 300] [--latency 50] [--rate 20] [--burst <rate>] [--small-burst 5]
 *                    [--concurrency <node default>] [--runs 3] [--no-build]
 *                    [--tgz <package.tgz>] [--compare <package.tgz> [--compare-label <text>]]
 *                    [--only d,d0]
 *
 * --tgz measures that tarball instead of building and packing the working tree (e.g. a clean
 * `git archive` of a commit, built and packed, while others have uncommitted edits in the tree).
 * --only runs just the listed variants (e.g. `--only d,d0 --runs 7`: the per-item cost, before and
 * after, in quick alternation so the load of a shared machine drifts less between the two).
 *
 * Variants (same N PUTs, same N items, one `n8n execute` per run):
 *   a   Nexor node, default options (it is never told the rate)
 *   b   HTTP Request node v4.2, default options
 *   c   HTTP Request, batch size 1, interval 1000/R ms
 *   c'  HTTP Request, batch size R, interval 1000 ms
 *   d   Nexor node, sandbox without rate limit (concurrency-bound)
 *   e   Nexor node, small bucket: rate R, burst --small-burst (0 leaves e and e' out)
 *   e'  HTTP Request, batch size R, interval 1000 ms, against that small bucket
 *   d0  with --compare: variant d for another build of the package (e.g. an older commit packed with
 *       `npm pack`), installed in a second n8n user folder
 * Runs are interleaved, every other round reversed (a b … d0, d0 … b a, …), so drift hits every variant alike.
 *
 * Time: n8n's own timing from the run JSON. "exec" = the execution's startedAt → stoppedAt (what
 * the ratios use); "node" = the measured node's own executionTime (leaves out the ~0.1–0.3 s the
 * Set and Split Out nodes take to build the items); "journal" = the sandbox's first request
 * arrival → last answer. Process start and shutdown (~10 s per `n8n execute` here) are outside all
 * three. Items: a lead counts as updated when the sandbox journal has a 200 for its PUT (failed =
 * N − updated). 429s: sandbox.stats().rateLimited. Peak RSS: VmHWM of the `n8n execute` process
 * (/proc/<pid>/status, sampled every 50 ms; the task runner is a separate process, not included).
 * CPU s: that process's user + system CPU time (/proc/<pid>/stat, same sampling), start and
 * shutdown included: the same for every Nexor variant, so differences between them are the node's
 * own, and far less sensitive than wall time to other work on a shared machine. "to 1st PUT": the
 * node's start → the first PUT's arrival (the Nexor node reads and checks every item first).
 *
 * Everything binds 127.0.0.1; every loop and wait is bounded.
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox } = require('../sandbox/server.js');
const { createN8nHome, runtimeFor } = require('../e2e/harness/n8n.js');
const { ensureRuntime } = require('../runtimes/install.js');
const { packPackage, ROOT } = require('../e2e/harness/pack.js');
const { parseFlags } = require('../support/args.js');
const { run: runProcess } = require('../support/process.js');
const {
	companyFromItem,
	nexorNode: buildNexorNode,
	node,
	nodeRun,
	workflow: buildWorkflow,
} = require('../support/workflows.js');

const CREDENTIAL = { id: 'nexorCredBench1', name: 'Nexor bench' };

/**
 * @typedef {object} Options
 * @property {number} n
 * @property {number} latency
 * @property {number} rate
 * @property {number} burst
 * @property {number} smallBurst
 * @property {string | undefined} tgz
 * @property {string | undefined} compare
 * @property {string | undefined} compareLabel
 * @property {string[] | undefined} only
 * @property {number | undefined} concurrency
 * @property {number} runs
 * @property {boolean} build
 */

/** @param {string[]} argv @returns {Options} */
function parseArgs(argv) {
	const { values, flags, num } = parseFlags(argv, {
		usage:
			'npm run bench -- [--n 300] [--latency 50] [--rate 20] [--burst <rate>] [--small-burst 5] ' +
			'[--concurrency <node default>] [--runs 3] [--no-build] [--tgz <package.tgz>] ' +
			"[--compare <package.tgz> [--compare-label <text>]] [--only a,b,c,c',d,e,e',d0]",
		values: ['n', 'latency', 'rate', 'burst', 'small-burst', 'concurrency', 'runs', 'tgz', 'compare', 'compare-label', 'only'],
		booleans: ['no-build'],
	});
	const build = !flags.has('no-build');
	const tgz = values.tgz === undefined ? undefined : path.resolve(values.tgz);
	const compare = values.compare === undefined ? undefined : path.resolve(values.compare);
	const compareLabel = values['compare-label'];
	const only = values.only?.split(',').map((k) => k.trim()).filter(Boolean);
	const rate = /** @type {number} */ (num('rate', 20, 0.1, 1000));
	const opts = {
		n: Math.round(/** @type {number} */ (num('n', 300, 1, 20000))),
		latency: /** @type {number} */ (num('latency', 50, 0, 10000)),
		rate,
		// One second's worth of tokens (the sandbox's own default): small next to N, and the least
		// that lets variant c' (R requests at once every second) run without 429s at all.
		burst: Math.round(/** @type {number} */ (num('burst', Math.max(1, Math.ceil(rate)), 1, 100000))),
		// A bucket much smaller than one second's worth (0: no small-bucket rows).
		smallBurst: Math.round(/** @type {number} */ (num('small-burst', 5, 0, 100000))),
		concurrency: num('concurrency', undefined, 1, 20),
		runs: Math.round(/** @type {number} */ (num('runs', 3, 1, 20))),
		build,
		tgz,
		compare,
		compareLabel,
		only,
	};
	const known = ['a', 'b', 'c', "c'", 'd', 'e', "e'", 'd0'];
	for (const k of only ?? []) if (!known.includes(k)) throw new Error(`--only: unknown variant ${k} (${known.join(', ')})`);
	if (only?.includes('d0') && !compare) throw new Error('--only d0 needs --compare');
	for (const [name, file] of [['tgz', tgz], ['compare', compare]]) {
		if (file !== undefined && !fs.existsSync(file)) throw new Error(`--${name} ${file}: no such file`);
	}
	return opts;
}

/** @param {number[]} xs */
function median(xs) {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Children of this process running n8n: their peak RSS and CPU time, sampled until stopped. CPU time
 * (user + system, /proc/<pid>/stat) counts n8n's start and shutdown too, but unlike wall time it
 * hardly grows when other work on the machine takes the cores away.
 */
function watchPeakRss() {
	/** @type {Map<number, number>} pid → VmHWM kB */
	const peaks = new Map();
	/** @type {Map<number, number>} pid → utime + stime, clock ticks */
	const cpu = new Map();
	const sample = () => {
		let entries;
		try {
			entries = fs.readdirSync('/proc');
		} catch {
			return;
		}
		for (const name of entries) {
			if (!/^\d+$/.test(name)) continue;
			try {
				const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
				// fields 3… follow the parenthesised command, which may hold spaces: 4 ppid, 14 utime, 15 stime
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				const ppid = Number(fields[1]);
				if (ppid !== process.pid) continue;
				const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
				if (!cmd.includes('n8n')) continue;
				const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
				const m = /VmHWM:\s+(\d+) kB/.exec(status);
				if (m) peaks.set(Number(name), Math.max(peaks.get(Number(name)) ?? 0, Number(m[1])));
				cpu.set(Number(name), Math.max(cpu.get(Number(name)) ?? 0, Number(fields[11]) + Number(fields[12])));
			} catch {
				/* gone meanwhile */
			}
		}
	};
	const timer = setInterval(sample, 50);
	return {
		/** @returns {{ rss: number, cpuS: number }} MiB and CPU seconds of the largest n8n child seen (NaN if none) */
		stop() {
			clearInterval(timer);
			const kb = Math.max(0, ...peaks.values());
			// USER_HZ is 100 on Linux (what /proc reports in, whatever the kernel's HZ)
			const ticks = Math.max(0, ...cpu.values());
			return { rss: kb > 0 ? kb / 1024 : NaN, cpuS: ticks > 0 ? ticks / 100 : NaN };
		},
	};
}

/**
 * Manual Trigger → Set (one item holding N leads) → Split Out (N items) → the measured node. Not a
 * Code node: in n8n 2.x that starts the JS task runner, 2–4 s per run on this machine.
 * @param {string} id
 * @param {number} n
 * @param {object} target  the measured node, without id/name/position
 */
function workflow(id, n, target) {
	const leads =
		`={{ Array.from({ length: ${n} }, (_, i) => ({ leadId: 'a0000000-0000-4000-8000-' + ` +
		`i.toString(16).padStart(12, '0'), company: 'Bench ' + i })) }}`;
	return buildWorkflow(id, [
		[
			node('Leads', 'n8n-nodes-base.set', 3.4, {
				assignments: { assignments: [{ id: 'l1', name: 'leads', value: leads, type: 'array' }] },
				options: {},
			}),
			node('Items', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'leads', options: {} }),
			/** @type {any} */ ({ ...target, name: 'Target' }),
		],
	]);
}

/**
 * @param {number | undefined} concurrency
 */
function nexorNode(concurrency) {
	return buildNexorNode('Target', companyFromItem(concurrency === undefined ? {} : { concurrency }), {
		credential: CREDENTIAL,
	});
}

/**
 * @param {string} baseUrl
 * @param {string} apiKey
 * @param {{ batchSize: number, batchInterval: number } | undefined} batch
 */
function httpNode(baseUrl, apiKey, batch) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'PUT',
			url: `={{ '${baseUrl}/leads/' + $json.leadId }}`,
			sendHeaders: true,
			// a key in plain parameters: fine for a benchmark against the sandbox, not for real use
			headerParameters: { parameters: [{ name: 'X-API-Key', value: apiKey }] },
			sendBody: true,
			bodyParameters: { parameters: [{ name: 'company', value: '={{ $json.company }}' }] },
			options: batch ? { batching: { batch } } : {},
		},
	};
}

/**
 * @param {string} cmd @param {string[]} args @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [o]
 */
const run = (cmd, args, o = {}) => runProcess(cmd, args, { timeoutMs: 60000, ...o });

/**
 * Extracts a tarball into a temp folder and runs `script` there in Node 24 with n8n's modules on
 * NODE_PATH (as n8n loads community packages); `PKG` is the extracted package folder.
 * @param {string} tgz @param {string} nodeBin @param {string} n8nModules @param {string} script
 */
async function inExtracted(tgz, nodeBin, n8nModules, script) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-bench-pkg-'));
	try {
		const x = await run('tar', ['-xzf', tgz, '-C', dir]);
		if (x.code !== 0) return { code: x.code, stdout: '', stderr: x.stderr };
		const pkgDir = path.join(dir, 'package');
		return await run(nodeBin, ['-e', `const PKG = ${JSON.stringify(pkgDir)};\n${script}`], {
			cwd: dir,
			env: { PATH: process.env.PATH, NODE_PATH: n8nModules },
		});
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** @returns {Promise<string | null>} why the packed node or credential can't be loaded, or null */
async function checkTarball(/** @type {string} */ tgz, /** @type {string} */ nodeBin, /** @type {string} */ n8nModules) {
	const r = await inExtracted(
		tgz,
		nodeBin,
		n8nModules,
		`const path = require('path'); const pkg = require(path.join(PKG, 'package.json'));
		 for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) require(path.join(PKG, f));`,
	);
	return r.code === 0 ? null : (r.stderr.split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.code}`);
}

/** The `Requests in Parallel` default of the packed node. */
async function nodeDefaultConcurrency(/** @type {string} */ tgz, /** @type {string} */ nodeBin, /** @type {string} */ n8nModules) {
	const r = await inExtracted(
		tgz,
		nodeBin,
		n8nModules,
		`const { Nexor } = require(require('path').join(PKG, 'dist/nodes/Nexor/Nexor.node.js'));
		 const options = new Nexor().description.properties.find((p) => p.name === 'options');
		 process.stdout.write(String(options.options.find((o) => o.name === 'concurrency').default));`,
	);
	const value = Number(r.stdout);
	if (r.code !== 0 || !Number.isFinite(value)) throw new Error(`could not read the node's default concurrency: ${r.stderr}`);
	return value;
}

/**
 * Median time to require() the built node and credential in a fresh Node 24 process, with
 * n8n-workflow already loaded (as it is inside n8n, from n8n's own node_modules).
 * @param {string} packageDir  the extracted tarball
 * @param {string} nodeBin
 * @param {string} n8nModules
 * @param {number} times
 */
async function requireTimes(packageDir, nodeBin, n8nModules, times) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const files = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((f) => path.join(packageDir, f));
	const script = `
		require('n8n-workflow');
		const files = ${JSON.stringify(files)};
		const t0 = process.hrtime.bigint();
		for (const f of files) require(f);
		process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));
	`;
	/** @type {number[]} */
	const ms = [];
	for (let i = 0; i < times; i++) {
		// cwd outside the repository: from there `n8n-workflow` would resolve to the repository's own
		// devDependency, and the node's require would then load n8n's copy a second time.
		const r = await run(nodeBin, ['-e', script], {
			cwd: packageDir,
			env: { PATH: process.env.PATH, NODE_PATH: n8nModules },
		});
		if (r.code !== 0) throw new Error(`require() timing failed: ${r.stderr}`);
		ms.push(Number(r.stdout));
	}
	return median(ms);
}

/** @param {number} bytes */
function kib(bytes) {
	return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** @param {number} x @param {number} [digits] */
function fmt(x, digits = 0) {
	return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/**
 * @param {string[]} header
 * @param {string[][]} rows
 */
function table(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (/** @type {string[]} */ cells) =>
		`| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
	return [line(header), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const t0 = Date.now();
	/** @param {string} msg */
	const say = (msg) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

	const rt = runtimeFor('2');
	await ensureRuntime('n8n2');
	const n8nModules = path.resolve(path.dirname(rt.bin), '../..');

	// Build and pack. Other work on this machine may run `n8n-node build` meanwhile, which empties
	// dist/ for a moment: so the packed tarball is checked to load, and packed again if it doesn't.
	/** @type {string | undefined} */
	let tgz;
	if (opts.tgz) {
		const problem = await checkTarball(opts.tgz, rt.nodeBin, n8nModules);
		if (problem) throw new Error(`--tgz ${opts.tgz} does not load: ${problem}`);
		tgz = opts.tgz;
	}
	for (let attempt = 1; attempt <= 3 && !tgz; attempt++) {
		if (opts.build || attempt > 1) {
			say('npm run build');
			execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
		}
		const packed = packPackage();
		const problem = await checkTarball(packed, rt.nodeBin, n8nModules);
		if (!problem) tgz = packed;
		else {
			say(`packed tarball does not load (${problem}); building again`);
			fs.rmSync(path.dirname(packed), { recursive: true, force: true });
		}
	}
	if (!tgz) throw new Error('could not pack a loadable package (is another build running?)');
	const tgzBytes = fs.statSync(tgz).size;
	// The node's own default, read from the packed build, so the printed floor never drifts from it.
	const defaultConcurrency = await nodeDefaultConcurrency(tgz, rt.nodeBin, n8nModules);
	const concurrency = opts.concurrency ?? defaultConcurrency;
	/** @type {number | undefined} */
	let compareConcurrency;
	if (opts.compare) {
		const problem = await checkTarball(opts.compare, rt.nodeBin, n8nModules);
		if (problem) throw new Error(`--compare ${opts.compare} does not load: ${problem}`);
		compareConcurrency = opts.concurrency ?? (await nodeDefaultConcurrency(opts.compare, rt.nodeBin, n8nModules));
	}
	const compareLabel = opts.compareLabel ?? (opts.compare ? path.basename(opts.compare) : '');
	const zip = path.join(ROOT, 'zapier/build/build.zip');
	const zipSize = fs.existsSync(zip) ? kib(fs.statSync(zip).size) : 'not built';

	const faults = {
		latencyMs: opts.latency,
		rateLimit: { ratePerSec: opts.rate, burst: opts.burst, retryAfter: /** @type {'seconds'} */ ('seconds') },
	};
	const smallFaults = {
		latencyMs: opts.latency,
		rateLimit: { ratePerSec: opts.rate, burst: opts.smallBurst, retryAfter: /** @type {'seconds'} */ ('seconds') },
	};
	const sandbox = await startSandbox({ leadCount: opts.n, faults, maxLifetimeMs: 60 * 60 * 1000 });
	const home = await createN8nHome({ line: '2' });
	/** @type {typeof home | undefined} */
	let compareHome;
	try {
		// The compared build has the same package name, so it gets its own n8n user folder.
		if (opts.compare) compareHome = await createN8nHome({ line: '2' });
		say(`sandbox ${sandbox.baseUrl}; n8n user folder ${home.dir}`);
		const installed = await home.installPackage(tgz);
		await home.importCredentials([
			{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } },
		]);
		const interval = Math.round(1000 / opts.rate);
		const batchR = Math.max(1, Math.round(opts.rate));
		const unlimited = { latencyMs: opts.latency };
		const floorLimited = (opts.n / opts.rate) * 1000;
		const floorD = (opts.n * opts.latency) / concurrency;
		/** @typedef {{ key: string, label: string, id: string, faults: object, floor: number, target: object, home: typeof home }} Variant */
		/** @type {Variant[]} */
		const variants = [
			{ key: 'a', label: 'a  Nexor node, default options', id: 'wfBenchA000001', faults, floor: floorLimited, target: nexorNode(opts.concurrency), home },
			{ key: 'b', label: 'b  HTTP Request, default options', id: 'wfBenchB000001', faults, floor: floorLimited, target: httpNode(sandbox.baseUrl, sandbox.apiKey, undefined), home },
			{ key: 'c', label: `c  HTTP Request, batch 1 / ${interval} ms`, id: 'wfBenchC000001', faults, floor: floorLimited, target: httpNode(sandbox.baseUrl, sandbox.apiKey, { batchSize: 1, batchInterval: interval }), home },
			{ key: "c'", label: `c' HTTP Request, batch ${batchR} / 1000 ms`, id: 'wfBenchC000002', faults, floor: floorLimited, target: httpNode(sandbox.baseUrl, sandbox.apiKey, { batchSize: batchR, batchInterval: 1000 }), home },
			{ key: 'd', label: 'd  Nexor node, no rate limit', id: 'wfBenchD000001', faults: unlimited, floor: floorD, target: nexorNode(opts.concurrency), home },
		];
		if (opts.smallBurst > 0) {
			variants.push(
				{ key: 'e', label: `e  Nexor node, burst ${opts.smallBurst}`, id: 'wfBenchE000001', faults: smallFaults, floor: floorLimited, target: nexorNode(opts.concurrency), home },
				{ key: "e'", label: `e' HTTP Request, batch ${batchR} / 1000 ms, burst ${opts.smallBurst}`, id: 'wfBenchE000002', faults: smallFaults, floor: floorLimited, target: httpNode(sandbox.baseUrl, sandbox.apiKey, { batchSize: batchR, batchInterval: 1000 }), home },
			);
		}
		if (compareHome && compareConcurrency !== undefined) {
			variants.push({
				key: 'd0',
				label: `d0 ${compareLabel}: Nexor node, no rate limit`,
				id: 'wfBenchD000002',
				faults: unlimited,
				floor: (opts.n * opts.latency) / compareConcurrency,
				target: nexorNode(opts.concurrency),
				home: compareHome,
			});
		}
		if (opts.only) {
			const keep = new Set(opts.only);
			for (let i = variants.length - 1; i >= 0; i--) if (!keep.has(variants[i].key)) variants.splice(i, 1);
		}
		await home.importWorkflows(variants.filter((v) => v.home === home).map((v) => workflow(v.id, opts.n, v.target)));
		if (compareHome && opts.compare) {
			say(`compared build ${opts.compare} (${compareLabel}); n8n user folder ${compareHome.dir}`);
			await compareHome.installPackage(opts.compare);
			await compareHome.importCredentials([
				{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } },
			]);
			await compareHome.importWorkflows(variants.filter((v) => v.home === compareHome).map((v) => workflow(v.id, opts.n, v.target)));
		}

		/** @type {Record<string, { node: number[], exec: number[], journal: number[], firstPut: number[], ok: number[], failed: number[], r429: number[], rss: number[], cpu: number[], status: string[] }>} */
		const results = {};
		for (const v of variants) results[v.key] = { node: [], exec: [], journal: [], firstPut: [], ok: [], failed: [], r429: [], rss: [], cpu: [], status: [] };

		for (let r = 1; r <= opts.runs; r++) {
			// Every other round in reverse order (a b … d0, d0 … b a, …): a load that rises or falls
			// steadily during the bench then favours no variant.
			for (const v of r % 2 === 1 ? variants : [...variants].reverse()) {
				sandbox.reset();
				sandbox.setFaults(v.faults); // refills the bucket
				const watch = watchPeakRss();
				// the harness throws when n8n left no complete run JSON (timeout, crash): a failed run here
				/** @type {{ run: any, error: string }} */
				let res;
				try {
					res = { run: (await v.home.execute(v.id, { timeoutMs: 10 * 60 * 1000 })).run, error: '' };
				} catch (e) {
					res = { run: null, error: /** @type {Error} */ (e).message };
				}
				const { rss, cpuS } = watch.stop();
				const runJson = res.run;
				const target = nodeRun(runJson, 'Target');
				const nodeMs = target ? Number(target.executionTime) : NaN;
				const execMs =
					runJson?.startedAt && runJson?.stoppedAt ? Date.parse(runJson.stoppedAt) - Date.parse(runJson.startedAt) : NaN;
				const journal = sandbox.journal().filter((e) => e.method === 'PUT');
				const first = Math.min(...journal.map((e) => e.at));
				// From the measured node's start (n8n's clock) to the first PUT's arrival (the sandbox's wall
				// clock, same machine): the node's work before its first request.
				const firstWall = Math.min(...journal.map((e) => Date.parse(e.wallTime)));
				const firstPut = target && journal.length ? firstWall - Number(target.startTime) : NaN;
				const last = Math.max(...journal.map((e) => e.at + (e.durationMs ?? 0)));
				const updated = new Set(journal.filter((e) => e.status === 200).map((e) => e.path.split('/').pop()));
				const out = results[v.key];
				out.node.push(nodeMs);
				out.exec.push(execMs);
				out.journal.push(journal.length ? last - first : NaN);
				out.firstPut.push(firstPut);
				out.ok.push(updated.size);
				out.failed.push(opts.n - updated.size);
				out.r429.push(sandbox.stats().rateLimited);
				out.rss.push(rss);
				out.cpu.push(cpuS);
				out.status.push(runJson?.status ?? (/killed after the \d+ ms timeout/.test(res.error) ? 'timeout' : 'no run JSON'));
				if (!runJson) say(`${v.key}: ${res.error}`);
				say(
					`run ${r}/${opts.runs} ${v.key.padEnd(2)} node ${fmt(nodeMs)} ms, exec ${fmt(execMs)} ms, ` +
						`${updated.size}/${opts.n} updated, ${sandbox.stats().rateLimited} × 429, RSS ${fmt(rss)} MiB, ` +
						`CPU ${fmt(cpuS, 2)} s, to 1st PUT ${fmt(firstPut)} ms, ${out.status.at(-1)}`,
				);
			}
		}

		say('require() timing');
		const requireMs = await requireTimes(installed.dir, rt.nodeBin, n8nModules, 20);

		// ---- report ------------------------------------------------------------------------------
		/** n8n's own execution time (startedAt → stoppedAt), what the ratios use. @param {string} key */
		const med = (key) => (results[key] ? median(results[key].exec) : NaN);
		const rows = variants.map((v) => {
			const x = results[v.key];
			const floor = v.floor;
			return [
				v.label,
				fmt(median(x.exec)),
				fmt(median(x.node)),
				fmt(median(x.journal)),
				fmt(median(x.firstPut)),
				fmt(floor),
				// a throughput ratio means nothing for a run that didn't update every lead
				median(x.failed) === 0 ? fmt(floor / median(x.exec), 2) : 'failed',
				`${fmt(median(x.ok))} / ${fmt(median(x.failed))}`,
				fmt(median(x.r429)),
				fmt(median(x.rss)),
				fmt(median(x.cpu), 2),
				[...new Set(x.status)].map((st) => `${x.status.filter((y) => y === st).length}× ${st}`).join(', '),
			];
		});
		const lines = [];
		lines.push(
			`n8n 2.41.1 on Node 24 (test/runtimes), ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
				`N = ${opts.n}, L = ${opts.latency} ms, R = ${opts.rate}/s, burst = ${opts.burst}` +
				`${opts.smallBurst > 0 ? ` (e, e': ${opts.smallBurst})` : ''}, ` +
				`Nexor concurrency = ${concurrency}${opts.concurrency === undefined ? ' (node default)' : ''}, ` +
				`medians of ${opts.runs} runs`,
		);
		lines.push(
			`measured package: ${opts.tgz ?? 'this working tree, built and packed'}` +
				(opts.compare ? `; d0: ${opts.compare} (${compareLabel})` : ''),
		);
		lines.push('');
		lines.push(
			table(
				['variant', 'exec ms', 'node ms', 'journal ms', 'to 1st PUT ms', 'floor ms', 'floor ÷ exec', 'updated / failed', '429s', 'peak RSS MiB', 'CPU s', 'runs'],
				rows,
			),
		);
		lines.push('');
		const has = (/** @type {string} */ key) => variants.some((v) => v.key === key);
		lines.push(
			`floors: N ÷ R = ${fmt(floorLimited)} ms (a, b, c, c'${has('e') ? ", e, e'" : ''}); ` +
				`N × L ÷ concurrency = ${fmt(floorD)} ms (d${has('d0') ? ', d0' : ''})`,
		);
		const d0 = variants.find((v) => v.key === 'd0');
		lines.push(
			`ratios (exec ms): floor ÷ (a) = ${fmt(floorLimited / med('a'), 2)}  ·  (c) ÷ (a) = ${fmt(med('c') / med('a'), 2)}  ·  ` +
				`(a) ÷ (c') = ${fmt(med('a') / med("c'"), 2)}  ·  (d) ÷ its floor = ${fmt(med('d') / floorD, 2)}` +
				(has('e') ? `  ·  floor ÷ (e) = ${fmt(floorLimited / med('e'), 2)}` : '') +
				(d0 ? `  ·  (d0) ÷ its floor = ${fmt(med('d0') / d0.floor, 2)} (${compareLabel})` : ''),
		);
		lines.push(
			`package: tarball ${kib(tgzBytes)}; require() of the built node + credential ${fmt(requireMs, 1)} ms ` +
				`(median of 20 fresh Node 24 processes, n8n-workflow preloaded); Zapier zip ${zipSize}`,
		);
		lines.push(
			"exec ms = the execution's startedAt → stoppedAt in n8n's run JSON (ratios use it); node ms = the measured node's own " +
				'executionTime; journal ms = sandbox first PUT → last answer; to 1st PUT ms = the node\'s start → the first PUT\'s arrival; updated / failed = leads with / without a 200 PUT in the ' +
				'sandbox journal; 429s = sandbox.stats().rateLimited; peak RSS = VmHWM of the `n8n execute` process; CPU s = its user + system CPU time, n8n\'s start and shutdown included. Medians.',
		);
		process.stdout.write(`${lines.join('\n')}\n`);
		say('done');
	} finally {
		await home.cleanup();
		if (compareHome) await compareHome.cleanup();
		await sandbox.close();
		// only the folder this script packed into, never the caller's --tgz
		if (!opts.tgz) fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
		process.exitCode = 1;
	});
}

// For test/bench/profile.js: the same workflow and node, profiled instead of timed.
module.exports = { CREDENTIAL, workflow, nexorNode, checkTarball };
