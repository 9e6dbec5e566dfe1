'use strict';
// Exercises the Nexor sandbox over real HTTP (global fetch; node:http where fetch can't see a hang).

const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const {
	startSandbox,
	startRecorder,
	generatedLeadId,
	createdLeadId,
	SANDBOX_API_KEY,
	SEED_LEADS,
	SEED_LEAD_IDS,
	SEED_CAMPAIGN_IDS,
	SEED_TAGS,
	SEED_WORKFLOW_IDS,
} = require('./server.js');
// Seed constants that server.js does not export (the lead and tag key order).
const { LEAD_KEYS, TAG_KEYS } = require('./seed.js');

/** @typedef {import('./server.js').Sandbox} Sandbox */

const CARLOS = SEED_LEAD_IDS[0];
const MARIA = SEED_LEAD_IDS[1];
const UNKNOWN_LEAD = '00000000-0000-4000-8000-ffffffffffff';
const BAD_KEY = 'nxr_live_not_the_right_key_987654321';

/** @type {Sandbox} */
let sb;

/**
 * @typedef {{ body?: unknown, key?: string | null, headers?: Record<string, string>,
 *   signal?: AbortSignal, fetchOptions?: RequestInit }} CallOptions
 */

/**
 * @param {string} method
 * @param {string} route below /api/public
 * @param {CallOptions} [opts]
 */
function call(method, route, opts = {}) {
	/** @type {Record<string, string>} */
	const headers = { ...(opts.headers || {}) };
	const key = opts.key === undefined ? SANDBOX_API_KEY : opts.key;
	if (key !== null) headers['x-api-key'] = key;
	let body;
	if (opts.body !== undefined) {
		headers['content-type'] = 'application/json';
		body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
	}
	return fetch(sb.baseUrl + route, { ...opts.fetchOptions, method, headers, body, signal: opts.signal });
}

/**
 * @param {string} method
 * @param {string} route
 * @param {CallOptions} [opts]
 * @returns {Promise<{ status: number, headers: Headers, body: any }>}
 */
async function callJson(method, route, opts) {
	const res = await call(method, route, opts);
	return { status: res.status, headers: res.headers, body: await res.json() };
}

/**
 * @param {string} method
 * @param {string} route below the origin, e.g. /__sandbox/stats
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: any }>}
 */
