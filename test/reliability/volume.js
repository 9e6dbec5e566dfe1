#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Issue 5, volume: N items through the Nexor node in ONE `n8n execute` against the sandbox
 * (`leadCount` seeds the leads, `generatedLeadId(i)`), checking that all N come out in order as
 * their updated lead and that the sandbox got exactly N updates. Measures the execution's wall time
 * and the peak RSS of every n8n process (a --require preload records process.resourceUsage().maxRSS)
 * — measured and reported, never asserted on. Runs at several sizes so the report shows how memory
 * grows with the item count. Records the numbers in docs/RELIABILITY.md.
 *
 *   npm run build && npm run volume                       (10,000 items, plus 1,000 and 5,000 to compare)
 *   node test/reliability/volume.js --sizes 10000 --line 2
 *   node test/reliability/volume.js --sizes 10000,20000 --live-heap   (diagnosis: heap after forced GCs)
 *
 * Exits 1 if any item is missing, out of order, or wrong.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox, generatedLeadId } = require('../sandbox/server.js');
const { createN8nHome } = require('../e2e/harness/n8n.js');
const { packPackage } = require('../e2e/harness/pack.js');
const { companyFromItem, itemsWorkflow, nexorNode, node, nodeOutput } = require('../support/workflows.js');
const { recordSuite } = require('./report.js');

const CREDENTIAL = { id: 'nexorVolume0001', name: 'Nexor sandbox (volume)' };

const USAGE = `node test/reliability/volume.js [--sizes 1000,5000,10000] [--line 2|1] [--live-heap]
  (npm run build first: it packs dist/; records docs/RELIABILITY.md)
`;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
	process.stdout.write(USAGE);
	process.exit(0);
}

/** @param {string} name */
function arg(name) {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? undefined : process.argv[at + 1];
}

const SIZES = (arg('sizes') || '1000,5000,10000').split(',').map(Number);
/** Diagnosis: force a GC every 2 s in n8n and record the heap right after it (the live set). Slows the run. */
const LIVE_HEAP = process.argv.includes('--live-heap');
const LINE = /** @type {'1' | '2'} */ (arg('line') || '2');

/**
 * A preload for every n8n process: writes its peak RSS (and what it is) next to `dir`, on exit and
 * every second (a task runner may be killed rather than exit).
 * @param {string} dir
 */
function writePreload(dir) {
	const file = path.join(dir, 'peak-rss.js');
	fs.writeFileSync(
		file,
		`'use strict';
const fs = require('fs');
const out = ${JSON.stringify(dir)} + '/rss-' + process.pid + '.json';
let maxHeap = 0;
let maxLive = 0;
let ticks = 0;
const save = () => {
	try {
		maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
		if (typeof gc === 'function' && ++ticks % 8 === 0) {
			gc();
			maxLive = Math.max(maxLive, process.memoryUsage().heapUsed);
		}
		fs.writeFileSync(out, JSON.stringify({ pid: process.pid, ppid: process.ppid, argv: process.argv.slice(1, 4), maxRssKb: process.resourceUsage().maxRSS, maxHeapUsed: maxHeap, maxLiveHeap: maxLive }));
	} catch {}
};
setInterval(save, 250).unref();
process.on('exit', save);
`,
	);
	return file;
}

/**
 * The same N items turned into lead-shaped items by a Set node (named Nexor) instead of the Nexor
 * node: n8n's own cost per item, to tell it apart from the node's.
 * @param {number} n
 */
function baseline(n) {
	const lead =
		"={{ { id: $json.leadId, first_name: 'Lucas', last_name: 'Rojas', email: 'lucas.rojas.' + $itemIndex + '@example.com', phone: '+15550000000', company: $json.company, title: 'Manager', source: 'api', campaign_id: '123e4567-e89b-12d3-a456-426614174001', metadata: { index: $itemIndex, utm_source: 'google' }, created_at: '2026-01-01T00:00:00Z', updated_at: $now.toISO() } }}";
	return itemsWorkflow(
		`wfVolBase${String(n).padStart(6, '0')}`,
		itemsCode(n),
		node('Nexor', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: lead, options: {} }),
	);
}

