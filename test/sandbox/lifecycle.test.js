'use strict';
// The lead lifecycle endpoints of the Nexor sandbox over real HTTP (global fetch): lists and
// search, workflows and campaigns, GET /leads/{id} in both documented shapes, POST /leads upserts
// and enrolment, status, assign-workflow, automation stop/resume/is_paused, history, meetings and
// tags. The shared machinery (journal, faults, options) is covered by sandbox.test.js.

const path = require('node:path');
const { spawn } = require('node:child_process');
const {
	startSandbox,
	createdLeadId,
	createdRunId,
	createdTagId,
	SANDBOX_API_KEY,
	SEED_LEADS,
	SEED_LEAD_IDS,
	SEED_CAMPAIGNS,
	SEED_CAMPAIGN_IDS,
	SEED_TAGS,
	SEED_WORKFLOWS,
	SEED_WORKFLOW_IDS,
	SEED_RUNS,
	SEED_MEETINGS,
} = require('./server.js');
// Seed constants that server.js does not export (the lead key order).
const { LEAD_KEYS } = require('./seed.js');

/** @typedef {import('./server.js').Sandbox} Sandbox */

const [CARLOS, MARIA, JOHN, ANA, SOFIA, TONY] = SEED_LEAD_IDS;
const [SALES, PREMIUM, LEGACY] = SEED_WORKFLOW_IDS;
const [VIP, FOLLOW_UP, HOT] = SEED_TAGS.map((t) => t.id);
const CARLOS_RUN = SEED_RUNS[0].id;
const [, MARIA_SALES_RUN, MARIA_PREMIUM_RUN, TONY_RUN] = SEED_RUNS.map((r) => r.id);
const UNKNOWN_LEAD = '00000000-0000-4000-8000-ffffffffffff';
const LEAD_NOT_FOUND = { error: 'Not found', message: 'Lead not found or does not belong to your account' };
const UNKNOWN_WORKFLOW = '00000000-0000-4000-8000-eeeeeeeeeeee';

/** @type {Sandbox} */
let sb;

/**
 * @param {string} method
 * @param {string} route below /api/public
 * @param {{ body?: unknown, headers?: Record<string, string>, base?: Sandbox }} [opts]
 * @returns {Promise<{ status: number, headers: Headers, text: string, body: any }>}
 */
async function api(method, route, opts = {}) {
	const target = opts.base || sb;
	/** @type {Record<string, string>} */
	const headers = { 'x-api-key': SANDBOX_API_KEY, ...(opts.headers || {}) };
	let body;
	if (opts.body !== undefined) {
		headers['content-type'] = 'application/json';
		body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
	}
	const res = await fetch(target.baseUrl + route, { method, headers, body });
	const text = await res.text();
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: res.status, headers: res.headers, text, body: parsed };
}

/**
 * @param {string} method
 * @param {string} route below the origin, e.g. /__sandbox/shapes
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

/** @param {string} id */
function workflow(id) {
	const w = SEED_WORKFLOWS.find((x) => x.id === id);
	if (!w) throw new Error(`no seed workflow ${id}`);
	return w;
}

/** @param {string} id */
function tagRef(id) {
	const t = SEED_TAGS.find((x) => x.id === id);
	if (!t) throw new Error(`no seed tag ${id}`);
	return { id: t.id, name: t.name, slug: t.slug };
}

/** @param {{ id: string }[]} items */
const ids = (items) => items.map((i) => i.id);

beforeAll(async () => {
	sb = await startSandbox();
});

afterAll(async () => {
	await sb.close();
});

beforeEach(() => {
	sb.reset();
});

describe('GET /leads/{id}: the new docs shape', () => {
	it("answers the documented example lead with its tags, campaign, active run and variables", async () => {
		const { status, body } = await api('GET', `/leads/${CARLOS}`);
		expect(status).toBe(200);
		expect(body).toEqual({
			success: true,
			lead: {
				...seedLead(CARLOS),
				tags: [tagRef(VIP)],
				campaign: null,
				active_workflow_run: {
					id: CARLOS_RUN,
					workflow_id: SALES,
					is_active: true,
					human_takeover: false,
					cadence_state: 'active',
					run_status: 'running',
					workflow: { id: SALES, name: 'Sales Outreach', goal_type: 'appointment' },
					current_status: {
						id: workflow(SALES).statuses[1].id,
						key: 'contacted',
						label: 'Contacted',
						category: 'active',
					},
				},
			},
			variables: {
				edad: { value: 35, value_text: '35', confidence: 0.95, updated_at: '2026-02-10T13:00:00Z' },
				broker_asociado: {
					value: 'Juan Perez',
					value_text: 'Juan Perez',
					confidence: 0.9,
					updated_at: '2026-02-10T13:05:00Z',
				},
			},
		});
		expect(Object.keys(body.lead)).toEqual([...LEAD_KEYS, 'tags', 'campaign', 'active_workflow_run']);
	});

	it('shows the campaign, the newest of several runs, and {} variables; null without a run', async () => {
		const maria = (await api('GET', `/leads/${MARIA}`)).body;
		expect(maria.lead.campaign).toEqual(SEED_CAMPAIGNS[0]);
		expect(maria.lead.tags).toEqual([tagRef(FOLLOW_UP), tagRef(HOT)]);
		expect(maria.lead.active_workflow_run).toMatchObject({ id: SEED_RUNS[2].id, workflow_id: PREMIUM });
		expect(maria.variables).toEqual({});
		const john = (await api('GET', `/leads/${JOHN}`)).body;
		expect(john.lead).toMatchObject({ tags: [], campaign: null, active_workflow_run: null });
	});

	it('PUT and PATCH answers keep exactly the 12 keys', async () => {
		for (const method of ['PUT', 'PATCH']) {
			const { body } = await api(method, `/leads/${CARLOS}`, { body: { title: 'CEO' } });
			expect(Object.keys(body)).toEqual(['success', 'lead']);
			expect(Object.keys(body.lead)).toEqual(LEAD_KEYS);
		}
	});
});

