'use strict';
/**
 * Every action, search and hidden trigger beyond Update Lead, through zapier-platform-core's
 * appTester over real HTTP against the Nexor sandbox. First every Zapier-deliverable case of
 * test/vectors/operations.json (the request in the sandbox's journal byte for byte, or core's input
 * error with nothing sent), then real answers: Find Lead, Find or Create, the dropdown lists, the
 * automation switches, the tag actions.
 */
const {
	loadBuiltApp,
	loadCore,
	REPO_DIR,
	sandboxModule,
	useSandbox,
	caught,
	appErrorOf,
	withRoute,
} = require('./helpers.js');
const fs = require('node:fs');
const path = require('node:path');
// From a vector's core input to the action's inputData; the operations the app doesn't offer.
const { ON_ZAPIER, NOT_ON_ZAPIER } = require('./operation-inputs.js');

const { zapier, App } = loadBuiltApp();
const core = loadCore();
const { SANDBOX_API_KEY } = sandboxModule();
const appTester = zapier.createAppTester(App);

const sandbox = useSandbox();
beforeEach(() => sandbox.reset());

const CARLOS = '123e4567-e89b-12d3-a456-426614174000';
const SALES_OUTREACH = '9b2f6c1e-4d3a-4f8b-a1c2-3e4f5a6b7c81';

/**
 * Runs an action (`creates.create_lead`), search (`searches.find_lead`) or trigger with the
 * sandbox's key.
 * @param {string} where e.g. 'creates.create_lead'
 * @param {Record<string, unknown>} inputData
 */
function run(where, inputData) {
	const [kind, key] = where.split('.');
	const definition = /** @type {any} */ (App)[kind][key];
	if (!definition) throw new Error(`The app has no ${where}`);
	return appTester(definition.operation.perform, { authData: { api_key: SANDBOX_API_KEY }, inputData });
}

/** core's wording for a failure, as the app must show it. */
const coreText = (/** @type {{message: string, fix: string}} */ e) => `${e.message.replace(/[.\s]+$/, '')}. ${e.fix}`;

/** @type {{ cases: any[] }} */
const VECTORS = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'test', 'vectors', 'operations.json'), 'utf8'));
const forZapier = (/** @type {any} */ c) => !c.platforms || c.platforms.includes('zapier');
const CASES = VECTORS.cases.filter((c) => forZapier(c) && c.operation in ON_ZAPIER);

/** @param {string} key */
function coreOperation(key) {
	const [resource, name] = key.split(':');
	return core.OPERATIONS[resource][name];
}

