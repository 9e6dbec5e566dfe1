// @ts-check
/**
 * The package in n8n's queue mode, the way teams scale n8n: a main instance, Redis as the queue,
 * PostgreSQL as the database and two workers, all started here from Debian's packages and the pinned
 * n8n runtimes (test/e2e/harness/queue.js), each n8n process with the packed tarball in its own
 * .n8n/nodes. The credential is created through main's REST API; a Webhook → Split Out → Nexor
 * Update Lead workflow is activated and called through main's production webhook URL, 8 calls at
 * once (6 for different leads, 2 for the same lead); the executions run on the workers.
 *
 * Checked: every body in the sandbox journal; every item in the executions PostgreSQL stores; runs on
 * both workers; the API key in no Redis key, value or command (MONITOR), no PostgreSQL row (pg_dump)
 * and no log. Line 2 also shows what a user gets from a worker without the package.
 *
 * Both lines run: n8n 2.41.1 (Node 24) and n8n 1.123.81 (Node 20). Each line starts its own Redis,
 * PostgreSQL cluster, main and two workers, and stops them all in afterAll, failed tests or not; if
 * the test process itself dies, the harness's reaper stops them (see queue.js).
 *
 * Needs redis-server and PostgreSQL 15 (`.ci/run` installs both). Without them the suite is skipped
 * with the reason printed; under CI=true it fails instead, so CI can never skip it silently.
 */
const path = require('node:path');
const { startSandbox, SEED_LEAD_IDS, generatedLeadId } = require('../sandbox/server.js');
const { LINES } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const { startQueueCluster, queuePrerequisites, httpRequest } = require('./harness/queue.js');
const { leadsWebhookWorkflow } = require('../support/workflows.js');

jest.setTimeout(15 * 60 * 1000);

const prereq = queuePrerequisites();
if (!prereq.ok) {
	const banner = `\n${'!'.repeat(100)}\n!!! queue-mode e2e ${process.env.CI ? 'FAILS' : 'SKIPPED'}: ${prereq.reason}\n!!! Install them (as root: apt-get install -y redis-server postgresql), or run bash .ci/run, which does.\n${'!'.repeat(100)}\n`;
	process.stderr.write(banner);
}

const CALLS = 6;
const LEADS_PER_CALL = 4;
const SAME_LEAD = SEED_LEAD_IDS[0];

/**
 * Webhook (POST, answers with the last node's items once the run ends) → Split Out body.leads →
 * Nexor Update Lead (company from the item).
 * @param {string} line @param {{ id: string, name: string }} credential
 */
function workflow(line, credential) {
	const webhookPath = `nexor-queue-${line}`;
	return {
		webhookPath,
		body: leadsWebhookWorkflow({
			name: `Nexor queue mode ${line}`,
			path: webhookPath,
			webhookId: `0b0e7d5e-9c1a-4c57-8f4b-00000000000${line}`,
			responseData: 'allEntries',
			credential,
		}),
	};
}

const suite = prereq.ok ? describe.each(LINES) : describe.skip.each(LINES);

if (!prereq.ok && process.env.CI) {
	it('queue mode has what it needs (CI must never skip the queue-mode e2e)', () => {
		throw new Error(`queue-mode e2e cannot run: ${prereq.reason}`);
	});
}