describe('shapes', () => {
	it("lead 'old': the bare old-docs lead with camelCase relations", async () => {
		sb.setShapes({ lead: 'old' });
		const { body } = await api('GET', `/leads/${CARLOS}`);
		const carlos = seedLead(CARLOS);
		const sales = workflow(SALES);
		expect(body).toEqual({
			id: CARLOS,
			first_name: 'Carlos',
			last_name: 'Lopez',
			email: carlos.email,
			phone: carlos.phone,
			source: 'api',
			company: carlos.company,
			title: null,
			metadata: carlos.metadata,
			campaign: null,
			activeWorkflowRun: { id: CARLOS_RUN, workflow_id: SALES, is_active: true, run_status: 'running' },
			workflow: { id: SALES, name: 'Sales Outreach', goal_type: 'appointment' },
			currentStatus: { ...sales.statuses[1], color: '#3b82f6' },
			assigned_user: { id: expect.any(String), name: 'Ana', email: 'ana@co.com', avatar_url: null },
			created_at: carlos.created_at,
		});
		expect(Object.keys(body.currentStatus)).toEqual(['id', 'key', 'label', 'color', 'category']);
		const john = (await api('GET', `/leads/${JOHN}`)).body;
		expect(john).toMatchObject({ activeWorkflowRun: null, workflow: null, currentStatus: null });
		expect(john).not.toHaveProperty('assigned_user');
		expect(john).not.toHaveProperty('success');
		// Only GET changes shape.
		const put = await api('PUT', `/leads/${CARLOS}`, { body: { title: 'CEO' } });
		expect(Object.keys(put.body)).toEqual(['success', 'lead']);
	});

	it('list shapes for /leads, /workflows and /campaigns', async () => {
		/** @type {[string, string][]} */
		const resources = [
			['/leads?limit=2', 'leads'],
			['/workflows', 'workflows'],
			['/campaigns', 'campaigns'],
		];
		for (const [route, key] of resources) {
			const named = (await api('GET', route)).body;
			expect(Object.keys(named)).toEqual(['success', key]);
			const items = named[key];
			expect(items.length).toBeGreaterThan(0);
			sb.setShapes({ list: 'data' });
			expect((await api('GET', route)).body).toEqual({ data: items });
			sb.setShapes({ list: 'array' });
			expect((await api('GET', route)).body).toEqual(items);
			sb.setShapes({ list: 'unknown' });
			expect((await api('GET', route)).body).toEqual({ results: items });
			sb.setShapes({ list: 'named' });
		}
	});

	it('startSandbox({ shapes }), setShapes merges, the control route, reset() restores the startup shapes', async () => {
		const other = await startSandbox({ shapes: { list: 'array' } });
		try {
			expect(other.getShapes()).toEqual({ list: 'array', lead: 'new' });
			expect(other.setShapes({ lead: 'old' })).toEqual({ list: 'array', lead: 'old' });
			const res = await fetch(`${other.baseUrl}/workflows`, { headers: { 'x-api-key': SANDBOX_API_KEY } });
			expect(Array.isArray(await res.json())).toBe(true);
			other.reset();
			expect(other.getShapes()).toEqual({ list: 'array', lead: 'new' });
		} finally {
			await other.close();
		}
		expect(await control('POST', '/__sandbox/shapes', { list: 'data' })).toEqual({
			status: 200,
			body: { success: true, shapes: { list: 'data', lead: 'new' } },
		});
		expect((await control('GET', '/__sandbox/shapes')).body).toEqual({ shapes: { list: 'data', lead: 'new' } });
		expect(Object.keys((await api('GET', '/campaigns')).body)).toEqual(['data']);
		const bad = await control('POST', '/__sandbox/shapes', { list: 'xml' });
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual({ error: 'Sandbox error', message: 'shapes.list: must be one of named, data, array, unknown' });
		expect(() => sb.setShapes(/** @type {any} */ ({ body: 'x' }))).toThrow(/shapes\.body: unknown shape/);
		await expect(startSandbox(/** @type {any} */ ({ shapes: { lead: 'newest' } }))).rejects.toThrow(/options\.shapes\.lead/);
		await expect(startSandbox(/** @type {any} */ ({ duplicates: 'merge' }))).rejects.toThrow(/options\.duplicates/);
		sb.reset();
		expect(sb.getShapes()).toEqual({ list: 'named', lead: 'new' });
	});
});

describe('GET /leads', () => {
	it('lists the newest 20 first, as the 12 keys plus tags', async () => {
		const { status, body } = await api('GET', '/leads');
		expect(status).toBe(200);
		expect(ids(body.leads)).toEqual([TONY, SOFIA, ANA, JOHN, MARIA, CARLOS]);
		expect(Object.keys(body.leads[0])).toEqual([...LEAD_KEYS, 'tags']);
		expect(body.leads[5]).toEqual({ ...seedLead(CARLOS), tags: [tagRef(VIP)] });
		const big = await startSandbox({ leadCount: 50 });
		try {
			const res = await fetch(`${big.baseUrl}/leads`, { headers: { 'x-api-key': SANDBOX_API_KEY } });
			const list = /** @type {any} */ (await res.json()).leads;
			expect(list).toHaveLength(20);
			expect(ids(list).slice(0, 6)).toEqual([TONY, SOFIA, ANA, JOHN, MARIA, CARLOS]);
			// Generated leads are older than the seeds, the newest (highest index) first.
			expect(list[6].metadata.index).toBe(49);
			const limited = await fetch(`${big.baseUrl}/leads?limit=100`, { headers: { 'x-api-key': SANDBOX_API_KEY } });
			expect(/** @type {any} */ (await limited.json()).leads).toHaveLength(56);
		} finally {
			await big.close();
		}
	});

	it('orders leads with the same created_at by id, descending', async () => {
		const clock = await startSandbox({ now: () => Date.parse('2027-01-01T00:00:00Z') });
		try {
			await api('POST', '/leads', { base: clock, body: [{ first_name: 'A' }, { first_name: 'B' }, { first_name: 'C' }] });
			const { body } = await api('GET', '/leads?limit=3', { base: clock });
			expect(ids(body.leads)).toEqual([createdLeadId(3), createdLeadId(2), createdLeadId(1)]);
		} finally {
			await clock.close();
		}
	});

	it.each([
		['carlos', [CARLOS]],
		['LOPEZ', [CARLOS]],
		['carlos lopez', [CARLOS]],
		['@example.com', [TONY, JOHN, CARLOS]],
		['maría', [MARIA]],
		['912345678', [CARLOS]],
		['+56 9 8765-4321', [MARIA]],
		['5678', [JOHN, CARLOS]],
		['569', [TONY, MARIA, CARLOS]],
		['  ', [TONY, SOFIA, ANA, JOHN, MARIA, CARLOS]],
		['nobody', []],
	])('search=%s', async (search, expected) => {
		const { body } = await api('GET', `/leads?search=${encodeURIComponent(search)}`);
		expect(ids(body.leads)).toEqual(expected);
	});

	it('needs 3 digits to search phones', async () => {
		// "45" is in several phone numbers but in no name or email.
		expect((await api('GET', '/leads?search=45')).body.leads).toEqual([]);
	});

	it('workflow_id keeps leads with an active run in that workflow; limit bounds the list', async () => {
		expect(ids((await api('GET', `/leads?workflow_id=${SALES}`)).body.leads)).toEqual([MARIA, CARLOS]);
		expect(ids((await api('GET', `/leads?workflow_id=${PREMIUM.toUpperCase()}`)).body.leads)).toEqual([TONY, MARIA]);
		expect((await api('GET', `/leads?workflow_id=${LEGACY}`)).body.leads).toEqual([]);
		expect(ids((await api('GET', `/leads?workflow_id=${PREMIUM}&search=tony`)).body.leads)).toEqual([TONY]);
		expect(ids((await api('GET', '/leads?limit=2')).body.leads)).toEqual([TONY, SOFIA]);
		expect(ids((await api('GET', '/leads?limit=')).body.leads)).toHaveLength(6);
	});

	it.each([
		['limit=0', 'limit: must be an integer between 1 and 100'],
		['limit=101', 'limit: must be an integer between 1 and 100'],
		['limit=2.5', 'limit: must be an integer between 1 and 100'],
		['limit=ten', 'limit: must be an integer between 1 and 100'],
		['workflow_id=nope', 'workflow_id: must be a valid UUID'],
		[`workflow_id=${UNKNOWN_WORKFLOW}`, 'workflow_id: workflow not found or does not belong to your account'],
	])('400 for %s', async (query, message) => {
		const { status, body } = await api('GET', `/leads?${query}`);
		expect(status).toBe(400);
		expect(body).toEqual({ error: 'Validation error', message });
	});
});