/**
 * `n8n execute` through the harness, which writes n8n's stdout to a file (n8n ends with
 * process.exit(), and a pipe's pending writes are lost then: a 10,000-item run printed 3 of its
 * ~12 MB through a pipe) and throws when the run JSON is missing or cut short. Here that is a
 * failed size, reported, not a crash: `run` null and the harness's message in `error`.
 * @param {import('../e2e/harness/n8n.js').N8nHome} home
 * @param {string} workflowId
 * @param {Record<string, string>} extraEnv
 */
async function execute(home, workflowId, extraEnv) {
	const started = Date.now();
	try {
		const r = await home.execute(workflowId, { env: extraEnv, timeoutMs: 60 * 60 * 1000 });
		return { code: r.code, ms: r.ms, run: r.run, stdoutChars: r.stdout.length, error: '' };
	} catch (e) {
		const error = /** @type {Error} */ (e).message;
		process.stderr.write(`[volume] ${error}\n`);
		return { code: null, ms: Date.now() - started, run: null, stdoutChars: 0, error };
	}
}

/** @param {string} dir */
function readPeaks(dir) {
	/** @type {{ pid: number, ppid: number, argv: string[], maxRssKb: number, maxHeapUsed: number, maxLiveHeap?: number }[]} */
	const samples = fs
		.readdirSync(dir)
		.filter((f) => f.startsWith('rss-'))
		.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
	for (const f of fs.readdirSync(dir)) if (f.startsWith('rss-')) fs.rmSync(path.join(dir, f));
	const main = samples.find((x) => x.argv.includes('execute'));
	const others = samples.filter((x) => x !== main).sort((a, b) => b.maxRssKb - a.maxRssKb);
	const mb = (/** @type {number | undefined} */ v) => (v === undefined ? null : Math.round(v / 1024));
	return {
		peakRssMb: mb(main?.maxRssKb),
		peakHeapMb: main ? Math.round(main.maxHeapUsed / 1048576) : null,
		...(LIVE_HEAP ? { peakLiveHeapMb: main?.maxLiveHeap ? Math.round(main.maxLiveHeap / 1048576) : null } : {}),
		runnerPeakRssMb: mb(others[0]?.maxRssKb),
	};
}

/** A Code node's JavaScript making N items for generated leads. @param {number} n */
const itemsCode = (n) =>
	`return Array.from({ length: ${n} }, (_, i) => ({ json: { leadId: 'a0000000-0000-4000-8000-' + i.toString(16).padStart(12, '0'), company: 'Volume ' + i } }));`;

/** Start → Items (N items) → Nexor, errors on the regular output. @param {number} n */
function workflow(n) {
	return itemsWorkflow(
		`wfVolume${String(n).padStart(7, '0')}`,
		itemsCode(n),
		nexorNode('Nexor', companyFromItem({}), { credential: CREDENTIAL, onError: 'continueRegularOutput' }),
	);
}

