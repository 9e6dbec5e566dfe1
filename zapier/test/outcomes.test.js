'use strict';
/**
 * What comes out of a lead's journey, through the built app's appTester over real HTTP against the
 * Nexor sandbox: the New Conversion trigger (newest first, an `id` per item that Zapier deduplicates
 * on), the conversion type dropdown, Record Conversion (with the chosen type's fields as inputs of their
 * own), Send Message, Log Meeting (a replay with provider + event ID is the same meeting) and Cancel
 * Meeting (twice: already_cancelled). A test whose sandbox route isn't served yet is skipped, named
 * "[waiting for the sandbox route …]".
 */
const { loadBuiltApp, loadCore, sandboxModule, useSandbox, caught, appErrorOf, withRoute } = require('./helpers.js');

const { zapier, App } = loadBuiltApp();
const core = loadCore();
const sandboxApi = sandboxModule();
const { SANDBOX_API_KEY, SEED_LEAD_IDS, SEED_WORKFLOW_IDS, SEED_RUNS, SEED_CONVERSION_TYPES, SEED_CONVERSIONS } = sandboxApi;
const appTester = zapier.createAppTester(App);

const sandbox = useSandbox();
beforeEach(() => sandbox.reset());

const [CARLOS, MARIA] = SEED_LEAD_IDS;
const [SALES] = SEED_WORKFLOW_IDS;
const CARLOS_RUN = SEED_RUNS[0].id;
const [RESERVA, VENTA, VISITA] = SEED_CONVERSION_TYPES.map((/** @type {any} */ t) => t.id);
const UNKNOWN_ID = '00000000-0000-4000-8000-eeeeeeeeeeee';
const SEED_MEETING = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/**
 * Runs a trigger, action or an input-field list (`creates.record_conversion.operation.inputFields`)
 * with the sandbox's key, as Zapier would.
 * @param {string} method e.g. 'triggers.new_conversion.operation.perform'
 * @param {Record<string, unknown>} inputData
 */
function call(method, inputData = {}) {
	// appTester wants the app's own function or array, found by its path.
	const target = method.split('.').reduce((/** @type {any} */ at, part) => at[part], App);
	if (target === undefined) throw new Error(`The app has no ${method}`);
	return appTester(target, { authData: { api_key: SANDBOX_API_KEY }, inputData });
}
const poll = (/** @type {Record<string, unknown>} */ inputData = {}) => call('triggers.new_conversion.operation.perform', inputData);
const create = (/** @type {string} */ key, /** @type {Record<string, unknown>} */ inputData) => call(`creates.${key}.operation.perform`, inputData);

/** The journal's requests as `METHOD path?query body`. */
const sent = () => sandbox.journal().map((/** @type {any} */ e) => `${e.method} ${e.path}${e.body ? ` ${e.body}` : ''}`);

/** Record Conversion's minimal input: a Reserva for Carlos. */
const reserva = (/** @type {Record<string, unknown>} */ extra = {}) => ({ conversion_type_id: RESERVA, lead_id: CARLOS, amount: '1000', ...extra });

const ids = (/** @type {any[]} */ items) => items.map((i) => i.id);