describe('GET /workflows and /campaigns', () => {
	it('lists the workflows and campaigns', async () => {
		expect((await api('GET', '/workflows')).body).toEqual({
			success: true,
			workflows: SEED_WORKFLOWS.map((w) => ({ id: w.id, name: w.name, goal_type: w.goal_type, is_active: w.is_active })),
		});
		expect(SEED_WORKFLOWS.map((w) => w.name)).toEqual(['Sales Outreach', 'Premium Outreach', 'Legacy Nurture']);
		expect(sb.workflowIds).toEqual(SEED_WORKFLOW_IDS);
		expect((await api('GET', '/campaigns')).body).toEqual({
			success: true,
			campaigns: SEED_CAMPAIGN_IDS.map((id) => ({ id, name: expect.any(String) })),
		});
	});

	it('GET /workflows/{id} shows the status keys; 404 otherwise', async () => {
		const { status, body } = await api('GET', `/workflows/${SALES.toUpperCase()}`);
		expect(status).toBe(200);
		expect(body).toEqual({
			success: true,
			workflow: {
				id: SALES,
				name: 'Sales Outreach',
				goal_type: 'appointment',
				is_active: true,
				statuses: workflow(SALES).statuses,
			},
		});
		expect(body.workflow.statuses.map((/** @type {any} */ s) => `${s.key}:${s.category}`)).toEqual([
			'new:active',
			'contacted:active',
			'engaged:active',
			'qualified:won',
			'lost:lost',
		]);
		expect(Object.keys(body.workflow.statuses[0])).toEqual(['id', 'key', 'label', 'category', 'color']);
		for (const id of [UNKNOWN_WORKFLOW, 'not-a-uuid']) {
			expect(await api('GET', `/workflows/${id}`)).toMatchObject({
				status: 404,
				body: { error: 'Not found', message: 'Workflow not found or does not belong to your account' },
			});
		}
	});

	it('options.campaigns show up in GET /campaigns', async () => {
		const extra = { id: '11111111-2222-4333-8444-555555555555', name: 'Extra' };
		const other = await startSandbox({ campaigns: [extra] });
		try {
			const res = await fetch(`${other.baseUrl}/campaigns`, { headers: { 'x-api-key': SANDBOX_API_KEY } });
			expect(/** @type {any} */ (await res.json()).campaigns).toEqual([...SEED_CAMPAIGNS, extra]);
		} finally {
			await other.close();
		}
	});
});

