// @ts-check
'use strict';
/**
 * What the reliability suites of the two platforms share (real n8n: test/e2e/reliability-n8n.test.js;
 * the Zapier action: zapier/test/reliability.test.js): the sandbox they run against and the catalogue
 * expanded for it, and their ending: search everything the platform produced for the API key, record
 * the catalogue and fault-matrix suites for docs/RELIABILITY.md, and fail if the key was found.
 * For jest suites only (it asserts with jest's `expect`).
 */
const { SANDBOX_API_KEY } = require('../sandbox/server.js');
const { loadCatalogue, secretTexts, countSecrets, LEAD_COUNT } = require('./catalogue.js');
const { recordSuite } = require('./report.js');

/** The sandbox's generated leads: every lead the catalogue and the fault matrix use is one of them. */
const SANDBOX_LEADS = 0x600;

/**
 * Options for the suite's sandbox (startSandbox's options).
 * @param {number} maxLifetimeMs  the sandbox closes itself after this long
 */
function sandboxOptions(maxLifetimeMs) {
	return { leadCount: SANDBOX_LEADS, maxLifetimeMs };
}

/**
 * The catalogue expanded for a running sandbox, and every text that counts as the API key in it.
 * @param {{ baseUrl: string }} sandbox
 */
function catalogueFor(sandbox) {
	expect(LEAD_COUNT).toBeLessThanOrEqual(SANDBOX_LEADS);
	const cases = loadCatalogue({ key: SANDBOX_API_KEY, base: sandbox.baseUrl, hostPort: new URL(sandbox.baseUrl).host });
	return { cases, secrets: secretTexts(SANDBOX_API_KEY, cases) };
}

/**
 * @typedef {import('./report.js').Row} Row
 *
 * @typedef {object} PlatformRun
 * @property {string} platform  column and heading in the report
 * @property {string} test      the test file
 * @property {string} runtime   versions, for the report
 * @property {{ suite: string, order: number, rows: Row[] }} catalogue  no rows: it did not run, nothing is recorded
 * @property {{ suite: string, order: number, rows: Row[], notes: string[] }} faults  the same
 * @property {object} searched  everything the platform printed, threw, returned or stored
 * @property {string[]} searched.sources  what that is, in words
 * @property {string} searched.text       all of it that the test holds as text
 * @property {{ bytes: number, found: number }} [searched.elsewhere]  a search done apart (n8n's database files)
 * @property {number} searched.roundTo    bytes searched, as recorded, rounded to this (a rerun leaves the report as it was)
 */

/**
 * The ending of a platform suite: searches what the platform produced for the API key, records the
 * catalogue and fault-matrix suites that ran, then fails if the key was found.
 * @param {string[]} secrets  from catalogueFor
 * @param {PlatformRun} run
 */
function recordPlatformRun(secrets, run) {
	const { sources, text, elsewhere = { bytes: 0, found: 0 }, roundTo } = run.searched;
	const scan = {
		sources,
		bytes: Math.round((text.length + elsewhere.bytes) / roundTo) * roundTo,
		found: countSecrets(text, secrets) + elsewhere.found,
	};
	const { platform, test, runtime, catalogue, faults } = run;
	if (catalogue.rows.length) {
		const { suite, order, rows } = catalogue;
		recordSuite({ suite, section: 'catalogue', platform, order, test, runtime, rows, secrets: scan });
	}
	if (faults.rows.length) {
		const { suite, order, rows, notes } = faults;
		recordSuite({ suite, section: 'faults', platform, order, test, runtime, rows, secrets: scan, notes });
	}
	// The key never appears in anything the platform printed, threw, returned or stored.
	expect(scan.found).toBe(0);
}

module.exports = { sandboxOptions, catalogueFor, recordPlatformRun };
