#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench:queue`: K executions at once, N items each, in n8n 2.41.1's queue mode (main,
 * Redis, PostgreSQL, workers: test/e2e/harness/queue.js) against the Nexor sandbox's token bucket
 * (R req/s, burst B, L ms latency), on ONE worker and then on TWO workers, with the package as
 * shipped (one rate gate per account per process) and with a variant that makes a new gate per
 * execution (the behaviour before: every execution learns the limit alone).
 *
 *   npm run bench:queue -- [--k 4] [--n 100] [--rate 20] [--burst 20] [--latency 50] [--runs 1]
 *                          [--variants shared,per-execution] [--workers 1,2]
 *
 * The two tarballs are built from the committed HEAD, exported with `git archive` into a temp folder
 * (so work in progress in the working tree is not measured): "shared" as it is, "per-execution" with
 * the one line in nodes/Nexor/shared/execute.ts that takes the gate from the registry replaced by
 * `new RateGate()`. Only the benchmark builds that variant; it is never packed from this repository.
 *
 * One cluster per variant (the node is loaded once per process): main + one worker (concurrency 5,
 * so all K run at once on it), then that worker stopped and two started (concurrency K/2 each, so
 * the K executions split evenly: each worker is a separate process with its own gate).
 * Each run: K production-webhook calls at once (Webhook → Split Out → Nexor Update Lead, default
 * options: Requests in Parallel 10), each with N leads of its own.
 *
 * Time: from PostgreSQL, the K executions' earliest startedAt to latest stoppedAt (n8n's own
 * timing, on the workers). Floor: K × N ÷ R. Updated: leads with a 200 in the sandbox journal;
 * failed = K × N − updated. 429s: sandbox.stats().rateLimited. Between runs the sandbox is reset and
 * its bucket refills; run 2 and later on the same workers start from what their gates learned in
 * the runs before (a shared gate outlives an execution), so each run is its own row.
 *
 * Everything binds 127.0.0.1 and stops by itself (see queue.js).
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox, generatedLeadId } = require('../sandbox/server.js');
const { startQueueCluster, queuePrerequisites, httpRequest } = require('../e2e/harness/queue.js');
const { ROOT } = require('../e2e/harness/pack.js');
const { parseFlags } = require('../support/args.js');
const { sleep } = require('../support/process.js');
const { leadsWebhookWorkflow } = require('../support/workflows.js');

/** The line of execute.ts the per-execution variant replaces. */
const SHARED_LINE = 'const gate = setupError ? new RateGate() : gateFor(baseUrl, secret, Date.now());';
const PER_EXECUTION_LINE = 'const gate = new RateGate(); void gateFor; // bench variant: a gate per execution';

/** @param {string} msg */
const say = (msg) => process.stderr.write(`[bench:queue] ${msg}\n`);

/** @param {string[]} argv */
function parseArgs(argv) {
	const { values: raw, num } = parseFlags(argv, {
		usage:
			'npm run bench:queue -- [--k 4] [--n 100] [--rate 20] [--burst 20] [--latency 50] [--runs 1] [--variants shared,per-execution] [--workers 1,2]',
		values: ['k', 'n', 'rate', 'burst', 'latency', 'runs', 'variants', 'workers'],
	});
	const rate = num('rate', 20, 0.5, 1000);
	const variants = (raw.variants ?? 'shared,per-execution').split(',');
	for (const v of variants) if (v !== 'shared' && v !== 'per-execution') throw new Error(`unknown variant ${v}`);
	const workers = (raw.workers ?? '1,2').split(',').map(Number);
	for (const w of workers) if (w !== 1 && w !== 2) throw new Error('--workers takes 1, 2 or 1,2');
	return {
		k: Math.round(num('k', 4, 1, 20)),
		n: Math.round(num('n', 100, 1, 5000)),
		rate,
		burst: Math.round(num('burst', Math.ceil(rate), 1, 100000)),
		latency: num('latency', 50, 0, 10000),
		runs: Math.round(num('runs', 1, 1, 10)),
		variants: /** @type {Array<'shared' | 'per-execution'>} */ (variants),
		workers,
	};
}

/**
 * Builds and packs both variants from HEAD in a temp folder; returns their tarballs.
 * @param {Array<'shared' | 'per-execution'>} variants
 */
