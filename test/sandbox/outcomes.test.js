'use strict';
// What comes out of a lead's journey, in the Nexor sandbox over real HTTP (global fetch):
// conversions and conversion types, messages (with the 24-hour WhatsApp window), meetings
// (create, replay, cancel) and outbound webhook deliveries. The shared machinery (journal,
// faults, options) is covered by sandbox.test.js, the lead endpoints by lifecycle.test.js.

const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const {
	startSandbox,
	createdConversionId,
	createdMessageId,
	createdActivityId,
	createdCallId,
	createdMeetingId,
	SANDBOX_API_KEY,
	SEED_LEAD_IDS,
	SEED_WORKFLOW_IDS,
	SEED_RUNS,
	SEED_CONVERSION_TYPES,
	SEED_CONVERSIONS,
	CARLOS_RECENT_MESSAGE_ID,
	SEED_MEETINGS,
	SEED_MEETING_TYPES,
	SEED_USERS,
	SEED_WORKFLOWS,
	SANDBOX_WEBHOOK_ID,
	SANDBOX_CLIENT_ID,
	WEBHOOK_EVENT_TYPES,
	SandboxConfigError,
} = require('./server.js');
const { LEAD_KEYS } = require('./seed.js');

/** @typedef {import('./server.js').Sandbox} Sandbox */

const [CARLOS, MARIA, JOHN, ANA, SOFIA, TONY] = SEED_LEAD_IDS;
const [SALES, PREMIUM] = SEED_WORKFLOW_IDS;
const [CARLOS_RUN, MARIA_SALES_RUN] = SEED_RUNS.map((r) => r.id);
const [RESERVA, VENTA, VISITA] = SEED_CONVERSION_TYPES.map((t) => t.id);
const UNKNOWN_LEAD = '00000000-0000-4000-8000-ffffffffffff';
const UNKNOWN_ID = '00000000-0000-4000-8000-eeeeeeeeeeee';
const LEAD_NOT_FOUND = { error: 'Not found', message: 'Lead not found or does not belong to your account' };
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TEMPLATE = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OUTSIDE_WINDOW = 'Outside the 24-hour WhatsApp window: send a template (template_id)';
const HOUR = 60 * 60 * 1000;
const [UPCOMING, NO_SHOW] = SEED_MEETINGS[CARLOS].map((m) => m.id);
const MEETING_KEYS = [
	'id', 'title', 'starts_at', 'ends_at', 'duration_minutes', 'timezone', 'status', 'meeting_url',
	'location_type', 'location_details', 'host_name', 'meeting_type', 'attendee_name', 'attendee_email',
	'confirmed_by_lead', 'cancelled_at', 'cancellation_reason', 'no_show_reason', 'outcome_notes', 'created_at',
];
const MEETING_NOT_FOUND = { error: 'Not found', message: 'Meeting not found or does not belong to your account' };

/** @type {Sandbox} */
let sb;

/**
 * @param {string} method
 * @param {string} route below /api/public
 * @param {{ body?: unknown, base?: Sandbox }} [opts]
 * @returns {Promise<{ status: number, headers: Headers, text: string, body: any }>}
 */
async function api(method, route, opts = {}) {
	const target = opts.base || sb;
	/** @type {Record<string, string>} */
	const headers = { 'x-api-key': SANDBOX_API_KEY };
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

/** @param {string} message */
const invalid = (message) => ({ status: 400, body: { error: 'Validation error', message } });

/** @param {string} id */
function conversionType(id) {
	const t = SEED_CONVERSION_TYPES.find((x) => x.id === id);
	if (!t) throw new Error(`no seed conversion type ${id}`);
	return JSON.parse(JSON.stringify(t));
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

describe('GET /conversion-types', () => {
	it('lists the active types only, with the documented keys', async () => {
		const { status, body } = await api('GET', '/conversion-types');
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['success', 'conversion_types']);
		expect(body.conversion_types.map((/** @type {any} */ t) => t.name)).toEqual(['Reserva', 'Venta']);
		for (const t of body.conversion_types) {
			expect(Object.keys(t)).toEqual([
				'id', 'name', 'description', 'category', 'currency', 'fields', 'workflow_id', 'master_workflow_id', 'created_at',
			]);
		}
		const { is_active: _active, ...reserva } = conversionType(RESERVA);
		expect(body.conversion_types[0]).toEqual(reserva);
		expect(body.conversion_types[0]).toMatchObject({
			category: 'intermediary',
			currency: 'CLP',
			workflow_id: SALES,
			fields: [
				{ key: 'unit', label: 'Unit', type: 'text' },
				{ key: 'floor', label: 'Floor', type: 'number' },
			],
		});
		expect(body.conversion_types[1]).toMatchObject({ id: VENTA, category: 'final', currency: 'USD', workflow_id: null });
		expect(body.conversion_types.some((/** @type {any} */ t) => t.id === VISITA)).toBe(false);
	});
});

describe('POST /conversions', () => {
	it('records a conversion: 201 with the documented keys, the type inherited and embedded', async () => {
		const before = Date.now();
		const { status, body } = await api('POST', '/conversions', {
			body: { conversion_type_id: RESERVA, lead_id: CARLOS, amount: 85000 },
		});
		expect(status).toBe(201);
		expect(Object.keys(body)).toEqual(['success', 'conversion_event']);
		const event = body.conversion_event;
		expect(Object.keys(event)).toEqual([
			'id', 'conversion_type_id', 'lead_id', 'amount', 'currency', 'converted_at', 'created_at', 'workflow_id',
			'master_workflow_id', 'workflow_run_id', 'metadata', 'notes', 'conversion_types',
		]);
		expect(event).toEqual({
			id: createdConversionId(1),
			conversion_type_id: RESERVA,
			lead_id: CARLOS,
			amount: 85000,
			currency: 'CLP',
			converted_at: event.created_at,
			created_at: expect.stringMatching(ISO_MS),
			workflow_id: SALES,
			master_workflow_id: null,
			workflow_run_id: null,
			metadata: {},
			notes: null,
			conversion_types: { name: 'Reserva', fields: conversionType(RESERVA).fields },
		});
		expect(Date.parse(event.created_at)).toBeGreaterThanOrEqual(before);
		expect(createdConversionId(1)).toBe('e0000000-0000-4000-8000-000000000001');
	});

	it('takes currency, converted_at, workflow_run_id, metadata (extra keys too) and notes', async () => {
		const { status, body } = await api('POST', '/conversions', {
			body: {
				conversion_type_id: VENTA.toUpperCase(),
				lead_id: CARLOS.toUpperCase(),
				amount: 1999.99,
				workflow_run_id: CARLOS_RUN,
				currency: 'EUR',
				converted_at: '2026-07-01T10:00:00-04:00',
				metadata: { contract_number: 'CN-9', broker: { name: 'Juan' } },
				notes: 'Paid in full',
			},
		});
		expect(status).toBe(201);
		expect(body.conversion_event).toMatchObject({
			conversion_type_id: VENTA,
			lead_id: CARLOS,
			amount: 1999.99,
			currency: 'EUR',
			converted_at: '2026-07-01T14:00:00.000Z',
			workflow_id: null,
			master_workflow_id: SALES,
			workflow_run_id: CARLOS_RUN,
			metadata: { contract_number: 'CN-9', broker: { name: 'Juan' } },
			notes: 'Paid in full',
			conversion_types: { name: 'Venta', fields: conversionType(VENTA).fields },
		});
		// A date alone is midnight UTC; a date-time without an offset is UTC; null means the default.
		const dateOnly = await api('POST', '/conversions', {
			body: { conversion_type_id: VENTA, lead_id: JOHN, amount: 1, converted_at: '2026-07-01', currency: null },
		});
		expect(dateOnly.body.conversion_event).toMatchObject({ converted_at: '2026-07-01T00:00:00.000Z', currency: 'USD' });
		const noOffset = await api('POST', '/conversions', {
			body: { conversion_type_id: VENTA, lead_id: JOHN, amount: 0, converted_at: '2026-07-01T08:30:00' },
		});
		expect(noOffset.body.conversion_event).toMatchObject({ converted_at: '2026-07-01T08:30:00.000Z', amount: 0 });
	});

	it('IDs count from 1 after each reset; created_at strictly increases even within one millisecond', async () => {
		const frozen = Date.parse('2026-08-01T12:00:00.000Z');
		const fixed = await startSandbox({ now: () => frozen });
		try {
			const made = [];
			for (let i = 0; i < 3; i++) {
				made.push(
					(await api('POST', '/conversions', { base: fixed, body: { conversion_type_id: RESERVA, lead_id: MARIA, amount: i } }))
						.body.conversion_event,
				);
			}
			expect(made.map((c) => c.id)).toEqual([1, 2, 3].map(createdConversionId));
			expect(made.map((c) => c.created_at)).toEqual([
				'2026-08-01T12:00:00.000Z',
				'2026-08-01T12:00:00.001Z',
				'2026-08-01T12:00:00.002Z',
			]);
			// converted_at defaults to the conversion's own created_at.
			expect(made.map((c) => c.converted_at)).toEqual(made.map((c) => c.created_at));
			fixed.reset();
			const again = await api('POST', '/conversions', {
				base: fixed,
				body: { conversion_type_id: RESERVA, lead_id: MARIA, amount: 9 },
			});
			expect(again.body.conversion_event).toMatchObject({ id: createdConversionId(1), created_at: '2026-08-01T12:00:00.000Z' });
		} finally {
			await fixed.close();
		}
	});

	it.each([
		['conversion_type_id missing', { lead_id: CARLOS, amount: 1 }, 'conversion_type_id: required'],
		['lead_id missing', { conversion_type_id: RESERVA, amount: 1 }, 'lead_id: required'],
		['amount missing', { conversion_type_id: RESERVA, lead_id: CARLOS }, 'amount: required'],
		['amount null', { conversion_type_id: RESERVA, lead_id: CARLOS, amount: null }, 'amount: required'],
		['amount a string', { conversion_type_id: RESERVA, lead_id: CARLOS, amount: '85000' }, 'amount: must be a number'],
		['a malformed type ID', { conversion_type_id: 'reserva', lead_id: CARLOS, amount: 1 }, 'conversion_type_id: must be a valid UUID'],
		['a malformed lead ID', { conversion_type_id: RESERVA, lead_id: 'carlos', amount: 1 }, 'lead_id: must be a valid UUID'],
		[
			'a lower-case currency',
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, currency: 'usd' },
			'currency: must be a 3-letter ISO 4217 code in upper case, e.g. "USD"',
		],
		[
			'a 2-letter currency',
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, currency: 'US' },
			'currency: must be a 3-letter ISO 4217 code in upper case, e.g. "USD"',
		],
		[
			'a converted_at that is no date',
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, converted_at: 'yesterday' },
			'converted_at: must be an ISO 8601 date or date-time',
		],
		[
			'a converted_at on a day that does not exist',
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, converted_at: '2026-02-30' },
			'converted_at: must be an ISO 8601 date or date-time',
		],
		['metadata an array', { conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, metadata: [] }, 'metadata: must be an object'],
		['notes a number', { conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, notes: 5 }, 'notes: must be a string or null'],
		[
			'the [3P] lead_email style',
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, lead_email: 'carlos@example.com' },
			'lead_email: unknown field',
		],
		[
			'an unknown type',
			{ conversion_type_id: UNKNOWN_ID, lead_id: CARLOS, amount: 1 },
			'conversion_type_id: conversion type not found or does not belong to your account',
		],
		[
			'an inactive type',
			{ conversion_type_id: VISITA, lead_id: CARLOS, amount: 1 },
			'conversion_type_id: conversion type Visita is inactive',
		],
		[
			"a type's number field as a string",
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, metadata: { floor: '3' } },
			'metadata.floor: must be a number (field "Floor" of Reserva)',
		],
		[
			"another lead's run",
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, workflow_run_id: MARIA_SALES_RUN },
			'workflow_run_id: workflow run not found for this lead',
		],
		[
			'an unknown run',
			{ conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1, workflow_run_id: UNKNOWN_ID },
			'workflow_run_id: workflow run not found for this lead',
		],
	])('400 for %s; nothing is recorded', async (_name, body, message) => {
		expect(await api('POST', '/conversions', { body })).toMatchObject(invalid(message));
		expect((await api('GET', '/conversions')).body.total).toBe(SEED_CONVERSIONS.length);
	});

	it('400 for invalid JSON and a non-object body; 404 for an unknown lead', async () => {
		expect(await api('POST', '/conversions', { body: '{"amount":' })).toMatchObject({
			status: 400,
			body: { error: 'Validation error', message: expect.stringMatching(/^Invalid JSON body: /) },
		});
		expect(await api('POST', '/conversions', { body: [] })).toMatchObject(invalid('Request body must be a JSON object'));
		expect(await api('POST', '/conversions', { body: '' })).toMatchObject(invalid('conversion_type_id: required'));
		expect(
			await api('POST', '/conversions', { body: { conversion_type_id: RESERVA, lead_id: UNKNOWN_LEAD, amount: 1 } }),
		).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});
});

