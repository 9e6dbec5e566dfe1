// @ts-check
/**
 * The Nexor node inside real n8n (2.41.1 on Node 24 and 1.123.81 on Node 20): the packed tarball
 * installed like a community package, a credential pointing at the Nexor sandbox, workflows run
 * with `n8n execute --id`, and assertions on the sandbox's journal and on n8n's run output.
 */
const { startSandbox } = require('../sandbox/server.js');
const { createN8nHome, LINES } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const {
	codeNode,
	companyFromItem,
	inputParameters,
	itemsWorkflow,
	nexorNode,
	nodeOutputs,
	workflow,
} = require('../support/workflows.js');
const vectors = require('../vectors/update-lead.json');

jest.setTimeout(20 * 60 * 1000);

const LEAD = '123e4567-e89b-12d3-a456-426614174000';
const FIELDS = ['first_name', 'last_name', 'email', 'phone', 'company', 'title', 'source', 'campaign_id'];
const LABELS = {
	first_name: 'First Name',
	last_name: 'Last Name',
	email: 'Email',
	phone: 'Phone',
	company: 'Company',
	title: 'Job Title',
	source: 'Source',
	campaign_id: 'Campaign ID',
	lead_id: 'Lead ID',
	clear_fields: 'Fields to Clear',
	metadata: 'Metadata',
	fields: 'No fields to update',
	empty_values: 'When a Mapped Value Is Empty',
};
const CREDENTIAL = { id: 'nexorCred000001', name: 'Nexor sandbox' };
const n8nCases = vectors.cases.filter((c) => !c.platforms || c.platforms.includes('n8n'));
/**
 * With When a Mapped Value Is Empty = Clear the Field, WHICH fields are mapped matters (a mapped
 * field that comes out empty is cleared): those cases each get a node mapping exactly their own
 * fields. Every other case runs through one node that maps all eight fields (an unmapped one gives
 * undefined there, which is blank and skipped).
 */
const isClearCase = (/** @type {any} */ c) => c.input.emptyValues === 'clear';
const sharedCases = n8nCases.filter((c) => !isClearCase(c));
const clearCases = n8nCases.filter(isClearCase);
const ENTRY_SLOTS = Math.max(...sharedCases.map((c) => c.input.metadata?.entries?.length ?? 0));

const MISSING = 'aaaaaaaa-0000-4000-8000-000000000404';
/** Vector inputs delivered through n8n expressions, one at a time (so the journal's order is the items' order). */
const vectorParameters = (/** @type {string[]} */ fields, /** @type {number} */ entrySlots) =>
	inputParameters({ fields, entrySlots, options: { concurrency: 1 } });

/**
 * Every workflow of the suite (imported at once): the shared vectors through one node; the Clear the
 * Field vectors through one Code node → Nexor node pair each, chained (each Code node ignores its
 * input and emits its own case), so the requests reach the sandbox in case order; the fault runs;
 * the stopping 404.
 * @param {string[]} leadIds  the sandbox's leads
 */
function suiteWorkflows(leadIds) {
	const [l1, l2, l3, l4, l5] = leadIds;
	const credential = CREDENTIAL;
	const faultParameters = companyFromItem({ concurrency: 2, timeoutSeconds: 2 });
	const toErrorOutput = { credential, onError: 'continueErrorOutput' };
	return [
		itemsWorkflow(
			'wfVectors000001',
			sharedCases.map((c) => ({ name: c.name, input: c.input })),
			nexorNode('Nexor', vectorParameters(FIELDS, ENTRY_SLOTS), { credential, onError: 'continueRegularOutput' }),
		),
		workflow(
			'wfVectorsClear01',
			clearCases.map((c, i) => [
				codeNode(`Items ${i}`, [{ name: c.name, input: c.input }]),
				nexorNode(
					`Nexor ${i}`,
					vectorParameters(Object.keys(c.input.fields ?? {}), c.input.metadata?.entries?.length ?? 0),
					{ credential, onError: 'continueRegularOutput' },
				),
			]),
			{ serial: true },
		),
		itemsWorkflow(
			'wfFaults0000001',
			[l1, l2, l3, l4, MISSING].map((leadId, i) => ({ leadId, company: `Company ${i}` })),
			nexorNode('Nexor', faultParameters, toErrorOutput),
		),
		// The 401 runs in an execution of its own: a rejected key ends every item of a run still
		// waiting (the breaker; test/e2e/engine-n8n.test.js), which would cut the timeout's retry short.
		itemsWorkflow('wfFaults0000002', [{ leadId: l5, company: 'Company 5' }], nexorNode('Nexor', faultParameters, toErrorOutput)),
		itemsWorkflow(
			'wfStop00000001',
			[{ leadId: MISSING }],
			nexorNode('Nexor', { leadId: '={{ $json.leadId }}', updateFields: { company: 'Acme' } }, { credential }),
		),
	];
}