describe('New Conversion (triggers.new_conversion)', () => {
	withRoute('GET', '/conversions')('returns the newest conversions first, each with a unique text id, from one request of 50', async () => {
		const items = await poll();
		expect(ids(items)).toEqual(SEED_CONVERSIONS.map((/** @type {any} */ c) => c.id).reverse());
		for (const item of items) expect(typeof item.id).toBe('string');
		expect(new Set(ids(items)).size).toBe(items.length);
		// The item is Nexor's conversion as listed, the type embedded.
		expect(items[0]).toMatchObject({ amount: 2500.5, currency: 'USD', conversion_types: { name: 'Venta', category: 'final' } });
		// Exactly the request core's Get Many conversions builds with Limit 50 (n8n sends the same).
		const expected = core.OPERATIONS.conversion.getMany.prepare({ limit: 50 }).request;
		expect(expected).toEqual({ method: 'GET', path: '/conversions', query: { limit: '50', offset: '0' } });
		expect(sent()).toEqual(['GET /api/public/conversions?limit=50&offset=0']);
	});

	withRoute('POST', '/conversions')('a recorded conversion comes first in the next poll; ids are stable, so Zapier starts the Zap for it once', async () => {
		// Zapier's dedupe, as it works: the first poll of a new Zap only remembers the ids it saw.
		const seen = new Set(ids(await poll()));
		expect(seen.size).toBe(SEED_CONVERSIONS.length);

		const recorded = await create('record_conversion', reserva({ conversion_field_unit: 'C-305', conversion_number_floor: '5' }));
		const second = await poll();
		expect(second[0]).toMatchObject({ id: recorded.id, lead_id: CARLOS, amount: 1000, metadata: { unit: 'C-305', floor: 5 } });
		// Every earlier item keeps its id and order after the new one.
		expect(ids(second)).toEqual([recorded.id, ...seen]);
		const fresh = second.filter((/** @type {any} */ item) => !seen.has(item.id));
		expect(ids(fresh)).toEqual([recorded.id]);
		for (const id of ids(second)) seen.add(id);

		// A poll with nothing new: every id already seen, nothing starts.
		const third = await poll();
		expect(ids(third)).toEqual(ids(second));
		expect(third.filter((/** @type {any} */ item) => !seen.has(item.id))).toEqual([]);
	});

	withRoute('POST', '/conversions')('more than 50 conversions: the poll returns the newest 50, newest first, all different', async () => {
		/** @type {string[]} */
		const recorded = [];
		for (let n = 1; n <= 55; n++) recorded.push((await create('record_conversion', reserva({ amount: String(n) }))).id);
		const items = await poll();
		expect(items).toHaveLength(50);
		expect(ids(items)).toEqual(recorded.slice(-50).reverse());
		expect(new Set(ids(items)).size).toBe(50);
	});

	withRoute('GET', '/conversions')('Conversion Type filters: only that type, its ID first in the query', async () => {
		const items = await poll({ conversion_type_id: RESERVA });
		expect(items.map((/** @type {any} */ i) => i.conversion_type_id)).toEqual([RESERVA, RESERVA]);
		expect(sent()).toEqual([`GET /api/public/conversions?conversion_type_id=${RESERVA}&limit=50&offset=0`]);
	});

	it('a Conversion Type that is a name, not an ID, is refused before anything is sent', async () => {
		const body = appErrorOf(await caught(() => poll({ conversion_type_id: 'Reserva' })));
		expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(body.message).toMatch(/^Conversion Type /);
		expect(sandbox.journal()).toHaveLength(0);
	});
});

describe('conversion_type_list (hidden)', () => {
	withRoute('GET', '/conversion-types')('the active types as {id, name, description}, sorted by name; the inactive one left out', async () => {
		const choices = await call('triggers.conversion_type_list.operation.perform');
		expect(choices).toEqual([
			{ id: RESERVA, name: 'Reserva', description: 'intermediary, CLP' },
			{ id: VENTA, name: 'Venta', description: 'final, USD' },
		]);
		expect(ids(choices)).not.toContain(VISITA);
		expect(sent()).toEqual(['GET /api/public/conversion-types']);
	});
});