describe('shared vectors (test/vectors/operations.json)', () => {
	it('every operation is either a Zapier action/search or listed as n8n-only', () => {
		const all = Object.entries(core.OPERATIONS).flatMap(([r, ops]) => Object.keys(/** @type {object} */ (ops)).map((n) => `${r}:${n}`));
		expect([...Object.keys(ON_ZAPIER), ...NOT_ON_ZAPIER, 'lead:update'].sort()).toEqual(all.sort());
		for (const { where } of Object.values(ON_ZAPIER)) {
			const [kind, key] = where.split('.');
			expect(/** @type {any} */ (App)[kind][key]).toBeDefined();
		}
	});

	it('runs a case of every Zapier operation, of both kinds', () => {
		for (const operation of Object.keys(ON_ZAPIER)) {
			expect(CASES.filter((c) => c.operation === operation).length).toBeGreaterThan(0);
		}
		expect(CASES.filter((c) => c.expect.error === undefined).length).toBeGreaterThan(20);
		expect(CASES.filter((c) => c.expect.error !== undefined).length).toBeGreaterThan(15);
		// A case marked for Zapier whose operation the app lacks would be silently lost: there is one,
		// for Get Lead Meetings (n8n's multi-select can't send an unknown status; Zapier has no such action).
		const lost = VECTORS.cases.filter((c) => forZapier(c) && !(c.operation in ON_ZAPIER));
		for (const c of lost) expect(NOT_ON_ZAPIER).toContain(c.operation);
	});

	const successes = CASES.filter((c) => c.expect.error === undefined).map((c) => [`${c.operation}: ${c.name}`, c]);
	it.each(successes)('%s: sends exactly core\'s request', async (_name, c) => {
		const { where, inputData } = ON_ZAPIER[c.operation];
		// The answer doesn't matter here (a vector's workflow may not exist in the sandbox): the request does.
		await run(where, inputData(c.input)).catch(() => undefined);
		const journal = sandbox.journal();
		expect(journal).toHaveLength(1);
		const url = new URL(journal[0].path, 'http://sandbox');
		expect(journal[0].method).toBe(c.expect.method);
		expect(url.pathname).toBe(`/api/public${c.expect.path}`);
		expect([...url.searchParams]).toEqual(Object.entries(c.expect.query || {}));
		expect(journal[0].body).toBe(c.expect.body === undefined ? '' : c.expect.body);
		expect(journal[0].headers['x-api-key']).toBe('valid');
		if (c.expect.body !== undefined) expect(journal[0].headers['content-type']).toBe('application/json');
	});

	const failures = CASES.filter((c) => c.expect.error !== undefined).map((c) => [`${c.operation}: ${c.name}`, c]);
	it.each(failures)('%s: refused before any request, naming the field', async (_name, c) => {
		const { where, inputData } = ON_ZAPIER[c.operation];
		const error = await caught(() => run(where, inputData(c.input)));
		expect(sandbox.journal()).toHaveLength(0);

		// The same input through core gives the error the app must show, word for word.
		let expected;
		try {
			coreOperation(c.operation).prepare(c.input);
		} catch (e) {
			expected = e;
		}
		expect(expected).toMatchObject(c.expect.error);
		const body = appErrorOf(error);
		expect(body).toEqual({ message: coreText(expected), code: 'InvalidData', status: 400 });
		expect(body.message).toContain(expected.label);
	});
});

// ── Real answers from the sandbox ──────────────────────────────────────────────────────────────

describe('Find Lead (searches.find_lead)', () => {
	it('finds the seed lead by email, any case, as core matched it', async () => {
		const found = await run('searches.find_lead', { email: ' Carlos@Example.com ' });
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ id: CARLOS, first_name: 'Carlos', email: 'carlos@example.com' });
	});

	it('finds by phone on every digit', async () => {
		const found = await run('searches.find_lead', { phone: '+56 9 1234 5678' });
		expect(found.map((/** @type {any} */ l) => l.id)).toEqual([CARLOS]);
	});

	it('nothing found is an empty list, not an error', async () => {
		expect(await run('searches.find_lead', { email: 'nobody@example.com' })).toEqual([]);
		expect(sandbox.journal()).toHaveLength(1);
	});

	it('a near miss of the fuzzy search is not a match', async () => {
		// GET /leads?search=carlos@example.co also returns carlos@example.com: core keeps exact matches only.
		expect(await run('searches.find_lead', { email: 'carlos@example.co' })).toEqual([]);
	});
});

describe('Find or Create Lead (searchOrCreates.find_lead)', () => {
	it('pairs Find Lead with Create Lead', () => {
		expect(/** @type {any} */ (App).searchOrCreates.find_lead).toMatchObject({
			key: 'find_lead',
			search: 'find_lead',
			create: 'create_lead',
			display: { label: 'Find or Create Lead' },
		});
	});

	it('search finds nothing → create → the next search finds the new lead', async () => {
		const email = 'nueva.persona@example.com';
		expect(await run('searches.find_lead', { email })).toEqual([]);
		const lead = await run('creates.create_lead', { first_name: 'Nueva', email, metadata: { utm_source: 'zapier' } });
		expect(lead).toMatchObject({ first_name: 'Nueva', email });
		expect(lead).not.toHaveProperty('success');
		const found = await run('searches.find_lead', { email: email.toUpperCase() });
		expect(found.map((/** @type {any} */ l) => l.id)).toEqual([lead.id]);
	});
});

