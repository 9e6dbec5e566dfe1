// @ts-check
'use strict';
/**
 * Issue 5, core: every case of the bad-input catalogue (test/reliability/bad-inputs.json) straight
 * through core — checkApiKey and normalizeBaseUrl for connection cases, then buildUpdateRequest for
 * Update Lead, or the case's operation (OPERATIONS[resource][name].prepare) for the others — with the
 * exact message, a fix, the field, and bounded one-line messages that never hold the key.
 * Records its rows for docs/RELIABILITY.md. (JavaScript, not TypeScript: writing the report needs
 * Node's fs, which n8n's lint forbids in .ts files.)
 */
const core = require('../../core');
const { SANDBOX_API_KEY } = require('../sandbox/server.js');
const { loadCatalogue, operationOf, judge, describeExpected, describeObserved } = require('../reliability/catalogue.js');
const { recordSuite } = require('../reliability/report.js');

// No sandbox is needed: core sends nothing. A fixed address stands in for it.
const ctx = { key: SANDBOX_API_KEY, base: 'http://127.0.0.1:45678/api/public', hostPort: '127.0.0.1:45678' };
const CASES = loadCatalogue(ctx);
const MAX_MESSAGE = 300;

/** @type {Map<string, { row: import('../reliability/report.js').Row, shown: string }>} */
const results = new Map();

/** @param {(typeof CASES)[number]} c @returns {import('../reliability/catalogue.js').Observed & { shown: string }} */
function run(c) {
	try {
		let base = ctx.base;
		if (c.custom) {
			core.checkApiKey(c.connection.apiKey);
			base = core.normalizeBaseUrl(c.connection.baseUrl);
		}
		const operation = operationOf(c);
		if (operation === 'lead:update') {
			const request = core.buildUpdateRequest(c.input);
			const path = base === ctx.base ? request.path : `${base}${request.path}`;
			return { kind: 'request', path, body: core.canonicalBody(request.body), requests: 0, shown: '' };
		}
		const [resource, name] = operation.split(':');
		const { request } = core.OPERATIONS[resource][name].prepare(c.input);
		const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
		const path = `${base === ctx.base ? '' : base}${request.path}${query}`;
		const body = request.body === undefined ? undefined : JSON.stringify(request.body);
		return { kind: 'request', method: request.method, path, body, requests: 0, shown: '' };
	} catch (error) {
		const e = /** @type {any} */ (error);
		if (!(e instanceof core.NexorInputError)) {
			return { kind: 'crash', message: `${e && e.name}: ${e && e.message}`, requests: 0, shown: String(e && e.stack) };
		}
		return {
			kind: 'error',
			message: e.message,
			fix: e.fix,
			field: e.field,
			code: e.code,
			requests: 0,
			shown: `${e.message} ${e.fix} ${e.label}`,
		};
	}
}

afterAll(() => {
	const rows = CASES.map((c) => {
		const done = results.get(c.id);
		if (done) return done.row;
		return { id: c.id, expected: '', observed: `n/a: ${c.note || 'not run'}`, ok: true, na: true };
	});
	const everything = [...results.values()].map((r) => r.shown).join('\n');
	recordSuite({
		suite: 'catalogue-1-core',
		section: 'catalogue',
		platform: 'core',
		order: 1,
		test: 'test/unit/reliability-core.test.js',
		runtime: `Node ${process.versions.node}`,
		rows,
		secrets: {
			sources: ['every error message, fix and label core produced for the catalogue'],
			bytes: everything.length,
			found: everything.split(SANDBOX_API_KEY).length - 1,
		},
	});
});

describe('the bad-input catalogue through core', () => {
	it('has at least 60 cases, unique ids, and an outcome for each', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(60);
		expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
		for (const c of CASES) {
			if (c.operation === undefined) expect(Boolean(c.expect.error) !== Boolean(c.expect.body !== undefined)).toBe(true);
			// Another operation: an error, or a request with its method (a GET has no body).
			else expect(Boolean(c.expect.error) !== Boolean(c.expect.method !== undefined)).toBe(true);
		}
	});

	it('runs every other operation named, and each with an operation core has', () => {
		for (const c of CASES) {
			const [resource, name] = operationOf(c).split(':');
			expect({ id: c.id, operation: Boolean(core.OPERATIONS[resource]?.[name]) }).toEqual({ id: c.id, operation: true });
			if (c.operation !== undefined) expect(c.custom).toBe(false);
		}
	});

	it('judges a POST that must carry no body, and a GET by its query in order and the lead it filters on', () => {
		const how = { basePath: '/api/public' };
		const meeting = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
		const cancel = { method: 'POST', path: `/meetings/${meeting}/cancel` };
		/** @param {string | undefined} body */
		const sent = (body) => ({ kind: /** @type {const} */ ('request'), method: 'POST', path: `/api/public/meetings/${meeting}/cancel`, body, requests: 1 });
		expect(judge(cancel, sent(''), how)).toEqual([]);
		expect(judge(cancel, sent(undefined), how)).toEqual([]);
		expect(judge(cancel, sent('{}'), how)).toEqual(['body {}, expected nothing']);
		expect(judge(cancel, sent('{"reason":"   "}'), how)).toHaveLength(1);
		const lead = '123e4567-e89b-12d3-a456-426614174000';
		const list = { method: 'GET', path: '/conversions', query: { lead_id: lead, limit: '2', offset: '0' } };
		/** @param {string} query @param {string} leadId */
		const got = (query, leadId) => ({ kind: /** @type {const} */ ('request'), method: 'GET', path: `/api/public/conversions?${query}`, body: '', requests: 1, leadId });
		expect(judge(list, got(`lead_id=${lead}&limit=2&offset=0`, lead), how)).toEqual([]);
		expect(judge(list, got(`limit=2&lead_id=${lead}&offset=0`, lead), how)).toHaveLength(1);
		expect(judge(list, got(`lead_id=${lead}&limit=50&offset=0`, lead), how)).toHaveLength(1);
		expect(judge(list, got(`lead_id=${lead}&limit=2&offset=0`, '3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01'), how)).toEqual([
			`returned lead 3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01, expected ${lead}`,
		]);
	});

	const applicable = CASES.filter((c) => c.platforms.includes('core'));
	it.each(applicable.map((c) => [c.id, c]))('%s', (_id, c) => {
		const observed = run(c);
		const problems = judge(c.expect, observed, { checkRequests: false });
		if (observed.kind === 'error' && observed.message !== undefined) {
			const length = Array.from(observed.message).length;
			if (length > MAX_MESSAGE) problems.push(`message is ${length} characters long`);
			if (/[\r\n]/.test(observed.message)) problems.push('message spans several lines');
		}
		if (observed.shown.includes(SANDBOX_API_KEY)) problems.push('the API key appears in the error');
		results.set(c.id, {
			shown: observed.shown,
			row: {
				id: c.id,
				expected: describeExpected(c.expect, { platform: 'core' }),
				observed: describeObserved(observed, 'core'),
				ok: problems.length === 0,
				...(problems.length ? { problems } : {}),
			},
		});
		expect({ id: c.id, problems }).toEqual({ id: c.id, problems: [] });
	});
});