describe('Record Conversion (creates.record_conversion)', () => {
	const FORM = 'creates.record_conversion.operation.inputFields';
	/** The form's keys after the dynamic part ran. */
	const form = async (/** @type {Record<string, unknown>} */ inputData) => /** @type {any[]} */ (await call(FORM, inputData));
	/** The inputs the chosen type added. */
	const typeFields = (/** @type {any[]} */ fields) => fields.filter((f) => /^conversion_(field|number)_/.test(f.key));

	withRoute('GET', '/conversion-types')('choosing a type adds its fields: Floor is a number input, Unit a text input', async () => {
		const fields = await form({ conversion_type_id: RESERVA });
		const added = typeFields(fields);
		expect(added).toEqual([
			expect.objectContaining({ key: 'conversion_field_unit', label: 'Unit', type: 'string', required: false }),
			expect.objectContaining({ key: 'conversion_number_floor', label: 'Floor', type: 'number', required: false }),
		]);
		// Between Notes and Other Fields, where the function sits.
		const keys = fields.map((f) => f.key);
		expect(keys.indexOf('conversion_field_unit')).toBe(keys.indexOf('notes') + 1);
		expect(keys.indexOf('other_fields')).toBe(keys.indexOf('conversion_number_floor') + 1);
		expect(sent()).toEqual(['GET /api/public/conversion-types']);

		const venta = await form({ conversion_type_id: VENTA.toUpperCase() });
		expect(typeFields(venta).map((f) => [f.key, f.type])).toEqual([['conversion_field_contract_number', 'string']]);
	});

	it.each([
		['no type yet', {}],
		['a type mapped from an earlier step', { conversion_type_id: '{{123__conversion_type}}' }],
		['a type name', { conversion_type_id: 'Reserva' }],
	])('%s: no type fields, nothing sent', async (_name, inputData) => {
		const fields = await form(inputData);
		expect(typeFields(fields)).toEqual([]);
		expect(fields.map((f) => f.key)).toContain('other_fields');
		expect(sandbox.journal()).toHaveLength(0);
	});

	withRoute('GET', '/conversion-types')('an unknown or inactive type: no type fields (Other Fields still there)', async () => {
		for (const id of [UNKNOWN_ID, VISITA]) {
			const fields = await form({ conversion_type_id: id });
			expect(typeFields(fields)).toEqual([]);
			expect(fields.map((f) => f.key)).toContain('other_fields');
		}
	});

	withRoute('POST', '/conversions')('records a conversion: type fields in metadata, the number field as a number; Nexor accepts it', async () => {
		const result = await create(
			'record_conversion',
			reserva({
				amount: '85000.50',
				currency: 'clp',
				converted_at: '2026-02-10T12:00:00Z',
				workflow_run_id: CARLOS_RUN,
				notes: 'Deposit',
				conversion_field_unit: 'A-102',
				conversion_number_floor: '7',
				other_fields: { broker: 'Maria Gonzalez' },
			}),
		);
		expect(sent()).toEqual([
			`POST /api/public/conversions {"conversion_type_id":"${RESERVA}","lead_id":"${CARLOS}","amount":85000.5,"workflow_run_id":"${CARLOS_RUN}","currency":"CLP","converted_at":"2026-02-10T12:00:00Z","metadata":{"unit":"A-102","floor":7,"broker":"Maria Gonzalez"},"notes":"Deposit"}`,
		]);
		expect(result).toMatchObject({
			id: sandboxApi.createdConversionId(1),
			conversion_type_id: RESERVA,
			lead_id: CARLOS,
			amount: 85000.5,
			currency: 'CLP',
			workflow_run_id: CARLOS_RUN,
			metadata: { unit: 'A-102', floor: 7, broker: 'Maria Gonzalez' },
			notes: 'Deposit',
			conversion_types: { name: 'Reserva' },
		});
		expect(result).not.toHaveProperty('success');
		for (const field of App.creates.record_conversion.operation.outputFields) {
			if (!field.key.includes('__')) expect([field.key, field.key in result]).toEqual([field.key, true]);
		}
	});

	withRoute('POST', '/conversions')('Other Fields: a number field sent as text is Nexor\'s 400; listed in Other Fields Number Keys it is a number', async () => {
		const refused = appErrorOf(await caught(() => create('record_conversion', reserva({ other_fields: { floor: '7' } }))));
		expect(refused).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(refused.message).toMatch(/^Nexor rejected the conversion: .*floor/);

		const ok = await create('record_conversion', reserva({ other_fields: { floor: '7' }, other_fields_number_keys: ['floor'] }));
		expect(ok.metadata).toEqual({ floor: 7 });
	});

	it('a type number field that is not a number is refused before anything is sent, naming the key', async () => {
		const body = appErrorOf(await caught(() => create('record_conversion', reserva({ conversion_number_floor: 'seventh' }))));
		expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(body.message).toContain('"floor"');
		expect(sandbox.journal()).toHaveLength(0);
	});

	withRoute('POST', '/conversions')('an unknown lead is NotFound naming the lead; an inactive type is Nexor\'s 400', async () => {
		const missing = appErrorOf(await caught(() => create('record_conversion', reserva({ lead_id: UNKNOWN_ID }))));
		expect(missing).toMatchObject({ code: 'NotFound', status: 404 });
		expect(missing.message).toContain(UNKNOWN_ID);
		const inactive = appErrorOf(await caught(() => create('record_conversion', reserva({ conversion_type_id: VISITA }))));
		expect(inactive).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(inactive.message).toContain('inactive');
	});
});

