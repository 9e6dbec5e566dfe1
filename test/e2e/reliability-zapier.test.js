// @ts-check
'use strict';
/**
 * Issue 5, Zapier: the bad-input catalogue and the fault matrix through the BUILT Zapier app
 * (zapier/dist/app.js) with zapier-platform-core's appTester, over real HTTP against the Nexor
 * sandbox. Inputs arrive as `inputData`, the key as `authData.api_key`, the Base URL as
 * NEXOR_BASE_URL (Zapier has no Base URL field). Everything the app throws or logs (with
 * LOG_TO_STDOUT and DETAILED_LOG_TO_STDOUT, Zapier's request/response log) is searched for the key.
 * Records both suites for docs/RELIABILITY.md.
 *
 *   npm run zapier:build && npx jest test/e2e/reliability-zapier.test.js --selectProjects e2e
 */
const util = require('node:util');
const { loadBuiltApp, sandboxModule } = require('../../zapier/test/helpers.js');
const {
	loadCatalogue,
	loadFaults,
	expandValue,
	judge,
	describeExpected,
	describeObserved,
	secretTexts,
	countSecrets,
	abbreviate,
	LEAD_COUNT,
} = require('../reliability/catalogue.js');
const { recordSuite } = require('../reliability/report.js');

jest.setTimeout(10 * 60 * 1000);