async function main() {
	const largest = Math.max(...SIZES);
	const sandbox = await startSandbox({
		leadCount: largest,
		journalLimit: largest * 2,
		maxLifetimeMs: 2 * 60 * 60 * 1000,
	});
	process.stderr.write(`[volume] sizes ${SIZES.join(', ')} on n8n line ${LINE}\n`);
	const home = await createN8nHome({ line: LINE });
	const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-rss-'));
	const preload = writePreload(rssDir);
	/** @type {any[]} */
	const runs = [];
	/** @type {string[]} */
	const failures = [];
	try {
		await home.installPackage(packPackage());
		await home.importCredentials([
			{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } },
		]);
		await home.importWorkflows([...SIZES.map(workflow), ...SIZES.map(baseline)]);
		const nodeOptions = { NODE_OPTIONS: `--require=${preload}${LIVE_HEAP ? ' --expose-gc' : ''}` };
		for (const n of SIZES) {
			readPeaks(rssDir);
			process.stderr.write(`[volume] baseline: ${n} lead-shaped items without the Nexor node…\n`);
			const b = await execute(home, baseline(n).id, nodeOptions);
			const base = {
				wallMs: b.ms,
				...readPeaks(rssDir),
				ok: (nodeOutput(b.run, 'Nexor') ?? []).length === n,
			};

			sandbox.reset();
			const wf = workflow(n);
			process.stderr.write(`[volume] ${n} items through the Nexor node in n8n ${home.runtime.version}…\n`);
			const r = await execute(home, wf.id, nodeOptions);
			const run = r.run;
			const peaks = readPeaks(rssDir);

			// Every item accounted for: N out, in order, each its own lead, updated once.
			const out = nodeOutput(run, 'Nexor') ?? [];
			const puts = sandbox.journal().filter((/** @type {any} */ e) => e.method === 'PUT');
			const nodeMs = puts.length ? Math.round(puts[puts.length - 1].at - puts[0].at) : 0;
			let wrong = 0;
			let errors = 0;
			for (let i = 0; i < n; i++) {
				const item = out[i];
				if (item?.json?.error) errors++;
				if (
					!item ||
					item.pairedItem?.item !== i ||
					item.json?.id !== generatedLeadId(i) ||
					item.json?.company !== `Volume ${i}`
				)
					wrong++;
			}
			let stored = 0;
			for (let i = 0; i < n; i++) if (sandbox.getLead(generatedLeadId(i))?.company === `Volume ${i}`) stored++;
			const accounted = n - wrong;
			const problems = [];
			if (r.error) problems.push(r.error.replace(/; last 500 chars of stdout:[\s\S]*$/, ')'));
			else if (r.code !== 0) problems.push(`n8n exited ${r.code}`);
			if (out.length !== n) problems.push(`${out.length} items out`);
			if (wrong) problems.push(`${wrong} items missing, out of place or not their lead (${errors} errors)`);
			if (puts.length !== n) problems.push(`${puts.length} PUT requests`);
			if (stored !== n) problems.push(`${stored} leads updated in the sandbox`);
			if (problems.length) failures.push(`${n} items: ${problems.join('; ')}`);
			const entry = {
				items: n,
				accounted,
				requests: puts.length,
				wallMs: r.ms,
				nodeMs,
				...peaks,
				stdoutMb: Math.round((r.stdoutChars / 1e6) * 10) / 10,
				baseline: base,
				note: problems.join('; '),
			};
			runs.push(entry);
			process.stderr.write(`[volume] ${JSON.stringify(entry)}\n`);
		}
	} finally {
		await home.cleanup();
		await sandbox.close();
		fs.rmSync(rssDir, { recursive: true, force: true });
	}

	/** @type {string[]} */
	const notes = [
		`One \`n8n execute\` per size (n8n ${home.runtime.version}): Manual Trigger → Code node making N items → Nexor (Requests in Parallel 5, the default) against the sandbox with \`leadCount\`; every output item checked (in order, its own lead, updated), and the sandbox's updates counted. Wall time is the whole \`n8n execute\` process (start-up, run, printing the run JSON); peak RSS is \`process.resourceUsage().maxRSS\` and peak heap the largest \`heapUsed\` sampled every 250 ms in n8n's main process (a --require preload). The baseline is the same workflow with a Set node making lead-shaped items in place of the Nexor node. Measured, not asserted.`,
	];
	recordSuite({
		suite: `volume-n8n${LINE}${LIVE_HEAP ? '-live-heap' : ''}`,
		section: 'volume',
		platform: `n8n ${home.runtime.version} (${LINE === '2' ? 'Node 24' : 'Node 20'})${LIVE_HEAP ? ', forced GC every 2 s (diagnosis)' : ''}`,
		order: LIVE_HEAP ? 2 : 1,
		test: LIVE_HEAP ? 'test/reliability/volume.js --live-heap' : 'test/reliability/volume.js (npm run volume)',
		rows: runs.map((r) => ({
			id: `volume-${r.items}`,
			expected: `${r.items} items out, in order, each its updated lead; ${r.items} PUT requests`,
			observed: `${r.accounted} accounted for, ${r.requests} requests, ${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.peakRssMb} MB (baseline ${r.baseline.peakRssMb} MB)${LIVE_HEAP ? `, live heap ${r.peakLiveHeapMb} MB (baseline ${r.baseline.peakLiveHeapMb} MB)` : ''}`,
			ok: !r.note,
		})),
		metrics: { runs },
		notes,
	});
	if (failures.length) {
		process.stderr.write(`[volume] FAILED\n  ${failures.join('\n  ')}\n`);
		process.exitCode = 1;
	} else {
		process.stderr.write('[volume] every item accounted for\n');
	}
}

main().catch((error) => {
	process.stderr.write(`[volume] ${error && error.stack}\n`);
	process.exitCode = 1;
});