describe('Send Message (creates.send_message)', () => {
	withRoute('POST', '/messages')('WhatsApp text to a lead who wrote within 24 hours: Nexor\'s answer with the lead ID', async () => {
		const result = await create('send_message', { lead_id: CARLOS, workflow_id: SALES, channel: 'whatsapp', content: 'Hola Carlos' });
		expect(sent()).toEqual([
			`POST /api/public/messages {"lead_id":"${CARLOS}","workflow_id":"${SALES}","channel":"whatsapp","content":"Hola Carlos"}`,
		]);
		expect(result).toMatchObject({ lead_id: CARLOS, channel: 'whatsapp', type: 'text' });
		expect(typeof result.message_id).toBe('string');
		expect(result).not.toHaveProperty('success');
	});

	withRoute('POST', '/messages')('free-text WhatsApp outside the 24-hour window is Nexor\'s refusal; a template goes through', async () => {
		const refused = appErrorOf(await caught(() => create('send_message', { lead_id: MARIA, workflow_id: SALES, channel: 'whatsapp', content: 'Hola' })));
		expect(refused).toMatchObject({ code: 'InvalidData' });
		expect(refused.message).toMatch(/^Nexor rejected the message: /);
		const template = await create('send_message', {
			lead_id: MARIA,
			workflow_id: SALES,
			channel: 'whatsapp',
			template_id: 'd0000000-0000-4000-8000-000000000001',
			components: '[{"type":"body","parameters":[{"type":"text","text":"Maria"}]}]',
		});
		expect(template).toMatchObject({ lead_id: MARIA, channel: 'whatsapp', type: 'template' });
	});

	withRoute('POST', '/messages')('an email and an AI call', async () => {
		const email = await create('send_message', { lead_id: CARLOS, workflow_id: SALES, channel: 'email', subject: 'Your quote', html: '<p>Hi</p>' });
		expect(email).toMatchObject({ lead_id: CARLOS, channel: 'email' });
		const callResult = await create('send_message', { lead_id: CARLOS, workflow_id: SALES, channel: 'call', begin_message: 'Hola, soy Sofía' });
		expect(callResult).toMatchObject({ lead_id: CARLOS, channel: 'call' });
		expect(typeof callResult.call_id).toBe('string');
		expect(sandbox.journal()[1].body).toBe(`{"lead_id":"${CARLOS}","workflow_id":"${SALES}","channel":"call","begin_message":"Hola, soy Sofía"}`);
	});
});