/**
 * Checks each case's output item against its vector: the request's exact path and body (taken in
 * order from `sent`), or an input error naming the input and no request.
 * @param {any[]} cases
 * @param {any[]} outputItems  one per case, in case order
 * @param {any[]} sent         the sandbox's PUTs, in order
 * @returns {number} how many PUTs the body cases account for
 */
function checkVectorOutputs(cases, outputItems, sent) {
	let next = 0;
	cases.forEach((testCase, index) => {
		const item = outputItems[index];
		const expected = /** @type {any} */ (testCase.expect);
		if (expected.body !== undefined) {
			const request = sent[next++];
			expect({ name: testCase.name, path: request?.path, body: request?.body }).toEqual({
				name: testCase.name,
				path: `/api/public${expected.path}`,
				body: expected.body,
			});
			expect(request.headers['x-api-key']).toBe('valid');
			expect(String(item?.json.id).toLowerCase()).toBe(expected.path.split('/').pop().toLowerCase());
		} else {
			expect({ name: testCase.name, error: item?.json.error?.message }).toEqual({
				name: testCase.name,
				error: expect.stringContaining(/** @type {Record<string, string>} */ (LABELS)[expected.error.field]),
			});
			expect(item.json.error.description).toEqual(expect.any(String));
		}
	});
	return next;
}

