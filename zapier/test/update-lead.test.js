'use strict';
/**
 * Update Lead through zapier-platform-core's appTester, over real HTTP against the Nexor sandbox:
 * every Zapier-deliverable shared vector (exact body bytes, or the right error and no request),
 * then each way Nexor can fail.
 */
const {
	loadBuiltApp,
	loadCore,
	sandboxModule,
	useSandbox,
	vectorLeadIds,
	zapierCases,
	toInputData,
	caught,
	appErrorOf,
} = require('./helpers.js');

const { zapier, App } = loadBuiltApp();
const core = loadCore();
const { SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);
const updateLead = App.creates.update_lead;
const LEAD_ID = '123e4567-e89b-12d3-a456-426614174000';

// The vectors' lead IDs are added explicitly, so the suite doesn't depend on the seed data.
const sandbox = useSandbox({ leads: vectorLeadIds().map((id) => ({ id, first_name: 'Carlos' })) });
beforeEach(() => sandbox.reset());

/**
 * @param {Record<string, unknown>} inputData
 * @param {string} [apiKey]
 */
const perform = (inputData, apiKey = SANDBOX_API_KEY) =>
	appTester(updateLead.operation.perform, { authData: { api_key: apiKey }, inputData });

/** core's wording for a failure, as the app must show it. */
const coreText = (/** @type {{message: string, fix: string}} */ e) => `${e.message.replace(/[.\s]+$/, '')}. ${e.fix}`;

const CASES = zapierCases();

describe('shared vectors (test/vectors/update-lead.json)', () => {
	it('has Zapier-deliverable cases of both kinds', () => {
		expect(CASES.filter((c) => c.expect.body !== undefined).length).toBeGreaterThan(20);
		expect(CASES.filter((c) => c.expect.error !== undefined).length).toBeGreaterThan(15);
	});

	const successes = CASES.filter((c) => c.expect.body !== undefined).map((c) => [c.name, c]);
	it.each(successes)('%s: sends exactly the expected body', async (_name, c) => {
		const lead = await perform(toInputData(c.input));
		const journal = sandbox.journal();
		expect(journal).toHaveLength(1);
		expect(journal[0].method).toBe('PUT');
		expect(journal[0].path).toBe(`/api/public${c.expect.path}`);
		expect(journal[0].body).toBe(c.expect.body);
		expect(journal[0].headers['x-api-key']).toBe('valid');
		expect(journal[0].headers['content-type']).toBe('application/json');
		expect(journal[0].status).toBe(200);
		expect(lead.id).toBe(c.input.leadId.trim().toLowerCase());
	});

	const failures = CASES.filter((c) => c.expect.error !== undefined).map((c) => [c.name, c]);
	it.each(failures)('%s: refused before any request', async (_name, c) => {
		const inputData = toInputData(c.input);
		const error = await caught(() => perform(inputData));
		expect(sandbox.journal()).toHaveLength(0);

		// The same input through core directly gives the error the app must translate.
		let expected;
		try {
			core.buildUpdateRequest(c.input);
		} catch (e) {
			expected = e;
		}
		expect(expected).toMatchObject(c.expect.error);
		if (c.expect.error.code === 'nothing_to_update') {
			expect(error.name).toBe('HaltedError');
			expect(error.message.startsWith(coreText(expected))).toBe(true);
		} else {
			expect(appErrorOf(error)).toEqual({ message: coreText(expected), code: 'InvalidData', status: 400 });
		}
	});
});