const { zapier, App } = loadBuiltApp();
const { startSandbox, SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const perform = App.creates.update_lead.operation.perform;
const ZAPIER_VERSION = require('../../zapier/node_modules/zapier-platform-core/package.json').version;
const PLATFORM = `Zapier (core ${ZAPIER_VERSION}, appTester)`;
const TIMEOUT_MS = loadFaults().timeoutSeconds * 1000;

/** @type {any} */
let sandbox;
/** @type {ReturnType<typeof loadCatalogue>} */
let CASES = [];
/** @type {string[]} everything the app said or logged */
const captured = [];
const ENV_KEYS = ['NEXOR_BASE_URL', 'NEXOR_REQUEST_TIMEOUT_MS', 'LOG_TO_STDOUT', 'DETAILED_LOG_TO_STDOUT'];
/** @type {Record<string, string | undefined>} */
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

/** @type {Map<string, import('../reliability/report.js').Row>} */
const catalogueRows = new Map();
/** @type {Map<string, import('../reliability/report.js').Row>} */
const faultRows = new Map();

beforeAll(async () => {
	sandbox = await startSandbox({ leadCount: 0x600, maxLifetimeMs: 30 * 60 * 1000 });
	const hostPort = new URL(sandbox.baseUrl).host;
	CASES = loadCatalogue({ key: SANDBOX_API_KEY, base: sandbox.baseUrl, hostPort });
	expect(LEAD_COUNT).toBeLessThanOrEqual(0x600);
	process.env.LOG_TO_STDOUT = '1';
	process.env.DETAILED_LOG_TO_STDOUT = '1';
	process.env.NEXOR_REQUEST_TIMEOUT_MS = String(TIMEOUT_MS);
	const keep = (/** @type {unknown[]} */ args) =>
		captured.push(args.map((a) => (typeof a === 'string' ? a : util.inspect(a, { depth: 8 }))).join(' '));
	for (const method of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
		jest.spyOn(console, method).mockImplementation((...args) => keep(args));
	}
	for (const stream of [process.stdout, process.stderr]) {
		jest.spyOn(stream, 'write').mockImplementation((/** @type {any} */ chunk) => {
			keep([String(chunk)]);
			return true;
		});
	}
});

afterAll(async () => {
	jest.restoreAllMocks();
	for (const [k, v] of Object.entries(savedEnv)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
	if (sandbox) await sandbox.close();
	if (!CASES.length) return;
	const secrets = secretTexts(SANDBOX_API_KEY, CASES);
	const everything = captured.join('\n');
	const scan = {
		sources: [
			'thrown errors (name, message, stack)',
			'returned leads',
			"Zapier's request/response and console log (LOG_TO_STDOUT, DETAILED_LOG_TO_STDOUT)",
		],
		bytes: everything.length,
		found: countSecrets(everything, secrets),
	};
	if (catalogueRows.size) {
		recordSuite({
			suite: 'catalogue-4-zapier',
			section: 'catalogue',
			platform: PLATFORM,
			order: 4,
			test: 'test/e2e/reliability-zapier.test.js',
			runtime: `Node ${process.versions.node}, zapier-platform-core ${ZAPIER_VERSION}`,
			rows: CASES.map(
				(c) =>
					catalogueRows.get(c.id) || {
						id: c.id,
						expected: '',
						observed: `n/a: ${c.note || 'not run'}`,
						ok: true,
						na: true,
					},
			),
			secrets: { ...scan, bytes: Math.round(scan.bytes / 1e5) * 1e5 },
		});
	}
	if (faultRows.size) {
		recordSuite({
			suite: 'faults-3-zapier',
			section: 'faults',
			platform: PLATFORM,
			order: 3,
			test: 'test/e2e/reliability-zapier.test.js',
			rows: loadFaults().cases.flatMap((/** @type {any} */ f) => {
				const row = faultRows.get(f.id);
				return row ? [row] : [];
			}),
			secrets: { ...scan, bytes: Math.round(scan.bytes / 1e5) * 1e5 },
			notes: [
				`Requests time out after ${TIMEOUT_MS / 1000} s here (NEXOR_REQUEST_TIMEOUT_MS); in production after 25 s, inside Zapier's 30 s limit for an action.`,
			],
		});
	}
	// The key never appears in anything the app threw, returned or logged.
	expect(scan.found).toBe(0);
});

/**
 * Zapier's `inputData` for a platform-neutral input: lead fields under their keys, Fields to Clear as
 * given, metadata entries as the dict Zapier's key/value field produces.
 * @param {any} input
 */
function toInputData(input) {
	/** @type {Record<string, unknown>} */
	const data = {};
	if ('leadId' in input) data.lead_id = input.leadId;
	for (const [key, value] of Object.entries(input.fields || {})) data[key] = value;
	if ('clear' in input) data.clear_fields = input.clear;
	if (input.metadata !== undefined) {
		/** @type {Record<string, unknown>} */
		const dict = {};
		for (const entry of input.metadata.entries) {
			Object.defineProperty(dict, entry.key, {
				value: entry.value,
				enumerable: true,
				writable: true,
				configurable: true,
			});
		}
		data.metadata = dict;
	}
	if ('metadataTyping' in input) data.metadata_types = input.metadataTyping;
	return data;
}

/**
 * The Zapier error class, and its text, as Zapier sees them.
 * @param {any} error
 * @returns {{ errorType: string, text: string, delay?: number | null }}
 */
function zapierError(error) {
	const name = error && error.name;
	if (name === 'AppError') {
		const body = JSON.parse(error.message);
		return { errorType: `AppError:${body.code}/${body.status}`, text: body.message };
	}
	if (name === 'ThrottledError') {
		const body = JSON.parse(error.message);
		return { errorType: 'ThrottledError', text: body.message, delay: body.delay ?? null };
	}
	if (name === 'HaltedError' || name === 'ExpiredAuthError') return { errorType: name, text: error.message };
	return { errorType: `crash:${name}`, text: String(error && error.stack) };
}

/**
 * "<message>. <fix>" (zapier/src/errors.cts) split where the expected message ends.
 * @param {string} text
 * @param {string | undefined} message
 */
function split(text, message) {
	if (message !== undefined && text.startsWith(`${message}. `)) return { message, fix: text.slice(message.length + 2) };
	return { message: text, fix: '' };
}

/** @param {Record<string, string | undefined>} env */
function setEnv(env) {
	for (const [k, v] of Object.entries(env)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
}

/**
 * Runs Update Lead once; returns what happened.
 * @param {Record<string, unknown>} inputData
 * @param {unknown} apiKey
 */
async function run(inputData, apiKey) {
	try {
		const lead = await appTester(perform, { authData: { api_key: apiKey }, inputData });
		captured.push(util.inspect(lead, { depth: 8 }));
		return { lead };
	} catch (error) {
		const e = /** @type {any} */ (error);
		captured.push(`${e && e.name}: ${e && e.message}\n${e && e.stack}`);
		return { error: e };
	}
}

describe('the bad-input catalogue through the Zapier action', () => {
	it('runs every Zapier case', async () => {
		const applicable = CASES.filter((c) => c.platforms.includes('zapier'));
		expect(applicable.length).toBeGreaterThan(60);
		/** @type {string[]} */
		const failures = [];
		for (const c of applicable) {
			sandbox.clearJournal();
			setEnv({ NEXOR_BASE_URL: c.custom ? c.connection.baseUrl : sandbox.baseUrl });
			const outcome = await run(toInputData(c.input), c.connection.apiKey);
			const journal = sandbox.journal();
			/** @type {import('../reliability/catalogue.js').Observed} */
			let observed;
			if (outcome.error) {
				const z = zapierError(outcome.error);
				const parts = split(z.text, c.expect.error?.message);
				observed = {
					kind: z.errorType.startsWith('crash') ? 'crash' : 'error',
					errorType: z.errorType,
					...parts,
					requests: journal.length,
				};
			} else {
				observed = {
					kind: 'request',
					requests: journal.length,
					path: journal[0]?.path,
					body: journal[0]?.body,
					leadId: outcome.lead?.id,
				};
			}
			const e = c.expect.error;
			const errorType = !e
				? undefined
				: e.code === 'nothing_to_update'
					? 'HaltedError'
					: e.field === 'api_key'
						? 'AppError:AuthenticationError/401'
						: 'AppError:InvalidData/400';
			const how = { errorType, basePath: '/api/public' };
			const problems = judge(c.expect, observed, how);
			if (journal.some((/** @type {any} */ j) => j.headers['x-api-key'] !== 'valid'))
				problems.push('a request went out without the valid key');
			catalogueRows.set(c.id, {
				id: c.id,
				expected: describeExpected(c.expect, { ...how, platform: 'zapier' }),
				observed: describeObserved(
					{
						...observed,
						message:
							observed.kind === 'error'
								? `${observed.message}${observed.fix ? `. ${observed.fix}` : ''}`
								: observed.message,
					},
					'zapier',
				),
				ok: problems.length === 0,
				...(problems.length ? { problems } : {}),
			});
			if (problems.length) failures.push(`${c.id}: ${problems.join('; ')}`);
		}
		expect(failures).toEqual([]);
	});
});

describe('the fault matrix through the Zapier action', () => {
	it('throws the Zapier error class that makes Zapier do the right thing, after one request', async () => {
		setEnv({ NEXOR_BASE_URL: sandbox.baseUrl });
		/** @type {string[]} */
		const failures = [];
		const places = { KEY: SANDBOX_API_KEY };
		for (const f of /** @type {any[]} */ (loadFaults().cases)) {
			sandbox.clearJournal();
			sandbox.clearRules();
			const lead = f.lead ?? f.leads[f.revokedFrom];
			for (const rule of f.rules) {
				sandbox.addRule(expandValue({ ...rule, match: { leadId: lead, ...(rule.match || {}) } }, { places }));
			}
			const outcome = await run({ lead_id: lead, company: 'Fault test' }, SANDBOX_API_KEY);
			const tries = sandbox.journal().filter((/** @type {any} */ j) => j.path.includes(lead)).length;
			const want = f.zapier;
			/** @type {string[]} */
			const problems = [];
			let observed;
			if (!outcome.error) {
				observed = `returned lead ${outcome.lead?.id}`;
				problems.push('expected an error');
			} else {
				const z = zapierError(outcome.error);
				const parts = split(z.text, want.message);
				observed = `${z.errorType}${z.delay !== undefined ? ` (delay ${z.delay === null ? 'Zapier default' : `${z.delay} s`})` : ''}: "${abbreviate(z.text, 200)}"; ${tries} request(s)`;
				if (z.errorType !== want.error) problems.push(`error ${z.errorType}, expected ${want.error}`);
				if (parts.message !== want.message)
					problems.push(`message "${abbreviate(z.text, 200)}" does not start with "${want.message}."`);
				if (!parts.fix.includes(want.fixIncludes)) problems.push(`the fix does not mention "${want.fixIncludes}"`);
				if (want.delay !== undefined) {
					if (want.delay === null && z.delay !== null)
						problems.push(`delay ${z.delay}, expected none (Zapier's default)`);
					if (
						want.delay !== null &&
						(typeof z.delay !== 'number' || z.delay < want.delay[0] || z.delay > want.delay[1])
					) {
						problems.push(`delay ${z.delay}, expected ${want.delay[0]}–${want.delay[1]} s`);
					}
				}
			}
			if (tries !== 1) problems.push(`${tries} requests, expected exactly 1 (Zapier apps don't retry)`);
			const delay =
				want.delay === undefined
					? ''
					: want.delay === null
						? ' (no delay: Zapier default)'
						: ` (delay ${want.delay[0]}${want.delay[1] !== want.delay[0] ? `–${want.delay[1]}` : ''} s)`;
			faultRows.set(f.id, {
				id: f.id,
				expected: `${want.error}${delay}: "${want.message}. …" (fix mentions "${want.fixIncludes}"); 1 request`,
				observed,
				ok: problems.length === 0,
				...(problems.length ? { problems } : {}),
			});
			if (problems.length) failures.push(`${f.id}: ${problems.join('; ')}`);
		}
		sandbox.clearRules();
		expect(failures).toEqual([]);
	});
});
