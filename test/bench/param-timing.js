// @ts-check
'use strict';
/**
 * Preload for `n8n execute` (NODE_OPTIONS=--require <this file>; profile.js --param-timing): times
 * every getNodeParameter call of the Nexor node, by parameter name, and writes the totals as JSON to
 * $NEXOR_PARAM_TIMING_OUT when the process exits. getNodeParameter is synchronous, so each call's
 * wall time is its CPU time (plus whatever the OS took away meanwhile on a loaded machine).
 * Patches n8n-core's NodeExecutionContext.prototype._getNodeParameter, which every context's
 * getNodeParameter calls; only calls for nodes of type n8n-nodes-nexor.* are counted.
 */
const fs = require('node:fs');

const out = process.env.NEXOR_PARAM_TIMING_OUT;
// NODE_OPTIONS reaches every Node process n8n starts: only n8n's own main process is patched.
const main = process.argv[1] && /[\\/]n8n[\\/]bin[\\/]n8n$/.test(process.argv[1]);
if (out && main) {
	/** @type {Record<string, { calls: number, ms: number, firstMs: number, maxMs: number, medianMs?: number, all: number[] }>} */
	const byName = {};
	// Patched when n8n itself first loads the module that defines NodeExecutionContext (so load
	// order stays n8n's own): Module._load is wrapped until then.
	const Module = /** @type {any} */ (require('node:module'));
	const load = Module._load;
	Module._load = function (/** @type {unknown[]} */ ...args) {
		const exported = load.apply(this, args);
		const proto = exported?.NodeExecutionContext?.prototype;
		if (proto && typeof proto._getNodeParameter === 'function') {
			Module._load = load;
			const original = proto._getNodeParameter;
			proto._getNodeParameter = function (/** @type {string} */ name, /** @type {unknown[]} */ ...rest) {
				if (!String(this.node?.type).startsWith('n8n-nodes-nexor.')) return original.call(this, name, ...rest);
				const t0 = process.hrtime.bigint();
				try {
					return original.call(this, name, ...rest);
				} finally {
					const ms = Number(process.hrtime.bigint() - t0) / 1e6;
					const entry = (byName[name] ??= { calls: 0, ms: 0, firstMs: ms, maxMs: 0, all: [] });
					entry.calls++;
					if (entry.all.length < 100_000) entry.all.push(ms);
					entry.ms += ms;
					entry.maxMs = Math.max(entry.maxMs, ms);
				}
			};
		}
		return exported;
	};
	process.on('exit', () => {
		try {
			for (const entry of Object.values(byName)) {
				const sorted = entry.all.sort((a, b) => a - b);
				entry.medianMs = sorted[Math.floor(sorted.length / 2)];
				entry.all = [];
			}
			fs.writeFileSync(out, JSON.stringify(byName, null, 1));
		} catch {
			/* nothing to report */
		}
	});
}
