// @ts-check
/**
 * The example workflows in examples/ run green, as they are, in real n8n (2.41.1 on Node 24 and
 * 1.123.81 on Node 20): imported with `n8n import:workflow` into a fresh user folder with the packed
 * package installed, against a sandbox on a random port (only the imported credential's Base URL is
 * rewritten, never the example files), each run with `n8n execute --id`. Example 5 starts from a
 * Nexor webhook, which `n8n execute` can't deliver: it is activated and fed a delivery in
 * triggers-n8n.test.js.
 */
const path = require('node:path');
const { startSandbox, SEED_LEAD_IDS, SEED_TAGS, SEED_WORKFLOW_IDS } = require('../sandbox/server.js');
const { createN8nHome, LINES } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const { readExamples, credentialFor, CREDENTIAL } = require('../playground/playground.js');
const { jsonOf, nodeOutputs } = require('../support/workflows.js');

jest.setTimeout(20 * 60 * 1000);

const examples = readExamples();
/** @param {string} prefix */
const example = (prefix) => {
	const found = examples.find((e) => path.basename(e.file).startsWith(prefix));
	if (!found) throw new Error(`no example ${prefix}-*.json`);
	return found.workflow;
};
const FORM = example('1');
const BULK = example('2');
const CLEAR = example('3');
const FIND_OR_CREATE = example('4');

/**
 * The json of the items a node emitted in a run, per output.
 * @param {any} run
 * @param {string} node
 * @returns {any[][]}
 */
const outputs = (run, node) => nodeOutputs(run, node).map(jsonOf);