describe('Create Lead (creates.create_lead)', () => {
	it('enrols the new lead in a workflow and returns the lead with its workflow run', async () => {
		const lead = await run('creates.create_lead', {
			first_name: 'Ana',
			phone: '+56 9 5555 0101',
			workflow_id: SALES_OUTREACH,
			metadata: { edad: '35' },
			metadata_number_keys: ['edad'],
		});
		expect(lead).toMatchObject({ first_name: 'Ana', phone: '+56 9 5555 0101', metadata: { edad: 35 } });
		expect(lead.workflow_run).toMatchObject({ workflow: { id: SALES_OUTREACH, name: 'Sales Outreach' } });
		expect(sandbox.journal()[0].body).toBe(
			`{"first_name":"Ana","phone":"+56 9 5555 0101","workflow_id":"${SALES_OUTREACH}","metadata":{"edad":35}}`,
		);
	});

	it('a lead with an existing email comes back as that lead, updated (the duplicate rule its help states)', async () => {
		const lead = await run('creates.create_lead', { first_name: 'Carlos', email: 'CARLOS@example.com', company: 'Nueva SpA' });
		expect(lead).toMatchObject({ id: CARLOS, company: 'Nueva SpA' });
		expect(lead).not.toHaveProperty('workflow_run');
	});

	it('an unknown workflow is Nexor\'s 400, shown as InvalidData with Nexor\'s reason', async () => {
		const body = appErrorOf(
			await caught(() => run('creates.create_lead', { first_name: 'Ana', workflow_id: 'c0000000-0000-4000-8000-000000000001' })),
		);
		expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(body.message).toMatch(/^Nexor rejected the new lead: .*workflow/);
	});
});