describe('Log Meeting (creates.log_meeting)', () => {
	const demo = {
		lead_email: 'Carlos@Example.com',
		title: 'Demo',
		starts_at: '2026-08-10T15:00:00Z',
		duration_minutes: '30',
	};

	withRoute('POST', '/meetings')('logs a meeting for the lead found by email: the meeting, with its ID', async () => {
		const meeting = await create('log_meeting', demo);
		expect(sent()).toEqual([
			'POST /api/public/meetings {"lead_email":"Carlos@Example.com","title":"Demo","starts_at":"2026-08-10T15:00:00Z","duration_minutes":30}',
		]);
		expect(meeting).toMatchObject({
			id: sandboxApi.createdMeetingId(1),
			title: 'Demo',
			duration_minutes: 30,
			attendee_email: 'carlos@example.com',
			status: 'scheduled',
		});
		expect(Date.parse(meeting.starts_at)).toBe(Date.parse('2026-08-10T15:00:00Z'));
		expect(meeting).not.toHaveProperty('success');
		for (const field of App.creates.log_meeting.operation.outputFields) expect([field.key, field.key in meeting]).toEqual([field.key, true]);
	});

	withRoute('POST', '/meetings')('a replay with Calendar Provider and External Event ID is the same meeting; without them, a second one', async () => {
		const calendar = { ...demo, lead_by: 'id', lead_id: CARLOS, lead_email: undefined, external_calendar_provider: 'calendly', external_event_id: 'evt_123' };
		const first = await create('log_meeting', calendar);
		const replay = await create('log_meeting', { ...calendar, title: 'Demo (moved)', starts_at: '2026-08-11T15:00:00Z' });
		expect(replay.id).toBe(first.id);
		expect(replay).toMatchObject({ title: 'Demo (moved)' });

		const a = await create('log_meeting', demo);
		const b = await create('log_meeting', demo);
		expect(new Set([first.id, a.id, b.id]).size).toBe(3);
	});

	withRoute('POST', '/meetings')('an email no lead has is NotFound in core\'s words', async () => {
		const body = appErrorOf(await caught(() => create('log_meeting', { ...demo, lead_email: 'nobody@example.com' })));
		expect(body).toMatchObject({ code: 'NotFound', status: 404 });
		expect(body.message).toBe(
			'No lead with email "nobody@example.com" exists in this Nexor account. Create the lead first (Lead → Create), or check the Lead Email.',
		);
	});
});

describe('Cancel Meeting (creates.cancel_meeting)', () => {
	withRoute('POST', '/meetings/:id/cancel')('cancels a meeting; cancelling it again is a success with already_cancelled true', async () => {
		const first = await create('cancel_meeting', { meeting_id: SEED_MEETING, reason: 'Lead asked to move it' });
		expect(first).toMatchObject({
			id: SEED_MEETING,
			lead_id: CARLOS,
			status: 'cancelled',
			cancellation_reason: 'Lead asked to move it',
			skipped: false,
			already_cancelled: false,
			skip_reason: null,
		});
		expect(typeof first.cancelled_at).toBe('string');
		const second = await create('cancel_meeting', { meeting_id: SEED_MEETING });
		expect(second).toMatchObject({ id: SEED_MEETING, status: 'cancelled', skipped: false, already_cancelled: true });
		expect(sent()).toEqual([
			`POST /api/public/meetings/${SEED_MEETING}/cancel {"reason":"Lead asked to move it"}`,
			`POST /api/public/meetings/${SEED_MEETING}/cancel`,
		]);
		for (const field of App.creates.cancel_meeting.operation.outputFields) expect([field.key, field.key in second]).toEqual([field.key, true]);
	});

	withRoute('POST', '/meetings/:id/cancel')('a meeting its calendar owns: a success with skipped true, Nexor\'s reason and message', async () => {
		const logged = await create('log_meeting', {
			lead_email: 'carlos@example.com',
			title: 'Demo',
			starts_at: '2026-08-10T15:00:00Z',
			ends_at: '2026-08-10T15:45:00Z',
			external_calendar_provider: 'calendly',
			external_event_id: 'evt_9',
		});
		const result = await create('cancel_meeting', { meeting_id: logged.id });
		expect(result).toMatchObject({ id: logged.id, skipped: true, already_cancelled: false, skip_reason: 'managed_externally_inbound_only' });
		expect(result.message).toContain('calendly');
	});

	withRoute('POST', '/meetings/:id/cancel')('a meeting that already took place is Nexor\'s 400, shown with its reason', async () => {
		const body = appErrorOf(await caught(() => create('cancel_meeting', { meeting_id: '3f2504e0-4f89-41d3-9a0c-0305e82c3302' })));
		expect(body).toMatchObject({ code: 'InvalidData', status: 400 });
		expect(body.message).toMatch(/^Nexor rejected the cancellation: .*no_show/);
	});

	withRoute('POST', '/meetings/:id/cancel')('an unknown meeting is NotFound naming it', async () => {
		const body = appErrorOf(await caught(() => create('cancel_meeting', { meeting_id: UNKNOWN_ID })));
		expect(body).toMatchObject({ code: 'NotFound', status: 404 });
		expect(body.message).toBe(`No meeting with ID ${UNKNOWN_ID} exists in this Nexor account. Check the Meeting ID.`);
	});
});