describe('Zapier-shaped input', () => {
	it('treats null (an empty mapped value) as blank, never as a clear', async () => {
		await perform({ lead_id: LEAD_ID, first_name: 'Carla', company: null, metadata: { a: null, b: 'x' } });
		expect(sandbox.journal()[0].body).toBe('{"first_name":"Carla","metadata":{"b":"x"}}');
		expect(sandbox.getLead(LEAD_ID).company).toBe('Acme Corp');
	});

	it('ignores what cleanInputData: false lets through as empty ("" / [] / {})', async () => {
		const error = await caught(() =>
			perform({
				lead_id: LEAD_ID,
				email: '',
				clear_fields: [],
				metadata: {},
				metadata_number_keys: [],
				metadata_boolean_keys: [],
				empty_values: '',
			}),
		);
		expect(error.name).toBe('HaltedError');
		expect(sandbox.journal()).toHaveLength(0);
	});

	it('with Clear the Field, a mapped field that came out empty ("" or null) is cleared; absent keys are untouched', async () => {
		await perform({
			lead_id: LEAD_ID,
			empty_values: 'clear',
			phone: '',
			company: null,
			first_name: '',
			title: 'CEO',
			metadata: { estado_lead: '', utm_source: 'google' },
		});
		expect(sandbox.journal()[0].body).toBe(
			'{"phone":null,"company":null,"title":"CEO","metadata":{"estado_lead":null,"utm_source":"google"}}',
		);
		const lead = sandbox.getLead(LEAD_ID);
		expect(lead).toMatchObject({ first_name: 'Carlos', phone: null, company: null, title: 'CEO' });
	});

	it('sends "35" as text unless its key is in Metadata Number Keys; an old Zap\'s Metadata Value Types is ignored', async () => {
		await perform({ lead_id: LEAD_ID, metadata: { edad: '35', zip: '02139' }, metadata_types: 'auto' });
		expect(sandbox.journal()[0].body).toBe('{"metadata":{"edad":"35","zip":"02139"}}');
		sandbox.reset();
		await perform({ lead_id: LEAD_ID, metadata: { edad: '35', zip: '02139' }, metadata_number_keys: ['edad'] });
		expect(sandbox.journal()[0].body).toBe('{"metadata":{"edad":35,"zip":"02139"}}');
		expect(sandbox.getLead(LEAD_ID).metadata).toMatchObject({ edad: 35, zip: '02139' });
	});

	it('sends text with {{curlies}} untouched (z.request would strip them from an object body)', async () => {
		await perform({ lead_id: LEAD_ID, company: 'Acme {{ltd}}' });
		expect(sandbox.journal()[0].body).toBe('{"company":"Acme {{ltd}}"}');
	});

	it('returns the updated lead, unwrapped from {success, lead}', async () => {
		const lead = await perform({ lead_id: LEAD_ID, title: 'CEO', metadata: { estado_lead: 'calificado' } });
		expect(lead).toEqual(sandbox.getLead(LEAD_ID));
		expect(lead).toMatchObject({ id: LEAD_ID, title: 'CEO', metadata: { edad: 35, estado_lead: 'calificado' } });
		expect(lead).not.toHaveProperty('success');
	});

	it('also accepts a bare lead object', async () => {
		const bare = { id: LEAD_ID, first_name: 'Carlos', company: 'Bare Corp' };
		sandbox.addRule({ match: { method: 'PUT' }, times: 1, fault: { status: 200, body: bare } });
		expect(await perform({ lead_id: LEAD_ID, company: 'Bare Corp' })).toEqual(bare);
	});
});

