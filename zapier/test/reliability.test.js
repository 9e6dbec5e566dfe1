// @ts-check
'use strict';
/**
 * Issue 5, Zapier: the bad-input catalogue and the fault matrix through the BUILT Zapier app
 * (zapier/dist/app.js) with zapier-platform-core's appTester, over real HTTP against the Nexor
 * sandbox. Each catalogue case runs through the action (or search) of its operation: Update Lead, or
 * the one operation-inputs.js maps its core input to (a case whose operation the app doesn't offer is
 * limited to other platforms). Inputs arrive as `inputData`, the key as `authData.api_key`, the Base URL as
 * NEXOR_BASE_URL (Zapier has no Base URL field). Everything the app throws or logs (with
 * LOG_TO_STDOUT and DETAILED_LOG_TO_STDOUT, Zapier's request/response log) is searched for the key.
 * Records both suites for docs/RELIABILITY.md.
 *
 *   npm run zapier:build && npx jest zapier/test/reliability.test.js --selectProjects zapier
 */
const util = require('node:util');
const { loadBuiltApp, sandboxModule, useSandbox, captureAppOutput, toInputData, zapierError } = require('./helpers.js');
const { ON_ZAPIER } = require('./operation-inputs.js');
const {
	loadFaults,
	operationOf,
	returnedOf,
	expandValue,
	judge,
	describeExpected,
	describeObserved,
	abbreviate,
} = require('../../test/reliability/catalogue.js');
const { sandboxOptions, catalogueFor, recordPlatformRun } = require('../../test/reliability/platform-suite.js');

jest.setTimeout(10 * 60 * 1000);

const { zapier, App } = loadBuiltApp();
const { SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const perform = App.creates.update_lead.operation.perform;
const ZAPIER_VERSION = require('../node_modules/zapier-platform-core/package.json').version;
const PLATFORM = `Zapier (core ${ZAPIER_VERSION}, appTester)`;
const TIMEOUT_MS = loadFaults().timeoutSeconds * 1000;

/** everything the app said, logged, threw or returned (Zapier's request/response log included) */
const captured = captureAppOutput({ echo: false, depth: 8 });
const sandbox = useSandbox(sandboxOptions(30 * 60 * 1000), { env: { NEXOR_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
/** @type {ReturnType<typeof catalogueFor>['cases']} */
let CASES = [];
/** @type {string[]} */
let secrets = [];

/** @type {Map<string, import('../../test/reliability/report.js').Row>} */
const catalogueRows = new Map();
/** @type {Map<string, import('../../test/reliability/report.js').Row>} */
const faultRows = new Map();

beforeAll(() => {
	({ cases: CASES, secrets } = catalogueFor(sandbox));
});

afterAll(() => {
	if (!CASES.length) return;
	// Once the catalogue ran: a row for every case, n/a where Zapier can't deliver it.
	/** @param {(typeof CASES)[number]} c */
	const rowOf = (c) => catalogueRows.get(c.id) || { id: c.id, expected: '', observed: `n/a: ${c.note || 'not run'}`, ok: true, na: true };
	const catalogue = catalogueRows.size ? CASES.map(rowOf) : [];
	recordPlatformRun(secrets, {
		platform: PLATFORM,
		test: 'zapier/test/reliability.test.js',
		runtime: `Node ${process.versions.node}, zapier-platform-core ${ZAPIER_VERSION}`,
		catalogue: { suite: 'catalogue-4-zapier', order: 4, rows: catalogue },
		faults: {
			suite: 'faults-3-zapier',
			order: 3,
			rows: loadFaults().cases.flatMap((/** @type {any} */ f) => {
				const row = faultRows.get(f.id);
				return row ? [row] : [];
			}),
			notes: [
				`Requests time out after ${TIMEOUT_MS / 1000} s here (NEXOR_REQUEST_TIMEOUT_MS); in production after 25 s, inside Zapier's 30 s limit for an action.`,
			],
		},
		searched: {
			sources: [
				'thrown errors (name, message, stack)',
				'returned leads',
				"Zapier's request/response and console log (LOG_TO_STDOUT, DETAILED_LOG_TO_STDOUT)",
			],
			text: captured.join('\n'),
			roundTo: 1e5,
		},
	});
});

/**
 * "<message>. <fix>" (zapier/src/errors.cts) split where the expected message ends.
 * @param {string} text
 * @param {string | undefined} message
 */
function split(text, message) {
	if (message !== undefined && text.startsWith(`${message}. `)) return { message, fix: text.slice(message.length + 2) };
	return { message: text, fix: '' };
}

/**
 * A catalogue case's action (or search) and its inputData: Update Lead's, or its operation's.
 * @param {{ operation?: string, input: any }} c
 */
function actionFor(c) {
	const operation = operationOf(c);
	if (operation === 'lead:update') return { perform, inputData: toInputData(c.input) };
	const on = ON_ZAPIER[operation];
	if (!on) throw new Error(`${operation} has no Zapier action: limit the case with "platforms"`);
	const [kind, key] = on.where.split('.');
	return { perform: /** @type {any} */ (App)[kind][key].operation.perform, inputData: on.inputData(c.input) };
}

/**
 * Runs an action once (Update Lead unless `action` says otherwise); returns what happened.
 * @param {Record<string, unknown>} inputData
 * @param {unknown} apiKey
 * @param {Function} [action]  the action's perform
 */
async function run(inputData, apiKey, action = perform) {
	try {
		const lead = await appTester(action, { authData: { api_key: apiKey }, inputData });
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
			process.env.NEXOR_BASE_URL = c.custom ? c.connection.baseUrl : sandbox.baseUrl;
			const action = actionFor(c);
			const outcome = await run(action.inputData, c.connection.apiKey, action.perform);
			const journal = sandbox.journal();
			/** @type {import('../../test/reliability/catalogue.js').Observed} */
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
				const operation = operationOf(c);
				if (operation !== 'lead:update') {
					const values = Array.isArray(outcome.lead) ? outcome.lead : [outcome.lead];
					observed = { ...observed, method: journal[0]?.method, ...returnedOf(values, operation) };
				}
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
		process.env.NEXOR_BASE_URL = sandbox.baseUrl;
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
