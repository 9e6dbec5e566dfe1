// @ts-check
/**
 * The lead lifecycle and tag operations inside real n8n (2.41.1 on Node 24, 1.123.81 on Node 20):
 * every n8n-deliverable case of test/vectors/operations.json through the installed package, with
 * inputs mapped through expressions (the exact request in the sandbox's journal, or an input error
 * item and no request), then a chain of operations on live sandbox answers (create → find → add to
 * workflow → set tags by email → get → stop twice), Find's empty and unknown-shape answers, and on
 * n8n 2.x the dropdowns and lead search through n8n's REST API.
 */
const { startSandbox, SEED_WORKFLOWS } = require('../sandbox/server.js');
const { createN8nHome, LINES } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const { codeNode, itemsWorkflow, nexorNode, nodeOutputs, operationParameters, workflow } = require('../support/workflows.js');
const vectors = require('../vectors/operations.json');

jest.setTimeout(20 * 60 * 1000);

const CREDENTIAL = { id: 'nexorCredOps0001', name: 'Nexor sandbox' };
/** The label each input error must name, by the vector's `field`. */
const LABELS = {
	first_name: 'First Name',
	email: 'Email',
	phone: 'Phone',
	workflow_id: 'Workflow',
	'force_first_message.subject': 'First Message Subject',
	'force_first_message.channel': 'First Message Channel',
	lead_id: 'Lead ID',
	status_key: 'Status',
	tag_ids: 'Tags',
	tags: 'Tags',
	remove_all_tags: 'Remove All Tags',
	name: 'Name',
	slug: 'Slug',
	tag_id: 'Tag ID',
	amount: 'Amount',
	currency: 'Currency',
	converted_at: 'Converted At',
	conversion_type_id: 'Conversion Type',
	content: 'Content',
	channel: 'Channel',
	components: 'Template Components',
	ends_at: 'Ends At',
	starts_at: 'Starts At',
	external_event_id: 'External Event ID',
	lead_email: 'Lead Email',
	timezone: 'Timezone',
	meeting_id: 'Meeting ID',
};

/** @type {any[]} */
const n8nCases = vectors.cases.filter((/** @type {any} */ c) => !c.platforms || c.platforms.includes('n8n'));
const operationKeys = [...new Set(n8nCases.map((c) => c.operation))];
const nodeName = (/** @type {string} */ key) => `Nexor ${key.replace(':', ' ')}`;

/** One chain per operation, run one after another: its cases as items → the node for that operation. */
function vectorsWorkflow() {
	return workflow(
		'wfOpsVectors0001',
		operationKeys.map((key) => {
			const cases = n8nCases.filter((c) => c.operation === key);
			const entrySlots = Math.max(0, ...cases.map((c) => c.input.metadata?.entries?.length ?? c.input.fields?.entries?.length ?? 0));
			return [
				codeNode(`Items ${key.replace(':', ' ')}`, cases.map((c) => ({ name: c.name, input: c.input }))),
				nexorNode(nodeName(key), operationParameters(key, { entrySlots, options: { concurrency: 1 } }), {
					credential: CREDENTIAL,
					onError: 'continueRegularOutput',
					// The next chain starts from this node's output: an operation that found nothing must not end the run.
					alwaysOutputData: true,
				}),
			];
		}),
		{ serial: true },
	);
}

// Premium Outreach: Sales Outreach has call steps, so Nexor (and the sandbox) require a phone there.
const OUTREACH = SEED_WORKFLOWS[1].id;
const byId = (/** @type {string} */ expr) => ({ __rl: true, mode: 'id', value: `={{ ${expr} }}` });
const lead = (/** @type {string} */ name, /** @type {Record<string, unknown>} */ parameters, /** @type {Record<string, unknown>} */ settings = {}) =>
	nexorNode(name, { resource: 'lead', ...parameters }, { credential: CREDENTIAL, ...settings });

/**
 * A lead's day on live sandbox answers: created and enrolled, found by email, tagged by email, read
 * back simplified, its AI stopped twice (the second is a success: already stopped), its status read.
 */