async function control(method, route, body) {
	const res = await fetch(sb.origin + route, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

/** @param {string} id */
function seedLead(id) {
	const lead = SEED_LEADS.find((l) => l.id === id);
	if (!lead) throw new Error(`no seed lead ${id}`);
	return JSON.parse(JSON.stringify(lead));
}

/**
 * The 12 lead keys of a GET /leads/{id} lead (GET adds tags, campaign and active_workflow_run).
 * @param {Record<string, unknown>} lead
 */
const leadPart = (lead) => Object.fromEntries(LEAD_KEYS.map((k) => [k, lead[k]]));

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {() => boolean} check
 * @param {number} [timeoutMs]
 */
async function waitFor(check, timeoutMs = 2000) {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error('waitFor: timed out');
		await sleep(5);
	}
}

beforeAll(async () => {
	sb = await startSandbox();
});

afterAll(async () => {
	await sb.close();
});

beforeEach(() => {
	sb.reset();
});

describe('startup', () => {
	it('binds 127.0.0.1 on a random port and exposes the documented base path', () => {
		expect(sb.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.baseUrl).toBe(`${sb.origin}/api/public`);
		expect(sb.port).toBeGreaterThan(0);
		expect(sb.apiKey).toBe(SANDBOX_API_KEY);
		// The documented key (README, npm run sandbox): pinned, since the playground and the docs print it.
		expect(SANDBOX_API_KEY).toBe('nxr_live_sandbox_key_0123456789abcdef');
	});

	it('seeds realistic leads with fixed UUIDs', () => {
		expect(SEED_LEADS.length).toBeGreaterThanOrEqual(5);
		expect(sb.leadIds).toEqual(SEED_LEAD_IDS);
		for (const lead of SEED_LEADS) {
			expect(Object.keys(lead)).toEqual(LEAD_KEYS);
			expect(lead.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			expect(lead.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
		}
		expect(SEED_LEADS.some((l) => l.campaign_id === null)).toBe(true);
		expect(SEED_LEADS.some((l) => l.campaign_id !== null)).toBe(true);
		// The first seed is Nexor's documented example lead (README "IDs"); this pins that on purpose.
		expect(seedLead(CARLOS).metadata).toEqual({ edad: 35, utm_source: 'google' });
	});
});

describe('authentication', () => {
	it('accepts the sandbox key', async () => {
		const res = await call('GET', '/tags');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
	});

	it('rejects a missing key with the exact documented body', async () => {
		const res = await call('GET', '/tags', { key: null });
		expect(res.status).toBe(401);
		expect(await res.text()).toBe(
			'{"error":"Missing API key","message":"Please provide your API key in the X-API-Key header"}',
		);
	});

	it('treats an empty key header as missing', async () => {
		const { status, body } = await callJson('GET', '/tags', { key: '' });
		expect(status).toBe(401);
		expect(body.error).toBe('Missing API key');
	});

	it('rejects a wrong key with the exact documented body', async () => {
		const res = await call('GET', `/leads/${CARLOS}`, { key: BAD_KEY });
		expect(res.status).toBe(401);
		expect(await res.text()).toBe(
			'{"error":"Invalid API key","message":"The provided API key is not valid"}',
		);
	});

	it('does not accept the key as a Bearer token', async () => {
		const { status, body } = await callJson('GET', '/tags', {
			key: null,
			headers: { authorization: `Bearer ${SANDBOX_API_KEY}` },
		});
		expect(status).toBe(401);
		expect(body.error).toBe('Missing API key');
	});
});

describe('PUT /leads/{id}', () => {
	it('updates only the sent fields and shallow-merges metadata', async () => {
		const before = seedLead(CARLOS);
		const { status, headers, body } = await callJson('PUT', `/leads/${CARLOS}`, {
			body: {
				phone: '+56987654321',
				campaign_id: SEED_CAMPAIGN_IDS[0],
				metadata: { estado_lead: 'calificado', broker_asociado: 'Maria Gonzalez' },
			},
		});
		expect(status).toBe(200);
		expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(body.success).toBe(true);
		expect(Object.keys(body.lead)).toEqual(LEAD_KEYS);
		expect(body.lead).toEqual({
			...before,
			phone: '+56987654321',
			campaign_id: SEED_CAMPAIGN_IDS[0],
			metadata: {
				...before.metadata,
				estado_lead: 'calificado',
				broker_asociado: 'Maria Gonzalez',
			},
			updated_at: body.lead.updated_at,
		});
		expect(body.lead.updated_at).not.toBe(before.updated_at);
		expect(Date.parse(body.lead.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
		expect(body.lead.created_at).toBe(before.created_at);

		const again = await callJson('GET', `/leads/${CARLOS}`);
		expect(leadPart(again.body.lead)).toEqual(body.lead);
		expect(sb.getLead(CARLOS)).toEqual(body.lead);
	});

	it('overwrites a sent metadata key, replaces nested objects whole and stores null values', async () => {
		const sofia = SEED_LEAD_IDS[4];
		const { body } = await callJson('PUT', `/leads/${sofia}`, {
			body: { metadata: { crm: { deal_id: 'D-2002' }, vip: null, nuevo: [1, 2] } },
		});
		expect(body.lead.metadata).toEqual({ crm: { deal_id: 'D-2002' }, vip: null, nuevo: [1, 2] });
	});

	it('clears nullable fields with null', async () => {
		const { status, body } = await callJson('PUT', `/leads/${MARIA}`, {
			body: {
				email: null,
				last_name: null,
				company: null,
				title: null,
				phone: null,
				campaign_id: null,
			},
		});
		expect(status).toBe(200);
		expect(body.lead).toMatchObject({
			first_name: seedLead(MARIA).first_name,
			email: null,
			last_name: null,
			company: null,
			title: null,
			phone: null,
			campaign_id: null,
		});
	});

	it('accepts {"metadata":{}} as a no-op that still refreshes updated_at', async () => {
		const { status, body } = await callJson('PUT', `/leads/${CARLOS}`, { body: { metadata: {} } });
		expect(status).toBe(200);
		expect(body.lead.metadata).toEqual(seedLead(CARLOS).metadata);
	});

	const invalid = /** @type {[string, string, string][]} */ ([
		['null first_name', '{"first_name":null}', 'first_name: must not be null'],
		['blank first_name', '{"first_name":"   "}', 'first_name: must not be empty'],
		['first_name of the wrong type', '{"first_name":42}', 'first_name: must be a string'],
		['last_name of the wrong type', '{"last_name":["x"]}', 'last_name: must be a string or null'],
		['null source', '{"source":null}', 'source: must not be null'],
		['invalid email', '{"email":"not-an-email"}', 'email: must be a valid email address'],
		['non-UUID campaign_id', '{"campaign_id":"campaign-1"}', 'campaign_id: must be a valid UUID'],
		[
			'unknown campaign_id',
			'{"campaign_id":"11111111-2222-4333-8444-555555555555"}',
			'campaign_id: campaign not found or does not belong to your account',
		],
		['metadata not an object', '{"metadata":"x"}', 'metadata: must be an object'],
		['metadata array', '{"metadata":[1]}', 'metadata: must be an object'],
		['metadata null', '{"metadata":null}', 'metadata: must be an object'],
		[
			'unknown field',
			'{"phone":"+1","favourite_colour":"blue"}',
			'favourite_colour: unknown field',
		],
		[
			'workflow_id (not a PUT field)',
			'{"workflow_id":"123e4567-e89b-12d3-a456-426614174000"}',
			'workflow_id: unknown field',
		],
		['read-only field', '{"id":"123e4567-e89b-12d3-a456-426614174009"}', 'id: is read-only'],
		['empty object', '{}', 'No fields to update'],
		['empty body', '', 'No fields to update'],
		['array body', '[{"first_name":"A"}]', 'Request body must be a JSON object'],
		['string body', '"hello"', 'Request body must be a JSON object'],
	]);
	it.each(invalid)('400 Validation error for %s', async (_name, raw, message) => {
		const res = await call('PUT', `/leads/${CARLOS}`, { body: raw });
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(await res.json()).toEqual({ error: 'Validation error', message });
		expect(sb.getLead(CARLOS)).toEqual(seedLead(CARLOS));
	});

	it('400 for invalid JSON, and nothing changes', async () => {
		const { status, body } = await callJson('PUT', `/leads/${CARLOS}`, {
			body: '{"first_name": "Carl',
		});
		expect(status).toBe(400);
		expect(body.error).toBe('Validation error');
		expect(body.message).toMatch(/^Invalid JSON body/);
		expect(sb.getLead(CARLOS)).toEqual(seedLead(CARLOS));
	});

	it('reports the first bad field in body order and applies nothing', async () => {
		const { body } = await callJson('PUT', `/leads/${CARLOS}`, {
			body: { phone: '+1', email: 'bad', first_name: null },
		});
		expect(body.message).toBe('email: must be a valid email address');
		expect(sb.getLead(CARLOS)?.phone).toBe(seedLead(CARLOS).phone);
	});

	it('404 with the documented body for an unknown lead or a non-UUID id', async () => {
		for (const id of [UNKNOWN_LEAD, 'not-a-uuid', '12345']) {
			const res = await call('PUT', `/leads/${id}`, { body: { first_name: 'X' } });
			expect(res.status).toBe(404);
			expect(await res.text()).toBe(
				'{"error":"Not found","message":"Lead not found or does not belong to your account"}',
			);
		}
	});

	it('matches lead IDs case-insensitively', async () => {
		const { status, body } = await callJson('PUT', `/leads/${CARLOS.toUpperCase()}`, {
			body: { title: 'CEO' },
		});
		expect(status).toBe(200);
		expect(body.lead.id).toBe(CARLOS);
	});

	it('keeps updated_at strictly increasing even with a frozen clock', async () => {
		const frozen = await startSandbox({ now: () => Date.parse('2026-01-01T00:00:00Z') });
		try {
			const put = () =>
				fetch(`${frozen.baseUrl}/leads/${CARLOS}`, {
					method: 'PUT',
					headers: { 'x-api-key': SANDBOX_API_KEY, 'content-type': 'application/json' },
					body: '{"title":"CEO"}',
				}).then((r) => /** @type {Promise<any>} */ (r.json()));
			const first = await put();
			const second = await put();
			// The frozen clock is before the seed's updated_at: each update adds 1 ms to the last.
			const seeded = Date.parse(seedLead(CARLOS).updated_at);
			expect(first.lead.updated_at).toBe(new Date(seeded + 1).toISOString());
			expect(second.lead.updated_at).toBe(new Date(seeded + 2).toISOString());
		} finally {
			await frozen.close();
		}
	});
});

describe('PATCH /leads/{id}', () => {
	it('behaves exactly like PUT', async () => {
		const update = {
			last_name: 'Rodriguez',
			email: null,
			metadata: { contacted_externally: true },
		};
		const viaPut = await callJson('PUT', `/leads/${CARLOS}`, { body: update });
		sb.reset();
		const viaPatch = await callJson('PATCH', `/leads/${CARLOS}`, { body: update });
		expect(viaPatch.status).toBe(200);
		expect({ ...viaPatch.body.lead, updated_at: 'x' }).toEqual({
			...viaPut.body.lead,
			updated_at: 'x',
		});

		const bad = await callJson('PATCH', `/leads/${CARLOS}`, { body: { first_name: null } });
		expect(bad).toMatchObject({
			status: 400,
			body: { error: 'Validation error', message: 'first_name: must not be null' },
		});
		const missing = await callJson('PATCH', `/leads/${UNKNOWN_LEAD}`, { body: { title: 'x' } });
		expect(missing.status).toBe(404);
	});
});

describe('GET /leads/{id}', () => {
	it('returns the wrapped lead: the 12 keys, then the relations of the new docs', async () => {
		const { status, body } = await callJson('GET', `/leads/${MARIA}`);
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['success', 'lead', 'variables']);
		expect(body.success).toBe(true);
		expect(leadPart(body.lead)).toEqual(seedLead(MARIA));
		expect(Object.keys(body.lead)).toEqual([...LEAD_KEYS, 'tags', 'campaign', 'active_workflow_run']);
	});

	it('404 for an unknown lead', async () => {
		const { status, body } = await callJson('GET', `/leads/${UNKNOWN_LEAD}`);
		expect(status).toBe(404);
		expect(body).toEqual({
			error: 'Not found',
			message: 'Lead not found or does not belong to your account',
		});
	});
});

describe('POST /leads', () => {
	it('creates one lead; unknown top-level keys go to metadata, explicit metadata wins', async () => {
		const { status, body } = await callJson('POST', '/leads', {
			body: {
				first_name: 'Tony',
				email: 'tony.new@example.com',
				edad: 35,
				broker: 'Tony',
				metadata: { broker: 'Explicit' },
				// A known workflow (Premium Outreach): an unknown one is a 400 since POST /leads enrols.
				workflow_id: SEED_WORKFLOW_IDS[1],
			},
		});
		expect(status).toBe(201);
		expect(body.success).toBe(true);
		expect(body.workflow_run.workflow.name).toBe('Premium Outreach');
		expect(Object.keys(body.lead)).toEqual(LEAD_KEYS);
		expect(body.lead).toMatchObject({
			id: createdLeadId(1),
			first_name: 'Tony',
			last_name: null,
			email: 'tony.new@example.com',
			source: 'api',
			campaign_id: null,
			metadata: { edad: 35, broker: 'Explicit' },
		});
		const got = await callJson('GET', `/leads/${body.lead.id}`);
		expect(leadPart(got.body.lead)).toEqual(body.lead);
	});

	it('creates an array with partial success', async () => {
		const { status, body } = await callJson('POST', '/leads', {
			body: [
				{ first_name: 'Ana' },
				{ last_name: 'NoFirst' },
				{ first_name: 'Bea', campaign_id: SEED_CAMPAIGN_IDS[1] },
			],
		});
		expect(status).toBe(201);
		expect(body.success).toBe(true);
		expect(body.leads.map((/** @type {{first_name: string}} */ l) => l.first_name)).toEqual([
			'Ana',
			'Bea',
		]);
		expect(body.leads[1].campaign_id).toBe(SEED_CAMPAIGN_IDS[1]);
		expect(body.errors).toEqual([
			{ index: 1, error: 'Validation error', message: 'first_name: is required' },
		]);
	});

	it('rejects a missing first_name, an all-invalid array, an empty array and more than 1000 leads', async () => {
		const single = await callJson('POST', '/leads', { body: { email: 'x@example.com' } });
		expect(single).toMatchObject({
			status: 400,
			body: { error: 'Validation error', message: 'first_name: is required' },
		});
		const allBad = await callJson('POST', '/leads', { body: [{ first_name: '' }] });
		expect(allBad.status).toBe(400);
		expect(allBad.body.message).toBe('[0] first_name: must not be empty');
		const empty = await callJson('POST', '/leads', { body: [] });
		expect(empty.status).toBe(400);
		const tooMany = await callJson('POST', '/leads', {
			body: Array.from({ length: 1001 }, (_, i) => ({ first_name: `L${i}` })),
		});
		expect(tooMany.status).toBe(400);
		expect(tooMany.body.message).toMatch(/at most 1000/);
		expect(sb.getLead(createdLeadId(1))).toBeUndefined();
	});

	it('accepts exactly 1000 leads', async () => {
		const { status, body } = await callJson('POST', '/leads', {
			body: Array.from({ length: 1000 }, (_, i) => ({ first_name: `L${i}` })),
		});
		expect(status).toBe(201);
		expect(body.leads).toHaveLength(1000);
		expect(body.leads[999].id).toBe(createdLeadId(1000));
	});
});

describe('GET /tags and unknown routes', () => {
	it('lists the seeded tags as { data }', async () => {
		const { status, body } = await callJson('GET', '/tags');
		expect(status).toBe(200);
		expect(body).toEqual({ data: SEED_TAGS });
		for (const tag of body.data) {
			expect(Object.keys(tag)).toEqual(TAG_KEYS);
		}
		const search = await callJson('GET', '/tags?search=VIP');
		expect(search.body.data.map((/** @type {{slug: string}} */ t) => t.slug)).toEqual(['vip']);
	});

	it('404 JSON for unknown paths, 405 JSON with Allow for wrong methods', async () => {
		const unknown = await callJson('GET', '/processors');
		expect(unknown.status).toBe(404);
		expect(unknown.body.error).toBe('Not found');
		const wrong = await callJson('DELETE', `/leads/${CARLOS}`);
		expect(wrong.status).toBe(405);
		expect(wrong.headers.get('allow')).toBe('GET, PUT, PATCH');
		expect(wrong.body.error).toBe('Method not allowed');
		const outside = await fetch(`${sb.origin}/elsewhere`);
		expect(outside.status).toBe(404);
		expect(outside.headers.get('content-type')).toBe('application/json; charset=utf-8');
	});
});

describe('journal', () => {
	it('records method, raw path, raw body, status and only the key state', async () => {
		const raw = '{ "first_name" : "Carla" }';
		await call('PUT', `/leads/${CARLOS}?trace=1&x=%20y`, { body: raw });
		await call('GET', '/tags', { key: null });
		await call('GET', '/tags', { key: BAD_KEY });
		await control('GET', '/__sandbox/stats');
		const journal = sb.journal();
		expect(journal).toHaveLength(3);
		expect(journal[0]).toMatchObject({
			seq: 1,
			method: 'PUT',
			path: `/api/public/leads/${CARLOS}?trace=1&x=%20y`,
			body: raw,
			status: 200,
			fault: null,
		});
		expect(journal[0].headers['x-api-key']).toBe('valid');
		expect(journal[0].headers['content-type']).toBe('application/json');
		expect(journal[1].headers['x-api-key']).toBe('absent');
		expect(journal[1].status).toBe(401);
		expect(journal[2].headers['x-api-key']).toBe('invalid');
		expect(journal[0].at).toBeLessThanOrEqual(journal[1].at);
		expect(Number.isNaN(Date.parse(journal[0].wallTime))).toBe(false);
		const text = JSON.stringify(journal);
		expect(text).not.toContain(SANDBOX_API_KEY);
		expect(text).not.toContain(BAD_KEY);
	});

	it('scrubs key text that leaks into the path, body or other headers', async () => {
		await call('PUT', `/leads/${CARLOS}?api_key=${SANDBOX_API_KEY}`, {
			body: { metadata: { oops: SANDBOX_API_KEY } },
			headers: { 'x-debug': BAD_KEY, authorization: 'Bearer something-secret' },
			key: BAD_KEY,
		});
		const text = JSON.stringify(sb.journal());
		expect(text).not.toContain(SANDBOX_API_KEY);
		expect(text).not.toContain(BAD_KEY);
		expect(text).not.toContain('something-secret');
		expect(text).toContain('[redacted]');
	});

	it('returns a copy and can be cleared', async () => {
		await call('GET', '/tags');
		const copy = sb.journal();
		copy[0].method = 'TAMPERED';
		expect(sb.journal()[0].method).toBe('GET');
		sb.clearJournal();
		expect(sb.journal()).toEqual([]);
	});
});

describe('faults', () => {
	it('latencyMs delays every answer', async () => {
		sb.setFaults({ latencyMs: 150 });
		const start = performance.now();
		const res = await call('GET', '/tags');
		const elapsed = performance.now() - start;
		expect(res.status).toBe(200);
		expect(elapsed).toBeGreaterThanOrEqual(145);
		expect(sb.journal()[0].durationMs).toBeGreaterThanOrEqual(145);
		const unauth = performance.now();
		await call('GET', '/tags', { key: null });
		expect(performance.now() - unauth).toBeGreaterThanOrEqual(145);
	});

	it('rate limit: 429 with Retry-After in seconds (rounded up, min 1), counted in stats', async () => {
		sb.setFaults({ rateLimit: { ratePerSec: 0.5, burst: 2, retryAfter: 'seconds' } });
		expect((await call('GET', '/tags')).status).toBe(200);
		expect((await call('GET', `/leads/${CARLOS}`)).status).toBe(200);
		const res = await call('GET', '/tags');
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('2');
		expect(await res.text()).toBe(
			'{"error":"Too many requests","message":"Rate limit exceeded, retry later"}',
		);
		const stats = sb.stats();
		expect(stats).toMatchObject({ requests: 3, rateLimited: 1, byStatus: { 200: 2, 429: 1 } });
		expect(sb.journal()[2].fault).toBe('rate-limit');
	});

	it('rate limit: Retry-After as an HTTP date', async () => {
		sb.setFaults({ rateLimit: { ratePerSec: 1, burst: 1, retryAfter: 'http-date' } });
		await call('GET', '/tags');
		const before = Date.now();
		const res = await call('GET', '/tags');
		expect(res.status).toBe(429);
		const header = res.headers.get('retry-after') || '';
		expect(header).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
		const at = Date.parse(header);
		expect(at).toBeGreaterThan(before - 1000);
		expect(at).toBeLessThanOrEqual(before + 3000);
	});

	it('rate limit: no Retry-After with "none"; the bucket refills over time', async () => {
		sb.setFaults({ rateLimit: { ratePerSec: 20, burst: 1, retryAfter: 'none' } });
		expect((await call('GET', '/tags')).status).toBe(200);
		const limited = await call('GET', '/tags');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBeNull();
		await sleep(120);
		expect((await call('GET', '/tags')).status).toBe(200);
	});

	it('a rule fails N times, then normal service resumes', async () => {
		sb.addRule({ match: { method: 'PUT', leadId: CARLOS }, times: 2, fault: { status: 503 } });
		const first = await callJson('PUT', `/leads/${CARLOS}`, { body: { title: 'CEO' } });
		expect(first.status).toBe(503);
		expect(first.body.error).toBe('Service unavailable');
		expect(sb.getLead(CARLOS)?.title).toBeNull();
		// Not matched: other method, other lead.
		expect((await call('GET', `/leads/${CARLOS}`)).status).toBe(200);
		expect((await call('PUT', `/leads/${MARIA}`, { body: { title: 'x' } })).status).toBe(200);
		expect((await call('PUT', `/leads/${CARLOS}`, { body: { title: 'CEO' } })).status).toBe(503);
		const third = await callJson('PUT', `/leads/${CARLOS}`, { body: { title: 'CEO' } });
		expect(third.status).toBe(200);
		expect(third.body.lead.title).toBe('CEO');
		expect(sb.journal().map((e) => e.fault)).toEqual([
			'status:503',
			null,
			null,
			'status:503',
			null,
		]);
		expect(sb.stats().faults).toEqual({ 'status:503': 2 });
	});

	it('status faults: 500/502/504 default bodies, 401 mid-run, custom body and headers', async () => {
		sb.addRule({ match: { path: '/tags' }, times: 1, fault: { status: 500 } });
		sb.addRule({ match: { path: '/tags' }, times: 1, fault: { status: 502 } });
		sb.addRule({ match: { path: '/tags' }, times: 1, fault: { status: 504 } });
		sb.addRule({ match: { path: '/tags' }, times: 1, fault: { status: 401 } });
		sb.addRule({
			match: { path: '/api/public/t*' },
			times: 1,
			fault: { status: 500, body: { error: 'Boom' }, headers: { 'x-request-id': 'abc' } },
		});
		const statuses = [];
		for (let i = 0; i < 4; i++) {
			const { status, body } = await callJson('GET', '/tags');
			statuses.push([status, body.error]);
		}
		expect(statuses).toEqual([
			[500, 'Internal server error'],
			[502, 'Bad gateway'],
			[504, 'Gateway timeout'],
			[401, 'Invalid API key'],
		]);
		const custom = await callJson('GET', '/tags');
		expect(custom.status).toBe(500);
		expect(custom.body).toEqual({ error: 'Boom' });
		expect(custom.headers.get('x-request-id')).toBe('abc');
		expect((await call('GET', '/tags')).status).toBe(200);
	});

	it('429 rules with Retry-After seconds, an HTTP date, verbatim text or none', async () => {
		sb.addRule({ times: 1, fault: { status: 429, retryAfter: 7 } });
		sb.addRule({
			times: 1,
			fault: { status: 429, retryAfter: { seconds: 5, format: 'http-date' } },
		});
		sb.addRule({ times: 1, fault: { status: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' } });
		sb.addRule({ times: 1, fault: { status: 429, retryAfter: 'none' } });
		const a = await call('GET', '/tags');
		expect([a.status, a.headers.get('retry-after')]).toEqual([429, '7']);
		expect(await a.json()).toEqual({
			error: 'Too many requests',
			message: 'Rate limit exceeded, retry later',
		});
		const before = Date.now();
		const b = await call('GET', '/tags');
		const date = Date.parse(b.headers.get('retry-after') || '');
		expect(date).toBeGreaterThanOrEqual(before + 4000);
		expect(date).toBeLessThanOrEqual(before + 7000);
		const c = await call('GET', '/tags');
		expect(c.headers.get('retry-after')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
		const d = await call('GET', '/tags');
		expect(d.status).toBe(429);
		expect(d.headers.get('retry-after')).toBeNull();
	});

	it('reset: the connection is dropped without a response', async () => {
		sb.addRule({ times: 1, fault: { type: 'reset' } });
		await expect(call('PUT', `/leads/${CARLOS}`, { body: { title: 'x' } })).rejects.toMatchObject({
			name: 'TypeError',
			message: 'fetch failed',
		});
		expect(sb.getLead(CARLOS)?.title).toBeNull();
		expect(sb.journal()[0]).toMatchObject({ fault: 'reset', status: null });
		expect((await call('GET', '/tags')).status).toBe(200);
	});

	it('hang: no answer ever comes (the client times out)', async () => {
		sb.addRule({ times: 1, fault: { type: 'hang' } });
		await expect(call('GET', '/tags', { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
			name: 'TimeoutError',
		});
		expect(sb.journal()[0]).toMatchObject({ fault: 'hang', status: null });
	});

	it('html: a proxy error page instead of JSON', async () => {
		sb.addRule({ times: 1, fault: { type: 'html' } });
		sb.addRule({ times: 1, fault: { type: 'html', status: 502 } });
		const res = await call('GET', `/leads/${CARLOS}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		const text = await res.text();
		expect(text).toMatch(/^<!DOCTYPE html>/);
		expect(() => JSON.parse(text)).toThrow();
		const bad = await call('GET', `/leads/${CARLOS}`);
		expect(bad.status).toBe(502);
		expect(await bad.text()).toContain('502 Bad Gateway');
	});

	it('truncated: 200 JSON cut in half', async () => {
		const whole = await (await call('GET', `/leads/${CARLOS}`)).text();
		sb.addRule({ times: 1, fault: { type: 'truncated' } });
		const res = await call('GET', `/leads/${CARLOS}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		const text = await res.text();
		expect(() => JSON.parse(text)).toThrow(SyntaxError);
		const bytes = Buffer.from(whole, 'utf8');
		expect(text).toBe(bytes.subarray(0, Math.floor(bytes.length / 2)).toString('utf8'));
		// A PUT is cut from what a PUT answers: the 12 keys.
		sb.addRule({ times: 1, fault: { type: 'truncated' } });
		const put = await (await call('PUT', `/leads/${CARLOS}`, { body: { title: 'x' } })).text();
		expect(JSON.stringify({ success: true, lead: seedLead(CARLOS) }).startsWith(put)).toBe(true);
		expect(text.length).toBeGreaterThan(10);
	});

	it('unexpected: 200 with a shape that has no lead', async () => {
		sb.addRule({ match: { method: 'PUT' }, times: 1, fault: { type: 'unexpected' } });
		const { status, body } = await callJson('PUT', `/leads/${CARLOS}`, { body: { title: 'x' } });
		expect(status).toBe(200);
		expect(body).toEqual({ ok: true });
		expect(sb.getLead(CARLOS)?.title).toBeNull();
	});

	it('faults come before authentication', async () => {
		sb.addRule({ times: 1, fault: { status: 503 } });
		expect((await call('GET', '/tags', { key: null })).status).toBe(503);
		expect((await call('GET', '/tags', { key: null })).status).toBe(401);
	});

	it('x-sandbox-fault header injects a fault for one request (test-only)', async () => {
		const res = await call('GET', '/tags', { headers: { 'x-sandbox-fault': '{"status":502}' } });
		expect(res.status).toBe(502);
		const bad = await callJson('GET', '/tags', {
			headers: { 'x-sandbox-fault': '{"type":"explode"}' },
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error).toBe('Sandbox error');
		expect((await call('GET', '/tags')).status).toBe(200);
	});

	it('rejects unbounded or malformed fault settings', () => {
		expect(() => sb.setFaults({ latencyMs: -1 })).toThrow(/latencyMs/);
		expect(() => sb.setFaults({ latencyMs: 600_000 })).toThrow(/latencyMs/);
		expect(() => sb.setFaults({ rateLimit: { ratePerSec: 0, burst: 1 } })).toThrow(/ratePerSec/);
		expect(() => sb.addRule({ fault: { status: 99 } })).toThrow(/status/);
		expect(() => sb.addRule({ times: 0, fault: { status: 500 } })).toThrow(/times/);
		expect(() =>
			sb.addRule({
				fault: /** @type {import('./server.js').Fault} */ (
					/** @type {unknown} */ ({ type: 'nope' })
				),
			}),
		).toThrow(/type/);
	});
});

describe('control API', () => {
	it('drives faults, rules, journal, stats and reset over HTTP without being journaled', async () => {
		expect(
			await control('POST', '/__sandbox/rules', {
				match: { method: 'GET' },
				times: 1,
				fault: { status: 500 },
			}),
		).toMatchObject({
			status: 200,
			body: { success: true },
		});
		expect((await call('GET', '/tags')).status).toBe(500);
		expect((await call('GET', '/tags')).status).toBe(200);

		expect((await control('POST', '/__sandbox/faults', { latencyMs: 60 })).status).toBe(200);
		const start = performance.now();
		await call('GET', '/tags');
		expect(performance.now() - start).toBeGreaterThanOrEqual(55);
		expect((await control('POST', '/__sandbox/faults', {})).status).toBe(200);

		await call('PUT', `/leads/${CARLOS}`, { body: { title: 'Boss' } });
		const lead = await control('GET', `/__sandbox/leads/${CARLOS}`);
		expect(lead.body.lead.title).toBe('Boss');

		const journal = await control('GET', '/__sandbox/journal');
		expect(journal.body.journal.map((/** @type {{ status: number }} */ e) => e.status)).toEqual([
			500, 200, 200, 200,
		]);
		const stats = await control('GET', '/__sandbox/stats');
		expect(stats.body).toMatchObject({ requests: 4, byStatus: { 200: 3, 500: 1 } });

		expect((await control('DELETE', '/__sandbox/journal')).status).toBe(200);
		expect(sb.journal()).toEqual([]);

		expect((await control('POST', '/__sandbox/reset')).status).toBe(200);
		expect(sb.getLead(CARLOS)).toEqual(seedLead(CARLOS));
		expect(sb.stats()).toEqual({ requests: 0, byStatus: {}, rateLimited: 0, faults: {} });
	});

	it('answers 400 to invalid settings and 404/405 to unknown routes', async () => {
		const bad = await control('POST', '/__sandbox/rules', { fault: { status: 'x' } });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toBe('Sandbox error');
		expect((await control('POST', '/__sandbox/faults', { latencyMs: 'slow' })).status).toBe(400);
		expect((await control('GET', '/__sandbox/nope')).status).toBe(404);
		expect((await control('GET', '/__sandbox/reset')).status).toBe(405);
		expect(sb.journal()).toEqual([]);
	});
});

describe('reset()', () => {
	it('restores seed data and clears rules, journal, faults and stats', async () => {
		await call('PUT', `/leads/${CARLOS}`, { body: { first_name: 'Changed', metadata: { x: 1 } } });
		await call('POST', '/leads', { body: { first_name: 'New' } });
		sb.addRule({ fault: { status: 500 } });
		sb.setFaults({ latencyMs: 200, rateLimit: { ratePerSec: 1, burst: 1 } });
		sb.reset();
		expect(sb.getLead(CARLOS)).toEqual(seedLead(CARLOS));
		expect(sb.getLead(createdLeadId(1))).toBeUndefined();
		expect(sb.journal()).toEqual([]);
		expect(sb.stats()).toEqual({ requests: 0, byStatus: {}, rateLimited: 0, faults: {} });
		expect((await control('GET', '/__sandbox/faults')).body).toEqual({
			faults: { latencyMs: 0, rateLimit: null },
		});
		expect((await control('GET', '/__sandbox/rules')).body).toEqual({ rules: [] });
		// The limiter is off again: more requests than its burst of 1 all pass.
		for (let i = 0; i < 3; i++) expect((await call('GET', '/tags')).status).toBe(200);
		const created = await callJson('POST', '/leads', { body: { first_name: 'Again' } });
		expect(created.body.lead.id).toBe(createdLeadId(1));
	});
});

describe('options', () => {
	it('leadCount adds deterministic generated leads (10,000 for bulk tests)', async () => {
		const big = await startSandbox({ leadCount: 10_000 });
		try {
			expect(generatedLeadId(0)).toBe('a0000000-0000-4000-8000-000000000000');
			expect(generatedLeadId(10)).toBe('a0000000-0000-4000-8000-00000000000a');
			expect(big.leadIds).toHaveLength(SEED_LEAD_IDS.length + 10_000);
			expect(big.leadIds[SEED_LEAD_IDS.length + 9999]).toBe(generatedLeadId(9999));
			const res = await fetch(`${big.baseUrl}/leads/${generatedLeadId(9999)}`, {
				headers: { 'x-api-key': big.apiKey },
			});
			const body = /** @type {any} */ (await res.json());
			expect(res.status).toBe(200);
			expect(body.lead).toMatchObject({ id: generatedLeadId(9999), metadata: { index: 9999 } });
			expect(Object.keys(body.lead).slice(0, LEAD_KEYS.length)).toEqual(LEAD_KEYS);
			const small = await startSandbox({ leadCount: 1 });
			expect(small.getLead(generatedLeadId(0))).toEqual(big.getLead(generatedLeadId(0)));
			await small.close();
		} finally {
			await big.close();
		}
	});

	it('leads overrides or adds leads; apiKeys adds keys; faults and rules apply from the start', async () => {
		const extraId = '99999999-9999-4999-8999-999999999999';
		const custom = await startSandbox({
			leads: [
				{ id: CARLOS, first_name: 'Carlitos' },
				{ id: extraId, first_name: 'Extra', email: 'extra@example.com' },
			],
			apiKeys: ['nxr_live_second_key_abcdef012345'],
			rules: [{ match: { leadId: extraId }, times: 1, fault: { status: 500 } }],
		});
		try {
			expect(custom.getLead(CARLOS)).toMatchObject({ first_name: 'Carlitos', last_name: seedLead(CARLOS).last_name });
			expect(custom.leadIds).toContain(extraId);
			const get = (/** @type {string} */ key) =>
				fetch(`${custom.baseUrl}/leads/${extraId}`, { headers: { 'x-api-key': key } });
			expect((await get('nxr_live_second_key_abcdef012345')).status).toBe(500);
			const ok = await get('nxr_live_second_key_abcdef012345');
			expect(ok.status).toBe(200);
			expect(/** @type {any} */ (await ok.json()).lead).toMatchObject({
				first_name: 'Extra',
				source: 'api',
				metadata: {},
			});
			expect((await get(SANDBOX_API_KEY)).status).toBe(200);
			expect(JSON.stringify(custom.journal())).not.toContain('nxr_live_second_key_abcdef012345');
		} finally {
			await custom.close();
		}
	});

	it('rejects bad options', async () => {
		await expect(startSandbox({ leadCount: -1 })).rejects.toThrow(/leadCount/);
		await expect(startSandbox({ leads: [{ id: 'nope' }] })).rejects.toThrow(/UUID/);
		await expect(startSandbox({ maxLifetimeMs: 0 })).rejects.toThrow(/maxLifetimeMs/);
	});
});

describe('redirect fault', () => {
	/** @type {import('./server.js').Recorder} */
	let recorder;
	beforeAll(async () => {
		recorder = await startRecorder();
	});
	afterAll(async () => {
		await recorder.close();
	});
	beforeEach(() => recorder.clear());

	it('answers 3xx with the Location given, journals it, and never reaches the other host itself', async () => {
		const target = recorder.url('/api/public/tags');
		sb.addRule({ match: { path: '/tags' }, times: 1, fault: { type: 'redirect', status: 307, location: target } });
		const res = await call('GET', '/tags', { fetchOptions: { redirect: 'manual' } });
		expect(res.status).toBe(307);
		expect(res.headers.get('location')).toBe(target);
		expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await res.text()).toContain('307 Temporary Redirect');
		expect(sb.journal()).toEqual([
			expect.objectContaining({ method: 'GET', status: 307, fault: 'redirect:307', headers: expect.objectContaining({ 'x-api-key': 'valid' }) }),
		]);
		expect(sb.stats().faults).toEqual({ 'redirect:307': 1 });
		// Nothing went to the second host: only a client following the redirect would go there.
		expect(recorder.requests()).toEqual([]);
		expect((await call('GET', '/tags')).status).toBe(200);
	});

	it('a client that follows the redirect carries X-API-Key to the other host (what the recorder is for)', async () => {
		sb.addRule({ times: 1, fault: { type: 'redirect', status: 302, location: recorder.url('/elsewhere') } });
		const res = await call('GET', '/tags');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ data: [] });
		const [got] = recorder.requests();
		expect(got).toMatchObject({ method: 'GET', path: '/elsewhere', apiKey: 'present', secretSeen: true });
		expect(got.headers['x-api-key']).toBe('present');
		expect(JSON.stringify(recorder.requests())).not.toContain(SANDBOX_API_KEY);
	});

	it('301, 302 (default), 303, 307 and 308; a path on this sandbox; over the control API too', async () => {
		for (const status of /** @type {const} */ ([301, 303, 308])) {
			sb.addRule({ times: 1, fault: { type: 'redirect', status, location: '/api/public/tags?moved=1' } });
		}
		sb.addRule({ times: 1, fault: { type: 'redirect', location: 'http://localhost:9/x' } });
		const rule = await control('POST', '/__sandbox/rules', {
			match: { method: 'PUT' },
			times: 1,
			fault: { type: 'redirect', status: 308, location: 'http://api.getnexor.ai@127.0.0.1:9/api/public' },
		});
		expect(rule.status).toBe(200);
		const seen = [];
		for (let i = 0; i < 4; i++) {
			const res = await call('GET', '/tags', { fetchOptions: { redirect: 'manual' } });
			seen.push([res.status, res.headers.get('location')]);
		}
		expect(seen).toEqual([
			[301, '/api/public/tags?moved=1'],
			[303, '/api/public/tags?moved=1'],
			[308, '/api/public/tags?moved=1'],
			[302, 'http://localhost:9/x'],
		]);
		const put = await call('PUT', `/leads/${CARLOS}`, { body: { title: 'x' }, fetchOptions: { redirect: 'manual' } });
		expect([put.status, put.headers.get('location')]).toEqual([308, 'http://api.getnexor.ai@127.0.0.1:9/api/public']);
		expect(sb.getLead(CARLOS)?.title).toBeNull();
		// Followed within the sandbox, the redirect ends at a normal answer.
		sb.addRule({ times: 1, fault: { type: 'redirect', location: '/api/public/tags?search=vip' } });
		const followed = await callJson('GET', '/tags');
		expect(followed.body.data.map((/** @type {{ slug: string }} */ t) => t.slug)).toEqual(['vip']);
	});

	it('refuses a Location off this machine, odd statuses and malformed targets', async () => {
		const bad = [
			{ location: 'https://example.com/api/public' },
			{ location: 'http://10.0.0.5/x' },
			{ location: '//example.com/x' },
			{ location: 'ftp://127.0.0.1/x' },
			{ location: 'http://127.0.0.1/x\r\nSet-Cookie: a=b' },
			{ location: '' },
			{},
			{ location: '/x', status: 300 },
			{ location: '/x', status: 200 },
			{ location: '/x', extra: 1 },
		];
		for (const fault of bad) {
			expect(() =>
				sb.addRule({ fault: /** @type {import('./server.js').Fault} */ (/** @type {unknown} */ ({ type: 'redirect', ...fault })) }),
			).toThrow(/location|status|extra/);
		}
		const viaHttp = await control('POST', '/__sandbox/rules', { fault: { type: 'redirect', location: 'https://example.com/' } });
		expect(viaHttp.status).toBe(400);
		expect(viaHttp.body.message).toContain('loopback');
	});
});

describe('hold fault', () => {
	it('keeps a request unanswered while another completes, until released over the control API', async () => {
		sb.addRule({ match: { method: 'PUT', leadId: CARLOS }, times: 1, fault: { type: 'hold', name: 'first' } });
		/** @type {string[]} */
		const order = [];
		const first = callJson('PUT', `/leads/${CARLOS}`, { body: { title: 'First' } }).then((r) => {
			order.push('first');
			return r;
		});
		const [held] = await sb.waitForHold({ name: 'first' });
		expect(held).toMatchObject({ id: 1, seq: 1, name: 'first', method: 'PUT', state: 'held', releasedBy: null });
		const second = await callJson('PUT', `/leads/${CARLOS}`, { body: { title: 'Second' } });
		order.push('second');
		expect(second.status).toBe(200);
		expect(sb.getLead(CARLOS)?.title).toBe('Second');
		expect(sb.journal().map((e) => [e.seq, e.fault, e.status])).toEqual([
			[1, 'hold', null],
			[2, null, 200],
		]);
		const listed = await control('GET', '/__sandbox/holds');
		expect(listed.body.holds).toEqual([expect.objectContaining({ seq: 1, state: 'held' })]);

		expect(await control('POST', '/__sandbox/holds/release', { name: 'first' })).toEqual({
			status: 200,
			body: { success: true, released: 1 },
		});
		const answered = await first;
		expect(answered.status).toBe(200);
		expect(answered.body.lead.title).toBe('First');
		// Served normally once released: the held update was applied last.
		expect(sb.getLead(CARLOS)?.title).toBe('First');
		expect(order).toEqual(['second', 'first']);
		expect(sb.journal()[0]).toMatchObject({ fault: 'hold', status: 200 });
		expect(sb.holds()).toEqual([expect.objectContaining({ state: 'released', releasedBy: 'release' })]);
		expect(sb.stats().faults).toEqual({ hold: 1 });
		expect(sb.release()).toBe(0);
	});

	it('until: released as soon as a matching later request has been answered', async () => {
		sb.addRule({ match: { method: 'PUT' }, times: 1, fault: { type: 'hold', until: { method: 'PUT', leadId: MARIA } } });
		const first = callJson('PUT', `/leads/${CARLOS}`, { body: { title: 'Held' } });
		await sb.waitForHold();
		// Neither a GET nor a PUT to another lead releases it.
		expect((await call('GET', `/leads/${MARIA}`)).status).toBe(200);
		expect((await call('PUT', `/leads/${SEED_LEAD_IDS[2]}`, { body: { title: 'x' } })).status).toBe(200);
		expect(sb.holds()[0].state).toBe('held');
		expect((await call('PUT', `/leads/${MARIA}`, { body: { title: 'y' } })).status).toBe(200);
		expect((await first).status).toBe(200);
		expect(sb.holds()[0]).toMatchObject({ state: 'released', releasedBy: 'answered:4' });
		const journal = sb.journal();
		expect(journal[0].at + /** @type {number} */ (journal[0].durationMs)).toBeGreaterThan(journal[3].at);
	});

	it('skip picks the nth occurrence; maxMs bounds the hold (then served normally)', async () => {
		sb.addRule({ match: { path: '/tags' }, skip: 1, times: 1, fault: { type: 'hold', maxMs: 150 } });
		expect((await call('GET', '/tags')).status).toBe(200);
		const start = performance.now();
		const second = await call('GET', '/tags');
		expect(second.status).toBe(200);
		expect(performance.now() - start).toBeGreaterThanOrEqual(140);
		expect((await call('GET', '/tags')).status).toBe(200);
		expect(sb.journal().map((e) => e.fault)).toEqual([null, 'hold', null]);
		expect(sb.holds()).toEqual([expect.objectContaining({ seq: 2, releasedBy: 'timeout' })]);
		const rules = await control('GET', '/__sandbox/rules');
		expect(rules.body.rules[0]).toMatchObject({ remaining: 0, skip: 0 });
	});

	it('a held request still goes through authentication, latency and the operation when let go', async () => {
		sb.addRule({ times: 1, fault: { type: 'hold', name: 'k' } });
		const pending = call('GET', '/tags', { key: 'nxr_live_wrong_key_123456' });
		await sb.waitForHold({ name: 'k' });
		expect(sb.release({ name: 'other' })).toBe(0);
		expect(sb.release({ name: 'k' })).toBe(1);
		expect((await pending).status).toBe(401);
	});

	it('reset() lets held requests go; close() cuts them; waitForHold and settings are bounded', async () => {
		sb.addRule({ times: 1, fault: { type: 'hold' } });
		const pending = call('GET', '/tags');
		await sb.waitForHold();
		sb.reset();
		expect((await pending).status).toBe(200);
		expect(sb.holds()).toEqual([]);

		await expect(sb.waitForHold({ timeoutMs: 50 })).rejects.toThrow(/fewer than 1 held/);
		expect(() => sb.addRule({ fault: { type: 'hold', maxMs: 60_001 } })).toThrow(/maxMs/);
		expect(() => sb.addRule({ fault: { type: 'hold', maxMs: 0 } })).toThrow(/maxMs/);
		expect(() => sb.addRule({ fault: { type: 'hold', until: /** @type {any} */ ({ nope: 1 }) } })).toThrow(/until/);
		expect(() => sb.addRule({ skip: -1, fault: { type: 'hold' } })).toThrow(/skip/);
		expect(() => sb.release(/** @type {any} */ ({ bogus: 1 }))).toThrow(/bogus/);
		expect((await control('POST', '/__sandbox/holds/release', { id: 'x' })).status).toBe(400);

		const local = await startSandbox({ rules: [{ fault: { type: 'hold', maxMs: 60_000 } }] });
		const cut = fetch(`${local.baseUrl}/tags`, { headers: { 'x-api-key': SANDBOX_API_KEY } });
		await local.waitForHold();
		const start = Date.now();
		await local.close();
		expect(Date.now() - start).toBeLessThan(1000);
		await expect(cut).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
	});

	it('works from the x-sandbox-fault header for one request', async () => {
		const pending = call('GET', '/tags', { headers: { 'x-sandbox-fault': '{"type":"hold","name":"h","maxMs":5000}' } });
		await sb.waitForHold({ name: 'h' });
		expect(await control('POST', '/__sandbox/holds/release', {})).toMatchObject({ body: { released: 1 } });
		expect((await pending).status).toBe(200);
	});
});

describe('recorder', () => {
	it('records every request on any path without keeping key text, and answers like GET /tags', async () => {
		const recorder = await startRecorder({ secrets: ['nxr_live_other_secret_42'] });
		try {
			const plain = await fetch(recorder.url('/any/where?x=1'), { method: 'POST', body: 'hello' });
			expect(plain.status).toBe(200);
			expect(await plain.json()).toEqual({ data: [] });
			await fetch(recorder.url('/api/public/tags'), {
				headers: { 'X-API-Key': 'nxr_live_other_secret_42', Authorization: 'Bearer z', 'X-Other': `k=${SANDBOX_API_KEY}` },
			});
			const all = recorder.requests();
			expect(all).toEqual([
				expect.objectContaining({ seq: 1, method: 'POST', path: '/any/where?x=1', apiKey: 'absent', secretSeen: false, body: 'hello', bodyBytes: 5 }),
				expect.objectContaining({ seq: 2, method: 'GET', path: '/api/public/tags', apiKey: 'present', secretSeen: true }),
			]);
			expect(all[1].headers).toMatchObject({ 'x-api-key': 'present', authorization: '[redacted]', 'x-other': 'k=[redacted]' });
			const text = JSON.stringify(all);
			expect(text).not.toContain(SANDBOX_API_KEY);
			expect(text).not.toContain('nxr_live_other_secret_42');
			const over = /** @type {{ requests: unknown[] }} */ (await (await fetch(recorder.url('/__recorder/requests'))).json());
			expect(over.requests).toHaveLength(2);
			recorder.clear();
			expect(recorder.requests()).toEqual([]);
		} finally {
			await recorder.close();
		}
		await expect(fetch(recorder.url('/'))).rejects.toMatchObject({ message: 'fetch failed' });
		await expect(startRecorder({ port: -1 })).rejects.toThrow(/port/);
		await expect(startRecorder({ secrets: ['short'] })).rejects.toThrow(/secrets/);
		const limited = await startRecorder({ maxLifetimeMs: 50 });
		expect(await limited.closed).toBe('max-lifetime');
	});
});

describe('lifecycle', () => {
	it('close() resolves while a request hangs, and the hanging client sees the socket close', async () => {
		const local = await startSandbox();
		local.addRule({ fault: { type: 'hang' } });
		const outcome = new Promise((resolve) => {
			const req = http.request(
				`${local.baseUrl}/tags`,
				{ headers: { 'x-api-key': SANDBOX_API_KEY } },
				(res) => resolve(`answered ${res.statusCode}`),
			);
			req.on('error', (error) =>
				resolve(/** @type {NodeJS.ErrnoException} */ (error).code || error.message),
			);
			req.end();
		});
		await waitFor(() => local.journal().some((e) => e.fault === 'hang'));
		const start = Date.now();
		await local.close();
		expect(Date.now() - start).toBeLessThan(1000);
		expect(await outcome).toBe('ECONNRESET');
		await expect(fetch(`${local.baseUrl}/tags`)).rejects.toMatchObject({
			name: 'TypeError',
			message: 'fetch failed',
		});
		await local.close(); // idempotent
	});

	it('close() also cuts a request waiting out its latency', async () => {
		const local = await startSandbox({ faults: { latencyMs: 5000 } });
		const pending = fetch(`${local.baseUrl}/tags`, { headers: { 'x-api-key': SANDBOX_API_KEY } });
		await waitFor(() => local.journal().length === 1);
		const start = Date.now();
		await local.close();
		expect(Date.now() - start).toBeLessThan(1000);
		await expect(pending).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
	});

	it('maxLifetimeMs stops the sandbox by itself', async () => {
		const local = await startSandbox({ maxLifetimeMs: 100 });
		expect(await local.closed).toBe('max-lifetime');
		await expect(fetch(`${local.baseUrl}/tags`)).rejects.toMatchObject({
			name: 'TypeError',
			message: 'fetch failed',
		});
	});
});

// Child processes start slowly, so these run side by side (they share no state with `sb`).
describe('cli', () => {
	const cli = path.join(__dirname, 'cli.js');

	/**
	 * @param {string[]} args
	 * @param {(output: string, child: import('node:child_process').ChildProcess) => void} [onReady]
	 * @returns {Promise<{ code: number | null, output: string }>}
	 */
	const run = (args, onReady) =>
		new Promise((resolve, reject) => {
			const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
			let output = '';
			let ready = false;
			child.stdout.on('data', (chunk) => {
				output += chunk;
				if (!ready && output.includes('Press Ctrl-C')) {
					ready = true;
					if (onReady) onReady(output, child);
				}
			});
			child.stderr.on('data', (chunk) => {
				output += chunk;
			});
			child.on('error', reject);
			// 'close', not 'exit': 'exit' can fire before the last stdout chunk has been read.
			child.on('close', (code) => resolve({ code, output }));
		});

	it.concurrent(
		'prints the base URL, key and lead IDs, serves, and exits cleanly on SIGTERM',
		async () => {
			/** @type {number | undefined} */
			let status;
			const { code, output } = await run(
				['--latency', '5', '--rate', '100', '--burst', '10'],
				(out, child) => {
					const base = /Base URL\s+(\S+)/.exec(out);
					if (!base) throw new Error(`no base URL in ${out}`);
					fetch(`${base[1]}/leads/${CARLOS}`, { headers: { 'x-api-key': SANDBOX_API_KEY } })
						.then((res) => {
							status = res.status;
						})
						.finally(() => child.kill('SIGTERM'));
				},
			);
			expect(code).toBe(0);
			expect(status).toBe(200);
			expect(output).toMatch(/Base URL\s+http:\/\/127\.0\.0\.1:\d+\/api\/public/);
			expect(output).toContain(SANDBOX_API_KEY);
			for (const id of SEED_LEAD_IDS) expect(output).toContain(id);
			expect(output).toContain('Sandbox stopped.');
		},
	);

	it.concurrent('stops by itself after --max-lifetime-minutes', async () => {
		const { code, output } = await run(['--max-lifetime-minutes', '0.005']);
		expect(code).toBe(0);
		expect(output).toContain('max lifetime');
	});

	it.concurrent('refuses unknown arguments', async () => {
		const { code, output } = await run(['--bogus', '1']);
		expect(code).toBe(2);
		expect(output).toContain('unknown argument --bogus');
	});
});