describe('lead lifecycle and tag actions against the sandbox', () => {
	const JOHN = '8f14e45f-ceea-467f-a0e6-1b2c3d4e5f02';
	const PREMIUM_OUTREACH = '9b2f6c1e-4d3a-4f8b-a1c2-3e4f5a6b7c82';
	const CARLOS_RUN = '550e8400-e29b-41d4-a716-446655440000';
	const VIP = '0f8fad5b-d9cb-469f-a165-70867728950e';
	const FOLLOW_UP = '1c6b1470-3f5b-4b3a-9f0e-6b8d2a7e4c11';

	withRoute('POST', '/leads/:id/automation/stop')('Stop AI Automation twice: the second is a success with already_stopped true', async () => {
		const input = { lead_id: CARLOS, workflow_id: SALES_OUTREACH };
		const first = await run('creates.stop_ai_automation', input);
		expect(first).toMatchObject({ lead_id: CARLOS, workflow_id: SALES_OUTREACH, workflow_run_id: CARLOS_RUN, already_stopped: false });
		expect(first).not.toHaveProperty('success');
		const second = await run('creates.stop_ai_automation', input);
		expect(second).toMatchObject({ lead_id: CARLOS, workflow_run_id: CARLOS_RUN, already_stopped: true });
		expect(sandbox.journal().map((/** @type {any} */ e) => [e.method, e.path, e.status])).toEqual([
			['POST', `/api/public/leads/${CARLOS}/automation/stop`, 200],
			['POST', `/api/public/leads/${CARLOS}/automation/stop`, 200],
		]);
	});

	withRoute('POST', '/leads/:id/automation/resume')('Resume AI Automation after a stop, then again: already_running true the second time', async () => {
		await run('creates.stop_ai_automation', { lead_id: CARLOS, workflow_id: SALES_OUTREACH });
		const input = { lead_id: CARLOS, workflow_id: SALES_OUTREACH, resume_cadence: true };
		expect(await run('creates.resume_ai_automation', input)).toMatchObject({ lead_id: CARLOS, already_running: false });
		expect(sandbox.journal()[1].body).toBe(`{"workflow_id":"${SALES_OUTREACH}","resume_cadence":true}`);
		expect(await run('creates.resume_ai_automation', input)).toMatchObject({ already_running: true });
	});

	withRoute('POST', '/leads/:id/automation/stop')('Stop AI Automation for a lead with no run in that workflow: NotFound in core\'s words', async () => {
		const body = appErrorOf(await caught(() => run('creates.stop_ai_automation', { lead_id: JOHN, workflow_id: SALES_OUTREACH })));
		expect(body).toMatchObject({ code: 'NotFound', status: 404 });
		expect(body.message).toBe(
			`Lead ${JOHN} has no active run in workflow ${SALES_OUTREACH}, or doesn't exist. Check the Lead ID and the Workflow: the lead must be in that workflow and not in a final status.`,
		);
	});

	withRoute('POST', '/leads/:id/status')('Set Lead Status: changed, then the same status again is changed false', async () => {
		const input = { lead_id: CARLOS, status_key: 'qualified', reason: 'Budget approved' };
		expect(await run('creates.set_lead_status', input)).toMatchObject({
			lead_id: CARLOS,
			changed: true,
			previous_status: 'contacted',
			new_status: 'qualified',
		});
		expect(await run('creates.set_lead_status', input)).toMatchObject({ changed: false });
	});

	withRoute('POST', '/leads/:id/assign-workflow')('Add Lead to Workflow: enrolment of a lead without a run', async () => {
		const result = await run('creates.add_lead_to_workflow', { lead_id: JOHN, workflow_id: PREMIUM_OUTREACH, actor_id: 'ops@example.com' });
		expect(result).toMatchObject({
			lead_id: JOHN,
			workflowId: PREMIUM_OUTREACH,
			workflowName: 'Premium Outreach',
			movementType: 'enrollment',
			paused: false,
		});
		expect(typeof result.workflowRunId).toBe('string');
	});

	withRoute('POST', '/leads/:id/tags')('Add Tags to Lead keeps the lead\'s tags and adds the chosen ones', async () => {
		const result = await run('creates.add_lead_tags', { lead_id: CARLOS, tag_ids: [FOLLOW_UP, VIP] });
		expect(result.lead_id).toBe(CARLOS);
		expect(result.tags.map((/** @type {any} */ t) => t.id).sort()).toEqual([VIP, FOLLOW_UP].sort());
	});

	withRoute('PUT', '/leads/tags')('Set Lead Tags by email replaces the tags; Remove All Tags clears them', async () => {
		const set = await run('creates.set_lead_tags', { lead_by: 'email', email: 'Carlos@Example.com', tags: ['Follow-up', 'Nuevo Tag'] });
		expect(set).toMatchObject({ lead_id: CARLOS, removed: [VIP] });
		expect(set.tags.map((/** @type {any} */ t) => t.name)).toEqual(['Follow-up', 'Nuevo Tag']);
		const cleared = await run('creates.set_lead_tags', { lead_id: CARLOS, remove_all_tags: true });
		expect(cleared.tags).toEqual([]);
	});

	withRoute('POST', '/tags')('Create Tag makes the slug from the name; the same slug again is Nexor\'s 409 as InvalidData', async () => {
		const tag = await run('creates.create_tag', { name: 'Seguimiento Café', description: 'Needs a call' });
		expect(tag).toMatchObject({ name: 'Seguimiento Café', slug: 'seguimiento-cafe', description: 'Needs a call' });
		expect(typeof tag.id).toBe('string');
		const body = appErrorOf(await caught(() => run('creates.create_tag', { name: 'Seguimiento cafe' })));
		expect(body).toMatchObject({ code: 'InvalidData', status: 409 });
		expect(body.message).toContain('Nexor rejected the new tag');
	});
});