describe('POST /leads: upsert and enrolment', () => {
	it('updates the lead with the same email (any case): 200, given fields replaced, metadata merged', async () => {
		const before = seedLead(CARLOS);
		const { status, body } = await api('POST', '/leads', {
			body: { first_name: 'Carlitos', email: 'CARLOS@EXAMPLE.COM', company: 'New Co', vip: true, metadata: { x: 1 } },
		});
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['success', 'lead']);
		expect(Object.keys(body.lead)).toEqual(LEAD_KEYS);
		expect(body.lead).toEqual({
			...before,
			first_name: 'Carlitos',
			email: 'CARLOS@EXAMPLE.COM',
			company: 'New Co',
			metadata: { ...before.metadata, vip: true, x: 1 },
			updated_at: body.lead.updated_at,
		});
		expect(Date.parse(body.lead.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
		expect(sb.getLead(CARLOS)).toEqual(body.lead);
		// No lead was created: the next new one is still createdLeadId(1).
		expect((await api('POST', '/leads', { body: { first_name: 'New' } })).body.lead.id).toBe(createdLeadId(1));
	});

	it('falls back to the phone digits when no email matches; the email wins over the phone', async () => {
		const byPhone = await api('POST', '/leads', {
			body: { first_name: 'Mari', email: 'mari@example.com', phone: '+56 9 8765 4321' },
		});
		expect(byPhone.status).toBe(200);
		expect(byPhone.body.lead).toMatchObject({ id: MARIA, first_name: 'Mari', email: 'mari@example.com', phone: '+56 9 8765 4321', last_name: 'González' });
		const both = await api('POST', '/leads', {
			body: { first_name: 'Carlos', email: 'carlos@example.com', phone: seedLead(JOHN).phone },
		});
		expect(both.body.lead.id).toBe(CARLOS);
		const none = await api('POST', '/leads', { body: { first_name: 'Nadie', email: 'nadie@example.com', phone: '+0 000' } });
		expect(none.status).toBe(201);
	});

	it('follows emails and phones changed by PUT and by earlier upserts', async () => {
		expect((await api('POST', '/leads', { body: { first_name: 'Carlos', email: 'carlos@example.com' } })).status).toBe(200);
		await api('PUT', `/leads/${CARLOS}`, { body: { email: 'c2@example.com', phone: null } });
		const moved = await api('POST', '/leads', { body: { first_name: 'Carlos', email: 'C2@example.com' } });
		expect([moved.status, moved.body.lead.id]).toEqual([200, CARLOS]);
		const old = await api('POST', '/leads', { body: { first_name: 'Carlos', email: 'carlos@example.com', phone: '+56912345678' } });
		expect([old.status, old.body.lead.id]).toEqual([201, createdLeadId(1)]);
		// María's phone moves to a new email through an upsert by phone; her old email is free.
		await api('POST', '/leads', { body: { first_name: 'M', email: 'm2@example.com', phone: '+56987654321' } });
		const free = await api('POST', '/leads', { body: { first_name: 'M', email: 'maria.gonzalez@example.cl' } });
		expect([free.status, free.body.lead.id]).toEqual([201, createdLeadId(2)]);
		expect((await api('POST', '/leads', { body: { first_name: 'M', email: 'M2@example.com' } })).body.lead.id).toBe(MARIA);
	});

	it('picks the newest-created lead when several share the email', async () => {
		const older = '99999999-9999-4999-8999-000000000001';
		const newer = '99999999-9999-4999-8999-000000000002';
		const other = await startSandbox({
			leads: [
				{ id: older, email: 'dup@example.com', created_at: '2026-01-01T00:00:00Z' },
				{ id: newer, email: 'Dup@example.com', created_at: '2026-05-01T00:00:00Z' },
			],
		});
		try {
			const { status, body } = await api('POST', '/leads', { base: other, body: { first_name: 'D', email: 'dup@EXAMPLE.com' } });
			expect(status).toBe(200);
			expect(body.lead.id).toBe(newer);
		} finally {
			await other.close();
		}
	});

	it("duplicates: 'create' always creates (201)", async () => {
		const other = await startSandbox({ duplicates: 'create' });
		try {
			const { status, body } = await api('POST', '/leads', { base: other, body: { first_name: 'Carlos', email: 'carlos@example.com' } });
			expect(status).toBe(201);
			expect(body.lead.id).toBe(createdLeadId(1));
			expect(other.getLead(CARLOS)).toEqual(seedLead(CARLOS));
		} finally {
			await other.close();
		}
	});

	it('bulk: each item upserts, also into a lead an earlier item created; 200 when nothing was created', async () => {
		const { status, body } = await api('POST', '/leads', {
			body: [
				{ first_name: 'X', email: 'x@example.com' },
				{ first_name: 'X2', email: 'X@example.com', metadata: { a: 1 } },
				{ first_name: 'Johnny', phone: '+1 (234) 567-890' },
				{ last_name: 'no first name' },
			],
		});
		expect(status).toBe(201);
		expect(body.leads.map((/** @type {any} */ l) => [l.id, l.first_name])).toEqual([
			[createdLeadId(1), 'X'],
			[createdLeadId(1), 'X2'],
			[JOHN, 'Johnny'],
		]);
		expect(body.leads[1]).toMatchObject({ email: 'X@example.com', metadata: { a: 1 } });
		expect(body.errors).toEqual([{ index: 3, error: 'Validation error', message: 'first_name: is required' }]);
		const again = await api('POST', '/leads', { body: [{ first_name: 'Y', email: 'x@example.com' }] });
		expect(again.status).toBe(200);
		expect(again.body.leads[0].id).toBe(createdLeadId(1));
	});

	it('workflow_id enrols the new lead and answers workflow_run', async () => {
		const { status, body } = await api('POST', '/leads', {
			body: { first_name: 'Eve', phone: '+1 555 0100', workflow_id: SALES.toUpperCase() },
		});
		expect(status).toBe(201);
		expect(Object.keys(body)).toEqual(['success', 'lead', 'workflow_run']);
		expect(body.workflow_run).toEqual({
			id: createdRunId(1),
			job_id: 'job-1',
			workflow: { id: SALES, name: 'Sales Outreach' },
			cadence: { stepIndex: 0, channel: 'call', attemptNumber: 1, maxAttempts: 3, totalSteps: 5 },
		});
		const got = (await api('GET', `/leads/${body.lead.id}`)).body.lead.active_workflow_run;
		expect(got).toMatchObject({ id: createdRunId(1), workflow_id: SALES, current_status: { key: 'new' }, cadence_state: 'active' });
		expect(sb.getRuns(body.lead.id)).toEqual([expect.objectContaining({ id: createdRunId(1), is_active: true })]);
		// A paused workflow: enrolled, the cadence waits.
		const paused = await api('POST', '/leads', { body: { first_name: 'Pau', workflow_id: LEGACY } });
		expect(paused.body.workflow_run).toMatchObject({ id: createdRunId(2), cadence: { channel: 'email', totalSteps: 3 } });
		expect(sb.getRuns(paused.body.lead.id)[0]).toMatchObject({ cadence_state: 'paused', pending_tasks: 0 });
	});

	it('an upserted lead already in the workflow keeps its run; another workflow adds a run', async () => {
		const same = await api('POST', '/leads', { body: { first_name: 'Carlos', email: 'carlos@example.com', workflow_id: SALES } });
		expect(same.status).toBe(200);
		expect(same.body.workflow_run).toEqual({
			id: CARLOS_RUN,
			job_id: 'job-123',
			workflow: { id: SALES, name: 'Sales Outreach' },
			cadence: SEED_RUNS[0].cadence,
		});
		expect(sb.getRuns(CARLOS)).toHaveLength(1);
		const other = await api('POST', '/leads', { body: { first_name: 'Carlos', email: 'carlos@example.com', workflow_id: PREMIUM } });
		expect(other.body.workflow_run.id).toBe(createdRunId(1));
		expect(sb.getRuns(CARLOS).map((r) => [r.workflow_id, r.is_active])).toEqual([
			[SALES, true],
			[PREMIUM, true],
		]);
	});

	it('force_first_message replaces the first touch', async () => {
		const { status, body } = await api('POST', '/leads', {
			body: {
				first_name: 'Fer',
				email: 'fer@example.com',
				workflow_id: PREMIUM,
				force_first_message: { channel: 'email', subject: 'Hola', content: '<p>Hola Fer</p>', sender_id: null },
			},
		});
		expect(status).toBe(201);
		expect(body.workflow_run.cadence.channel).toBe('email');
	});

	const invalid = /** @type {[string, Record<string, unknown>, string][]} */ ([
		['an unknown workflow', { workflow_id: UNKNOWN_WORKFLOW }, 'workflow_id: workflow not found or does not belong to your account'],
		['a malformed workflow_id', { workflow_id: 'sales' }, 'workflow_id: must be a valid UUID'],
		['a call workflow without a phone', { workflow_id: SALES }, 'phone: required by workflow Sales Outreach, which has call steps'],
		['force_first_message without workflow_id', { force_first_message: { channel: 'whatsapp', content: 'Hi' } }, 'force_first_message: requires workflow_id'],
		['force_first_message not an object', { workflow_id: PREMIUM, force_first_message: 'Hi' }, 'force_first_message: must be an object'],
		['no channel', { workflow_id: PREMIUM, force_first_message: { content: 'Hi' } }, 'force_first_message.channel: required'],
		['an unknown channel', { workflow_id: PREMIUM, force_first_message: { channel: 'sms', content: 'Hi' } }, 'force_first_message.channel: must be "whatsapp" or "email"'],
		['no content', { workflow_id: PREMIUM, force_first_message: { channel: 'whatsapp' } }, 'force_first_message.content: required'],
		['blank content', { workflow_id: PREMIUM, force_first_message: { channel: 'whatsapp', content: ' ' } }, 'force_first_message.content: must not be empty'],
		['an email without subject', { email: 'a@example.com', workflow_id: PREMIUM, force_first_message: { channel: 'email', content: 'Hi' } }, 'force_first_message.subject: required for email'],
		['an email to a lead without email', { workflow_id: PREMIUM, force_first_message: { channel: 'email', subject: 'S', content: 'Hi' } }, 'force_first_message.channel: "email" needs the lead to have an email'],
		['a bad sender_id', { workflow_id: PREMIUM, force_first_message: { channel: 'whatsapp', content: 'Hi', sender_id: 'me' } }, 'force_first_message.sender_id: must be a valid UUID'],
		['an unknown key', { workflow_id: PREMIUM, force_first_message: { channel: 'whatsapp', content: 'Hi', template: 'x' } }, 'force_first_message.template: unknown field'],
	]);
	it.each(invalid)('400 for %s, and nothing is stored', async (_name, extra, message) => {
		const { status, body } = await api('POST', '/leads', { body: { first_name: 'Zed', ...extra } });
		expect(status).toBe(400);
		expect(body).toEqual({ error: 'Validation error', message });
		expect(sb.getLead(createdLeadId(1))).toBeUndefined();
		expect(sb.getRuns().map((r) => r.id)).toEqual(SEED_RUNS.map((r) => r.id));
	});

	it('a rejected upsert leaves the existing lead untouched', async () => {
		const { status } = await api('POST', '/leads', {
			body: { first_name: 'Changed', email: 'carlos@example.com', workflow_id: PREMIUM, force_first_message: { channel: 'email', content: 'x' } },
		});
		expect(status).toBe(400);
		expect(sb.getLead(CARLOS)).toEqual(seedLead(CARLOS));
	});
});

describe('POST /leads/{id}/status', () => {
	it('forces the status: 200 with changed, previous_status and the run; changed:false the second time', async () => {
		const first = await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'qualified', reason: 'Signed' } });
		expect(first).toMatchObject({ status: 200 });
		expect(first.body).toEqual({
			success: true,
			changed: true,
			previous_status: 'contacted',
			new_status: 'qualified',
			workflow_run: { id: CARLOS_RUN, workflow_id: SALES },
		});
		const again = await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'qualified' } });
		expect(again.body).toMatchObject({ changed: false, previous_status: 'qualified', new_status: 'qualified' });
		const run = (await api('GET', `/leads/${CARLOS}`)).body.lead.active_workflow_run;
		expect(run).toMatchObject({ run_status: 'completed', current_status: { key: 'qualified', category: 'won' } });
		expect(sb.getRuns(CARLOS)[0]).toMatchObject({ reason: 'Signed', pending_tasks: 0 });
		// Out of a terminal status again: no downgrade guard.
		expect((await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'engaged' } })).body.changed).toBe(true);
	});

	it('needs workflow_id when the lead has several active runs', async () => {
		const several = await api('POST', `/leads/${MARIA}/status`, { body: { status_key: 'contacted' } });
		expect(several).toMatchObject({
			status: 400,
			body: { error: 'Validation error', message: 'workflow_id: required when the lead has more than one active run' },
		});
		const chosen = await api('POST', `/leads/${MARIA}/status`, { body: { status_key: 'interested', workflow_id: PREMIUM.toUpperCase() } });
		expect(chosen.body).toMatchObject({ changed: true, previous_status: 'new', workflow_run: { id: MARIA_PREMIUM_RUN, workflow_id: PREMIUM } });
	});

	it.each([
		[{}, 'status_key: required'],
		[{ status_key: null }, 'status_key: required'],
		[{ workflow_id: SALES }, 'status_key: required'],
		[{ status_key: '' }, 'status_key: must be a non-empty string'],
		[{ status_key: 'qualified', reason: 3 }, 'reason: must be a string or null'],
		[{ status_key: 'qualified', workflow_id: 'sales' }, 'workflow_id: must be a valid UUID'],
		[{ status_key: 'qualified', statusKey: 'qualified' }, 'statusKey: unknown field'],
		[{ status_key: 'won' }, 'status_key: "won" is not a status of workflow Sales Outreach'],
	])('400 for %j', async (body, message) => {
		const res = await api('POST', `/leads/${CARLOS}/status`, { body });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ error: 'Validation error', message });
		expect(sb.getRuns(CARLOS)[0].status_key).toBe('contacted');
	});

	it('400 for invalid JSON; 404 for an unknown lead and for a lead without an active run', async () => {
		const bad = await api('POST', `/leads/${CARLOS}/status`, { body: '{"status_key":' });
		expect(bad.status).toBe(400);
		expect(bad.body.message).toMatch(/^Invalid JSON body/);
		expect(await api('POST', `/leads/${UNKNOWN_LEAD}/status`, { body: { status_key: 'lost' } })).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
		const none = await api('POST', `/leads/${JOHN}/status`, { body: { status_key: 'lost' } });
		expect(none).toMatchObject({ status: 404, body: { error: 'No active workflow run found for this lead' } });
		const other = await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'lost', workflow_id: PREMIUM } });
		expect(other).toMatchObject({ status: 404, body: { error: 'No active workflow run found for this lead' } });
	});

	it('rules and faults reach it: a 503 rule by path and leadId runs nothing; truncated cuts its own answer', async () => {
		sb.addRule({ match: { method: 'POST', path: '/leads/*/status', leadId: CARLOS.toUpperCase() }, times: 1, fault: { status: 503 } });
		const failed = await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'lost' } });
		expect(failed.status).toBe(503);
		expect(failed.body.error).toBe('Service unavailable');
		expect(sb.getRuns(CARLOS)[0].status_key).toBe('contacted');
		expect((await api('POST', `/leads/${MARIA}/status`, { body: { status_key: 'lost', workflow_id: SALES } })).status).toBe(200);
		expect((await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'lost' } })).status).toBe(200);
		expect(sb.journal().map((e) => [e.path, e.status, e.fault])).toEqual([
			[`/api/public/leads/${CARLOS}/status`, 503, 'status:503'],
			[`/api/public/leads/${MARIA}/status`, 200, null],
			[`/api/public/leads/${CARLOS}/status`, 200, null],
		]);
		sb.reset();
		sb.addRule({ times: 1, fault: { type: 'truncated' } });
		const cut = await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'lost' } });
		expect(cut.status).toBe(200);
		expect(cut.body).toBeUndefined();
		const whole = JSON.stringify({
			success: true,
			changed: true,
			previous_status: 'contacted',
			new_status: 'qualified',
			workflow_run: { id: CARLOS_RUN, workflow_id: SALES },
		});
		expect(whole.startsWith(cut.text)).toBe(true);
		expect(cut.text.length).toBe(Math.floor(whole.length / 2));
		expect(sb.getRuns(CARLOS)[0].status_key).toBe('contacted');
	});
});

