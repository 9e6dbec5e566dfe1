#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * CPU profile of ONE execution of bench variant (d) (Nexor node, sandbox latency, no rate limit) in
 * real n8n 2.41.1: `n8n execute` runs with NODE_OPTIONS=--cpu-prof, then analyse-profile.js says
 * where the node's time went, per item, package versus n8n.
 *
 *   node test/bench/profile.js [--tgz <package.tgz>] [--n 300] [--latency 50] [--concurrency <default>]
 *                              [--interval-us 500] [--out <dir>] [--no-build] [--json] [--param-timing]
 *
 * --tgz profiles another build of the package (e.g. an older commit packed with `npm pack`);
 * without it the working tree is built and packed as `npm run bench` does. --out keeps the
 * .cpuprofile files (default: a temp folder, deleted). --param-timing runs the workflow once more,
 * unprofiled, with param-timing.js preloaded: the node's getNodeParameter calls timed by parameter
 * name. Everything binds 127.0.0.1.
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox } = require('../sandbox/server.js');
const { createN8nHome, runtimeFor } = require('../e2e/harness/n8n.js');
const { ensureRuntime } = require('../runtimes/install.js');
const { packPackage, ROOT } = require('../e2e/harness/pack.js');
const { CREDENTIAL, workflow, nexorNode, checkTarball } = require('./bench.js');
const { analyse, report } = require('./analyse-profile.js');
const { nodeRun } = require('../support/workflows.js');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ tgz?: string, n: number, latency: number, concurrency?: number, intervalUs: number, out?: string, build: boolean, json: boolean, paramTiming: boolean }} */
	const o = { n: 300, latency: 50, intervalUs: 500, build: true, json: false, paramTiming: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--no-build') o.build = false;
		else if (a === '--json') o.json = true;
		else if (a === '--param-timing') o.paramTiming = true;
		else if (a === '--tgz') o.tgz = path.resolve(next());
		else if (a === '--out') o.out = path.resolve(next());
		else if (a === '--n') o.n = Math.round(Number(next()));
		else if (a === '--latency') o.latency = Number(next());
		else if (a === '--concurrency') o.concurrency = Number(next());
		else if (a === '--interval-us') o.intervalUs = Math.round(Number(next()));
		else throw new Error(`unknown argument ${a}`);
	}
	if (!(o.n >= 1 && o.n <= 20000)) throw new Error('--n must be in [1, 20000]');
	if (!(o.latency >= 0 && o.latency <= 10000)) throw new Error('--latency must be in [0, 10000]');
	if (!(o.intervalUs >= 50 && o.intervalUs <= 100000)) throw new Error('--interval-us must be in [50, 100000]');
	if (o.concurrency !== undefined && !(o.concurrency >= 1 && o.concurrency <= 20)) throw new Error('--concurrency must be in [1, 20]');
	return o;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const say = (/** @type {string} */ m) => process.stderr.write(`[profile] ${m}\n`);
	const rt = runtimeFor('2');
	await ensureRuntime('n8n2');
	const n8nModules = path.resolve(path.dirname(rt.bin), '../..');

	let tgz = opts.tgz;
	/** @type {string | undefined} */
	let packedDir;
	if (!tgz) {
		if (opts.build) {
			say('npm run build');
			execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
		}
		tgz = packPackage();
		packedDir = path.dirname(tgz);
	}
	const problem = await checkTarball(tgz, rt.nodeBin, n8nModules);
	if (problem) throw new Error(`${tgz} does not load: ${problem}`);

	const out = opts.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-profile-'));
	fs.mkdirSync(out, { recursive: true });
	const sandbox = await startSandbox({ leadCount: opts.n, faults: { latencyMs: opts.latency }, maxLifetimeMs: 30 * 60 * 1000 });
	const home = await createN8nHome({ line: '2' });
	try {
		await home.installPackage(tgz);
		await home.importCredentials([{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } }]);
		await home.importWorkflows([workflow('wfProfileD00001', opts.n, nexorNode(opts.concurrency))]);
		const before = new Set(fs.readdirSync(out));
		say(`n8n execute with --cpu-prof (interval ${opts.intervalUs} µs) → ${out}`);
		const res = await home.execute('wfProfileD00001', {
			timeoutMs: 10 * 60 * 1000,
			env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${out} --cpu-prof-interval=${opts.intervalUs}` },
		});
		const run = res.run;
		const target = nodeRun(run, 'Target');
		const updated = new Set(
			sandbox
				.journal()
				.filter((e) => e.method === 'PUT' && e.status === 200)
				.map((e) => e.path.split('/').pop()),
		).size;
		const profiles = fs
			.readdirSync(out)
			.filter((f) => f.endsWith('.cpuprofile') && !before.has(f))
			.map((f) => path.join(out, f));
		if (profiles.length === 0) throw new Error('n8n wrote no .cpuprofile');
		// The process that ran the node is the one whose profile holds the package's frames.
		let best;
		for (const file of profiles) {
			const a = analyse(JSON.parse(fs.readFileSync(file, 'utf8')), { items: opts.n });
			if (a && (!best || a.windowMs > best.a.windowMs)) best = { file, a };
		}
		if (!best) throw new Error(`no profile holds a frame of n8n-nodes-nexor (${profiles.join(', ')})`);
		const header = {
			tarball: tgz,
			status: run?.status,
			updated,
			n: opts.n,
			nodeExecutionMs: target ? Number(target.executionTime) : NaN,
			profile: best.file,
		};
		/** @type {Record<string, { calls: number, ms: number, firstMs: number, maxMs: number, medianMs: number }> | undefined} */
		let params;
		let timedNodeMs = NaN;
		if (opts.paramTiming) {
			const file = path.join(out, `param-timing-${process.pid}.json`);
			say('n8n execute again, unprofiled, with param-timing.js preloaded');
			sandbox.reset();
			const timed = await home.execute('wfProfileD00001', {
				timeoutMs: 10 * 60 * 1000,
				env: { NODE_OPTIONS: `--require=${path.join(__dirname, 'param-timing.js')}`, NEXOR_PARAM_TIMING_OUT: file },
			});
			timedNodeMs = Number(nodeRun(timed.run, 'Target')?.executionTime);
			params = JSON.parse(fs.readFileSync(file, 'utf8'));
		}
		if (opts.json) process.stdout.write(`${JSON.stringify({ ...header, analysis: best.a, params, timedNodeMs }, null, 1)}\n`);
		else {
			process.stdout.write(
				`${path.basename(tgz)} (${tgz}); run ${header.status}, ${updated}/${opts.n} updated; ` +
					`node executionTime ${header.nodeExecutionMs} ms (profiled, so slower than unprofiled)\n` +
					`profile ${best.file}\n\n${report(best.a)}\n`,
			);
			if (params) {
				const rows = Object.entries(params).sort((a, b) => b[1].ms - a[1].ms);
				const total = rows.reduce((s, [, v]) => s + v.ms, 0);
				process.stdout.write(
					`\ngetNodeParameter by parameter (second run, unprofiled, node executionTime ${timedNodeMs} ms):\n` +
						rows
							.map(
								([k, v]) =>
									`  ${v.ms.toFixed(1).padStart(8)} ms  ${v.calls.toString().padStart(5)} calls  ` +
									`${((1000 * v.ms) / v.calls).toFixed(1).padStart(6)} µs/call  ` +
									`(median ${(1000 * v.medianMs).toFixed(1)} µs, first ${v.firstMs.toFixed(1)} ms, max ${v.maxMs.toFixed(1)} ms)  ${k}`,
							)
							.join('\n') +
						`\n  ${total.toFixed(1).padStart(8)} ms  total = ${(total / opts.n).toFixed(3)} ms per item\n`,
				);
			}
		}
	} finally {
		await home.cleanup();
		await sandbox.close();
		if (!opts.out) fs.rmSync(out, { recursive: true, force: true });
		if (packedDir) fs.rmSync(packedDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	process.exitCode = 1;
});