suite('queue mode, line %s (%s): main + Redis + PostgreSQL + 2 workers', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {import('./harness/queue.js').QueueCluster} */
	let cluster;
	/** @type {string} */
	let workflowId;
	/** @type {string} */
	let webhookUrl;
	/** @type {(text: string) => any} */
	let parseFlatted;
	/** Execution ids of the concurrent calls. */
	const ran = new Set();
	const started = Date.now();

	/** Calls of the concurrent batch: CALLS with their own leads, then two for the same lead. */
	const batch = [
		...Array.from({ length: CALLS }, (_, c) => ({
			leads: Array.from({ length: LEADS_PER_CALL }, (_, i) => ({
				leadId: generatedLeadId(c * LEADS_PER_CALL + i),
				company: `Queue ${line} call ${c} lead ${i}`,
			})),
		})),
		{ leads: [{ leadId: SAME_LEAD, company: `Queue ${line} same lead, first call` }] },
		{ leads: [{ leadId: SAME_LEAD, company: `Queue ${line} same lead, second call` }] },
	];
	const expectedItems = batch.flatMap((call) => call.leads);

	beforeAll(async () => {
		sandbox = await startSandbox({ leadCount: CALLS * LEADS_PER_CALL, faults: { latencyMs: 200 }, maxLifetimeMs: 30 * 60 * 1000 });
		cluster = await startQueueCluster({ line: /** @type {'1' | '2'} */ (line), tgz: packPackage(), workers: 2, concurrency: 5 });
		// flatted: the format n8n stores execution data in, from the runtime's own copy
		const flatted = require(path.resolve(cluster.mainHome.runtime.bin, '../../../flatted'));
		parseFlatted = flatted.parse;

		const { main } = cluster;
		const cred = await main.rest('POST', '/rest/credentials', {
			name: 'Nexor sandbox (queue)',
			type: 'nexorApi',
			data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl },
		});
		if (cred.status !== 200) throw new Error(`POST /rest/credentials: ${cred.status} ${cred.text.slice(0, 500)}`);
		const credential = { id: String(cred.json.data.id), name: String(cred.json.data.name) };
		expect(cred.text).not.toContain(sandbox.apiKey);
		const mark = (/** @type {string} */ what) => cluster.timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		mark('credential created');

		const wf = workflow(line, credential);
		const created = await main.rest('POST', '/rest/workflows', wf.body);
		if (created.status !== 200) throw new Error(`POST /rest/workflows: ${created.status} ${created.text.slice(0, 500)}`);
		workflowId = String(created.json.data.id);
		const activated = await main.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: created.json.data.versionId });
		if (activated.status !== 200) throw new Error(`activate: ${activated.status} ${activated.text.slice(0, 500)}`);
		mark('workflow created and activated');

		// The production webhook answers 404 "not registered" for a moment after activation. A GET
		// probe (the hook takes POST) starts no execution: registered = "Did you mean to make a POST".
		webhookUrl = `${main.baseUrl}/webhook/${wf.webhookPath}`;
		for (let i = 0; ; i++) {
			const probe = await httpRequest(webhookUrl);
			if (/Did you mean to make a POST request/.test(probe.text)) break;
			if (i > 120) throw new Error(`webhook never registered: ${probe.status} ${probe.text.slice(0, 300)}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		mark('production webhook registered');
	});

	afterAll(async () => {
		if (cluster) {
			await cluster.stop();
			const logs = cluster.allLogs();
			process.stderr.write(`[queue-mode line ${line}] ${cluster.timings.join(' · ')} · all stopped: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
			// Every log of every process, read after they all stopped: main, workers, their CLI commands,
			// Redis, Redis MONITOR (every command and its arguments), PostgreSQL.
			expect(logs.length).toBeGreaterThan(1000);
			expect(logs).not.toContain(sandbox.apiKey);
		}
		if (sandbox) await sandbox.close();
	});

	/** @param {string} sql */
	const query = (sql) => cluster.pg.query('n8n', sql);

	/** The stored executions of the workflow, with the Nexor node's output items. */
	async function storedExecutions() {
		const rows = await query(
			`select e.id::text as id, e.status, e.mode, e.finished, d.data from execution_entity e ` +
				`join execution_data d on d."executionId" = e.id where e."workflowId" = '${workflowId}' order by e.id`,
		);
		return rows.map((row) => {
			const data = parseFlatted(row.data);
			const runs = data.resultData.runData['Update lead'] || [];
			const items = runs.flatMap((/** @type {any} */ r) => (r.data?.main?.[0] || []).map((/** @type {any} */ it) => it.json));
			return { id: row.id, status: row.status, mode: row.mode, items, error: data.resultData.error };
		});
	}

	it('8 webhook calls at once (6 for different leads, 2 for the same lead) all run, each answering with its updated leads', async () => {
		const answers = await Promise.all(
			batch.map((body) =>
				httpRequest(webhookUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				}),
			),
		);
		answers.forEach((answer, c) => {
			expect({ call: c, status: answer.status }).toEqual({ call: c, status: 200 });
			const leads = Array.isArray(answer.json) ? answer.json : [answer.json];
			expect(leads.map((l) => [l.id, l.company])).toEqual(batch[c].leads.map((l) => [l.leadId, l.company]));
			expect(answer.text).not.toContain(sandbox.apiKey);
		});
	});

	it('every body reached Nexor exactly once, with the key, and every lead holds its value', () => {
		const puts = sandbox.journal().filter((e) => e.method === 'PUT');
		expect(puts.map((e) => e.status)).toEqual(expectedItems.map(() => 200));
		expect(puts.every((e) => e.headers['x-api-key'] === 'valid')).toBe(true);
		const sent = puts.map((e) => `${e.path.split('/').pop()} ${e.body}`).sort();
		const expected = expectedItems.map((l) => `${l.leadId} ${JSON.stringify({ company: l.company })}`).sort();
		expect(sent).toEqual(expected);
		for (const l of expectedItems.filter((x) => x.leadId !== SAME_LEAD)) expect(sandbox.getLead(l.leadId)?.company).toBe(l.company);
		// The same lead from two executions: ordering across executions is n8n's (whichever worker runs
		// first); the lead holds the value of the PUT Nexor applied last.
		const sameLead = puts.filter((e) => e.path.endsWith(SAME_LEAD));
		expect(sameLead).toHaveLength(2);
		expect(sandbox.getLead(SAME_LEAD)?.company).toBe(JSON.parse(sameLead[1].body).company);
	});

	it('PostgreSQL holds 8 successful webhook executions accounting for every item exactly once', async () => {
		const executions = await storedExecutions();
		expect(executions).toHaveLength(batch.length);
		for (const e of executions) {
			expect({ id: e.id, status: e.status, mode: e.mode, error: e.error }).toEqual({ id: e.id, status: 'success', mode: 'webhook', error: undefined });
			ran.add(e.id);
		}
		const stored = executions.flatMap((e) => e.items.map((/** @type {any} */ lead) => `${lead.id} ${lead.company}`)).sort();
		expect(stored).toEqual(expectedItems.map((l) => `${l.leadId} ${l.company}`).sort());
	});

	it('the executions ran on the workers, on both of them; main only enqueued them', () => {
		const [w1, w2] = cluster.workers;
		const on1 = w1.executionIds();
		const on2 = w2.executionIds();
		expect(ran.size).toBe(batch.length);
		for (const id of ran) expect({ id, ranOn: [on1.has(id), on2.has(id)].filter(Boolean).length }).toEqual({ id, ranOn: 1 });
		expect(on1.size).toBeGreaterThan(0);
		expect(on2.size).toBeGreaterThan(0);
		process.stderr.write(`[queue-mode line ${line}] worker1 ran ${[...on1].join(', ')}; worker2 ran ${[...on2].join(', ')}\n`);
	});

	it('the API key is in no Redis key, value or command, and in no PostgreSQL row', async () => {
		const redisNow = await cluster.redis.dumpAll();
		const monitor = cluster.redis.monitorLog();
		// MONITOR saw the jobs go through (so the scan below scanned real payloads)…
		expect(monitor).toMatch(/bull/i);
		expect(monitor.length).toBeGreaterThan(1000);
		// …and neither it nor what Redis holds now has the key.
		expect(monitor).not.toContain(sandbox.apiKey);
		expect(redisNow).not.toContain(sandbox.apiKey);

		const dump = await cluster.pg.dump('n8n');
		// the dump holds the executions' data (a lead's company) and the credential, encrypted
		expect(dump).toContain(`Queue ${line} call 0 lead 0`);
		expect(dump).toMatch(/nexorApi/);
		expect(dump).not.toContain(sandbox.apiKey);
		expect(dump).not.toContain(sandbox.apiKey.slice(9)); // without the nxr_live_ prefix either
	});

	if (line === '2') {
		it('a worker without the package: the execution fails on it, stored with the error a user sees', async () => {
			await Promise.all([...cluster.workers].map((w) => w.stop()));
			const bare = await cluster.addWorker({ name: 'worker-without-package', installPackage: false });
			const before = new Set((await storedExecutions()).map((e) => e.id));
			const lead = generatedLeadId(0);
			const answer = await httpRequest(webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ leads: [{ leadId: lead, company: 'Never sent' }] }),
			});
			const failed = (await storedExecutions()).filter((e) => !before.has(e.id));
			expect(failed).toHaveLength(1);
			expect(bare.executionIds().has(failed[0].id)).toBe(true);
			expect(failed[0].status).toBe('error');
			const message = String(failed[0].error?.message);
			process.stderr.write(
				`[queue-mode line ${line}] worker without the package: webhook answered ${answer.status} ${answer.text.slice(0, 300)}; ` +
					`execution ${failed[0].id} stored as ${failed[0].status}: ${message}\n`,
			);
			expect(message).toMatch(/n8n-nodes-nexor\.nexor/);
			expect(sandbox.journal().filter((e) => e.body.includes('Never sent'))).toEqual([]);
		});
	}
});
