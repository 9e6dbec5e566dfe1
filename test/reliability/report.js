// @ts-check
'use strict';
/**
 * Writes docs/RELIABILITY.md from what the reliability tests observed. Each test file records its own
 * suite (core, one n8n line, Zapier, volume) into test/reliability/observed/<suite>.json and then
 * re-renders the whole report from every suite file, so a run of one project (say `npm run
 * test:unit`) refreshes its own rows and keeps the others' last observations, each with its date.
 * A suite whose rows did not change keeps its date, so an unchanged run leaves the report as it was.
 */
const fs = require('node:fs');
const path = require('node:path');
const { rawCatalogue, loadFaults, describeInput } = require('./catalogue.js');

const ROOT = path.resolve(__dirname, '../..');
const OBSERVED_DIR = path.join(__dirname, 'observed');
const REPORT = path.join(ROOT, 'docs', 'RELIABILITY.md');

/**
 * @typedef {object} Row
 * @property {string} id        the catalogue or fault case id
 * @property {string} expected
 * @property {string} observed
 * @property {boolean} ok
 * @property {boolean} [na]      the platform cannot deliver this input (observed says why)
 * @property {string[]} [problems]
 *
 * @typedef {object} SecretScan
 * @property {string[]} sources   what was searched
 * @property {number} bytes       how much text was searched
 * @property {number} found       occurrences of the key's text (must be 0)
 *
 * @typedef {object} Suite
 * @property {string} suite       file name and sort key, e.g. "catalogue-n8n-2"
 * @property {'catalogue' | 'faults' | 'volume'} section
 * @property {string} platform    column / heading shown in the report
 * @property {number} order       column order within the section
 * @property {string} test        the test file that records it
 * @property {string} [runtime]   versions, for the header
 * @property {string} observedAt  ISO date the rows last changed
 * @property {Row[]} rows
 * @property {SecretScan} [secrets]
 * @property {Record<string, unknown>} [metrics]
 * @property {string[]} [notes]
 */

/** @param {string} file @param {string} text */
function writeAtomic(file, text) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, text);
	fs.renameSync(tmp, file);
}

/** @returns {Suite[]} */
function readSuites() {
	if (!fs.existsSync(OBSERVED_DIR)) return [];
	return fs
		.readdirSync(OBSERVED_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => JSON.parse(fs.readFileSync(path.join(OBSERVED_DIR, f), 'utf8')));
}

/**
 * Records one suite's observations and rewrites docs/RELIABILITY.md.
 * @param {Omit<Suite, 'observedAt'>} suite
 */
function recordSuite(suite) {
	const file = path.join(OBSERVED_DIR, `${suite.suite}.json`);
	let observedAt = new Date().toISOString();
	if (fs.existsSync(file)) {
		/** @type {Suite} */
		const old = JSON.parse(fs.readFileSync(file, 'utf8'));
		const same = JSON.stringify({ ...old, observedAt: '' }) === JSON.stringify({ ...suite, observedAt: '' });
		if (same) observedAt = old.observedAt;
	}
	/** @type {Suite} */
	const full = { ...suite, observedAt };
	writeAtomic(file, `${JSON.stringify(full, null, '\t')}\n`);
	writeReport();
	return full;
}

/**
 * Prose in a table cell: Markdown's special characters escaped (so "__proto__" stays as written).
 * @param {string} text
 */