/** @param {any} r */
function describeRun(r) {
	return `exit ${r.code}; error: ${JSON.stringify(r.run?.data?.resultData?.error ?? null)}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
}

describe('examples/ as files', () => {
	it('are five importable workflows with fixed IDs, a sticky note, a trigger, and the playground credential', () => {
		expect(examples.map((e) => e.workflow.id)).toEqual([
			'nexorExample0001',
			'nexorExample0002',
			'nexorExample0003',
			'nexorExample0004',
			'nexorExample0005',
		]);
		for (const { workflow } of examples) {
			const types = workflow.nodes.map((/** @type {any} */ n) => n.type);
			expect(types).toContain('n8n-nodes-base.stickyNote');
			// Run by hand (Manual Trigger), or started by Nexor (Nexor Trigger, with a fixed webhook ID
			// so its Production URL stays the same across imports).
			const triggers = workflow.nodes.filter((/** @type {any} */ n) =>
				['n8n-nodes-base.manualTrigger', 'n8n-nodes-nexor.nexorTrigger'].includes(n.type),
			);
			expect(triggers).toHaveLength(1);
			if (triggers[0].type === 'n8n-nodes-nexor.nexorTrigger') expect(triggers[0].webhookId).toEqual(expect.any(String));
			const nexor = workflow.nodes.filter(
				(/** @type {any} */ n) => n.type === 'n8n-nodes-nexor.nexor',
			);
			expect(nexor.length).toBeGreaterThan(0);
			for (const n of nexor) expect(n.credentials).toEqual({ nexorApi: { ...CREDENTIAL } });
			// every connection points at a node that exists
			const names = new Set(workflow.nodes.map((/** @type {any} */ n) => n.name));
			for (const [from, conn] of Object.entries(workflow.connections)) {
				expect(names.has(from)).toBe(true);
				for (const out of /** @type {any} */ (conn).main)
					for (const c of out) expect(names.has(c.node)).toBe(true);
			}
		}
		// the examples use the sandbox's seeded leads, tags and workflows (the bulk one also an unknown ID, on
		// purpose); a webhook ID is n8n's, not Nexor's
		const text = JSON.stringify(
			examples.map((e) => ({
				...e.workflow,
				nodes: e.workflow.nodes.map((/** @type {any} */ { webhookId, ...n }) => n),
			})),
		);
		const ids = new Set(
			text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g),
		);
		const seeded = [...SEED_LEAD_IDS, ...SEED_WORKFLOW_IDS, ...SEED_TAGS.map((t) => t.id)];
		const unknown = [...ids].filter((id) => !seeded.includes(id));
		expect(unknown).toEqual(['0b7e1c55-4d2a-4f3e-9a10-5c6d7e8f9a99']);
	});
});

describe.each(LINES)('examples in line %s (%s)', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof createN8nHome>>} */
	let home;

	beforeAll(async () => {
		sandbox = await startSandbox(); // random port: the credential's Base URL is set at import
		home = await createN8nHome({ line: /** @type {'1'|'2'} */ (line) });
		await home.installPackage(packPackage());
		await home.importCredentials([credentialFor(sandbox)]);
		await home.importWorkflows(examples.map((e) => e.workflow));
	});

	afterAll(async () => {
		if (home) await home.cleanup();
		if (sandbox) await sandbox.close();
	});

	beforeEach(() => sandbox.reset());

	it('1: the form submission updates fields, clears the phone and merges metadata', async () => {
		const r = await home.execute(FORM.id);
		expect({ status: r.run?.status, code: r.code }).toEqual({ status: 'success', code: 0 });
		const lead = sandbox.getLead('8f14e45f-ceea-467f-a0e6-1b2c3d4e5f02');
		expect(lead).toMatchObject({
			first_name: 'John',
			last_name: 'Doe',
			company: 'Wayne Enterprises',
			title: 'Head of Procurement',
			email: 'john.doe@wayne-enterprises.example',
			phone: null,
			metadata: { last_form: 'Job change form', team_size: 250, wants_demo: true },
		});
		const [put] = sandbox.journal().filter((j) => j.method === 'PUT');
		expect(JSON.parse(put.body)).toEqual({
			email: 'john.doe@wayne-enterprises.example',
			company: 'Wayne Enterprises',
			title: 'Head of Procurement',
			phone: null,
			metadata: { last_form: 'Job change form', team_size: 250, wants_demo: true },
		});
		expect(outputs(r.run, 'Update lead from form')?.[0]).toEqual([
			expect.objectContaining({ id: lead?.id, phone: null }),
		]);
	});

	it('2: rows bulk-update their leads; the unknown lead ID goes to the error output and reaches "Notify sales ops"', async () => {
		const r = await home.execute(BULK.id);
		expect({ status: r.run?.status, code: r.code }).toEqual({ status: 'success', code: 0 });
		const [ok, failed] = outputs(r.run, 'Update leads');
		expect(ok.map((l) => l.first_name)).toEqual(['Carlos', 'María', 'Ana', 'Sofía']);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({
			row: 5,
			name: 'Pedro Rojas',
			error: {
				httpCode: '404',
				leadId: '0b7e1c55-4d2a-4f3e-9a10-5c6d7e8f9a99',
				message: expect.stringContaining('No lead'),
			},
		});
		expect(outputs(r.run, 'Updated leads')?.[0]).toHaveLength(4);
		const notified = outputs(r.run, 'Notify sales ops')?.[0] ?? [];
		expect(notified).toHaveLength(1);
		expect(notified[0]).toMatchObject({
			row: 5,
			lead_id: '0b7e1c55-4d2a-4f3e-9a10-5c6d7e8f9a99',
			http_code: '404',
		});
		expect(notified[0].text).toMatch(/^Row 5 \(Pedro Rojas\) was not updated in Nexor: No lead/);
		// the blank company cell was skipped, not sent; metadata typed as chosen
		const carlos = sandbox
			.journal()
			.find((j) => j.method === 'PUT' && j.path.endsWith('123e4567-e89b-12d3-a456-426614174000'));
		expect(JSON.parse(/** @type {string} */ (carlos?.body))).toEqual({
			title: 'Purchasing Lead',
			metadata: { lead_score: 82, stage: 'qualified' },
		});
		expect(sandbox.getLead('123e4567-e89b-12d3-a456-426614174000')?.company).toBe('Acme Corp');
	});

	it('3: clearing the campaign sends only campaign_id: null', async () => {
		const lead = '3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01';
		expect(sandbox.getLead(lead)?.campaign_id).not.toBeNull();
		const r = await home.execute(CLEAR.id);
		expect({
			status: r.run?.status,
			code: r.code,
			why: r.code === 0 ? '' : describeRun(r),
		}).toEqual({ status: 'success', code: 0, why: '' });
		const puts = sandbox.journal().filter((j) => j.method === 'PUT');
		expect(puts.map((j) => JSON.parse(j.body))).toEqual([{ campaign_id: null }]);
		expect(sandbox.getLead(lead)).toMatchObject({
			campaign_id: null,
			first_name: 'María',
			company: 'Inmobiliaria Sur',
		});
	});

	it('4: a form submission finds the existing lead or creates the new one, then tags and enrols both', async () => {
		const r = await home.execute(FIND_OR_CREATE.id);
		expect({ status: r.run?.status, code: r.code, why: r.code === 0 ? '' : describeRun(r) }).toEqual({ status: 'success', code: 0, why: '' });
		const journal = sandbox.journal();
		const calls = journal.map((j) => `${j.method} ${new URL(j.path, 'http://x').pathname.replace('/api/public', '')}`);
		const carlos = '123e4567-e89b-12d3-a456-426614174000';
		// Carlos is found (email in another case), so only Lucía is created.
		const creates = journal.filter((j) => j.method === 'POST' && j.path === '/api/public/leads');
		expect(creates.map((j) => JSON.parse(j.body))).toEqual([
			{
				first_name: 'Lucía',
				last_name: 'Fernández',
				email: 'lucia.fernandez@example.org',
				phone: '+34 612 345 678',
				company: 'Fernández & Hijos',
				source: 'web_form',
				metadata: { interest: 'Starter plan' },
			},
		]);
		const [created] = outputs(r.run, 'Create lead')[0];
		const lucia = created.id;
		expect(calls.filter((c) => c.startsWith('GET /leads'))).toEqual(['GET /leads', 'GET /leads']);
		for (const id of [carlos, lucia]) {
			expect(calls).toContain(`POST /leads/${id}/tags`);
			expect(calls).toContain(`POST /leads/${id}/assign-workflow`);
		}
		// Both IF branches feed the tagging node, so it (and the next) runs once per branch: read every run.
		const everyRun = (/** @type {string} */ name) =>
			(r.run?.data?.resultData?.runData?.[name] ?? []).flatMap((/** @type {any} */ run) => (run.data?.main?.[0] ?? []).map((/** @type {any} */ i) => i.json));
		const enrolled = everyRun('Enrol in Sales Outreach');
		expect(enrolled.map((e) => [e.lead_id, e.workflowName])).toEqual(
			expect.arrayContaining([
				[carlos, 'Sales Outreach'],
				[lucia, 'Sales Outreach'],
			]),
		);
		expect(enrolled).toHaveLength(2);
		const tagged = everyRun('Tag as Hot lead');
		expect(tagged).toHaveLength(2);
		for (const t of tagged) expect(t.tags.map((/** @type {any} */ tag) => tag.name)).toContain('Hot lead');
	});
});