describe('POST /leads/{id}/assign-workflow', () => {
	it('enrols a lead without a run: 201, bare camelCase', async () => {
		const { status, body } = await api('POST', `/leads/${JOHN}/assign-workflow`, { body: { workflowId: PREMIUM } });
		expect(status).toBe(201);
		expect(body).toEqual({
			workflowRunId: createdRunId(1),
			workflowId: PREMIUM,
			workflowName: 'Premium Outreach',
			movementType: 'enrollment',
			paused: false,
		});
		expect((await api('GET', `/leads/${JOHN}`)).body.lead.active_workflow_run).toMatchObject({
			id: createdRunId(1),
			current_status: { key: 'new' },
		});
	});

	it('reassigns: the old runs are deactivated (with the reason), the new one is the only active run', async () => {
		const { body } = await api('POST', `/leads/${MARIA}/assign-workflow`, {
			body: { workflowId: LEGACY.toUpperCase(), reason: 'Cold', actorId: 'user-7' },
		});
		expect(body).toEqual({
			workflowRunId: createdRunId(1),
			workflowId: LEGACY,
			workflowName: 'Legacy Nurture',
			movementType: 'reassignment',
			paused: true,
		});
		expect(sb.getRuns(MARIA).map((r) => [r.id, r.is_active, r.reason])).toEqual([
			[MARIA_SALES_RUN, false, 'Cold'],
			[MARIA_PREMIUM_RUN, false, 'Cold'],
			[createdRunId(1), true, null],
		]);
		expect(sb.getRuns(MARIA)[2]).toMatchObject({ actor_id: 'user-7', cadence_state: 'paused' });
		expect(ids((await api('GET', `/leads?workflow_id=${SALES}`)).body.leads)).toEqual([CARLOS]);
		// Set-status needs no workflow_id any more.
		expect((await api('POST', `/leads/${MARIA}/status`, { body: { status_key: 'snoozed' } })).body.changed).toBe(true);
	});

	it.each([
		[{ workflow_id: PREMIUM }, 'workflowId: required'],
		[{}, 'workflowId: required'],
		[{ workflowId: 'premium' }, 'workflowId: must be a valid UUID'],
		[{ workflowId: PREMIUM, reason: 1 }, 'reason: must be a string or null'],
		[{ workflowId: PREMIUM, workflow_id: PREMIUM }, 'workflow_id: unknown field'],
		[{ workflowId: UNKNOWN_WORKFLOW }, 'workflowId: workflow not found or does not belong to your account'],
	])('400 for %j', async (body, message) => {
		const res = await api('POST', `/leads/${CARLOS}/assign-workflow`, { body });
		expect(res).toMatchObject({ status: 400, body: { error: 'Validation error', message } });
		expect(sb.getRuns(CARLOS)).toEqual([expect.objectContaining({ id: CARLOS_RUN, is_active: true })]);
	});

	it('404 for an unknown lead', async () => {
		const res = await api('POST', `/leads/${UNKNOWN_LEAD}/assign-workflow`, { body: { workflowId: PREMIUM } });
		expect(res).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});
});

