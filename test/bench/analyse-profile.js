#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Where the time of one Nexor node execution went, from a V8 .cpuprofile (`--cpu-prof`).
 *
 *   node test/bench/analyse-profile.js <file.cpuprofile> [--items 300] [--top 25]
 *
 * Window: from the first sample with the node's execute() or executeOperation() on its stack to the
 * last sample with any frame of the package (n8n-nodes-nexor): the node's run, including the
 * requests in flight. Within it every sample is
 * counted three ways:
 *   - self time by owner of the leaf frame (this package, n8n-core, n8n-workflow, other packages,
 *     Node's own modules, V8's (garbage collector)/(program)/(idle));
 *   - buckets: the first rule in BUCKETS whose frames are on the sample's stack (so the credential
 *     lookup that n8n does inside httpRequestWithAuthentication is one bucket, wherever its leaf is);
 *   - total (inclusive) time of chosen functions: samples with that function anywhere on the stack.
 * A sample lasts until the next one (timeDeltas). Async continuations only carry the frames of the
 * resumed function, so an awaited database read shows up under its own bucket, not under its caller.
 */

const fs = require('node:fs');
const path = require('node:path');

const PACKAGE = 'n8n-nodes-nexor';

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number, columnNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }} Profile
 */

/** The owner of a frame: the package (or Node's own module set) its script belongs to. */
function ownerOf(/** @type {CallFrame} */ f) {
	const url = f.url || '';
	if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native / V8 builtins)';
	if (url.includes(`node_modules/${PACKAGE}/`)) return PACKAGE;
	if (url.startsWith('node:')) return 'node: (Node.js internals)';
	const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
	if (m) return m[1];
	return url;
}

/** @param {CallFrame} f */
function label(f) {
	const url = f.url || '';
	const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)(.*)$/.exec(url);
	const where = m ? `${m[1]}/${m[2]}` : url.replace(/^.*\//, '');
	return `${f.functionName || '(anonymous)'} ${where}${url ? `:${f.lineNumber + 1}` : ''}`;
}

/**
 * Buckets in priority order: a sample goes to the first whose test matches a frame on its stack.
 * @type {Array<{ name: string, test: (f: CallFrame, owner: string) => boolean }>}
 */
const BUCKETS = [
	{
		name: 'n8n credential lookup + decryption (getCredentials/getDecrypted/authenticate)',
		test: (f, o) =>
			o !== PACKAGE &&
			(/^(_getCredentials|getCredentials|getDecrypted|getCredentialsProperties|applyDefaultsAndOverwrites|preAuthentication|authenticate|getCredentialsEntityForExecution|decrypt|getData)$/.test(
				f.functionName,
			) ||
				/credentials-helper|cipher|\/credentials\.js|credential-resolution|credentials-overwrites/i.test(f.url)),
	},
	{
		name: 'database (typeorm / sqlite, awaited reads)',
		test: (_f, o) => /^(typeorm|sqlite3|@n8n\/db|@sentry\/node|pg)$/.test(o) || o.includes('typeorm'),
	},
	{
		name: 'n8n getNodeParameter (parameter + expression resolution)',
		test: (f) => f.functionName === '_getNodeParameter' || f.functionName === 'getNodeParameter',
	},
	{
		name: 'HTTP send (n8n backend-network, axios, Node http/net)',
		test: (f, o) =>
			/^(axios|follow-redirects|@n8n\/backend-network|form-data|proxy-from-env|undici)$/.test(o) ||
			/^node:(_http|http|https|net|tls|dns|zlib|stream|internal\/streams|internal\/http)/.test(f.url || '') ||
			/^(request|httpRequest)$/.test(f.functionName) && /backend-network|request-helper/.test(f.url),
	},
	{ name: `${PACKAGE} (this package's own code, leaf or caller)`, test: (_f, o) => o === PACKAGE },
	{ name: '(garbage collector)', test: (f) => f.functionName === '(garbage collector)' },
	{ name: '(idle)', test: (f) => f.functionName === '(idle)' },
	{ name: '(program)', test: (f) => f.functionName === '(program)' },
];