describe('Nexor failures', () => {
	const input = { lead_id: LEAD_ID, company: 'Acme' };
	const failWith = (/** @type {any} */ fault) => sandbox.addRule({ match: { method: 'PUT' }, times: 1, fault });

	it('401 during a run: ExpiredAuthError with core wording', async () => {
		const error = await caught(() => perform(input, 'nxr_live_revoked_key_0000000000'));
		expect(error.name).toBe('ExpiredAuthError');
		const expected = core.interpretFailure({ status: 401, attempt: 1, now: 0, random: 0 }).error;
		expect(error.message.startsWith(coreText(expected))).toBe(true);
		expect(error.message).not.toContain('nxr_live_revoked_key_0000000000');
		expect(sandbox.journal()[0].headers['x-api-key']).toBe('invalid');
	});

	it('a key with a newline is refused before sending', async () => {
		const body = appErrorOf(await caught(() => perform(input, `${SANDBOX_API_KEY}\nX-Other: 1`)));
		expect(body.code).toBe('AuthenticationError');
		expect(body.message).toContain('API Key');
		expect(body.message).not.toContain(SANDBOX_API_KEY);
		expect(sandbox.journal()).toHaveLength(0);
	});

	it('404: NotFound naming the lead', async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		const body = appErrorOf(await caught(() => perform({ lead_id: missing, company: 'Acme' })));
		const expected = core.interpretFailure({ status: 404, attempt: 1, now: 0, random: 0, leadId: missing }).error;
		expect(body).toEqual({ message: coreText(expected), code: 'NotFound', status: 404 });
		expect(body.message).toContain(missing);
	});

	it('400 from Nexor: InvalidData carrying Nexor\'s own reason', async () => {
		const body = appErrorOf(
			await caught(() => perform({ lead_id: LEAD_ID, campaign_id: '00000000-0000-4000-8000-000000000001' })),
		);
		expect(body.code).toBe('InvalidData');
		expect(body.status).toBe(400);
		expect(body.message).toContain('campaign_id: campaign not found or does not belong to your account');
	});

	it.each([409, 422])('%i from Nexor: InvalidData with that status and Nexor\'s message', async (status) => {
		failWith({ status, body: { error: 'Conflict', message: 'email already used by another lead' } });
		const body = appErrorOf(await caught(() => perform(input)));
		expect(body).toMatchObject({ code: 'InvalidData', status });
		expect(body.message).toContain('Nexor rejected the update: email already used by another lead');
	});

	it('429 with Retry-After in seconds: ThrottledError with that delay', async () => {
		failWith({ status: 429, retryAfter: 30 });
		const error = await caught(() => perform(input));
		expect(error.name).toBe('ThrottledError');
		const expected = core.interpretFailure({ status: 429, attempt: 1, now: 0, random: 0 }).error;
		expect(JSON.parse(error.message)).toEqual({ message: coreText(expected), delay: 30 });
	});

	it('429 with Retry-After as an HTTP date: ThrottledError with the seconds until then', async () => {
		failWith({ status: 429, retryAfter: { seconds: 90, format: 'http-date' } });
		const error = await caught(() => perform(input));
		expect(error.name).toBe('ThrottledError');
		const { delay } = JSON.parse(error.message);
		// The date has one-second resolution and is rounded up; the app rounds up too.
		expect(delay).toBeGreaterThanOrEqual(89);
		expect(delay).toBeLessThanOrEqual(92);
	});

	it('429 without Retry-After: ThrottledError leaving the delay to Zapier', async () => {
		failWith({ status: 429, retryAfter: 'none' });
		const error = await caught(() => perform(input));
		expect(error.name).toBe('ThrottledError');
		expect(JSON.parse(error.message).delay).toBeUndefined();
	});

	it('429 from the rate limiter (not a rule) is handled the same way', async () => {
		sandbox.setFaults({ rateLimit: { ratePerSec: 0.001, burst: 1, retryAfter: 'seconds' } });
		await perform(input);
		const error = await caught(() => perform(input));
		expect(error.name).toBe('ThrottledError');
		expect(JSON.parse(error.message).delay).toBeGreaterThan(1);
	});

	it.each([500, 502, 503, 504])('%i: an error with core wording, no retry loop', async (status) => {
		failWith({ status });
		const body = appErrorOf(await caught(() => perform(input)));
		const expected = core.interpretFailure({ status, attempt: 1, now: 0, random: 0 }).error;
		expect(body).toEqual({ message: coreText(expected), code: 'NexorUnavailable', status });
		expect(sandbox.journal()).toHaveLength(1);
	});

	it('connection reset: an error saying Nexor could not be reached', async () => {
		failWith({ type: 'reset' });
		const body = appErrorOf(await caught(() => perform(input)));
		expect(body.code).toBe('NexorUnreachable');
		expect(body.message).toContain('Could not reach Nexor (ECONNRESET)');
		expect(sandbox.journal()).toHaveLength(1);
	});

	it.each([
		['an HTML page', { type: 'html' }, 'an HTML page instead of JSON'],
		['cut-off JSON', { type: 'truncated' }, 'text that is not valid JSON'],
		['JSON without a lead', { type: 'unexpected' }, 'it did not contain the updated lead'],
		['an empty body', { status: 200, body: null }, 'the body was empty'],
	])('a 200 with %s: UnexpectedResponse', async (_what, fault, detail) => {
		failWith(fault);
		const body = appErrorOf(await caught(() => perform(input)));
		expect(body.code).toBe('UnexpectedResponse');
		expect(body.status).toBe(502);
		expect(body.message).toContain(detail);
	});
});