describe('automation stop / resume / is_paused', () => {
	it('stop: cadence paused and tasks cancelled, then already_stopped; is_paused follows', async () => {
		expect((await api('GET', `/leads/${CARLOS}/is_paused`)).body).toEqual({ success: true, paused: false });
		const stopped = await api('POST', `/leads/${CARLOS}/automation/stop`, { body: { workflow_id: SALES } });
		expect(stopped).toMatchObject({
			status: 200,
			body: { success: true, workflow_run_id: CARLOS_RUN, cadence_paused: true, tasks_cancelled: 2 },
		});
		expect(Object.keys(stopped.body)).toEqual(['success', 'workflow_run_id', 'cadence_paused', 'tasks_cancelled']);
		expect((await api('POST', `/leads/${CARLOS}/automation/stop`, { body: { workflow_id: SALES } })).body).toEqual({
			success: true,
			already_stopped: true,
			workflow_run_id: CARLOS_RUN,
		});
		expect((await api('GET', `/leads/${CARLOS}/is_paused`)).body).toEqual({ success: true, paused: true });
		expect((await api('GET', `/leads/${CARLOS}/is_paused?workflow_id=${SALES}`)).body.paused).toBe(true);
		expect((await api('GET', `/leads/${CARLOS}/is_paused?workflow_id=${PREMIUM}`)).body.paused).toBe(false);
		expect((await api('GET', `/leads/${CARLOS}`)).body.lead.active_workflow_run).toMatchObject({ human_takeover: true, cadence_state: 'paused' });
	});

	it('resume: the AI only by default, the cadence with resume_cadence; already_running otherwise', async () => {
		expect((await api('GET', `/leads/${TONY}/is_paused`)).body.paused).toBe(true);
		const ai = await api('POST', `/leads/${TONY}/automation/resume`, { body: { workflow_id: PREMIUM } });
		expect(ai).toMatchObject({ status: 200, body: { success: true, workflow_run_id: TONY_RUN, cadence_resumed: false } });
		expect((await api('GET', `/leads/${TONY}/is_paused`)).body.paused).toBe(false);
		expect((await api('POST', `/leads/${TONY}/automation/resume`, { body: { workflow_id: PREMIUM } })).body).toEqual({
			success: true,
			already_running: true,
			workflow_run_id: TONY_RUN,
		});
		const cadence = await api('POST', `/leads/${TONY}/automation/resume`, { body: { workflow_id: PREMIUM, resume_cadence: true } });
		expect(cadence.body).toEqual({ success: true, workflow_run_id: TONY_RUN, cadence_resumed: true });
		expect(sb.getRuns(TONY)[0]).toMatchObject({ human_takeover: false, cadence_state: 'active', pending_tasks: 1 });
		expect((await api('POST', `/leads/${TONY}/automation/resume`, { body: { workflow_id: PREMIUM, resume_cadence: true } })).body.already_running).toBe(true);
	});

	it.each(['stop', 'resume'])('%s: the documented 400 and 404 bodies', async (action) => {
		const route = `/leads/${CARLOS}/automation/${action}`;
		for (const body of [{}, { workflow_id: null }, { workflow_id: '' }, { workflowId: SALES }]) {
			expect(await api('POST', route, { body })).toMatchObject({ status: 400, body: { error: 'workflow_id is required' } });
		}
		expect((await api('POST', route, { body: '' })).body).toEqual({ error: 'workflow_id is required' });
		for (const workflowId of [PREMIUM, 'not-a-uuid']) {
			const res = await api('POST', route, { body: { workflow_id: workflowId } });
			expect(res).toMatchObject({ status: 404, body: { error: 'No active workflow run found for this lead and workflow' } });
			expect(Object.keys(res.body)).toEqual(['error']);
		}
		expect(await api('POST', `/leads/${UNKNOWN_LEAD}/automation/${action}`, { body: { workflow_id: SALES } })).toMatchObject({
			status: 404,
			body: LEAD_NOT_FOUND,
		});
		const bad = await api('POST', route, { body: '{' });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body)).toEqual(['error']);
	});

	it('a run in a terminal status cannot be stopped; resume_cadence must be a boolean', async () => {
		await api('POST', `/leads/${CARLOS}/status`, { body: { status_key: 'lost' } });
		expect((await api('POST', `/leads/${CARLOS}/automation/stop`, { body: { workflow_id: SALES } })).status).toBe(404);
		expect(await api('POST', `/leads/${TONY}/automation/resume`, { body: { workflow_id: PREMIUM, resume_cadence: 'yes' } })).toMatchObject({
			status: 400,
			body: { error: 'resume_cadence must be a boolean' },
		});
	});

	it('is_paused: 404 for an unknown lead', async () => {
		expect(await api('GET', `/leads/${UNKNOWN_LEAD}/is_paused`)).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
		expect((await api('GET', `/leads/${JOHN}/is_paused`)).body).toEqual({ success: true, paused: false });
	});
});