describe('hidden dropdown triggers', () => {
	const list = (/** @type {string} */ key) => run(`triggers.${key}`, {});

	it('workflow_list: every workflow as {id, name}, sorted by name, inactive ones described', async () => {
		const choices = await list('workflow_list');
		expect(choices.map((/** @type {any} */ c) => c.name)).toEqual(['Legacy Nurture', 'Premium Outreach', 'Sales Outreach']);
		expect(choices[2]).toEqual({ id: SALES_OUTREACH, name: 'Sales Outreach' });
		expect(choices[0].description).toBe('Inactive');
		expect(sandbox.journal().map((/** @type {any} */ e) => `${e.method} ${e.path}`)).toEqual(['GET /api/public/workflows']);
	});

	it('campaign_list: the campaigns, sorted by name', async () => {
		const choices = await list('campaign_list');
		expect(choices).toEqual([
			{ id: '123e4567-e89b-12d3-a456-426614174001', name: 'Q1 Campaign' },
			{ id: '16fd2706-8baf-433b-82eb-8c7fada847da', name: 'Spring Promo' },
			{ id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Webinar Follow-up' },
		]);
	});

	it('tag_list: the tags with their descriptions, sorted by name', async () => {
		const choices = await list('tag_list');
		expect(choices.map((/** @type {any} */ c) => c.name)).toEqual(['Follow-up', 'Hot lead', 'VIP']);
		expect(choices[2]).toEqual({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'VIP', description: 'High-value leads' });
	});

	it('lead_list: the 50 newest leads, named by name and contact, in Nexor\'s order', async () => {
		const choices = await list('lead_list');
		expect(sandbox.journal()[0].path).toBe('/api/public/leads?limit=50');
		expect(choices.length).toBeGreaterThan(3);
		expect(choices).toContainEqual({ id: CARLOS, name: 'Carlos Lopez (carlos@example.com)' });
		for (const choice of choices) expect(Object.keys(choice)).toEqual(['id', 'name']);
	});

	it.each(['data', 'array'])('reads a list answered in the "%s" shape too', async (shape) => {
		sandbox.setShapes({ list: shape });
		expect((await list('campaign_list')).map((/** @type {any} */ c) => c.name)).toEqual(['Q1 Campaign', 'Spring Promo', 'Webinar Follow-up']);
	});

	it.each(['workflow_list', 'campaign_list', 'lead_list'])('%s: a list in a shape core does not know is a clear error, not an empty dropdown', async (key) => {
		sandbox.setShapes({ list: 'unknown' });
		const body = appErrorOf(await caught(() => list(key)));
		expect(body.code).toBe('UnexpectedResponse');
		expect(body.message).toMatch(/shape this integration doesn't know/);
		expect(body.message).toContain('Expected a list under');
	});
});

describe('Set Lead Tags: blanks never clear', () => {
	it.each([
		['no Tags at all', {}],
		['an empty list', { tags: [] }],
		['blank names', { tags: ['', '  '] }],
		['blank text', { tags: '' }],
		['Remove All Tags off', { tags: [], remove_all_tags: false }],
	])('%s: refused, nothing sent', async (_name, extra) => {
		const body = appErrorOf(await caught(() => run('creates.set_lead_tags', { lead_id: CARLOS, ...extra })));
		expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(body.message).toMatch(/^Tags is empty\. .*Remove All Tags.*Nothing was sent\.$/);
		expect(sandbox.journal()).toHaveLength(0);
	});
});

describe('definitions', () => {
	const app = /** @type {any} */ (App);
	const visible = [
		...Object.values(app.creates).map((d) => ['creates', d]),
		...Object.values(app.searches).map((d) => ['searches', d]),
		...Object.values(app.triggers).filter((d) => !d.display.hidden).map((d) => ['triggers', d]),
	];
	const hiddenTriggers = Object.values(app.triggers).filter((t) => t.display.hidden);
	/** Input fields written out (a function in inputFields adds fields at run time: the dynamic part of a form). */
	const plainInputs = (/** @type {any} */ d) => (d.operation.inputFields || []).filter((/** @type {any} */ f) => typeof f !== 'function');
	const names = visible.map(([kind, d]) => [`${kind}.${d.key}`, d]);

	it('offers these actions, one search, New Conversion and five hidden triggers', () => {
		expect(Object.keys(app.creates)).toEqual([
			'create_lead',
			'update_lead',
			'add_lead_tags',
			'set_lead_tags',
			'set_lead_status',
			'add_lead_to_workflow',
			'stop_ai_automation',
			'resume_ai_automation',
			'create_tag',
			'record_conversion',
			'send_message',
			'log_meeting',
			'cancel_meeting',
		]);
		expect(Object.keys(app.searches)).toEqual(['find_lead']);
		expect(Object.keys(app.triggers)).toEqual(['new_conversion', 'lead_list', 'workflow_list', 'campaign_list', 'tag_list', 'conversion_type_list']);
		expect(hiddenTriggers.map((t) => t.key)).toEqual(['lead_list', 'workflow_list', 'campaign_list', 'tag_list', 'conversion_type_list']);
	});

	/**
	 * A sample's value at an output field's key: `a__b` is a nested key, `a[]b` a key of a list's items.
	 * @param {any} sample
	 * @param {string} key
	 */
	function sampleHas(sample, key) {
		const [head, ...rest] = key.split('[]');
		let at = sample;
		for (const part of head.split('__')) {
			if (at === null || typeof at !== 'object' || !(part in at)) return false;
			at = at[part];
		}
		if (rest.length === 0) return true;
		return Array.isArray(at) && at.length > 0 && at.every((item) => sampleHas(item, rest.join('[]')));
	}

	it.each(names)('%s: a sample holding every output field, datetimes in ISO 8601', (_name, d) => {
		const { sample, outputFields } = d.operation;
		expect(sample).toBeDefined();
		expect(outputFields.length).toBeGreaterThan(0);
		for (const field of outputFields) {
			expect([field.key, sampleHas(sample, field.key)]).toEqual([field.key, true]);
			if (field.type === 'datetime') expect(sample[field.key]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		}
	});

	it.each(names)('%s: title-case labels, a description that is a sentence', (_name, d) => {
		const small = new Set(['to', 'of', 'a', 'an', 'the', 'and', 'or', 'by', 'for']);
		const labels = [d.display.label, ...plainInputs(d).map((/** @type {any} */ f) => f.label), ...d.operation.outputFields.map((/** @type {any} */ f) => f.label)];
		for (const label of labels) {
			for (const word of label.split(' ')) if (!small.has(word) && /^[a-z]/.test(word)) throw new Error(`"${label}" is not title case`);
		}
		expect(d.display.description).toMatch(/^[A-Z][a-z]+s .*\.$/);
	});

	it.each(names)('%s: ID inputs are dropdowns; Lead ID also offers Find Lead as a search step', (_name, d) => {
		const byKey = Object.fromEntries(plainInputs(d).map((/** @type {any} */ f) => [f.key, f]));
		if (byKey.lead_id) expect(byKey.lead_id).toMatchObject({ dynamic: 'lead_list.id.name', search: 'find_lead.id', label: 'Lead ID' });
		if (byKey.workflow_id) expect(byKey.workflow_id).toMatchObject({ dynamic: 'workflow_list.id.name', label: 'Workflow' });
		if (byKey.campaign_id) expect(byKey.campaign_id.dynamic).toBe('campaign_list.id.name');
		if (byKey.tag_ids) expect(byKey.tag_ids).toMatchObject({ dynamic: 'tag_list.id.name', list: true });
		if (byKey.conversion_type_id) expect(byKey.conversion_type_id).toMatchObject({ dynamic: 'conversion_type_list.id.name', label: 'Conversion Type' });
	});

	it.each(hiddenTriggers.map((t) => [t.key, t]))('%s: hidden, "Triggers when …", a sample with id and name', (_key, t) => {
		expect(t.display.hidden).toBe(true);
		expect(t.display.description).toMatch(/^Triggers when .*\.$/);
		expect(t.operation.sample).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String) }));
	});

	it('Create Lead says what happens with a duplicate, in core\'s words, first', () => {
		const first = app.creates.create_lead.operation.inputFields[0];
		expect(first).toMatchObject({ type: 'copy', helpText: core.DUPLICATE_HELP });
		expect(app.creates.create_lead.display.description).toContain('updated instead');
	});

	it('zapier/README.md has a section for each action, search and list trigger, and the duplicate rule word for word', () => {
		const readme = fs.readFileSync(path.join(REPO_DIR, 'zapier', 'README.md'), 'utf8');
		for (const key of Object.keys(app.creates)) expect(readme).toContain(`(\`creates.${key}\`)`);
		expect(readme).toContain('(`searches.find_lead`)');
		expect(readme).toContain('(`searchOrCreates.find_lead`');
		for (const t of hiddenTriggers) expect(readme).toContain(`| \`${t.key}\` |`);
		expect(readme).toContain('(`triggers.new_conversion`)');
		expect(readme).toContain(core.DUPLICATE_HELP);
	});

	it('Set Lead Tags warns that tags not listed are removed', () => {
		const tags = app.creates.set_lead_tags.operation.inputFields.find((/** @type {any} */ f) => f.key === 'tags');
		expect(tags.helpText).toContain('tags not listed here are removed');
	});

	it('Stop AI Automation says a repeat is a success', () => {
		expect(app.creates.stop_ai_automation.display.description).toContain('already stopped is a success');
	});

	it('Send Message says first, plainly, that it sends a real message, and when free-text WhatsApp works', () => {
		const first = app.creates.send_message.operation.inputFields[0];
		expect(first.type).toBe('copy');
		expect(first.helpText).toMatch(/^\*\*This sends a real message to the lead\*\*/);
		expect(first.helpText).toContain("Free-text WhatsApp works only within 24 hours of the lead's last message");
		expect(first.helpText).toContain('template');
		const content = plainInputs(app.creates.send_message).find((/** @type {any} */ f) => f.key === 'content');
		expect(content.helpText).toContain('24 hours');
		expect(app.creates.send_message.display.description).toContain('real');
	});

	it('Log Meeting: Calendar Provider and External Event ID both say a replay then updates the meeting', () => {
		const fields = plainInputs(app.creates.log_meeting);
		for (const key of ['external_calendar_provider', 'external_event_id']) {
			expect(fields.find((/** @type {any} */ f) => f.key === key).helpText).toContain('updates the same meeting instead of logging it twice');
		}
	});

	it('Record Conversion: the type alters the form, whose dynamic part is a function; Amount is a number', () => {
		const { inputFields } = app.creates.record_conversion.operation;
		expect(inputFields.find((/** @type {any} */ f) => f.key === 'conversion_type_id')).toMatchObject({ required: true, altersDynamicFields: true });
		expect(inputFields.filter((/** @type {any} */ f) => typeof f === 'function')).toHaveLength(1);
		expect(inputFields.find((/** @type {any} */ f) => f.key === 'amount')).toMatchObject({ type: 'number', required: true });
		expect(app.creates.record_conversion.display.description).toContain('Not retried');
	});

	it('Cancel Meeting: a repeat is a success, flagged by Already Cancelled', () => {
		expect(app.creates.cancel_meeting.display.description).toContain('already cancelled is a success');
		const keys = app.creates.cancel_meeting.operation.outputFields.map((/** @type {any} */ f) => f.key);
		expect(keys).toEqual(expect.arrayContaining(['skipped', 'already_cancelled', 'skip_reason']));
	});
});