function cell(text) {
	return String(text)
		.replace(/\r?\n/g, ' ')
		.replace(/[\\`*_[\]<>|#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/**
 * A value in a table cell, as code: shown exactly as written (GitHub keeps "\|" as "|" inside code in tables).
 * @param {string} text
 */
function code(text) {
	if (text === '') return '';
	const body = String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
	const fence = body.includes('`') ? '``' : '`';
	return `${fence}${fence.length > 1 ? ' ' : ''}${body}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** @param {string} iso */
function day(iso) {
	return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** @param {Suite[]} suites */
function render(suites) {
	// The newest observation, not "now": a run that changed nothing leaves the file byte for byte as it was.
	const written =
		suites
			.map((s) => s.observedAt)
			.sort()
			.pop() || new Date().toISOString();
	const catalogue = rawCatalogue();
	const faults = loadFaults().cases;
	/** @param {Suite['section']} section */
	const of = (section) => suites.filter((s) => s.section === section).sort((a, b) => a.order - b.order);
	const out = [];
	out.push('# Reliability and security report');
	out.push('');
	out.push(
		`> **Generated, do not edit.** Written by the reliability tests (last change ${day(written)}) from the catalogue ` +
			'`test/reliability/bad-inputs.json`, the fault matrix `test/reliability/faults.json` and what each platform did ' +
			'(`test/reliability/observed/*.json`). Each suite below records its own rows and the date they were last ' +
			'observed to change; re-run a suite to refresh it:',
	);
	out.push('>');
	out.push('> - core: `npx jest test/unit/reliability --selectProjects unit` (also part of `npm run test:unit`)');
	out.push(
		'> - real n8n 2.41.1 and 1.123.81: `npx jest test/e2e/reliability-n8n.test.js --selectProjects e2e` (after `npm run build`)',
	);
	out.push(
		'> - Zapier (appTester over HTTP against the sandbox): `npx jest zapier/test/reliability.test.js --selectProjects zapier` (after `npm run zapier:build`)',
	);
	out.push('> - 10,000 items in one n8n execution: `npm run volume`');
	out.push('');
	out.push('## Summary');
	out.push('');
	out.push('| Section | Platform | Test | Rows | Pass | Fail | Key found in output | Observed |');
	out.push('|---|---|---|---:|---:|---:|---|---|');
	for (const s of [...of('catalogue'), ...of('faults'), ...of('volume')]) {
		const rows = s.rows.filter((r) => !r.na);
		const pass = rows.filter((r) => r.ok).length;
		const scan = s.secrets
			? `${s.secrets.found === 0 ? 'no' : `**YES (${s.secrets.found})**`} (${(s.secrets.bytes / 1e6).toFixed(1)} MB searched)`
			: '–';
		out.push(
			`| ${s.section} | ${cell(s.platform)} | \`${s.test}\` | ${rows.length} | ${pass} | ${rows.length - pass} | ${scan} | ${day(s.observedAt)} |`,
		);
	}
	out.push('');

	const cat = of('catalogue');
	if (cat.length) {
		const perPlatform = ['core', 'n8n', 'zapier'].map(
			(p) => `${p} ${catalogue.filter((c) => c.platforms.includes(/** @type {any} */ (p))).length}`,
		);
		out.push('## Bad-input catalogue');
		out.push('');
		out.push(
			`${catalogue.length} cases (${perPlatform.join(', ')}; a case a platform cannot deliver is marked n/a with the reason). ` +
				'Update Lead\'s cases, then the other lead, tag, conversion, message and meeting operations\' (their input starts ' +
				'with the operation, such as `lead:create`; each runs through that operation: core\'s, the n8n node set to it, the ' +
				'Zapier action offering it). ' +
				'Expected: an error naming the field and the fix, and no request in the sandbox journal; or, for inputs that are fine ' +
				'once normalised, the exact request. n8n delivers item values through expressions and credential values through ' +
				'one credential per case; Zapier through `inputData`, `authData` and `NEXOR_BASE_URL`.',
		);
		out.push('');
		out.push('| Case | Input | Platform | Expected | Observed | |');
		out.push('|---|---|---|---|---|---|');
		for (const c of catalogue) {
			let first = true;
			for (const s of cat) {
				const row = s.rows.find((r) => r.id === c.id);
				const head = first ? `**${c.id}** ${cell(c.name)}` : '';
				const input = first ? code(describeInput(c)) : '';
				first = false;
				if (!row) continue;
				const mark = row.na ? 'n/a' : row.ok ? '✅' : '❌';
				const problems = row.problems && row.problems.length ? ` **${cell(row.problems.join('; '))}**` : '';
				out.push(
					`| ${head} | ${input} | ${cell(s.platform)} | ${code(row.expected)} | ${code(row.observed)}${problems} | ${mark} |`,
				);
			}
		}
		out.push('');
	}

	const fm = of('faults');
	if (fm.length) {
		out.push('## Fault matrix');
		out.push('');
		out.push(
			'Sandbox fault knobs per case. n8n: every case is one item of one execution (Requests in Parallel 1, Timeout 2 s, ' +
				'On Error → Continue); "tries" and "gaps" are read from the sandbox journal (arrival times of the item\'s requests), ' +
				"and each gap is checked against core's decision (Retry-After, or `backoffMs` range), never with a timer in the test. " +
				'Zapier apps have no retry loop: one request, then the Zapier error class that makes Zapier do the right thing.',
		);
		out.push('');
		out.push('| Case | Platform | Expected | Observed | |');
		out.push('|---|---|---|---|---|');
		const known = new Set(faults.map((/** @type {{ id: string }} */ f) => f.id));
		const extra = fm.flatMap((s) => s.rows.filter((r) => !known.has(r.id)).map((r) => r.id));
		const ids = [...new Set([...faults.map((/** @type {{ id: string, name: string }} */ f) => f.id), ...extra])];
		for (const id of ids) {
			const f = faults.find((/** @type {{ id: string }} */ x) => x.id === id) || {
				id,
				name: id === 'bulk-all-faults' ? 'every case at once, in parallel' : '',
			};
			let first = true;
			for (const s of fm) {
				const row = s.rows.find((r) => r.id === f.id);
				if (!row) continue;
				const head = first ? `**${f.id}** ${cell(f.name)}` : '';
				first = false;
				const problems = row.problems && row.problems.length ? ` **${cell(row.problems.join('; '))}**` : '';
				out.push(
					`| ${head} | ${cell(s.platform)} | ${code(row.expected)} | ${code(row.observed)}${problems} | ${row.ok ? '✅' : '❌'} |`,
				);
			}
		}
		out.push('');
		for (const s of fm) for (const note of s.notes || []) out.push(`- ${cell(s.platform)}: ${note}`);
		if (fm.some((s) => (s.notes || []).length)) out.push('');
	}

	const vol = of('volume');
	if (vol.length) {
		out.push('## Volume');
		out.push('');
		out.push(
			'| Platform | Items | Accounted for | Wall time (`n8n execute`) | Node time (first → last request) | Peak RSS, n8n process | Peak heap | Live heap (after a forced GC) | Baseline without the node: wall / peak RSS / peak heap / live heap | Problems |',
		);
		out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
		for (const s of vol) {
			for (const r of /** @type {any[]} */ (s.metrics?.runs || [])) {
				const b = r.baseline || {};
				const base = `${b.wallMs ? (b.wallMs / 1000).toFixed(1) : '–'} s / ${b.peakRssMb ?? '–'} MB / ${b.peakHeapMb ?? '–'} MB / ${b.peakLiveHeapMb ? `${b.peakLiveHeapMb} MB` : '–'}`;
				out.push(
					`| ${cell(s.platform)} | ${r.items.toLocaleString('en-US')} | ${r.accounted.toLocaleString('en-US')} | ${(r.wallMs / 1000).toFixed(1)} s | ${((r.nodeMs ?? 0) / 1000).toFixed(1)} s | ${r.peakRssMb ?? '–'} MB | ${r.peakHeapMb ?? '–'} MB | ${r.peakLiveHeapMb ? `${r.peakLiveHeapMb} MB` : '–'} | ${base} | ${cell(r.note || 'none')} |`,
				);
			}
		}
		out.push('');
		for (const note of new Set(vol.flatMap((s) => s.notes || []))) out.push(`- ${note}`);
		for (const s of vol) {
			const runs = [.../** @type {any[]} */ (s.metrics?.runs || [])].sort((a, b) => a.items - b.items);
			const steps = runs.slice(1).map((b, k) => {
				const a = runs[k];
				const per = (/** @type {number} */ x, /** @type {number} */ y) =>
					(((y - x) * 1024) / (b.items - a.items)).toFixed(1);
				const base =
					a.baseline && b.baseline
						? ` (baseline ${per(a.baseline.peakHeapMb, b.baseline.peakHeapMb)} KB heap, ${per(a.baseline.peakRssMb, b.baseline.peakRssMb)} KB RSS)`
						: '';
				return `${a.items.toLocaleString('en-US')} → ${b.items.toLocaleString('en-US')} items: ${per(a.peakHeapMb, b.peakHeapMb)} KB heap and ${per(a.peakRssMb, b.peakRssMb)} KB RSS per added item${base}, node time ${((b.nodeMs - a.nodeMs) / (b.items - a.items)).toFixed(2)} ms per added item`;
			});
			if (steps.length) out.push(`- ${cell(s.platform)}, growth of the peaks: ${steps.join('; ')}.`);
			const live = runs.filter((r) => r.peakLiveHeapMb && r.baseline?.peakLiveHeapMb);
			if (live.length >= 2) {
				const [a, b] = [live[0], live[live.length - 1]];
				const per = (/** @type {number} */ x, /** @type {number} */ y) => (((y - x) * 1024) / (b.items - a.items)).toFixed(1);
				out.push(
					`- ${cell(s.platform)}: what stays in memory (heap right after a forced GC) grows by ${per(a.peakLiveHeapMb, b.peakLiveHeapMb)} KB per added item with the Nexor node and ${per(a.baseline.peakLiveHeapMb, b.baseline.peakLiveHeapMb)} KB without it, from ${a.items.toLocaleString('en-US')} to ${b.items.toLocaleString('en-US')} items: the node keeps nothing per item beyond its output. The higher peaks without forced GCs are garbage (one HTTP exchange and the parameter expressions per item) that V8 collects lazily while memory is plentiful.`,
				);
			}
		}
		out.push('');
	}

	out.push('## Secret hygiene');
	out.push('');
	out.push(
		"Every suite searches everything it captured for the API key's text (the sandbox key, and each catalogue " +
			"credential value that contains it): output items, error messages and descriptions, n8n's run JSON, stdout and " +
			"stderr of every n8n command and n8n's database files, Zapier's thrown errors and its request/console log " +
			"(`LOG_TO_STDOUT`, `DETAILED_LOG_TO_STDOUT`), core's errors.",
	);
	out.push('');
	out.push('| Section | Platform | Searched | Occurrences |');
	out.push('|---|---|---|---:|');
	for (const s of suites) {
		if (!s.secrets) continue;
		out.push(`| ${s.section} | ${cell(s.platform)} | ${cell(s.secrets.sources.join(', '))} | ${s.secrets.found} |`);
	}
	out.push('');
	return `${out.join('\n')}\n`;
}

function writeReport() {
	writeAtomic(REPORT, render(readSuites()));
}

module.exports = { recordSuite, writeReport, OBSERVED_DIR, REPORT };
