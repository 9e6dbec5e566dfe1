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
} = require('./helpers.js');
const fs = require('node:fs');
const path = require('node:path');

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

// ── From a vector's core input to the action's inputData ─────────────────────────────────────────

/**
 * `to[key] = from[name]` for each pair whose `name` is in `from` (a key present with "", null or
 * undefined stays present: the action decides what blank means, as Zapier hands it over).
 * @param {Record<string, unknown>} from
 * @param {Record<string, string>} names core name → Zapier key
 */
function rename(from, names) {
	/** @type {Record<string, unknown>} */
	const to = {};
	for (const [name, key] of Object.entries(names)) if (name in from) to[key] = from[name];
	return to;
}

/**
 * Core's metadata entries as the Zapier dict, with per-entry types as Metadata Number Keys /
 * Metadata True/False Keys (the only typing a Zapier user has).
 * @param {any} metadata
 */
function metadataInput(metadata) {
	if (metadata === undefined) return {};
	if (!Array.isArray(metadata.entries)) throw new Error('only key/value metadata can reach Zapier (a dict field)');
	/** @type {Record<string, unknown>} */
	const dict = {};
	/** @type {string[]} */
	const numberKeys = [];
	/** @type {string[]} */
	const booleanKeys = [];
	for (const entry of metadata.entries) {
		Object.defineProperty(dict, entry.key, { value: entry.value, enumerable: true, writable: true, configurable: true });
		if (entry.type === 'number') numberKeys.push(entry.key);
		else if (entry.type === 'boolean') booleanKeys.push(entry.key);
		else if (entry.type !== undefined) throw new Error(`a Zapier dict entry can't have type ${entry.type}`);
	}
	return {
		metadata: dict,
		...(numberKeys.length > 0 && { metadata_number_keys: numberKeys }),
		...(booleanKeys.length > 0 && { metadata_boolean_keys: booleanKeys }),
	};
}

/**
 * Per operation: where it lives in the app and how a vector's core input becomes its inputData.
 * @type {Record<string, { where: string, inputData: (input: any) => Record<string, unknown> }>}
 */
const ON_ZAPIER = {
	'lead:create': {
		where: 'creates.create_lead',
		inputData: (i) => ({
			...i.fields,
			...rename(i, { workflowId: 'workflow_id', metadataNumberKeys: 'metadata_number_keys', metadataBooleanKeys: 'metadata_boolean_keys' }),
			...metadataInput(i.metadata),
			...rename(i.firstMessage || {}, {
				channel: 'first_message_channel',
				content: 'first_message_content',
				subject: 'first_message_subject',
				senderId: 'first_message_sender_id',
			}),
		}),
	},
	'lead:find': { where: 'searches.find_lead', inputData: (i) => rename(i, { email: 'email', phone: 'phone' }) },
	'lead:setStatus': {
		where: 'creates.set_lead_status',
		inputData: (i) => rename(i, { leadId: 'lead_id', statusKey: 'status_key', reason: 'reason', workflowId: 'workflow_id' }),
	},
	'lead:addToWorkflow': {
		where: 'creates.add_lead_to_workflow',
		inputData: (i) => rename(i, { leadId: 'lead_id', workflowId: 'workflow_id', reason: 'reason', actorId: 'actor_id' }),
	},
	'lead:stopAutomation': {
		where: 'creates.stop_ai_automation',
		inputData: (i) => rename(i, { leadId: 'lead_id', workflowId: 'workflow_id' }),
	},
	'lead:resumeAutomation': {
		where: 'creates.resume_ai_automation',
		inputData: (i) => rename(i, { leadId: 'lead_id', workflowId: 'workflow_id', resumeCadence: 'resume_cadence' }),
	},
	'lead:addTags': { where: 'creates.add_lead_tags', inputData: (i) => rename(i, { leadId: 'lead_id', tagIds: 'tag_ids' }) },
	'lead:setTags': {
		where: 'creates.set_lead_tags',
		inputData: (i) =>
			rename(i, { leadBy: 'lead_by', leadId: 'lead_id', email: 'email', tags: 'tags', removeAllTags: 'remove_all_tags' }),
	},
	'tag:create': { where: 'creates.create_tag', inputData: (i) => rename(i, { name: 'name', slug: 'slug', description: 'description' }) },
};

/** Core operations the Zapier app does not offer (n8n only), so their vectors can't run here. */
const NOT_ON_ZAPIER = [
	'lead:get',
	'lead:getAutomationStatus',
	'lead:getHistory',
	'lead:getMeetings',
	'lead:getTags',
	'tag:getMany',
	'tag:delete',
];

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