describe.each(LINES)('line %s (%s)', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof createN8nHome>>} */
	let home;

	beforeAll(async () => {
		sandbox = await startSandbox({
			leads: [{ id: LEAD, first_name: 'Carlos', last_name: 'Rodriguez', metadata: { edad: 35 } }],
		});
		home = await createN8nHome({ line: /** @type {'1'|'2'} */ (line) });
		await home.installPackage(packPackage());
		await home.importCredentials([
			{ ...CREDENTIAL, type: 'nexorApi', data: { apiKey: ` ${sandbox.apiKey} `, baseUrl: `${sandbox.baseUrl}/` } },
		]);
		await home.importWorkflows(suiteWorkflows(sandbox.leadIds));
	});

	afterAll(async () => {
		if (home) {
			const everything = home.logs.join('\n');
			// The key never reaches n8n's output or logs.
			expect(everything).not.toContain(sandbox.apiKey);
			await home.cleanup();
		}
		if (sandbox) await sandbox.close();
	});

	it('runs every shared vector: the exact body, or an input error and no request', async () => {
		sandbox.reset();
		const result = await home.execute('wfVectors000001');
		expect(result.run).not.toBeNull();
		const [out] = nodeOutputs(result.run, 'Nexor');
		expect(out).toHaveLength(sharedCases.length);
		out.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		const sent = sandbox.journal().filter((/** @type {any} */ e) => e.method === 'PUT');
		const accounted = checkVectorOutputs(sharedCases, out, sent);
		// No request for any invalid input: every PUT is accounted for by a body case.
		expect(sent).toHaveLength(accounted);
	});

	it('runs the Clear the Field vectors, each through a node that maps exactly its own fields', async () => {
		expect(clearCases.length).toBeGreaterThanOrEqual(4);
		sandbox.reset();
		const result = await home.execute('wfVectorsClear01');
		expect(result.run).not.toBeNull();
		const out = clearCases.map((_c, i) => {
			const [regular] = nodeOutputs(result.run, `Nexor ${i}`);
			expect(regular).toHaveLength(1);
			return regular[0];
		});
		const sent = sandbox.journal().filter((/** @type {any} */ e) => e.method === 'PUT');
		expect(sent).toHaveLength(checkVectorOutputs(clearCases, out, sent));
	});

	it('routes API failures to the error output, retries 429, 503 and a timeout, and keeps every item', async () => {
		sandbox.reset();
		const [l1, l2, l3, l4, l5] = sandbox.leadIds;
		const missing = MISSING;
		sandbox.addRule({ match: { leadId: l1 }, times: 1, fault: { status: 429, retryAfter: 1 } });
		sandbox.addRule({ match: { leadId: l2 }, times: 2, fault: { status: 503, body: { error: 'Service unavailable' } } });
		sandbox.addRule({ match: { leadId: l3 }, times: 1, fault: { type: 'hang' } });
		sandbox.addRule({
			match: { leadId: l4 },
			fault: { status: 400, body: { error: 'Validation error', message: 'company: is too long' } },
		});
		sandbox.addRule({
			match: { leadId: l5 },
			fault: { status: 401, body: { error: 'Invalid API key', message: 'The provided API key is not valid' } },
		});
		// items: l1, l2, l3, l4 and `missing`, then l5 in an execution of its own (suiteWorkflows)
		const result = await home.execute('wfFaults0000001');
		expect(result.code).toBe(0);
		const [updated, failed] = nodeOutputs(result.run, 'Nexor');
		const keyRun = await home.execute('wfFaults0000002');
		expect(keyRun.code).toBe(0);
		const [keyUpdated, keyFailed] = nodeOutputs(keyRun.run, 'Nexor');
		expect(keyUpdated).toEqual([]);
		expect(keyFailed.map((/** @type {any} */ i) => i.pairedItem.item)).toEqual([0]);
		expect(updated.map((i) => [i.pairedItem.item, i.json.company])).toEqual([
			[0, 'Company 0'],
			[1, 'Company 1'],
			[2, 'Company 2'],
		]);
		expect(failed.map((i) => i.pairedItem.item)).toEqual([3, 4]);
		expect(failed[0].json.error).toEqual({
			message: 'Nexor rejected the update: company: is too long',
			// Nexor's reason is in the message once; the description doesn't repeat it.
			description: 'Correct the value Nexor names and run again.',
			httpCode: '400',
			leadId: l4,
		});
		expect(failed[1].json.error).toMatchObject({
			message: `No lead with ID ${missing} exists in this Nexor account`,
			httpCode: '404',
			leadId: missing,
		});
		expect(keyFailed[0].json.error).toMatchObject({
			message: 'Nexor rejected the API key',
			description: expect.stringContaining('Integrations'),
			httpCode: '401',
			leadId: l5,
		});
		// The error output keeps the input item's own fields beside the error.
		expect(failed[0].json.company).toBe('Company 3');

		const journal = sandbox.journal();
		const tries = (/** @type {string} */ id) => journal.filter((/** @type {any} */ e) => e.path.includes(id));
		expect(tries(l1).map((e) => e.status)).toEqual([429, 200]);
		// Retry-After: 1 was honoured (read from the journal, not timed in the test).
		expect(tries(l1)[1].at - tries(l1)[0].at).toBeGreaterThanOrEqual(900);
		expect(tries(l2).map((e) => e.status)).toEqual([503, 503, 200]);
		expect(tries(l3)).toHaveLength(2);
		expect(tries(l4)).toHaveLength(1);
		expect(tries(l5)).toHaveLength(1);
	});

	it('without Continue, a 404 stops the run with the mapped NodeApiError', async () => {
		sandbox.reset();
		const missing = MISSING;
		const result = await home.execute('wfStop00000001');
		expect(result.code).not.toBe(0);
		const error = result.run?.data?.resultData?.error;
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `No lead with ID ${missing} exists in this Nexor account`,
			httpCode: '404',
		});
		expect(error.description).toContain('Lead not found or does not belong to your account');
		expect(JSON.stringify(result.run)).not.toContain(sandbox.apiKey);
	});

	if (line === '2') {
		it('tests the credential through n8n’s REST API', async () => {
			// A stalled n8n start-up (its own, before our node is involved) gets one bounded second try.
			const server = await home.start({ readyTimeoutMs: 180000, attempts: 2 });
			try {
				const good = await server.rest('POST', '/rest/credentials/test', {
					credentials: { ...CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } },
				});
				expect(good.json?.data ?? good.json).toMatchObject({ status: 'OK' });
				const bad = await server.rest('POST', '/rest/credentials/test', {
					credentials: { ...CREDENTIAL, type: 'nexorApi', data: { apiKey: 'nxr_live_wrong', baseUrl: sandbox.baseUrl } },
				});
				expect(bad.json?.data ?? bad.json).toMatchObject({
					status: 'Error',
					message: expect.stringContaining('Nexor rejected the API key'),
				});
				const tagReads = sandbox.journal().filter((e) => e.method === 'GET' && e.path.endsWith('/tags'));
				// n8n may send a failing credential test more than once; the good key goes first and alone.
				const states = tagReads.map((e) => e.headers['x-api-key']);
				expect(states[0]).toBe('valid');
				expect(states.slice(1).length).toBeGreaterThan(0);
				expect(states.slice(1).every((state) => state === 'invalid')).toBe(true);
			} finally {
				await server.stop();
			}
		});
	}
});