function buildTarballs(variants) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-bench-queue-build-'));
	process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
	/** @type {Record<string, string>} */
	const tarballs = {};
	for (const variant of variants) {
		const src = path.join(dir, variant);
		fs.mkdirSync(src);
		execFileSync('sh', ['-c', `git archive HEAD | tar -x -C '${src}'`], { cwd: ROOT });
		fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
		if (variant === 'per-execution') {
			const file = path.join(src, 'nodes/Nexor/shared/execute.ts');
			const text = fs.readFileSync(file, 'utf8');
			if (!text.includes(SHARED_LINE)) throw new Error(`execute.ts at HEAD no longer has the line the per-execution variant replaces:\n${SHARED_LINE}`);
			fs.writeFileSync(file, text.replace(SHARED_LINE, PER_EXECUTION_LINE));
		}
		say(`building the ${variant} variant from HEAD ${head}`);
		execFileSync('npx', ['n8n-node', 'build'], { cwd: src, stdio: ['ignore', 'ignore', 'inherit'] });
		const out = path.join(dir, `${variant}-pack`);
		fs.mkdirSync(out);
		const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: src, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		tarballs[variant] = path.join(out, path.basename(JSON.parse(json)[0].filename));
		const built = fs.readFileSync(path.join(src, 'dist/nodes/Nexor/shared/execute.js'), 'utf8');
		const perExecution = /const gate = new RateGate\(\); void gateFor/.test(built) || /gate = new core_1\.RateGate\(\);\s*void gates_1/.test(built);
		if ((variant === 'per-execution') !== perExecution) throw new Error(`the ${variant} build does not have the ${variant} gate line`);
	}
	return { tarballs, head };
}