describe('action definition', () => {
	const op = updateLead.operation;
	const byKey = Object.fromEntries(op.inputFields.map((/** @type {any} */ f) => [f.key, f]));

	it('is creates.update_lead, noun Lead, label Update Lead', () => {
		expect(updateLead).toMatchObject({
			key: 'update_lead',
			noun: 'Lead',
			display: { label: 'Update Lead', description: "Updates an existing lead's fields and metadata in Nexor." },
		});
		expect(op.cleanInputData).toBe(false);
	});

	it('renders its inputs from core: lead_id, the catalogue in order, Fields to Clear, empty values, Metadata and its typed keys', () => {
		expect(op.inputFields.map((/** @type {any} */ f) => f.key)).toEqual([
			'lead_id',
			...core.LEAD_FIELDS.map((/** @type {any} */ f) => f.name),
			'clear_fields',
			'empty_values',
			'metadata',
			'metadata_number_keys',
			'metadata_boolean_keys',
		]);
		expect(byKey.lead_id).toMatchObject({ label: 'Lead ID', required: true, helpText: core.HELP.leadId });
		for (const field of core.LEAD_FIELDS) {
			expect(byKey[field.name]).toMatchObject({
				label: field.label,
				helpText: core.fieldHelp(field),
				placeholder: field.example,
				required: false,
			});
		}
		expect(byKey.clear_fields).toMatchObject({ label: 'Fields to Clear', list: true, helpText: core.HELP.fieldsToClear });
		expect(byKey.clear_fields.choices).toEqual(
			core.CLEARABLE_FIELDS.map((/** @type {any} */ f) => ({ value: f.name, label: f.label, sample: f.name })),
		);
		expect(byKey.empty_values).toMatchObject({
			label: 'When a Mapped Value Is Empty',
			default: 'skip',
			required: false,
			choices: [
				{ value: 'skip', label: 'Skip It', sample: 'skip' },
				{ value: 'clear', label: 'Clear the Field', sample: 'clear' },
			],
		});
		expect(byKey.empty_values.helpText).toContain(core.HELP.emptyValues);
		expect(byKey.metadata).toMatchObject({ label: 'Metadata', dict: true });
		// The one typing rule, word for word as the n8n node and README give it.
		expect(byKey.metadata.helpText).toContain(core.HELP.metadata);
		expect(byKey.metadata.helpText).toContain(core.HELP.metadataTyping);
		expect(byKey.metadata.helpText).toContain('Metadata Number Keys');
		expect(byKey.metadata_number_keys).toMatchObject({
			label: 'Metadata Number Keys',
			list: true,
			required: false,
			helpText: core.HELP.metadataNumberKeys,
		});
		expect(byKey.metadata_boolean_keys).toMatchObject({
			label: 'Metadata True/False Keys',
			list: true,
			required: false,
			helpText: core.HELP.metadataBooleanKeys,
		});
		expect(byKey).not.toHaveProperty('metadata_types');
	});

	it('uses title-case labels', () => {
		const small = new Set(['to', 'of', 'a', 'an', 'the', 'and', 'or']);
		for (const field of [...op.inputFields, ...op.outputFields]) {
			for (const word of field.label.split(' ')) {
				if (!small.has(word)) expect(word[0]).toBe(word[0].toUpperCase());
			}
		}
	});

	it('has a realistic sample that matches its output fields, with ISO-8601 dates', () => {
		for (const field of op.outputFields) expect(op.sample).toHaveProperty(field.key);
		expect(op.outputFields[0]).toEqual({ key: 'id', label: 'Lead ID', type: 'string' });
		expect(op.outputFields.find((/** @type {any} */ f) => f.key === 'campaign_id').label).toBe('Campaign ID');
		for (const key of ['created_at', 'updated_at']) {
			expect(op.outputFields.find((/** @type {any} */ f) => f.key === key).type).toBe('datetime');
			expect(op.sample[key]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
		}
		expect(Object.keys(op.sample)).toEqual([
			'id',
			...core.LEAD_FIELDS.map((/** @type {any} */ f) => f.name),
			'metadata',
			'created_at',
			'updated_at',
		]);
	});
});