function liveWorkflow() {
	return workflow('wfOpsLive0000001', [
		[
			codeNode('Items', [{ first: 'Lucía', email: 'lucia.live@example.org' }]),
			lead('Create', { operation: 'create', firstName: '={{ $json.first }}', additionalFields: { email: '={{ $json.email }}' }, workflowId: { __rl: true, mode: 'list', value: OUTREACH } }),
			lead('Find', { operation: 'find', findBy: 'email', email: "={{ $('Items').item.json.email.toUpperCase() }}" }),
			lead('Set tags', { operation: 'setTags', leadBy: 'email', email: '={{ $json.email }}', tags: 'VIP, Web form, , vip' }),
			lead('Get', { operation: 'get', leadId: byId('$json.lead_id'), simplify: true }),
			lead('Stop', { operation: 'stopAutomation', leadId: byId('$json.id'), workflowId: byId(`'${OUTREACH}'`) }),
			lead('Stop again', { operation: 'stopAutomation', leadId: byId('$json.lead_id'), workflowId: byId('$json.workflow_id') }),
			lead('Paused?', { operation: 'getAutomationStatus', leadId: byId('$json.lead_id') }),
		],
	]);
}

/** Find with no match (no output, no error), then the same search answered in an unknown shape. */
function findWorkflows() {
	return [
		itemsWorkflow('wfOpsFindNone001', [{ email: 'nobody@example.com' }], lead('Find', { operation: 'find', findBy: 'email', email: '={{ $json.email }}' })),
		itemsWorkflow(
			'wfOpsFindShape01',
			[{ email: 'carlos@example.com' }],
			lead('Find', { operation: 'find', findBy: 'email', email: '={{ $json.email }}' }, { onError: 'continueRegularOutput' }),
		),
	];
}