/**
 * @typedef {object} RunResult
 * @property {string} variant
 * @property {number} workers
 * @property {number} run
 * @property {number} seconds
 * @property {number} updated
 * @property {number} failed
 * @property {number} rateLimited
 * @property {string[]} statuses
 * @property {string} split   executions per worker
 */

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const prereq = queuePrerequisites();
	if (!prereq.ok) throw new Error(`queue mode can't run here: ${prereq.reason}`);
	const floor = (opts.k * opts.n) / opts.rate;
	say(`K = ${opts.k} executions × N = ${opts.n} items; sandbox R = ${opts.rate}/s, burst ${opts.burst}, latency ${opts.latency} ms; floor K × N ÷ R = ${floor.toFixed(1)} s`);
	const { tarballs, head } = buildTarballs(opts.variants);

	const sandbox = await startSandbox({
		leadCount: opts.k * opts.n,
		faults: { latencyMs: opts.latency, rateLimit: { ratePerSec: opts.rate, burst: opts.burst, retryAfter: 'seconds' } },
		maxLifetimeMs: 2 * 60 * 60 * 1000,
	});
	/** @type {RunResult[]} */
	const results = [];
	try {
		for (const variant of opts.variants) {
			const cluster = await startQueueCluster({ line: '2', tgz: tarballs[variant], workers: 0 });
			try {
				const { main: n8n } = cluster;
				const cred = await n8n.rest('POST', '/rest/credentials', {
					name: 'Nexor sandbox (bench)',
					type: 'nexorApi',
					data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl },
				});
				if (cred.status !== 200) throw new Error(`POST /rest/credentials: ${cred.status} ${cred.text.slice(0, 300)}`);
				const created = await n8n.rest(
					'POST',
					'/rest/workflows',
					leadsWebhookWorkflow({
						name: 'Nexor queue bench',
						path: 'nexor-bench',
						webhookId: '5d1f6a0e-2b7c-4a51-9e0f-000000be0c01',
						responseData: 'noData',
						credential: { id: String(cred.json.data.id), name: String(cred.json.data.name) },
					}),
				);
				if (created.status !== 200) throw new Error(`POST /rest/workflows: ${created.status} ${created.text.slice(0, 300)}`);
				const workflowId = String(created.json.data.id);
				const act = await n8n.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: created.json.data.versionId });
				if (act.status !== 200) throw new Error(`activate: ${act.status} ${act.text.slice(0, 300)}`);
				const url = `${n8n.baseUrl}/webhook/nexor-bench`;
				for (let i = 0; !/Did you mean to make a POST request/.test((await httpRequest(url)).text); i++) {
					if (i > 120) throw new Error('the bench webhook never registered');
					await sleep(500);
				}
				let lastId = 0;

				for (const workers of opts.workers) {
					await Promise.all([...cluster.workers].map((w) => w.stop()));
					const concurrency = workers === 1 ? Math.max(5, opts.k) : Math.ceil(opts.k / 2);
					await Promise.all(
						Array.from({ length: workers }, (_, i) => cluster.addWorker({ name: `${variant}-${workers}w-${i + 1}`, concurrency })),
					);
					for (let run = 1; run <= opts.runs; run++) {
						sandbox.reset();
						await sleep(1500); // the bucket refills (and the previous run's stragglers are long gone)
						say(`${variant}, ${workers} worker(s), run ${run}: ${opts.k} webhook calls at once`);
						const answers = await Promise.all(
							Array.from({ length: opts.k }, (_, k) =>
								httpRequest(url, {
									method: 'POST',
									headers: { 'content-type': 'application/json' },
									timeoutMs: 20 * 60 * 1000,
									body: JSON.stringify({
										leads: Array.from({ length: opts.n }, (_, i) => ({
											leadId: generatedLeadId(k * opts.n + i),
											company: `Bench ${variant} ${workers}w run ${run} exec ${k} lead ${i}`,
										})),
									}),
								}),
							),
						);
						const rows = await cluster.pg.query(
							'n8n',
							`select id, status, extract(epoch from "startedAt") * 1000 as started, extract(epoch from "stoppedAt") * 1000 as stopped ` +
								`from execution_entity where "workflowId" = '${workflowId}' and id > ${lastId} order by id`,
						);
						if (rows.length !== opts.k) throw new Error(`expected ${opts.k} executions, PostgreSQL has ${rows.length}`);
						lastId = Math.max(...rows.map((r) => Number(r.id)));
						const seconds = (Math.max(...rows.map((r) => Number(r.stopped))) - Math.min(...rows.map((r) => Number(r.started)))) / 1000;
						const ok = new Set(
							sandbox
								.journal()
								.filter((e) => e.method === 'PUT' && e.status === 200)
								.map((e) => e.path),
						);
						const ids = rows.map((r) => String(r.id));
						const t0 = Math.min(...rows.map((r) => Number(r.started)));
						const spans = rows.map((r) => `${((Number(r.started) - t0) / 1000).toFixed(1)}→${((Number(r.stopped) - t0) / 1000).toFixed(1)}`);
						const puts = sandbox.journal().filter((e) => e.method === 'PUT');
						const journalSpan = puts.length ? (Math.max(...puts.map((e) => e.at + (e.durationMs ?? 0))) - Math.min(...puts.map((e) => e.at))) / 1000 : NaN;
						// 429s per second of the run, to see when they came
						const perSecond = new Map();
						const first = puts.length ? Math.min(...puts.map((e) => e.at)) : 0;
						for (const e of puts) if (e.status === 429) perSecond.set(Math.floor((e.at - first) / 1000), (perSecond.get(Math.floor((e.at - first) / 1000)) ?? 0) + 1);
						say(`  executions (s from the first start): ${spans.join(', ')}; journal first request → last answer ${journalSpan.toFixed(1)} s; ` +
							`429s by second: ${[...perSecond].sort((a, b) => a[0] - b[0]).map(([sec, n]) => `${sec}:${n}`).join(' ')}`);
						const split = cluster.workers.map((w) => ids.filter((id) => w.executionIds().has(id)).length).join('+');
						const result = {
							variant,
							workers,
							run,
							seconds,
							updated: ok.size,
							failed: opts.k * opts.n - ok.size,
							rateLimited: sandbox.stats().rateLimited,
							statuses: rows.map((r) => r.status),
							split,
						};
						results.push(result);
						say(
							`  ${seconds.toFixed(1)} s (time ÷ floor ${(seconds / floor).toFixed(2)}), updated ${result.updated}, failed ${result.failed}, ` +
								`429s ${result.rateLimited}, executions ${result.statuses.join(',')} (per worker ${split}), webhook answers ${answers.map((a) => a.status).join(',')}`,
						);
					}
				}
			} finally {
				await cluster.stop();
				if (cluster.allLogs().includes(sandbox.apiKey)) throw new Error('the API key appeared in a log');
			}
		}
	} finally {
		await sandbox.close();
	}

	const lines = [
		`K = ${opts.k} executions at once × N = ${opts.n} items, R = ${opts.rate}/s (burst ${opts.burst}), latency ${opts.latency} ms, ` +
			`floor K × N ÷ R = ${floor.toFixed(0)} s; n8n 2.41.1 queue mode, HEAD ${head}`,
		'',
		'| gates | workers | run | time | time ÷ floor | floor ÷ time | updated / failed | 429s | executions per worker |',
		'|:--|--:|--:|--:|--:|--:|--:|--:|:--|',
	];
	for (const workers of opts.workers) {
		for (const variant of opts.variants) {
			for (const r of results.filter((x) => x.variant === variant && x.workers === workers)) {
				const label = variant === 'shared' ? 'one per process (shipped)' : 'one per execution (before)';
				lines.push(
					`| ${label} | ${workers} | ${r.run} | ${r.seconds.toFixed(1)} s | ${(r.seconds / floor).toFixed(2)} | ${(floor / r.seconds).toFixed(2)} | ` +
						`${r.updated} / ${r.failed} | ${r.rateLimited} | ${r.split} |`,
				);
			}
		}
	}
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
	process.stderr.write(`[bench:queue] ${e instanceof Error ? e.stack : String(e)}\n`);
	process.exit(1);
});