describe('GET /leads/{id}/history', () => {
	it('answers the lead summary and its seeded timeline, oldest first', async () => {
		const { status, body } = await api('GET', `/leads/${CARLOS}/history`);
		expect(status).toBe(200);
		const carlos = seedLead(CARLOS);
		expect(Object.keys(body)).toEqual(['success', 'lead', 'history']);
		expect(body.lead).toEqual({
			id: CARLOS,
			first_name: carlos.first_name,
			last_name: carlos.last_name,
			phone: carlos.phone,
			email: carlos.email,
			source: carlos.source,
			created_at: carlos.created_at,
		});
		// The seeded timeline, then Carlos's recent WhatsApp reply (stamped an hour before the clock).
		expect(body.history.map((/** @type {any} */ h) => h.type)).toEqual(['activity', 'message', 'call_missed', 'message', 'call', 'message']);
		expect(body.history[5]).toMatchObject({ channel: 'whatsapp', direction: 'inbound', message_type: 'text' });
		expect(Date.now() - Date.parse(body.history[5].timestamp)).toBeGreaterThanOrEqual(60 * 60 * 1000);
		expect(Date.now() - Date.parse(body.history[5].timestamp)).toBeLessThan(2 * 60 * 60 * 1000);
		expect(body.history[0]).toEqual({
			type: 'activity',
			channel: 'system',
			activity_type: 'workflow_assigned',
			title: 'Assigned to workflow Sales Outreach',
			description: expect.any(String),
			actor_type: 'system',
			timestamp: '2026-02-10T12:00:05Z',
		});
		expect(Object.keys(body.history[1])).toEqual([
			'type', 'id', 'channel', 'direction', 'content', 'message_type', 'media_url', 'attachments', 'status',
			'provider_message_id', 'sent_at', 'delivered_at', 'read_at', 'reaction', 'buttons', 'timestamp',
		]);
		expect(body.history[2]).toMatchObject({ channel: 'call', call_status: 'not_connected', disconnection_reason: 'dial_no_answer' });
		expect(body.history[4]).toMatchObject({ call_status: 'ended', call_successful: true, duration_seconds: 184 });
		const timestamps = body.history.map((/** @type {any} */ h) => Date.parse(h.timestamp));
		expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
	});

	it('records what the API did: enrolment, a forced first message, assignment, status, stop and resume', async () => {
		expect((await api('GET', `/leads/${JOHN}/history`)).body.history).toEqual([]);
		const created = await api('POST', '/leads', {
			body: { first_name: 'Hugo', workflow_id: PREMIUM, force_first_message: { channel: 'whatsapp', content: 'Hola Hugo' } },
		});
		const id = created.body.lead.id;
		await api('POST', `/leads/${id}/status`, { body: { status_key: 'interested', reason: 'Replied' } });
		await api('POST', `/leads/${id}/automation/stop`, { body: { workflow_id: PREMIUM } });
		await api('POST', `/leads/${id}/automation/resume`, { body: { workflow_id: PREMIUM, resume_cadence: true } });
		await api('POST', `/leads/${id}/assign-workflow`, { body: { workflowId: SALES, reason: 'Upgrade', actorId: 'u1' } });
		const { history } = (await api('GET', `/leads/${id}/history`)).body;
		expect(history.map((/** @type {any} */ h) => [h.type, h.activity_type || h.channel])).toEqual([
			['activity', 'workflow_assigned'],
			['message', 'whatsapp'],
			['activity', 'status_changed'],
			['activity', 'automation_stopped'],
			['activity', 'automation_resumed'],
			['activity', 'workflow_assigned'],
		]);
		expect(history[1]).toMatchObject({ direction: 'outbound', content: 'Hola Hugo', status: 'sent' });
		expect(history[2]).toMatchObject({ description: 'Replied', actor_type: 'api' });
		expect(history[5]).toMatchObject({ title: 'Assigned to workflow Sales Outreach', description: 'Upgrade', actor_type: 'user' });
		for (const item of history) expect(item.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		sb.reset();
		expect((await api('GET', `/leads/${CARLOS}/history`)).body.history).toHaveLength(6);
	});

	it('404 for an unknown lead', async () => {
		expect(await api('GET', `/leads/${UNKNOWN_LEAD}/history`)).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});
});

describe('GET /leads/{id}/meetings', () => {
	const MEETING_KEYS = [
		'id', 'title', 'starts_at', 'ends_at', 'duration_minutes', 'timezone', 'status', 'meeting_url',
		'location_type', 'location_details', 'host_name', 'meeting_type', 'attendee_name', 'attendee_email',
		'confirmed_by_lead', 'cancelled_at', 'cancellation_reason', 'no_show_reason', 'outcome_notes', 'created_at',
	];

	it('lists the meetings newest first with the documented keys', async () => {
		const { status, body } = await api('GET', `/leads/${CARLOS}/meetings`);
		expect(status).toBe(200);
		expect(body).toEqual({ success: true, meetings: SEED_MEETINGS[CARLOS] });
		expect(body.meetings.map((/** @type {any} */ m) => m.status)).toEqual(['scheduled', 'no_show']);
		for (const meeting of body.meetings) expect(Object.keys(meeting)).toEqual(MEETING_KEYS);
		expect((await api('GET', `/leads/${JOHN}/meetings`)).body).toEqual({ success: true, meetings: [] });
	});

	it.each([
		['no_show', ['no_show']],
		['scheduled,no_show', ['scheduled', 'no_show']],
		[' confirmed , completed ', []],
		['', ['scheduled', 'no_show']],
	])('?status=%s', async (filter, expected) => {
		const { body } = await api('GET', `/leads/${CARLOS}/meetings?status=${encodeURIComponent(filter)}`);
		expect(body.meetings.map((/** @type {any} */ m) => m.status)).toEqual(expected);
	});

	it('400 for an unknown status; 404 for an unknown lead', async () => {
		expect(await api('GET', `/leads/${CARLOS}/meetings?status=scheduled,done`)).toMatchObject({
			status: 400,
			body: { error: 'Validation error', message: 'status: "done" is not one of scheduled, confirmed, completed, cancelled, no_show' },
		});
		expect(await api('GET', `/leads/${UNKNOWN_LEAD}/meetings`)).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});
});

describe('tags: POST /tags and DELETE /tags/{id}', () => {
	it('creates a tag: 201 { data }, listed by GET /tags', async () => {
		const { status, body } = await api('POST', '/tags', { body: { name: 'Cold', slug: 'cold', description: 'No reply in 30 days' } });
		expect(status).toBe(201);
		expect(body).toEqual({
			data: { id: createdTagId(1), name: 'Cold', slug: 'cold', description: 'No reply in 30 days', created_at: expect.any(String) },
		});
		expect(Object.keys(body.data)).toEqual(['id', 'name', 'slug', 'description', 'created_at']);
		const list = (await api('GET', '/tags')).body.data;
		expect(ids(list)).toEqual([VIP, FOLLOW_UP, HOT, createdTagId(1)]);
		expect(list[3]).toEqual({ ...body.data, updated_at: body.data.created_at });
		expect((await api('POST', '/tags', { body: { name: 'Warm', slug: 'warm' } })).body.data.description).toBeNull();
		sb.reset();
		expect(ids((await api('GET', '/tags')).body.data)).toEqual([VIP, FOLLOW_UP, HOT]);
	});

	it.each([
		[{ slug: 'x' }, 400, 'Tag name is required'],
		[{ name: '  ', slug: 'x' }, 400, 'Tag name is required'],
		[{ name: 'X' }, 400, 'Tag slug is required'],
		[{ name: 'X', slug: 7 }, 400, 'Tag slug is required'],
		[{ name: 'X', slug: 'x', description: 1 }, 400, 'Tag description must be a string or null'],
		[{ name: 'Very important', slug: 'vip' }, 409, 'A tag with this slug already exists'],
		[{ name: 'Very important', slug: 'VIP' }, 409, 'A tag with this slug already exists'],
	])('%j → %i', async (body, status, error) => {
		const res = await api('POST', '/tags', { body });
		expect(res.status).toBe(status);
		expect(res.body).toEqual({ error });
		expect((await api('GET', '/tags')).body.data).toHaveLength(3);
	});

	it('deletes a tag, also from every lead; 404 for an unknown tag', async () => {
		expect(await api('DELETE', `/tags/${HOT.toUpperCase()}`)).toMatchObject({ status: 200, body: { success: true } });
		expect(ids((await api('GET', '/tags')).body.data)).toEqual([VIP, FOLLOW_UP]);
		expect((await api('GET', `/leads/${MARIA}/tags`)).body).toEqual({ data: [tagRef(FOLLOW_UP)] });
		expect((await api('GET', `/leads/${MARIA}`)).body.lead.tags).toEqual([tagRef(FOLLOW_UP)]);
		for (const id of [HOT, 'nope']) {
			const res = await api('DELETE', `/tags/${id}`);
			expect(res).toMatchObject({ status: 404, body: { error: 'Tag does not exist or does not belong to your account' } });
			expect(Object.keys(res.body)).toEqual(['error']);
		}
	});
});

describe('a lead\'s tags: GET and POST /leads/{leadId}/tags', () => {
	it('GET lists the lead\'s tags as { data: [{id,name,slug}] }', async () => {
		expect((await api('GET', `/leads/${CARLOS}/tags`)).body).toEqual({ data: [tagRef(VIP)] });
		expect((await api('GET', `/leads/${JOHN}/tags`)).body).toEqual({ data: [] });
		expect(await api('GET', `/leads/${UNKNOWN_LEAD}/tags`)).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});

	it('POST adds by tagId or tagIds, skipping those the lead has: 201 with all its tags', async () => {
		const one = await api('POST', `/leads/${CARLOS}/tags`, { body: { tagId: HOT } });
		expect(one).toMatchObject({ status: 201, body: { data: [tagRef(VIP), tagRef(HOT)] } });
		const many = await api('POST', `/leads/${CARLOS}/tags`, { body: { tagIds: [VIP, FOLLOW_UP.toUpperCase(), HOT] } });
		expect(many.body).toEqual({ data: [tagRef(VIP), tagRef(HOT), tagRef(FOLLOW_UP)] });
	});

	it.each([
		[{ tagId: VIP, tagIds: [VIP] }, 'Send tagId or tagIds, not both'],
		[{}, 'tagId or tagIds is required'],
		[{ tagId: 5 }, 'tagId must be a tag ID'],
		[{ tagIds: [] }, 'tagIds must be a non-empty array of tag IDs'],
		[{ tagIds: VIP }, 'tagIds must be a non-empty array of tag IDs'],
		[{ tagId: UNKNOWN_WORKFLOW }, `Tag not found: ${UNKNOWN_WORKFLOW}`],
		[{ tagIds: [HOT, 'vip'] }, 'Tag not found: vip'],
	])('400 for %j, and nothing changes', async (body, error) => {
		const res = await api('POST', `/leads/${CARLOS}/tags`, { body });
		expect(res).toMatchObject({ status: 400, body: { error } });
		expect(Object.keys(res.body)).toEqual(['error']);
		expect((await api('GET', `/leads/${CARLOS}/tags`)).body.data).toEqual([tagRef(VIP)]);
	});

	it('404 for an unknown lead', async () => {
		expect(await api('POST', `/leads/${UNKNOWN_LEAD}/tags`, { body: { tagId: VIP } })).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});
});

describe('PUT /leads/tags', () => {
	it('replaces the tag set by name, creating missing tags; added and removed are IDs', async () => {
		const { status, body } = await api('PUT', '/leads/tags', {
			body: { lead_id: MARIA, tags: ['vip', 'Hot lead', 'Café con leche', 'HOT LEAD'] },
		});
		expect(status).toBe(200);
		const cafe = { id: createdTagId(1), name: 'Café con leche', slug: 'cafe-con-leche' };
		expect(body).toEqual({
			success: true,
			lead_id: MARIA,
			tags: [tagRef(VIP), tagRef(HOT), cafe],
			added: [VIP, createdTagId(1)],
			removed: [FOLLOW_UP],
		});
		expect((await api('GET', '/tags?search=cafe')).body.data).toEqual([
			{ ...cafe, description: null, created_at: expect.any(String), updated_at: expect.any(String) },
		]);
		expect((await api('GET', `/leads/${MARIA}/tags`)).body.data).toEqual(body.tags);
	});

	it('finds the lead by email (any case); lead_id wins over email; [] clears', async () => {
		const byEmail = await api('PUT', '/leads/tags', { body: { email: 'JOHN@example.com', tags: ['Follow-up'] } });
		expect(byEmail.body).toMatchObject({ lead_id: JOHN, tags: [tagRef(FOLLOW_UP)], added: [FOLLOW_UP], removed: [] });
		const both = await api('PUT', '/leads/tags', { body: { lead_id: CARLOS, email: 'john@example.com', tags: [] } });
		expect(both.body).toEqual({ success: true, lead_id: CARLOS, tags: [], added: [], removed: [VIP] });
		expect((await api('GET', `/leads/${JOHN}/tags`)).body.data).toEqual([tagRef(FOLLOW_UP)]);
	});

	it('picks the newest-created lead when several share the email', async () => {
		const older = '99999999-9999-4999-8999-000000000001';
		const newer = '99999999-9999-4999-8999-000000000002';
		const other = await startSandbox({
			leads: [
				{ id: newer, email: 'dup@example.com', created_at: '2026-05-01T00:00:00Z' },
				{ id: older, email: 'dup@example.com', created_at: '2026-01-01T00:00:00Z' },
			],
		});
		try {
			const { body } = await api('PUT', '/leads/tags', { base: other, body: { email: 'dup@example.com', tags: ['VIP'] } });
			expect(body.lead_id).toBe(newer);
		} finally {
			await other.close();
		}
	});

	it.each([
		[{ tags: ['VIP'] }, 400, { error: 'lead_id or email is required' }],
		[{ email: '', tags: ['VIP'] }, 400, { error: 'lead_id or email is required' }],
		[{ lead_id: CARLOS }, 400, { error: 'tags must be an array of tag names' }],
		[{ lead_id: CARLOS, tags: 'VIP' }, 400, { error: 'tags must be an array of tag names' }],
		[{ lead_id: CARLOS, tags: ['VIP', 3] }, 400, { error: 'tags must be an array of tag names' }],
		[{ lead_id: CARLOS, tags: ['  '] }, 400, { error: 'tags must not contain empty names' }],
		[{ lead_id: CARLOS, tags: ['!!!'] }, 400, { error: 'Tag name "!!!" has no letters or digits' }],
		[{ lead_id: UNKNOWN_LEAD, tags: ['VIP'] }, 404, LEAD_NOT_FOUND],
		[{ lead_id: 'carlos', tags: ['VIP'] }, 404, LEAD_NOT_FOUND],
		[{ email: 'nobody@example.com', tags: ['New one'] }, 404, LEAD_NOT_FOUND],
		[{ data: { lead_id: CARLOS, tags: [] } }, 400, { error: 'lead_id or email is required' }],
	])('%j → %i, nothing changes', async (body, status, answer) => {
		const res = await api('PUT', '/leads/tags', { body });
		expect(res).toMatchObject({ status, body: answer });
		expect((await api('GET', `/leads/${CARLOS}/tags`)).body.data).toEqual([tagRef(VIP)]);
		expect((await api('GET', '/tags')).body.data).toHaveLength(3);
	});

	it('/leads/tags is this route, not a lead: other methods get 405', async () => {
		const res = await api('GET', '/leads/tags');
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('PUT');
	});
});

describe('faults and samples on the new routes', () => {
	it('truncated cuts the answer each route would give', async () => {
		/** @type {[string, string, unknown][]} */
		const cases = [
			['GET', '/leads', (await api('GET', '/leads')).body],
			['GET', '/workflows', (await api('GET', '/workflows')).body],
			['GET', `/workflows/${PREMIUM}`, (await api('GET', `/workflows/${PREMIUM}`)).body],
			['GET', '/campaigns', (await api('GET', '/campaigns')).body],
			['GET', `/leads/${MARIA}/tags`, (await api('GET', `/leads/${MARIA}/tags`)).body],
			['GET', `/leads/${CARLOS}/history`, (await api('GET', `/leads/${CARLOS}/history`)).body],
			['GET', `/leads/${CARLOS}/meetings`, (await api('GET', `/leads/${CARLOS}/meetings`)).body],
			['GET', `/leads/${TONY}/is_paused`, { success: true, paused: true }],
			['POST', `/leads/${CARLOS}/automation/stop`, { success: true, workflow_run_id: CARLOS_RUN, cadence_paused: true, tasks_cancelled: 2 }],
			['POST', `/leads/${CARLOS}/automation/resume`, { success: true, workflow_run_id: CARLOS_RUN, cadence_resumed: false }],
			['POST', `/leads/${JOHN}/assign-workflow`, { workflowRunId: createdRunId(1), workflowId: PREMIUM, workflowName: 'Premium Outreach', movementType: 'enrollment', paused: false }],
			['POST', '/leads', { success: true, lead: seedLead(CARLOS) }],
			['PUT', '/leads/tags', { success: true, lead_id: CARLOS, tags: [tagRef(VIP)], added: [], removed: [] }],
			['DELETE', `/tags/${VIP}`, { success: true }],
		];
		for (const [method, route, whole] of cases) {
			sb.addRule({ times: 1, fault: { type: 'truncated' } });
			const cut = await api(method, route, method === 'GET' ? {} : { body: {} });
			const full = Buffer.from(JSON.stringify(whole), 'utf8');
			expect([route, cut.status, cut.text]).toEqual([route, 200, full.subarray(0, Math.floor(full.length / 2)).toString('utf8')]);
		}
		// No operation ran.
		expect(sb.getRuns(JOHN)).toEqual([]);
		expect((await api('GET', '/tags')).body.data).toHaveLength(3);
	});

	it('rules match the new routes by leadId and path; an injected 503 changes nothing', async () => {
		sb.addRule({ match: { leadId: MARIA }, fault: { status: 503 } });
		sb.addRule({ match: { path: '/tags/*' }, fault: { status: 502 } });
		expect((await api('POST', `/leads/${MARIA}/tags`, { body: { tagId: VIP } })).status).toBe(503);
		expect((await api('POST', `/leads/${MARIA}/assign-workflow`, { body: { workflowId: LEGACY } })).status).toBe(503);
		expect((await api('GET', `/leads/${MARIA}/history`)).status).toBe(503);
		expect((await api('DELETE', `/tags/${VIP}`)).status).toBe(502);
		expect((await api('POST', `/leads/${CARLOS}/tags`, { body: { tagId: HOT } })).status).toBe(201);
		sb.clearRules();
		expect((await api('GET', `/leads/${MARIA}/tags`)).body.data).toEqual([tagRef(FOLLOW_UP), tagRef(HOT)]);
		expect(sb.getRuns(MARIA).every((r) => r.is_active)).toBe(true);
		expect((await api('GET', '/tags')).body.data).toHaveLength(3);
		expect(sb.journal().map((e) => e.fault)).toEqual(['status:503', 'status:503', 'status:503', 'status:502', null, null, null]);
	});
});

describe('cli', () => {
	it('takes --list-shape, --lead-shape and --duplicates, and prints the workflows and tags', async () => {
		const cli = path.join(__dirname, 'cli.js');
		const child = spawn(process.execPath, [cli, '--list-shape', 'array', '--lead-shape', 'old', '--duplicates', 'create'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		/** @type {unknown} */
		let workflows;
		/** @type {unknown} */
		let lead;
		const code = await new Promise((resolve, reject) => {
			let asked = false;
			child.stdout.on('data', (chunk) => {
				output += chunk;
				const base = /Base URL\s+(\S+)/.exec(output);
				if (asked || !base || !output.includes('Press Ctrl-C')) return;
				asked = true;
				const get = (/** @type {string} */ route) =>
					fetch(`${base[1]}${route}`, { headers: { 'x-api-key': SANDBOX_API_KEY } }).then((r) => r.json());
				Promise.all([get('/workflows'), get(`/leads/${CARLOS}`)])
					.then(([w, l]) => {
						workflows = w;
						lead = l;
					})
					.finally(() => child.kill('SIGTERM'));
			});
			child.stderr.on('data', (chunk) => {
				output += chunk;
			});
			child.on('error', reject);
			child.on('close', resolve);
		});
		expect(code).toBe(0);
		for (const id of SEED_WORKFLOW_IDS) expect(output).toContain(id);
		for (const id of [VIP, FOLLOW_UP, HOT]) expect(output).toContain(id);
		expect(output).toContain('Shapes: lists array, GET /leads/{id} old; POST /leads duplicates: create.');
		expect(Array.isArray(workflows)).toBe(true);
		expect(lead).toMatchObject({ id: CARLOS, activeWorkflowRun: { id: CARLOS_RUN } });
	});
});