/** @param {string} rawPath */
function splitTarget(rawPath) {
	const url = new URL(rawPath, 'http://x');
	return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

describe.each(LINES)('line %s (%s)', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof createN8nHome>>} */
	let home;

	beforeAll(async () => {
		sandbox = await startSandbox({});
		home = await createN8nHome({ line: /** @type {'1'|'2'} */ (line) });
		await home.installPackage(packPackage());
		await home.importCredentials([{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } }]);
		await home.importWorkflows([vectorsWorkflow(), liveWorkflow(), ...findWorkflows()]);
	});

	afterAll(async () => {
		if (home) {
			expect(home.logs.join('\n')).not.toContain(sandbox.apiKey);
			await home.cleanup();
		}
		if (sandbox) await sandbox.close();
	});

	it('sends each vector’s exact request, or refuses its input by name and sends nothing', async () => {
		sandbox.reset();
		const result = await home.execute('wfOpsVectors0001');
		expect(result.run).not.toBeNull();
		expect(JSON.stringify(result.run)).not.toContain(sandbox.apiKey);
		const sent = sandbox.journal();
		let next = 0;
		for (const key of operationKeys) {
			const cases = n8nCases.filter((c) => c.operation === key);
			const [out] = nodeOutputs(result.run, nodeName(key));
			cases.forEach((c, index) => {
				// A list operation gives 0..n items per case; every item is paired with its case.
				const items = (out ?? []).filter((/** @type {any} */ i) => i.pairedItem?.item === index);
				const expected = c.expect;
				if (expected.error) {
					expect({ key, name: c.name, items: items.length, message: items[0]?.json?.error?.message }).toEqual({
						key,
						name: c.name,
						items: 1,
						message: expect.stringContaining(/** @type {Record<string, string>} */ (LABELS)[expected.error.field]),
					});
					expect(items[0].json.error.httpCode).toBeNull();
					return;
				}
				const request = sent[next++];
				const target = request ? splitTarget(request.path) : undefined;
				expect({ key, name: c.name, method: request?.method, path: target?.path, query: target?.query, body: request?.body || undefined }).toEqual({
					key,
					name: c.name,
					method: expected.method,
					path: `/api/public${expected.path}`,
					query: expected.query ?? {},
					body: expected.body,
				});
				expect(request.headers['x-api-key']).toBe('valid');
			});
		}
		// Nothing was sent for an invalid input: every request is accounted for by a request case.
		expect(sent).toHaveLength(next);
	});

	it('runs a lead’s lifecycle on live answers: create → find → set tags by email → get → stop twice → status', async () => {
		sandbox.reset();
		const result = await home.execute('wfOpsLive0000001');
		expect({ status: result.run?.status, error: result.run?.data?.resultData?.error?.message }).toEqual({ status: 'success', error: undefined });
		const only = (/** @type {string} */ name) => {
			const [items] = nodeOutputs(result.run, name);
			expect({ name, count: items?.length }).toEqual({ name, count: 1 });
			return items[0].json;
		};
		const created = only('Create');
		expect(created).toMatchObject({ first_name: 'Lucía', email: 'lucia.live@example.org', workflow_run: { workflow: { id: OUTREACH } } });
		expect(only('Find').id).toBe(created.id);
		const tagged = only('Set tags');
		expect({ lead: tagged.lead_id, tags: tagged.tags.map((/** @type {any} */ t) => t.name).sort() }).toEqual({ lead: created.id, tags: ['VIP', 'Web form'] });
		expect(only('Get')).toEqual({
			id: created.id,
			first_name: 'Lucía',
			last_name: null,
			email: 'lucia.live@example.org',
			phone: null,
			company: null,
			title: null,
			source: 'api',
			status: expect.any(String),
			workflow: SEED_WORKFLOWS[1].name,
		});
		expect(only('Stop')).toMatchObject({ lead_id: created.id, workflow_id: OUTREACH, already_stopped: false });
		expect(only('Stop again')).toMatchObject({ lead_id: created.id, already_stopped: true });
		expect(only('Paused?')).toEqual({ lead_id: created.id, paused: true });
		const setTags = sandbox.journal().find((e) => e.method === 'PUT' && e.path === '/api/public/leads/tags');
		// Blank names dropped, "vip" kept once: exactly what the user meant, nothing more.
		expect(setTags?.body).toBe(JSON.stringify({ email: 'lucia.live@example.org', tags: ['VIP', 'Web form'] }));
	});

	it('Find: no match is no output and no error; an unknown answer shape is an error, never a wrong lead', async () => {
		sandbox.reset();
		const none = await home.execute('wfOpsFindNone001');
		expect(none.run?.status).toBe('success');
		expect(nodeOutputs(none.run, 'Find')[0] ?? []).toEqual([]);
		sandbox.setShapes({ list: 'unknown' });
		try {
			const odd = await home.execute('wfOpsFindShape01');
			const [items] = nodeOutputs(odd.run, 'Find');
			expect(items).toHaveLength(1);
			expect(items[0].json.error.message).toContain("shape this integration doesn't know");
			expect(items[0].json.id).toBeUndefined();
		} finally {
			sandbox.setShapes({ list: 'named' });
		}
	});

	if (line === '2') {
		it('fills the dropdowns and searches leads through n8n’s REST API', async () => {
			const server = await home.start({ readyTimeoutMs: 180000, attempts: 2 });
			try {
				const base = {
					nodeTypeAndVersion: { name: 'n8n-nodes-nexor.nexor', version: 1 },
					credentials: { nexorApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
				};
				const tags = await server.rest('POST', '/rest/dynamic-node-parameters/options', {
					...base,
					path: 'tagIds',
					methodName: 'getTags',
					currentNodeParameters: { resource: 'lead', operation: 'addTags' },
				});
				const tagNames = (tags.json?.data ?? tags.json).map((/** @type {any} */ o) => o.name);
				expect(tagNames).toEqual([...tagNames].sort((a, b) => a.localeCompare(b)));
				expect(tagNames).toEqual(expect.arrayContaining(['VIP', 'Follow-up']));
				const leads = await server.rest('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
					...base,
					path: 'leadId',
					methodName: 'searchLeads',
					filter: 'carlos',
					currentNodeParameters: { resource: 'lead', operation: 'update' },
				});
				const results = (leads.json?.data ?? leads.json).results;
				expect(results[0]).toEqual({ name: expect.stringContaining('Carlos'), value: '123e4567-e89b-12d3-a456-426614174000' });
				const workflows = await server.rest('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
					...base,
					path: 'workflowId',
					methodName: 'searchWorkflows',
					currentNodeParameters: { resource: 'lead', operation: 'addToWorkflow' },
				});
				expect((workflows.json?.data ?? workflows.json).results.map((/** @type {any} */ r) => r.value)).toContain(OUTREACH);
				// A list in a shape core doesn't know: the dropdown says so, and names the way out.
				sandbox.setShapes({ list: 'unknown' });
				const odd = await server.rest('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
					...base,
					path: 'workflowId',
					methodName: 'searchWorkflows',
					currentNodeParameters: { resource: 'lead', operation: 'addToWorkflow' },
				});
				expect(JSON.stringify(odd.json)).toContain("shape this integration doesn't know");
				expect(JSON.stringify(odd.json)).not.toContain(sandbox.apiKey);
			} finally {
				sandbox.setShapes({ list: 'named' });
				await server.stop();
			}
		});
	}
});