/** Functions whose total (inclusive) time is reported. */
const TOTALS = [
	'executeOperation',
	'readLeadUpdateInput',
	'timeoutOf',
	'_getNodeParameter',
	'getParameterValue',
	'validateValueAgainstSchema',
	'getAdditionalKeys',
	'runItems',
	'sendCall',
	'sendToNexor',
	'redactSecret',
	'httpRequestWithAuthentication',
	'getCredentials',
	'_getCredentials',
	'getDecrypted',
	'decrypt',
	'authenticate',
	'resolveValue',
	'applyDefaultsAndOverwrites',
	'getCredentialsEntity',
	'hkdfSync',
	'getExecutionCancelSignal',
	'getInputData',
	'continueOnFail',
];

/**
 * @param {Profile} profile
 * @param {{ items?: number }} [o]
 */
function analyse(profile, o = {}) {
	/** @type {Map<number, ProfileNode>} */
	const byId = new Map();
	/** @type {Map<number, number>} */
	const parent = new Map();
	for (const n of profile.nodes) {
		byId.set(n.id, n);
		for (const c of n.children ?? []) parent.set(c, n.id);
	}
	/** @type {Map<number, ProfileNode[]>} leaf → root */
	const stacks = new Map();
	const stackOf = (/** @type {number} */ id) => {
		let s = stacks.get(id);
		if (s) return s;
		s = [];
		for (let cur = /** @type {number | undefined} */ (id); cur !== undefined; cur = parent.get(cur)) {
			const n = byId.get(cur);
			if (n) s.push(n);
		}
		stacks.set(id, s);
		return s;
	};
	const isPackage = (/** @type {ProfileNode} */ n) => (n.callFrame.url || '').includes(`node_modules/${PACKAGE}/`);
	const hasPackage = (/** @type {number} */ id) => stackOf(id).some(isPackage);
	// The node at work: its execute() or executeOperation() (the engine shell) on the stack. Not any
	// package frame: n8n loads and instantiates the package at its start. Not only execute(): after its
	// first await it is no longer on the stack, and the first sample may come after that.
	const inExecute = (/** @type {number} */ id) =>
		stackOf(id).some((n) => isPackage(n) && /^(execute|executeOperation)$/.test(n.callFrame.functionName));

	const { samples, timeDeltas } = profile;
	// A sample lasts until the next one.
	const dur = samples.map((_, i) => (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0) / 1000);
	let first = -1;
	let last = -1;
	for (let i = 0; i < samples.length; i++) {
		if (first < 0 ? inExecute(samples[i]) : hasPackage(samples[i])) {
			if (first < 0) first = i;
			last = i;
		}
	}
	if (first < 0) return null;

	const items = o.items ?? 1;
	let windowMs = 0;
	/** @type {Map<string, number>} */ const owners = new Map();
	/** @type {Map<string, number>} */ const selfByFn = new Map();
	/** @type {Map<string, number>} */ const buckets = new Map();
	/** @type {Map<string, Map<string, number>>} bucket → leaf function → ms */
	const bucketLeaves = new Map();
	/** @type {Map<string, number>} */ const totals = new Map();
	/** @type {Map<string, number>} n8n functions called straight from the package's frames (inclusive) */
	const calledFromPackage = new Map();
	const add = (/** @type {Map<string, number>} */ m, /** @type {string} */ k, /** @type {number} */ v) => m.set(k, (m.get(k) ?? 0) + v);
	for (let i = first; i <= last; i++) {
		const ms = dur[i];
		windowMs += ms;
		const stack = stackOf(samples[i]);
		const leaf = stack[0].callFrame;
		add(owners, ownerOf(leaf), ms);
		add(selfByFn, label(leaf), ms);
		let bucket = 'other n8n / Node work (execution engine, timers, promises)';
		for (const b of BUCKETS) {
			if (stack.some((n) => b.test(n.callFrame, ownerOf(n.callFrame)))) {
				bucket = b.name;
				break;
			}
		}
		add(buckets, bucket, ms);
		if (!bucketLeaves.has(bucket)) bucketLeaves.set(bucket, new Map());
		add(/** @type {Map<string, number>} */ (bucketLeaves.get(bucket)), label(leaf), ms);
		const seen = new Set();
		for (const n of stack) {
			const name = n.callFrame.functionName;
			if (TOTALS.includes(name) && !seen.has(name)) {
				seen.add(name);
				add(totals, name, ms);
			}
		}
		// The outermost non-package frame directly below a package frame: what the package asked n8n for.
		for (let k = stack.length - 1; k > 0; k--) {
			if (ownerOf(stack[k].callFrame) === PACKAGE && ownerOf(stack[k - 1].callFrame) !== PACKAGE) {
				add(calledFromPackage, label(stack[k - 1].callFrame), ms);
				break;
			}
		}
	}
	const idle = (owners.get('(idle)') ?? 0);
	const busyMs = windowMs - idle;
	const sorted = (/** @type {Map<string, number>} */ m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
	return {
		items,
		intervalUs: samples.length > 1 ? (profile.endTime - profile.startTime) / samples.length : NaN,
		windowMs,
		busyMs,
		idleMs: idle,
		owners: sorted(owners),
		selfByFunction: sorted(selfByFn),
		buckets: sorted(buckets),
		bucketLeaves: Object.fromEntries([...bucketLeaves].map(([k, m]) => [k, sorted(m).slice(0, 8)])),
		totals: sorted(totals),
		calledFromPackage: sorted(calledFromPackage),
	};
}

/** @param {NonNullable<ReturnType<typeof analyse>>} a @param {number} [top] */
function report(a, top = 25) {
	const n = a.items;
	const row = (/** @type {string} */ k, /** @type {number} */ ms) =>
		`  ${ms.toFixed(1).padStart(8)} ms  ${(ms / n).toFixed(3).padStart(7)} ms/item  ${((100 * ms) / a.busyMs).toFixed(1).padStart(5)} %  ${k}`;
	const lines = [];
	lines.push(
		`window (node's execute → last sample with a ${PACKAGE} frame): ${a.windowMs.toFixed(0)} ms, busy (not idle) ${a.busyMs.toFixed(0)} ms = ` +
			`${(a.busyMs / n).toFixed(2)} ms per item over ${n} items; idle ${a.idleMs.toFixed(0)} ms; sampling ~${a.intervalUs.toFixed(0)} µs. ` +
			'% = share of busy time.',
	);
	lines.push('', 'buckets (first matching rule on the stack):');
	for (const [k, ms] of a.buckets) if (k !== '(idle)') lines.push(row(k, ms));
	lines.push('', 'top self-time functions within each bucket:');
	for (const [k] of a.buckets) {
		if (k.startsWith('(')) continue;
		lines.push(`  ${k}:`);
		for (const [f, ms] of a.bucketLeaves[k].slice(0, 6)) lines.push(`  ${row(f, ms)}`);
	}
	lines.push('', 'self time by owner of the leaf frame:');
	for (const [k, ms] of a.owners.slice(0, 15)) if (k !== '(idle)') lines.push(row(k, ms));
	lines.push('', `top ${top} functions by self time:`);
	for (const [k, ms] of a.selfByFunction.filter(([k]) => !k.startsWith('(idle)')).slice(0, top)) lines.push(row(k, ms));
	lines.push('', 'total (inclusive) time of chosen functions:');
	for (const [k, ms] of a.totals) lines.push(row(k, ms));
	lines.push('', `n8n/Node functions called from ${PACKAGE} frames (inclusive, synchronous part only):`);
	for (const [k, ms] of a.calledFromPackage.slice(0, 15)) lines.push(row(k, ms));
	return lines.join('\n');
}

module.exports = { analyse, report };

if (require.main === module) {
	const args = process.argv.slice(2);
	const file = args.find((x) => !x.startsWith('--') && !/^\d+$/.test(x));
	const opt = (/** @type {string} */ name, /** @type {number} */ d) => {
		const i = args.indexOf(name);
		return i >= 0 ? Number(args[i + 1]) : d;
	};
	if (!file) {
		process.stderr.write('usage: node test/bench/analyse-profile.js <file.cpuprofile> [--items 300] [--top 25]\n');
		process.exit(2);
	}
	const a = analyse(JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')), { items: opt('--items', 300) });
	if (!a) {
		process.stderr.write(`no sample in ${file} has a frame of ${PACKAGE}\n`);
		process.exit(1);
	}
	process.stdout.write(`${report(a, opt('--top', 25))}\n`);
}