describe('GET /conversions', () => {
	const EVENT_KEYS = [
		'id', 'conversion_type_id', 'lead_id', 'amount', 'currency', 'converted_at', 'created_at', 'workflow_id',
		'master_workflow_id', 'workflow_run_id', 'metadata', 'notes', 'conversion_types',
	];

	it('lists the seeded conversions newest first with total; the type embedded with its category', async () => {
		const { status, body } = await api('GET', '/conversions');
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['success', 'conversion_events', 'total']);
		expect(body.total).toBe(3);
		expect(body.conversion_events.map((/** @type {any} */ c) => c.id)).toEqual(
			[...SEED_CONVERSIONS].reverse().map((c) => c.id),
		);
		for (const c of body.conversion_events) expect(Object.keys(c)).toEqual(EVENT_KEYS);
		expect(body.conversion_events[2]).toEqual({
			...JSON.parse(JSON.stringify(SEED_CONVERSIONS[0])),
			conversion_types: { name: 'Reserva', category: 'intermediary', fields: conversionType(RESERVA).fields },
		});
	});

	it('new conversions come first; each filter is an exact match', async () => {
		const made = (await api('POST', '/conversions', { body: { conversion_type_id: RESERVA, lead_id: JOHN, amount: 10 } }))
			.body.conversion_event;
		/** @param {string} query */
		const listed = async (query) => {
			const { status, body } = await api('GET', `/conversions${query}`);
			expect(status).toBe(200);
			expect(body.total).toBe(body.conversion_events.length);
			return body.conversion_events.map((/** @type {any} */ c) => c.id);
		};
		const [first, second, third] = SEED_CONVERSIONS.map((c) => c.id);
		expect(await listed('')).toEqual([made.id, third, second, first]);
		expect(await listed(`?lead_id=${CARLOS}`)).toEqual([third, first]);
		expect(await listed(`?lead_id=${CARLOS.toUpperCase()}&conversion_type_id=${RESERVA}`)).toEqual([first]);
		expect(await listed(`?workflow_id=${SALES}`)).toEqual([made.id, second, first]);
		expect(await listed(`?master_workflow_id=${SALES}`)).toEqual([third]);
		expect(await listed(`?workflow_run_id=${MARIA_SALES_RUN}`)).toEqual([second]);
		expect(await listed(`?conversion_type_id=${VENTA}`)).toEqual([third]);
		expect(await listed(`?lead_id=${SOFIA}`)).toEqual([]);
		expect(await listed(`?workflow_id=${PREMIUM}`)).toEqual([]);
		// Empty values and unknown keys filter nothing.
		expect(await listed('?lead_id=&search=x')).toHaveLength(4);
	});

	it.each([
		['limit=0', 'limit: must be an integer between 1 and 200'],
		['limit=201', 'limit: must be an integer between 1 and 200'],
		['limit=abc', 'limit: must be an integer between 1 and 200'],
		['limit=1.5', 'limit: must be an integer between 1 and 200'],
		['limit=-1', 'limit: must be an integer between 1 and 200'],
		['offset=-1', 'offset: must be an integer of 0 or more'],
		['offset=x', 'offset: must be an integer of 0 or more'],
		['lead_id=carlos', 'lead_id: must be a valid UUID'],
		['workflow_run_id=1', 'workflow_run_id: must be a valid UUID'],
	])('400 for ?%s', async (query, message) => {
		expect(await api('GET', `/conversions?${query}`)).toMatchObject(invalid(message));
	});

	it('pages through ~300 conversions with limit (default 50, max 200) and offset, quickly', async () => {
		const ids = [];
		for (let batch = 0; batch < 6; batch++) {
			const answers = await Promise.all(
				Array.from({ length: 50 }, (_, i) =>
					api('POST', '/conversions', {
						body: { conversion_type_id: RESERVA, lead_id: [CARLOS, MARIA, JOHN][i % 3], amount: batch * 50 + i },
					}),
				),
			);
			for (const a of answers) {
				expect(a.status).toBe(201);
				ids.push(a.body.conversion_event.id);
			}
		}
		expect(new Set(ids).size).toBe(300);
		const newestFirst = [...Array.from({ length: 300 }, (_, i) => createdConversionId(300 - i)), ...[...SEED_CONVERSIONS].reverse().map((c) => c.id)];
		const started = Date.now();
		const page1 = await api('GET', '/conversions');
		expect(page1.body.total).toBe(303);
		expect(page1.body.conversion_events.map((/** @type {any} */ c) => c.id)).toEqual(newestFirst.slice(0, 50));
		const big = await api('GET', '/conversions?limit=200&offset=0');
		const rest = await api('GET', '/conversions?limit=200&offset=200');
		expect([...big.body.conversion_events, ...rest.body.conversion_events].map((c) => c.id)).toEqual(newestFirst);
		expect(rest.body.total).toBe(303);
		expect((await api('GET', '/conversions?offset=1000')).body).toEqual({ success: true, conversion_events: [], total: 303 });
		const carlos = await api('GET', `/conversions?lead_id=${CARLOS}&limit=5&offset=10`);
		expect(carlos.body.total).toBe(17 * 6 + 2);
		expect(carlos.body.conversion_events).toHaveLength(5);
		expect(Date.now() - started).toBeLessThan(2000);
		// Created-at order is creation order, even for requests served in the same millisecond.
		const stamps = big.body.conversion_events.map((/** @type {any} */ c) => Date.parse(c.created_at));
		for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeLessThan(stamps[i - 1]);
	});

	it('a few thousand stored conversions list in milliseconds', async () => {
		const body = JSON.stringify({ conversion_type_id: VENTA, lead_id: TONY, amount: 5 });
		for (let i = 0; i < 40; i++) {
			await Promise.all(Array.from({ length: 50 }, () => api('POST', '/conversions', { body })));
		}
		const started = performance.now();
		for (let i = 0; i < 20; i++) {
			const { body: page } = await api('GET', `/conversions?lead_id=${TONY}&limit=200&offset=${i * 50}`);
			expect(page.total).toBe(2000);
		}
		expect(performance.now() - started).toBeLessThan(2000);
	}, 30_000);
});

describe('the pipeline reaches the new routes', () => {
	it('a 429 rule on GET /conversions answers 429 once; the next request is served', async () => {
		sb.addRule({ match: { method: 'GET', path: '/conversions' }, times: 1, fault: { status: 429, retryAfter: 2 } });
		const limited = await api('GET', '/conversions');
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({ error: 'Too many requests', message: 'Rate limit exceeded, retry later' });
		expect(limited.headers.get('retry-after')).toBe('2');
		// The rule matched neither the other path nor the other method.
		expect((await api('GET', '/conversion-types')).status).toBe(200);
		expect((await api('GET', '/conversions')).status).toBe(200);
		expect(sb.journal().map((e) => [e.path, e.status, e.fault])).toEqual([
			['/api/public/conversions', 429, 'status:429'],
			['/api/public/conversion-types', 200, null],
			['/api/public/conversions', 200, null],
		]);
	});

	it('the rate limiter, latency and an injected fault on POST /conversions (which then records nothing)', async () => {
		sb.setFaults({ latencyMs: 30, rateLimit: { ratePerSec: 0.5, burst: 1, retryAfter: 'seconds' } });
		const started = Date.now();
		expect((await api('GET', '/conversions')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(25);
		const limited = await api('GET', '/conversions');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		sb.setFaults({});
		sb.addRule({ match: { path: '/conversions', method: 'POST' }, times: 1, fault: { status: 503 } });
		const failed = await api('POST', '/conversions', { body: { conversion_type_id: RESERVA, lead_id: CARLOS, amount: 1 } });
		expect(failed.status).toBe(503);
		expect((await api('GET', '/conversions')).body.total).toBe(3);
		sb.addRule({ match: { path: '/conversions' }, times: 1, fault: { type: 'truncated' } });
		const cut = await api('GET', '/conversions');
		expect(cut.status).toBe(200);
		expect(cut.body).toBeUndefined();
		expect(cut.text.startsWith('{"success":true,"conversion_events":[')).toBe(true);
	});
});

describe('POST /messages', () => {
	/** @param {string} leadId */
	const historyOf = async (leadId) => (await api('GET', `/leads/${leadId}/history`)).body.history;

	it('WhatsApp free text inside the window (Carlos): type text, message_id, wamid; an outbound history item', async () => {
		const { status, body } = await api('POST', '/messages', {
			body: { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', content: 'Hola Carlos,\nte envío la propuesta.' },
		});
		expect(status).toBe(200);
		expect(body).toEqual({
			success: true,
			channel: 'whatsapp',
			type: 'text',
			message_id: createdMessageId(1),
			provider_message_id: 'wamid.1',
		});
		expect(Object.keys(body)).toEqual(['success', 'channel', 'type', 'message_id', 'provider_message_id']);
		const history = await historyOf(CARLOS);
		expect(history).toHaveLength(7);
		expect(history[5]).toMatchObject({ id: CARLOS_RECENT_MESSAGE_ID, direction: 'inbound' });
		expect(history[6]).toEqual({
			type: 'message',
			id: createdMessageId(1),
			channel: 'whatsapp',
			direction: 'outbound',
			content: 'Hola Carlos,\nte envío la propuesta.',
			message_type: 'text',
			media_url: null,
			attachments: [],
			status: 'sent',
			provider_message_id: 'wamid.1',
			sent_at: history[6].timestamp,
			delivered_at: null,
			read_at: null,
			reaction: null,
			buttons: [],
			timestamp: expect.stringMatching(ISO_MS),
		});
	});

	it('outside the window (no inbound message: María, John, Ana, Tony) free text is refused; a template goes', async () => {
		for (const lead of [MARIA, JOHN, ANA, TONY]) {
			expect(
				await api('POST', '/messages', { body: { lead_id: lead, workflow_id: PREMIUM, channel: 'whatsapp', content: 'Hola' } }),
			).toMatchObject(invalid(OUTSIDE_WINDOW));
		}
		expect(await historyOf(MARIA)).toEqual([]);
		const template = await api('POST', '/messages', {
			body: {
				lead_id: MARIA,
				workflow_id: PREMIUM,
				channel: 'whatsapp',
				template_id: TEMPLATE,
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'María' }] }],
			},
		});
		expect(template).toMatchObject({
			status: 200,
			body: { success: true, channel: 'whatsapp', type: 'template', message_id: createdMessageId(1), provider_message_id: 'wamid.1' },
		});
		// content with a template_id is the template's rendered text, kept in the history.
		const both = await api('POST', '/messages', {
			body: { lead_id: MARIA, workflow_id: PREMIUM, channel: 'whatsapp', template_id: TEMPLATE, content: 'Hola María' },
		});
		expect(both.body).toMatchObject({ type: 'template', message_id: createdMessageId(2), provider_message_id: 'wamid.2' });
		expect((await historyOf(MARIA)).map((/** @type {any} */ h) => [h.message_type, h.content, h.direction])).toEqual([
			['template', null, 'outbound'],
			['template', 'Hola María', 'outbound'],
		]);
	});

	it("the window is 24 hours after the lead's last inbound WhatsApp message, on the sandbox clock", async () => {
		let clock = Date.parse('2026-09-01T12:00:00.000Z');
		const timed = await startSandbox({ now: () => clock });
		try {
			const send = () =>
				api('POST', '/messages', { base: timed, body: { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', content: 'Hola' } });
			const carlosHistory = (await api('GET', `/leads/${CARLOS}/history`, { base: timed })).body.history;
			expect(carlosHistory[5]).toMatchObject({ id: CARLOS_RECENT_MESSAGE_ID, timestamp: '2026-09-01T11:00:00.000Z' });
			expect((await send()).status).toBe(200);
			clock += 23 * HOUR; // exactly 24 h after his reply: still inside
			expect((await send()).status).toBe(200);
			clock += 1;
			expect(await send()).toMatchObject(invalid(OUTSIDE_WINDOW));
			// Our own outbound messages do not reopen it; reset() stamps his reply again from the clock.
			timed.reset();
			expect((await send()).status).toBe(200);
		} finally {
			await timed.close();
		}
	});

	it('email: message_id and activity_id; the default subject; html alone is enough', async () => {
		const { status, body } = await api('POST', '/messages', {
			body: { lead_id: JOHN, workflow_id: SALES, channel: 'email', content: 'Hi John' },
		});
		expect(status).toBe(200);
		expect(body).toEqual({ success: true, channel: 'email', message_id: createdMessageId(1), activity_id: createdActivityId(1) });
		const html = await api('POST', '/messages', {
			body: { lead_id: JOHN, workflow_id: SALES, channel: 'email', html: '<p>Hi <b>John</b></p>', subject: 'Your proposal' },
		});
		expect(html.body).toEqual({ success: true, channel: 'email', message_id: createdMessageId(2), activity_id: createdActivityId(2) });
		const history = await historyOf(JOHN);
		expect(history.map((/** @type {any} */ h) => [h.channel, h.subject, h.content, h.provider_message_id])).toEqual([
			['email', 'Message from your advisor', 'Hi John', null],
			['email', 'Your proposal', '<p>Hi <b>John</b></p>', null],
		]);
		// Email has no 24-hour window: Sofía (no phone, no history) gets one.
		expect((await api('POST', '/messages', { body: { lead_id: SOFIA, workflow_id: SALES, channel: 'email', content: 'Hola' } })).status).toBe(200);
	});

	it('call: call_id and call_status registered; a call item in the history', async () => {
		const { status, body } = await api('POST', '/messages', {
			body: { lead_id: JOHN, workflow_id: SALES, channel: 'call', begin_message: 'Hi John, this is Nexor calling about your demo' },
		});
		expect(status).toBe(200);
		expect(body).toEqual({ success: true, channel: 'call', call_id: createdCallId(1), call_status: 'registered' });
		expect(createdCallId(1)).toBe('f2000000-0000-4000-8000-000000000001');
		const [item] = await historyOf(JOHN);
		expect(item).toMatchObject({
			type: 'call',
			id: createdCallId(1),
			channel: 'call',
			call_status: 'registered',
			begin_message: 'Hi John, this is Nexor calling about your demo',
		});
		// A call needs no window and no begin_message; calls and messages are counted apart.
		expect((await api('POST', '/messages', { body: { lead_id: MARIA, workflow_id: SALES, channel: 'call' } })).body).toMatchObject({
			call_id: createdCallId(2),
		});
	});

	it('a forced first message and POST /messages share the message numbers', async () => {
		const created = await api('POST', '/leads', {
			body: { first_name: 'Hugo', phone: '+56911112222', workflow_id: PREMIUM, force_first_message: { channel: 'whatsapp', content: 'Hola Hugo' } },
		});
		const [, forced] = await historyOf(created.body.lead.id);
		expect(forced).toMatchObject({ id: createdMessageId(1), content: 'Hola Hugo' });
		const sent = await api('POST', '/messages', { body: { lead_id: JOHN, workflow_id: SALES, channel: 'email', content: 'x' } });
		expect(sent.body.message_id).toBe(createdMessageId(2));
	});

	it.each([
		['lead_id missing', { workflow_id: SALES, channel: 'whatsapp', content: 'x' }, 'lead_id: required'],
		['workflow_id missing', { lead_id: CARLOS, channel: 'whatsapp', content: 'x' }, 'workflow_id: required'],
		['channel missing', { lead_id: CARLOS, workflow_id: SALES, content: 'x' }, 'channel: required'],
		['an unknown channel', { lead_id: CARLOS, workflow_id: SALES, channel: 'sms', content: 'x' }, 'channel: must be one of whatsapp, email, call'],
		['a malformed lead_id', { lead_id: 'carlos', workflow_id: SALES, channel: 'call' }, 'lead_id: must be a valid UUID'],
		['a malformed template_id', { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', template_id: 'welcome' }, 'template_id: must be a valid UUID'],
		['components not an array', { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', template_id: TEMPLATE, components: {} }, 'components: must be an array'],
		['content not a string', { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', content: 5 }, 'content: must be a string or null'],
		['an unknown field', { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', content: 'x', to: '+569' }, 'to: unknown field'],
		[
			'an unknown workflow',
			{ lead_id: CARLOS, workflow_id: UNKNOWN_ID, channel: 'whatsapp', content: 'x' },
			'workflow_id: workflow not found or does not belong to your account',
		],
		[
			'whatsapp without content or template_id',
			{ lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', content: '   ' },
			'content: required for whatsapp unless template_id is given',
		],
		[
			'email without content or html',
			{ lead_id: JOHN, workflow_id: SALES, channel: 'email', subject: 'Hi' },
			'content: required for email unless html is given',
		],
		['whatsapp to a lead without a phone', { lead_id: SOFIA, workflow_id: SALES, channel: 'whatsapp', template_id: TEMPLATE }, 'lead_id: the lead has no phone (needed for whatsapp)'],
		['a call to a lead without a phone', { lead_id: SOFIA, workflow_id: SALES, channel: 'call' }, 'lead_id: the lead has no phone (needed for call)'],
		['email to a lead without an email', { lead_id: ANA, workflow_id: SALES, channel: 'email', content: 'x' }, 'lead_id: the lead has no email (needed for email)'],
	])('400 for %s; nothing is sent', async (_name, body, message) => {
		expect(await api('POST', '/messages', { body })).toMatchObject(invalid(message));
		expect(await historyOf(CARLOS)).toHaveLength(6);
		for (const lead of [JOHN, SOFIA, ANA]) expect(await historyOf(lead)).toEqual([]);
	});

	it('404 for an unknown lead; 400 for invalid JSON', async () => {
		expect(
			await api('POST', '/messages', { body: { lead_id: UNKNOWN_LEAD, workflow_id: SALES, channel: 'call' } }),
		).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
		expect(await api('POST', '/messages', { body: 'nope' })).toMatchObject({
			status: 400,
			body: { error: 'Validation error', message: expect.stringMatching(/^Invalid JSON body: /) },
		});
	});
});

describe('POST /meetings', () => {
	/** @param {string} leadId */
	const meetingsOf = async (leadId) => (await api('GET', `/leads/${leadId}/meetings`)).body.meetings;

	it('logs a meeting for the lead with that email (any case): 201 with the GET /leads/{id}/meetings keys', async () => {
		const { status, body } = await api('POST', '/meetings', {
			body: { lead_email: 'JOHN@Example.com', title: 'Intro with John', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 45 },
		});
		expect(status).toBe(201);
		expect(Object.keys(body)).toEqual(['success', 'meeting']);
		expect(Object.keys(body.meeting)).toEqual(MEETING_KEYS);
		expect(body.meeting).toEqual({
			id: createdMeetingId(1),
			title: 'Intro with John',
			starts_at: '2026-10-05T14:00:00.000Z',
			ends_at: '2026-10-05T14:45:00.000Z',
			duration_minutes: 45,
			timezone: 'UTC',
			status: 'scheduled',
			meeting_url: null,
			location_type: 'video',
			location_details: null,
			host_name: null,
			meeting_type: null,
			attendee_name: 'John Doe',
			attendee_email: 'john@example.com',
			confirmed_by_lead: false,
			cancelled_at: null,
			cancellation_reason: null,
			no_show_reason: null,
			outcome_notes: null,
			created_at: expect.stringMatching(ISO_MS),
		});
		expect(await meetingsOf(JOHN)).toEqual([body.meeting]);
		expect(createdMeetingId(1)).toBe('f3000000-0000-4000-8000-000000000001');
	});

	it('reads starts_at without an offset in timezone; ends_at gives the duration; every optional field', async () => {
		const { status, body } = await api('POST', '/meetings', {
			body: {
				lead_id: CARLOS,
				lead_email: 'someone-else@example.com',
				title: 'Site visit',
				starts_at: '2026-10-05T10:00:00',
				ends_at: '2026-10-05T11:30:00',
				timezone: 'America/Santiago',
				meeting_url: null,
				location_type: 'in_person',
				location_details: 'Av. Apoquindo 3000, Las Condes',
				description: 'Showroom visit',
				host_email: 'ANA@co.com',
				meeting_type_id: SEED_MEETING_TYPES[1].id,
				attendee_name: 'Carlos L.',
				attendee_email: 'carlos.work@example.com',
				attendee_phone: '+56900000000',
				additional_attendees: [{ name: 'Paula', email: 'paula@example.com' }, { email: 'legal@example.com' }],
				status: 'confirmed',
			},
		});
		expect(status).toBe(201);
		expect(body.meeting).toMatchObject({
			// Santiago is UTC-3 in October (daylight saving time).
			starts_at: '2026-10-05T13:00:00.000Z',
			ends_at: '2026-10-05T14:30:00.000Z',
			duration_minutes: 90,
			timezone: 'America/Santiago',
			status: 'confirmed',
			confirmed_by_lead: true,
			location_type: 'in_person',
			location_details: 'Av. Apoquindo 3000, Las Condes',
			host_name: 'Ana',
			meeting_type: 'discovery',
			attendee_name: 'Carlos L.',
			attendee_email: 'carlos.work@example.com',
		});
		// lead_id skips the email match; the list is newest first by starts_at.
		expect((await meetingsOf(CARLOS)).map((/** @type {any} */ m) => m.id)).toEqual([createdMeetingId(1), UPCOMING, NO_SHOW]);
		// An explicit offset wins over timezone; both end and duration must agree.
		const offset = await api('POST', '/meetings', {
			body: { lead_id: MARIA, title: 'Call', starts_at: '2026-10-05T10:00:00+02:00', timezone: 'America/Santiago', duration_minutes: 15, ends_at: '2026-10-05T08:15:00Z' },
		});
		expect(offset.body.meeting).toMatchObject({ starts_at: '2026-10-05T08:00:00.000Z', ends_at: '2026-10-05T08:15:00.000Z' });
	});

	it('several leads with the email: the most recently updated one; no lead: 404 (create the lead first)', async () => {
		await api('PUT', `/leads/${TONY}`, { body: { email: 'Carlos@Example.com' } });
		const { body } = await api('POST', '/meetings', {
			body: { lead_email: 'carlos@example.com', title: 'Which one?', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 },
		});
		expect(body.meeting.attendee_name).toBe('Tony');
		expect((await meetingsOf(TONY)).map((/** @type {any} */ m) => m.id)).toEqual([createdMeetingId(1)]);
		await api('PUT', `/leads/${CARLOS}`, { body: { company: 'Acme Holding' } });
		const again = await api('POST', '/meetings', {
			body: { lead_email: 'carlos@example.com', title: 'Now Carlos', starts_at: '2026-10-06T14:00:00Z', duration_minutes: 30 },
		});
		expect(again.body.meeting.attendee_name).toBe('Carlos Lopez');
		expect(
			await api('POST', '/meetings', {
				body: { lead_email: 'nobody@example.com', title: 'x', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 },
			}),
		).toMatchObject({ status: 404, body: { error: 'Not found', message: 'No lead with this email: create the lead first' } });
		expect(
			await api('POST', '/meetings', {
				body: { lead_id: UNKNOWN_LEAD, title: 'x', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 },
			}),
		).toMatchObject({ status: 404, body: LEAD_NOT_FOUND });
	});

	it('a provider plus an event ID makes a replay update the same meeting: 201, then 200 with the same id', async () => {
		const first = await api('POST', '/meetings', {
			body: {
				lead_email: 'maria.gonzalez@example.cl',
				title: 'Demo',
				starts_at: '2026-10-07T15:00:00Z',
				duration_minutes: 30,
				external_calendar_provider: 'ghl',
				external_event_id: 'evt_123',
			},
		});
		expect(first.status).toBe(201);
		const replay = await api('POST', '/meetings', {
			body: {
				lead_email: 'maria.gonzalez@example.cl',
				title: 'Demo (moved)',
				starts_at: '2026-10-08T16:00:00Z',
				duration_minutes: 60,
				external_calendar_provider: 'GHL',
				external_event_id: 'evt_123',
				status: 'confirmed',
			},
		});
		expect(replay.status).toBe(200);
		expect(replay.body.meeting).toMatchObject({
			id: first.body.meeting.id,
			created_at: first.body.meeting.created_at,
			title: 'Demo (moved)',
			starts_at: '2026-10-08T16:00:00.000Z',
			duration_minutes: 60,
			status: 'confirmed',
		});
		expect(await meetingsOf(MARIA)).toEqual([replay.body.meeting]);
		// Another event ID, or a provider without an event ID, is a new meeting each time.
		const other = { lead_id: MARIA, title: 'x', starts_at: '2026-10-09T15:00:00Z', duration_minutes: 30, external_calendar_provider: 'ghl' };
		expect((await api('POST', '/meetings', { body: { ...other, external_event_id: 'evt_124' } })).status).toBe(201);
		expect((await api('POST', '/meetings', { body: other })).status).toBe(201);
		expect((await api('POST', '/meetings', { body: other })).body.meeting.id).toBe(createdMeetingId(4));
		expect(await meetingsOf(MARIA)).toHaveLength(4);
	});

	const BASE = { lead_id: CARLOS, title: 'Demo', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 };
	it.each([
		['no lead_email and no lead_id', { title: 'x', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 }, 'lead_email: required unless lead_id is given'],
		['no title', { lead_id: CARLOS, starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 }, 'title: required'],
		['no starts_at', { lead_id: CARLOS, title: 'x', duration_minutes: 30 }, 'starts_at: required'],
		['neither ends_at nor duration_minutes', { lead_id: CARLOS, title: 'x', starts_at: '2026-10-05T14:00:00Z' }, 'ends_at: required unless duration_minutes is given'],
		['a blank title', { ...BASE, title: '  ' }, 'title: must be a non-empty string'],
		['a lead_email that is no email', { ...BASE, lead_id: undefined, lead_email: 'carlos' }, 'lead_email: must be a valid email address'],
		['starts_at a date only', { ...BASE, starts_at: '2026-10-05' }, 'starts_at: must be an ISO 8601 date-time, e.g. "2026-07-02T15:00:00Z"'],
		['starts_at not a date', { ...BASE, starts_at: 'tomorrow 3pm' }, 'starts_at: must be an ISO 8601 date-time, e.g. "2026-07-02T15:00:00Z"'],
		['duration_minutes 0', { ...BASE, duration_minutes: 0 }, 'duration_minutes: must be an integer between 1 and 1440'],
		['duration_minutes "30"', { ...BASE, duration_minutes: '30' }, 'duration_minutes: must be an integer between 1 and 1440'],
		['an unknown time zone', { ...BASE, timezone: 'Mars/Olympus' }, 'timezone: must be an IANA time zone, e.g. "America/Santiago"'],
		['an offset as time zone', { ...BASE, timezone: '-03:00' }, 'timezone: must be an IANA time zone, e.g. "America/Santiago"'],
		['an unknown location_type', { ...BASE, location_type: 'google_meet' }, 'location_type: must be one of video, phone, in_person'],
		['status completed', { ...BASE, status: 'completed' }, 'status: must be one of scheduled, confirmed'],
		['additional_attendees without emails', { ...BASE, additional_attendees: [{ name: 'Paula' }] }, 'additional_attendees: must be an array of {name, email}'],
		['an empty external_event_id', { ...BASE, external_event_id: '' }, 'external_event_id: must be a non-empty string'],
		['an unknown field', { ...BASE, lead_name: 'Carlos' }, 'lead_name: unknown field'],
		['ends_at before starts_at', { ...BASE, duration_minutes: undefined, ends_at: '2026-10-05T13:00:00Z' }, 'ends_at: must be after starts_at'],
		['ends_at and duration_minutes that disagree', { ...BASE, ends_at: '2026-10-05T15:00:00Z' }, 'duration_minutes: does not match starts_at and ends_at (60 minutes)'],
		['a meeting over a day', { ...BASE, duration_minutes: undefined, ends_at: '2026-10-07T14:00:00Z' }, 'ends_at: a meeting lasts at most 1440 minutes'],
		['a host who is no user', { ...BASE, host_email: 'boss@example.com' }, 'host_email: no active user with this email'],
		['an unknown meeting type', { ...BASE, meeting_type_id: UNKNOWN_ID }, 'meeting_type_id: meeting type not found or does not belong to your account'],
	])('400 for %s; nothing is created', async (_name, body, message) => {
		expect(await api('POST', '/meetings', { body })).toMatchObject(invalid(message));
		expect(await meetingsOf(CARLOS)).toHaveLength(2);
	});
});

describe('POST /meetings/{id}/cancel', () => {
	it('cancels: 200 with the cancellation; a second cancel is idempotent; GET shows it cancelled', async () => {
		const { status, body } = await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { reason: 'Lead asked to reschedule' } });
		expect(status).toBe(200);
		expect(body).toEqual({
			success: true,
			meeting: {
				id: UPCOMING,
				lead_id: CARLOS,
				status: 'cancelled',
				cancelled_at: expect.stringMatching(ISO_MS),
				cancellation_reason: 'Lead asked to reschedule',
			},
		});
		const again = await api('POST', `/meetings/${UPCOMING.toUpperCase()}/cancel`, { body: { reason: 'Other reason' } });
		expect(again).toMatchObject({ status: 200, body: { ...body, idempotent: true } });
		expect(Object.keys(again.body)).toEqual(['success', 'meeting', 'idempotent']);
		const [listed] = (await api('GET', `/leads/${CARLOS}/meetings?status=cancelled`)).body.meetings;
		expect(listed).toMatchObject({ id: UPCOMING, status: 'cancelled', cancelled_at: body.meeting.cancelled_at, cancellation_reason: 'Lead asked to reschedule' });
		sb.reset();
		expect((await api('GET', `/leads/${CARLOS}/meetings`)).body.meetings[0]).toEqual(SEED_MEETINGS[CARLOS][0]);
	});

	it('no body or a null reason: reason null; a meeting made by POST /meetings cancels too', async () => {
		const made = await api('POST', '/meetings', { body: { lead_id: JOHN, title: 'x', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 } });
		const res = await fetch(`${sb.baseUrl}/meetings/${made.body.meeting.id}/cancel`, { method: 'POST', headers: { 'x-api-key': SANDBOX_API_KEY } });
		expect(res.status).toBe(200);
		const answer = /** @type {any} */ (await res.json());
		expect(answer.meeting).toMatchObject({ lead_id: JOHN, status: 'cancelled', cancellation_reason: null });
		expect((await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { reason: null } })).body.meeting.cancellation_reason).toBeNull();
	});

	it('a provider-owned meeting is skipped: managed_externally_inbound_only, nothing changes', async () => {
		const made = await api('POST', '/meetings', {
			body: { ...{ lead_id: JOHN, title: 'GHL booking', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30 }, external_calendar_provider: 'ghl', external_event_id: 'e1' },
		});
		const { status, body } = await api('POST', `/meetings/${made.body.meeting.id}/cancel`, { body: { reason: 'x' } });
		expect(status).toBe(200);
		expect(body).toEqual({ success: true, skipped: true, reason: 'managed_externally_inbound_only', message: expect.any(String) });
		expect((await api('GET', `/leads/${JOHN}/meetings`)).body.meetings[0]).toMatchObject({ status: 'scheduled', cancelled_at: null });
	});

	it('404 for an unknown or malformed id; 400 for a no-show, a bad reason, invalid JSON', async () => {
		expect(await api('POST', `/meetings/${UNKNOWN_ID}/cancel`, { body: {} })).toMatchObject({ status: 404, body: MEETING_NOT_FOUND });
		expect(await api('POST', '/meetings/not-a-uuid/cancel', { body: {} })).toMatchObject({ status: 404, body: MEETING_NOT_FOUND });
		expect(await api('POST', `/meetings/${NO_SHOW}/cancel`, { body: {} })).toMatchObject(invalid('status: a no_show meeting cannot be cancelled'));
		expect(await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { reason: 5 } })).toMatchObject(invalid('reason: must be a string or null'));
		expect(await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { why: 'x' } })).toMatchObject(invalid('why: unknown field'));
		expect((await api('POST', `/meetings/${UPCOMING}/cancel`, { body: '{' })).status).toBe(400);
		expect((await api('GET', `/meetings/${UPCOMING}/cancel`)).status).toBe(405);
		expect((await api('GET', `/leads/${CARLOS}/meetings`)).body.meetings[0].status).toBe('scheduled');
	});
});

/**
 * @typedef {{ method: string, path: string, headers: http.IncomingHttpHeaders, text: string, body: any, at: number }} Received
 */

/**
 * A webhook receiver on 127.0.0.1: records every request; answers the given statuses in turn,
 * then 200 (`'hang'` never answers).
 * @param {(number | 'hang')[]} [answers]
 */
async function startReceiver(answers = []) {
	/** @type {Received[]} */
	const received = [];
	const queue = [...answers];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = undefined;
			}
			received.push({ method: req.method || '', path: req.url || '', headers: req.headers, text, body, at: Date.now() });
			const answer = queue.length ? queue.shift() : 200;
			if (answer === 'hang') return;
			res.writeHead(/** @type {number} */ (answer), { 'content-type': 'application/json' });
			res.end(JSON.stringify({ received: true, status: answer }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/hooks/nexor?src=sandbox`,
		port,
		received,
		close: () => {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** A port nothing listens on (bound, then closed). */
async function closedPort() {
	const server = http.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return port;
}

describe('webhook delivery', () => {
	/** @type {Awaited<ReturnType<typeof startReceiver>>} */
	let receiver;
	const ENVELOPE_KEYS = ['event_type', 'event_id', 'webhook_id', 'delivery_id', 'timestamp', 'client_id', 'test', 'data'];
	const MEETING_DATA_KEYS = [
		'id', 'title', 'starts_at', 'ends_at', 'duration_minutes', 'timezone', 'location_type', 'location_details',
		'meeting_url', 'status', 'source', 'attendee_name', 'attendee_email', 'attendee_phone', 'confirmed_by_lead',
		'cancelled_at', 'cancellation_reason', 'outcome_notes', 'outcome_at', 'no_show_reason',
	];

	beforeEach(async () => {
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await receiver.close();
	});

	it('POSTs the documented envelope with the sandbox headers; meeting.* data from Carlos\'s upcoming meeting', async () => {
		const result = await sb.deliverWebhook({ url: receiver.url, event_type: 'meeting.scheduled' });
		expect(result).toEqual({
			delivered: true,
			status: 200,
			body: '{"received":true,"status":200}',
			eventId: expect.stringMatching(/^f4000000-0000-4000-8000-[0-9a-f]{12}$/),
			deliveryId: expect.stringMatching(/^f5000000-0000-4000-8000-[0-9a-f]{12}$/),
			attempts: [{ attempt: 1, deliveryId: result.deliveryId, status: 200, error: null, durationMs: expect.any(Number) }],
			envelope: expect.any(Object),
		});
		expect(receiver.received).toHaveLength(1);
		const [got] = receiver.received;
		expect(got.method).toBe('POST');
		expect(got.path).toBe('/hooks/nexor?src=sandbox');
		expect(got.headers).toMatchObject({
			'content-type': 'application/json',
			'user-agent': 'Nexor-Webhooks/1.0 (sandbox)',
			'x-nexor-sandbox-signature': 'unsigned',
			'content-length': String(Buffer.byteLength(got.text)),
		});
		expect(got.headers['x-api-key']).toBeUndefined();
		expect(Object.keys(got.body)).toEqual(ENVELOPE_KEYS);
		expect(got.body).toEqual({ ...result.envelope });
		expect(got.body).toMatchObject({
			event_type: 'meeting.scheduled',
			event_id: result.eventId,
			webhook_id: SANDBOX_WEBHOOK_ID,
			delivery_id: result.deliveryId,
			timestamp: expect.stringMatching(ISO_MS),
			client_id: SANDBOX_CLIENT_ID,
			test: false,
		});
		const { data } = got.body;
		expect(Object.keys(data)).toEqual(['meeting', 'lead', 'host', 'meeting_type', 'workflow']);
		expect(Object.keys(data.meeting)).toEqual(MEETING_DATA_KEYS);
		const seed = SEED_MEETINGS[CARLOS][0];
		expect(data.meeting).toMatchObject({
			id: UPCOMING,
			title: seed.title,
			starts_at: seed.starts_at,
			status: 'scheduled',
			source: 'ai_agent',
			attendee_phone: '+56912345678',
			outcome_at: null,
		});
		expect(data.lead).toEqual({
			id: CARLOS,
			first_name: 'Carlos',
			last_name: 'Lopez',
			email: 'carlos@example.com',
			phone: '+56912345678',
			company: 'Acme Corp',
			source: 'api',
		});
		expect(data.host).toEqual({ id: SEED_USERS[0].id, first_name: 'Ana', last_name: null, email: 'ana@co.com' });
		expect(data.meeting_type).toEqual({ id: SEED_MEETING_TYPES[0].id, name: 'Demo' });
		expect(data.workflow).toEqual({ id: SALES, name: 'Sales Outreach', goal_type: 'appointment' });
		// Deliveries have their own list; the request journal only holds /api/public requests.
		expect(sb.deliveries()).toEqual([
			{
				at: expect.any(Number),
				url: receiver.url,
				event_type: 'meeting.scheduled',
				event_id: result.eventId,
				delivery_id: result.deliveryId,
				attempt: 1,
				status: 200,
				error: null,
				test: false,
			},
		]);
		expect(sb.journal()).toEqual([]);
	});

	it.each([
		['meeting.scheduled', { status: 'scheduled', cancelled_at: null }],
		['meeting.confirmed', { status: 'confirmed', confirmed_by_lead: true }],
		['meeting.cancelled', { status: 'cancelled', cancelled_at: expect.stringMatching(ISO_MS), cancellation_reason: expect.any(String) }],
		['meeting.completed', { status: 'completed', outcome_notes: expect.any(String), outcome_at: expect.stringMatching(ISO_MS) }],
		['meeting.no_show', { status: 'no_show', no_show_reason: 'The lead did not join' }],
	])('%s: the default meeting says what happened', async (eventType, fields) => {
		await sb.deliverWebhook({ url: receiver.url, event_type: eventType });
		expect(receiver.received[0].body.data.meeting).toMatchObject({ id: UPCOMING, ...fields });
		// The store is not changed by a default sample.
		expect((await api('GET', `/leads/${CARLOS}/meetings`)).body.meetings[0].status).toBe('scheduled');
	});

	it('defaults follow the store: after a cancel, meeting.cancelled shows its reason; meeting.scheduled still says scheduled', async () => {
		const cancel = await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { reason: 'Travelling' } });
		await sb.deliverWebhook({ url: receiver.url, event_type: 'meeting.cancelled' });
		expect(receiver.received[0].body.data.meeting).toMatchObject({
			status: 'cancelled',
			cancelled_at: cancel.body.meeting.cancelled_at,
			cancellation_reason: 'Travelling',
		});
		await sb.deliverWebhook({ url: receiver.url, event_type: 'meeting.scheduled' });
		expect(receiver.received[1].body.data.meeting).toMatchObject({ status: 'scheduled', cancelled_at: null, cancellation_reason: null });
		await api('PUT', `/leads/${CARLOS}`, { body: { company: 'Acme Holding' } });
		await sb.deliverWebhook({ url: receiver.url, event_type: 'meeting.confirmed' });
		expect(receiver.received[2].body.data.lead.company).toBe('Acme Holding');
	});

	it('workflow_run.status_changed: the full lead, the workflow, the run and the from/to statuses (inferred)', async () => {
		await sb.deliverWebhook({ url: receiver.url, event_type: 'workflow_run.status_changed', test: true });
		const { body } = receiver.received[0];
		expect(body).toMatchObject({ event_type: 'workflow_run.status_changed', test: true });
		expect(Object.keys(body.data)).toEqual(['lead', 'workflow', 'workflow_run', 'from_status', 'to_status']);
		expect(Object.keys(body.data.lead)).toEqual([...LEAD_KEYS]);
		expect(body.data.lead).toMatchObject({ id: CARLOS, metadata: { edad: 35, utm_source: 'google' } });
		expect(body.data.workflow).toEqual({ id: SALES, name: 'Sales Outreach' });
		expect(body.data.workflow_run).toEqual({ id: CARLOS_RUN });
		expect(body.data.from_status).toEqual({ key: 'contacted', label: 'Contacted', category: 'active' });
		expect(body.data.to_status).toEqual({ key: 'engaged', label: 'Engaged', category: 'active' });
		expect(WEBHOOK_EVENT_TYPES).toEqual([
			'workflow_run.status_changed', 'meeting.scheduled', 'meeting.confirmed', 'meeting.cancelled', 'meeting.completed', 'meeting.no_show',
		]);
		expect(SEED_WORKFLOWS[0].statuses.map((st) => st.key).slice(1, 3)).toEqual(['contacted', 'engaged']);
	});

	it('explicit data, event_id, delivery_id and headers; a repeated event_id simulates a duplicate', async () => {
		const options = {
			url: receiver.url,
			event_type: 'conversion.detected',
			data: { amount: 85000 },
			event_id: '550e8400-e29b-41d4-a716-446655440000',
			delivery_id: 'unique-delivery-uuid',
			headers: { 'X-Nexor-Sandbox-Signature': 'sha256=made-up', 'x-extra': 'yes' },
		};
		const first = await sb.deliverWebhook(options);
		const second = await sb.deliverWebhook({ ...options, delivery_id: undefined });
		expect(first).toMatchObject({ eventId: options.event_id, deliveryId: 'unique-delivery-uuid' });
		expect(second.eventId).toBe(options.event_id);
		expect(second.deliveryId).not.toBe(first.deliveryId);
		expect(receiver.received.map((r) => [r.body.event_id, r.body.delivery_id, r.body.data])).toEqual([
			[options.event_id, 'unique-delivery-uuid', { amount: 85000 }],
			[options.event_id, second.deliveryId, { amount: 85000 }],
		]);
		expect(receiver.received[0].headers).toMatchObject({ 'x-nexor-sandbox-signature': 'sha256=made-up', 'x-extra': 'yes' });
		// An event type without a default needs data.
		await expect(sb.deliverWebhook({ url: receiver.url, event_type: 'conversion.detected' })).rejects.toThrow(
			'deliverWebhook.data: required for event type "conversion.detected" (it has no default)',
		);
	});

	it('retry: a failed attempt is tried again after the delays, with a new delivery_id and the same event_id', async () => {
		const failing = await startReceiver([500, 503]);
		try {
			const started = Date.now();
			const result = await sb.deliverWebhook({
				url: failing.url,
				event_type: 'meeting.confirmed',
				retry: { attempts: 4, delaysMs: [40, 80] },
			});
			expect(result.delivered).toBe(true);
			expect(result.status).toBe(200);
			expect(result.attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 500], [2, 503], [3, 200]]);
			expect(failing.received).toHaveLength(3);
			const bodies = failing.received.map((r) => r.body);
			expect(new Set(bodies.map((b) => b.event_id))).toEqual(new Set([result.eventId]));
			expect(new Set(bodies.map((b) => b.delivery_id)).size).toBe(3);
			expect(bodies.map((b) => b.delivery_id)).toEqual(result.attempts.map((a) => a.deliveryId));
			expect(new Set(bodies.map((b) => b.timestamp)).size).toBe(1);
			const [a, b, c] = failing.received.map((r) => r.at);
			expect(b - a).toBeGreaterThanOrEqual(35);
			expect(c - b).toBeGreaterThanOrEqual(75);
			expect(Date.now() - started).toBeLessThan(2000);
			expect(sb.deliveries().map((d) => [d.attempt, d.status, d.event_id])).toEqual([
				[1, 500, result.eventId],
				[2, 503, result.eventId],
				[3, 200, result.eventId],
			]);
		} finally {
			await failing.close();
		}
	});

	it('no connection and a timeout count as failures; every attempt is reported; at most 5', async () => {
		const port = await closedPort();
		const refused = await sb.deliverWebhook({
			url: `http://localhost:${port}/hook`,
			event_type: 'meeting.scheduled',
			retry: { attempts: 5, delaysMs: [5] },
		});
		expect(refused).toMatchObject({ delivered: false, status: null, body: '' });
		expect(refused.attempts.map((a) => [a.status, a.error])).toEqual(Array(5).fill([null, 'ECONNREFUSED']));
		const hanging = await startReceiver(['hang', 201]);
		try {
			const timed = await sb.deliverWebhook({
				url: hanging.url,
				event_type: 'meeting.scheduled',
				timeoutMs: 100,
				retry: { attempts: 2, delaysMs: [0] },
			});
			expect(timed.attempts.map((a) => [a.status, a.error])).toEqual([
				[null, 'timeout after 100 ms'],
				[201, null],
			]);
			expect(timed.delivered).toBe(true);
		} finally {
			await hanging.close();
		}
	});

	it.each([
		['an https URL', { url: 'https://127.0.0.1:9/hook' }, 'deliverWebhook.url: must be an http:// URL on 127.0.0.1 or localhost'],
		['another host', { url: 'http://example.com/hook' }, 'deliverWebhook.url: must be an http:// URL on 127.0.0.1 or localhost'],
		['another private address', { url: 'http://10.0.0.1/hook' }, 'deliverWebhook.url: must be an http:// URL on 127.0.0.1 or localhost'],
		['credentials in the URL', { url: 'http://user:pw@127.0.0.1:9/' }, 'deliverWebhook.url: must be an http:// URL on 127.0.0.1 or localhost'],
		['no event_type', { event_type: '' }, 'deliverWebhook.event_type: must be a non-empty string'],
		['6 attempts', { retry: { attempts: 6 } }, 'deliverWebhook.retry.attempts: must be an integer in [1, 5]'],
		['a delay over a minute', { retry: { attempts: 2, delaysMs: [60001] } }, 'deliverWebhook.retry.delaysMs: must be a non-empty array of numbers in [0, 60000] (ms)'],
		['a timeout over 10 s', { timeoutMs: 10001 }, 'deliverWebhook.timeoutMs: must be a number of ms in [1, 10000]'],
		['a host header', { headers: { Host: 'api.getnexor.ai' } }, 'deliverWebhook.headers.Host: not a header the sandbox lets you set'],
		['an unknown option', { retries: 3 }, 'deliverWebhook.retries: unknown option'],
		['test not a boolean', { test: 'yes' }, 'deliverWebhook.test: must be a boolean'],
	])('refuses %s (SandboxConfigError) and sends nothing', async (_name, change, message) => {
		const promise = sb.deliverWebhook(/** @type {any} */ ({ url: receiver.url, event_type: 'meeting.scheduled', ...change }));
		await expect(promise).rejects.toThrow(message);
		await expect(promise).rejects.toBeInstanceOf(SandboxConfigError);
		expect(receiver.received).toEqual([]);
		expect(sb.deliveries()).toEqual([]);
	});

	it('a cancel queues meeting.cancelled for the configured target; none without a target, none when skipped or idempotent', async () => {
		await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { reason: 'No target yet' } });
		expect(await sb.settleWebhooks()).toEqual([]);
		sb.reset();
		expect(sb.getWebhook()).toBeNull();
		expect(sb.setWebhook({ url: receiver.url })).toEqual({
			url: receiver.url,
			retry: { attempts: 4, delaysMs: [60, 300, 1800] },
			timeoutMs: 10000,
		});
		const cancel = await api('POST', `/meetings/${UPCOMING}/cancel`, { body: { reason: 'Lead asked to reschedule' } });
		const deliveries = await sb.settleWebhooks();
		expect(deliveries).toHaveLength(1);
		expect(receiver.received).toHaveLength(1);
		const { body } = receiver.received[0];
		expect(body).toMatchObject({ event_type: 'meeting.cancelled', test: false, event_id: deliveries[0].event_id });
		expect(body.data.meeting).toMatchObject({
			id: UPCOMING,
			status: 'cancelled',
			cancelled_at: cancel.body.meeting.cancelled_at,
			cancellation_reason: 'Lead asked to reschedule',
		});
		expect(body.data.lead).toMatchObject({ id: CARLOS });
		// A second cancel is a no-op; a provider-owned meeting is skipped: no more events.
		await api('POST', `/meetings/${UPCOMING}/cancel`, {});
		const ghl = await api('POST', '/meetings', {
			body: { lead_id: JOHN, title: 'x', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30, external_calendar_provider: 'ghl', external_event_id: 'g1' },
		});
		await api('POST', `/meetings/${ghl.body.meeting.id}/cancel`, {});
		expect(await sb.settleWebhooks()).toHaveLength(1);
		// A meeting made through the API fires too, with its own data.
		const made = await api('POST', '/meetings', {
			body: { lead_id: JOHN, title: 'Own', starts_at: '2026-10-05T14:00:00Z', duration_minutes: 30, host_email: 'ana@co.com' },
		});
		await api('POST', `/meetings/${made.body.meeting.id}/cancel`, {});
		await sb.settleWebhooks();
		expect(receiver.received[1].body.data).toMatchObject({
			meeting: { id: made.body.meeting.id, source: 'api', status: 'cancelled' },
			lead: { id: JOHN },
			host: { first_name: 'Ana' },
			meeting_type: null,
			workflow: null,
		});
		sb.setWebhook(null);
		expect(sb.getWebhook()).toBeNull();
	});

	it('the target retries an emitted event (default 1, 5, 30 minutes as 60, 300, 1800 ms); options.webhook; reset', async () => {
		const failing = await startReceiver([502, 502]);
		const hooked = await startSandbox({ webhook: { url: failing.url } });
		try {
			expect(hooked.getWebhook()).toMatchObject({ url: failing.url });
			const cancel = await api('POST', `/meetings/${UPCOMING}/cancel`, { base: hooked, body: {} });
			expect(cancel.status).toBe(200);
			const deliveries = await hooked.settleWebhooks();
			expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 502], [2, 502], [3, 200]]);
			expect(new Set(deliveries.map((d) => d.event_id)).size).toBe(1);
			expect(new Set(deliveries.map((d) => d.delivery_id)).size).toBe(3);
			const [a, b, c] = failing.received.map((r) => r.at);
			expect(b - a).toBeGreaterThanOrEqual(55);
			expect(c - b).toBeGreaterThanOrEqual(295);
			hooked.setWebhook(null);
			hooked.reset();
			expect(hooked.deliveries()).toEqual([]);
			expect(hooked.getWebhook()).toMatchObject({ url: failing.url });
		} finally {
			await hooked.close();
			await failing.close();
		}
	});

	it('close() ends a delivery waiting to retry: deliverWebhook rejects', async () => {
		const failing = await startReceiver([500]);
		const short = await startSandbox();
		try {
			const promise = short.deliverWebhook({ url: failing.url, event_type: 'meeting.scheduled', retry: { attempts: 2, delaysMs: [30000] } });
			await new Promise((resolve) => setTimeout(resolve, 100));
			await short.close();
			await expect(promise).rejects.toThrow('The sandbox closed during the webhook delivery');
			await expect(short.deliverWebhook({ url: failing.url, event_type: 'meeting.scheduled' })).rejects.toThrow('The sandbox is closed');
			expect(failing.received).toHaveLength(1);
		} finally {
			await failing.close();
		}
	});

	it('bad options.webhook makes startSandbox reject', async () => {
		await expect(startSandbox({ webhook: { url: 'http://api.getnexor.ai/hook' } })).rejects.toThrow(
			'options.webhook.url: must be an http:// URL on 127.0.0.1 or localhost',
		);
		await expect(startSandbox({ webhook: /** @type {any} */ ({ url: receiver.url, secret: 'x' }) })).rejects.toThrow(
			'options.webhook.secret: unknown key (url, retry, timeoutMs)',
		);
		expect(() => sb.setWebhook(/** @type {any} */ ({ url: 'ftp://127.0.0.1/' }))).toThrow(SandboxConfigError);
	});

	it('the control API: set, show and clear the target, deliver an event, list the deliveries', async () => {
		/**
		 * @param {string} method
		 * @param {string} route
		 * @param {unknown} [body]
		 */
		const control = async (method, route, body) => {
			const res = await fetch(sb.origin + route, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: res.status, body: /** @type {any} */ (await res.json()) };
		};
		expect(await control('GET', '/__sandbox/webhooks')).toEqual({ status: 200, body: { webhook: null } });
		expect(await control('POST', '/__sandbox/webhooks', { url: receiver.url, retry: { attempts: 2, delaysMs: [10] } })).toEqual({
			status: 200,
			body: { success: true, webhook: { url: receiver.url, retry: { attempts: 2, delaysMs: [10] }, timeoutMs: 10000 } },
		});
		expect((await control('GET', '/__sandbox/webhooks')).body.webhook.url).toBe(receiver.url);
		const delivered = await control('POST', '/__sandbox/webhooks/deliver', {
			url: receiver.url,
			event_type: 'meeting.no_show',
			event_id: 'evt-1',
		});
		expect(delivered).toMatchObject({
			status: 200,
			body: { delivered: true, status: 200, eventId: 'evt-1', attempts: [{ attempt: 1, status: 200 }] },
		});
		expect(receiver.received[0].body).toMatchObject({ event_type: 'meeting.no_show', event_id: 'evt-1' });
		expect((await control('GET', '/__sandbox/webhooks/deliveries')).body.deliveries).toEqual([
			expect.objectContaining({ event_id: 'evt-1', status: 200, url: receiver.url }),
		]);
		expect(await control('POST', '/__sandbox/webhooks/deliver', { url: 'http://example.com/', event_type: 'meeting.scheduled' })).toEqual({
			status: 400,
			body: {
				error: 'Sandbox error',
				message: 'deliverWebhook.url: must be an http:// URL on 127.0.0.1 or localhost (the sandbox sends webhooks to this machine only)',
			},
		});
		expect((await control('POST', '/__sandbox/webhooks/deliver', 'not json')).status).toBe(400);
		expect(await control('DELETE', '/__sandbox/webhooks')).toEqual({ status: 200, body: { success: true } });
		expect(sb.getWebhook()).toBeNull();
		expect((await control('GET', '/__sandbox/webhooks/deliver')).status).toBe(405);
		expect(sb.journal()).toEqual([]);
	});

	it('cli: --webhook-url sends the events of the running sandbox there', async () => {
		const cli = path.join(__dirname, 'cli.js');
		const child = spawn(process.execPath, [cli, '--webhook-url', receiver.url], { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const code = await new Promise((resolve, reject) => {
			let asked = false;
			child.stdout.on('data', (chunk) => {
				output += chunk;
				const base = /Base URL\s+(\S+)/.exec(output);
				if (asked || !base || !output.includes('Press Ctrl-C')) return;
				asked = true;
				fetch(`${base[1]}/meetings/${UPCOMING}/cancel`, { method: 'POST', headers: { 'x-api-key': SANDBOX_API_KEY } })
					.then(async () => {
						for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
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
		expect(output).toContain(`Webhooks: events go to ${receiver.url}.`);
		expect(receiver.received.map((r) => r.body.event_type)).toEqual(['meeting.cancelled']);
	});
});
