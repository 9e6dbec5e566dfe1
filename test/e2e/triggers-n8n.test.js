// @ts-check
/**
 * The two trigger nodes in a running n8n (2.41.1 on Node 24 and 1.123.81 on Node 20), activated the
 * way a user activates them, fed by the Nexor sandbox over real HTTP, and observed through n8n's own
 * REST API (every execution of the workflow and its data). One user folder per line, started twice:
 * once, then stopped and started again on the same folder (same database), to show what survives a
 * restart.
 *
 * - Nexor Trigger (webhook): deliveries posted by the sandbox in Nexor's documented envelope to n8n's
 *   PRODUCTION URL /webhook/<webhookId>/webhook. A chosen event starts one execution (its item: the
 *   event's data, event_type, event_id, the request headers); the same event re-delivered, an event
 *   not chosen and a test delivery are acknowledged (2xx) and start nothing; after the restart the
 *   first event is still remembered (n8n saved it with the workflow; the node's in-process memory of
 *   recent events is gone by then). A body that is no Nexor event is refused with a 400.
 * - Nexor Conversion Trigger, polling every minute: the shortest both lines accept ("The polling
 *   interval is too short" for any cron firing more often on 2.41, for a `*` in the seconds field on
 *   1.123, so a cron every 5 seconds is refused on both). The first poll emits nothing; conversions
 *   recorded later are emitted once each, oldest first; a poll whose 5 tries all meet a 503 emits
 *   nothing (n8n records a failed execution with the node's error) and the next poll picks up where
 *   it left off; a poll waiting out two 429s with Retry-After: 50 overlaps the next poll (n8n starts
 *   one every minute regardless) and the conversion is still emitted once; after the restart nothing
 *   is repeated, and a conversion recorded while n8n was down and one recorded after are each
 *   emitted once.
 * - examples/5 (no-show → stop the AI → notify the rep), activated as it is: a meeting.no_show for a
 *   lead with an active run stops its automation in the sandbox and composes the rep's message.
 *
 *   npm run build && npx jest test/e2e/triggers-n8n.test.js --selectProjects e2e [-t 'line 2']
 *
 * The machine is slow and shared: every wait is a poll of n8n's REST API or the sandbox journal with
 * a deadline; nothing asserts on a duration. "Starts nothing" is shown by the node's own answer
 * (started: false and why) and by counting: the execution a later, wanted delivery starts is the
 * only one after it.
 */
const path = require('node:path');
const { startSandbox, SEED_LEAD_IDS, SEED_WORKFLOW_IDS, SEED_CONVERSION_TYPES } = require('../sandbox/server.js');
const { createN8nHome, LINES, request } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const { readExamples, credentialFor, CREDENTIAL } = require('../playground/playground.js');
const { node, workflow } = require('../support/workflows.js');
const { waitFor } = require('../support/process.js');

jest.setTimeout(30 * 60 * 1000);

const HOOK_WF = 'nexorTrigHook001';
const POLL_WF = 'nexorTrigPoll001';
const HOOK_ID = '7d1e5c3a-2f4b-4c6d-8e9f-0a1b2c3d4e51';
/** The chosen events of HOOK_WF. */
const CHOSEN = ['meeting.no_show', 'workflow_run.status_changed'];

const EXAMPLE5 = (() => {
	const found = readExamples().find((e) => path.basename(e.file).startsWith('5-'));
	if (!found) throw new Error('no examples/5-*.json');
	return found.workflow;
})();

/** Nexor Trigger (the chosen events) → No Operation. */
const hookWorkflow = workflow(HOOK_WF, [[node('Received', 'n8n-nodes-base.noOp', 1, {})]], {
	name: 'Nexor Trigger e2e',
	trigger: node(
		'Nexor Trigger',
		'n8n-nodes-nexor.nexorTrigger',
		1,
		{ events: CHOSEN, ignoreTest: true, output: 'data' },
		{ webhookId: HOOK_ID },
	),
});

/** Nexor Conversion Trigger, every minute (n8n's shortest poll on both lines) → No Operation. */
const pollWorkflow = workflow(POLL_WF, [[node('Received', 'n8n-nodes-base.noOp', 1, {})]], {
	name: 'Nexor Conversion Trigger e2e',
	trigger: node(
		'New conversion',
		'n8n-nodes-nexor.nexorConversionTrigger',
		1,
		{ pollTimes: { item: [{ mode: 'everyMinute' }] } },
		{ credentials: { nexorApi: { ...CREDENTIAL } } },
	),
});

const FINISHED = (/** @type {string} */ status) => !['new', 'running', 'waiting', 'unknown'].includes(status);

describe.each(LINES)('line %s (%s): the triggers, activated in a running n8n', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof createN8nHome>>} */
	let home;
	/** @type {import('./harness/n8n.js').N8nServer | undefined} */
	let server;
	let starts = 0;
	/** @type {string[]} */
	const timings = [];
	let began = Date.now();
	const mark = (/** @type {string} */ what) => timings.push(`${what} ${((Date.now() - began) / 1000).toFixed(0)} s`);
	/** @type {(text: string) => any} */
	let parseFlatted;
	/** Execution details already read (they never change once finished). */
	const details = new Map();
	/** Conversions recorded through the sandbox API, in order. */
	/** @type {string[]} */
	const recorded = [];

	const hookUrl = () => `${server?.baseUrl}/webhook/${HOOK_ID}/webhook`;
	const exampleHookUrl = () => {
		const trigger = EXAMPLE5.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-nexor.nexorTrigger');
		return `${server?.baseUrl}/webhook/${trigger.webhookId}/webhook`;
	};

	/**
	 * n8n's REST answer's data, or a thrown error with the status and body.
	 * @param {string} method @param {string} urlPath @param {unknown} [body]
	 */
	async function rest(method, urlPath, body) {
		if (!server) throw new Error('n8n is not running');
		const r = await server.rest(method, urlPath, body);
		if (r.status !== 200) throw new Error(`${method} ${urlPath} → ${r.status}: ${r.text.slice(0, 500)}`);
		return r.json?.data ?? r.json;
	}

	/** Starts n8n on this line's folder (the same port after a restart, as Nexor would keep the URL). */
	async function startN8n() {
		const t = Date.now();
		server = await home.start({ readyTimeoutMs: 240000, attempts: 2, ...(server ? { port: server.port } : {}) });
		starts++;
		mark(`n8n start #${starts} ready (${((Date.now() - t) / 1000).toFixed(0)} s)`);
	}

	/** Waits until the production webhook answers as registered (a GET on a POST hook says so). */
	async function webhookRegistered(/** @type {string} */ url) {
		await waitFor(
			async () => {
				const probe = await request(url).catch(() => null);
				return probe !== null && /Did you mean to make a POST request/.test(probe.text);
			},
			{ timeoutMs: 120000, intervalMs: 500, what: `the production webhook ${url}` },
		);
	}

	/** @param {string} workflowId */
	async function activate(workflowId) {
		const wf = await rest('GET', `/rest/workflows/${workflowId}`);
		await rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: wf.versionId });
	}

	/**
	 * Every execution of a workflow (oldest first) once all of them have finished, with the items
	 * each node put out and the error, if any.
	 * @param {string} workflowId
	 * @returns {Promise<Array<{ id: string, status: string, mode: string, error: any, items: (node: string) => any[] }>>}
	 */
	async function executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await waitFor(
			async () => {
				const data = await rest('GET', `/rest/executions?filter=${filter}&limit=100`);
				const results = /** @type {any[]} */ (data.results ?? data);
				return results.every((e) => FINISHED(e.status)) ? results : undefined;
			},
			{ timeoutMs: 180000, intervalMs: 1000, what: `the executions of ${workflowId} to finish` },
		);
		const out = [];
		for (const summary of [...list].sort((a, b) => Number(a.id) - Number(b.id))) {
			const id = String(summary.id);
			if (!details.has(id)) {
				const e = await waitFor(
					async () => {
						const x = await rest('GET', `/rest/executions/${id}`);
						return x && x.data ? x : undefined;
					},
					{ timeoutMs: 60000, intervalMs: 500, what: `execution ${id}'s data` },
				);
				const data = typeof e.data === 'string' ? parseFlatted(e.data) : e.data;
				const runData = data?.resultData?.runData ?? {};
				details.set(id, {
					id,
					status: e.status,
					mode: e.mode,
					error: data?.resultData?.error,
					items: (/** @type {string} */ name) =>
						(runData[name] ?? []).flatMap((/** @type {any} */ r) => (r.data?.main?.[0] ?? []).map((/** @type {any} */ i) => i.json)),
				});
			}
			out.push(details.get(id));
		}
		return out;
	}

	/**
	 * Polls until `count` executions of the workflow exist (and have finished); returns them all.
	 * @param {string} workflowId @param {number} count @param {number} [timeoutMs]
	 */
	async function untilExecutions(workflowId, count, timeoutMs = 180000) {
		await waitFor(
			async () => {
				const filter = encodeURIComponent(JSON.stringify({ workflowId }));
				const data = await rest('GET', `/rest/executions?filter=${filter}&limit=100`);
				return (data.results ?? data).length >= count;
			},
			{ timeoutMs, intervalMs: 1000, what: `${count} execution(s) of ${workflowId}` },
		);
		return await executions(workflowId);
	}

	// ---- the sandbox side --------------------------------------------------------------------------

	/**
	 * A conversion recorded through the sandbox API (as Nexor records a booking), its ID remembered.
	 * @param {number} amount
	 */
	async function recordConversion(amount) {
		const type = SEED_CONVERSION_TYPES.find((t) => t.is_active);
		const r = await request(`${sandbox.baseUrl}/conversions`, {
			method: 'POST',
			headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ conversion_type_id: type?.id, lead_id: SEED_LEAD_IDS[0], amount }),
		});
		if (r.status !== 201) throw new Error(`POST /conversions → ${r.status} ${r.text}`);
		const id = String(r.json.conversion_event.id);
		recorded.push(id);
		return id;
	}

	/** The GET /conversions the trigger sent, with their answers. */
	const conversionReads = () =>
		sandbox.journal().filter((e) => e.method === 'GET' && new URL(e.path, 'http://x').pathname.endsWith('/conversions'));

	/** Conversion IDs emitted by the successful poll executions, in order. */
	const emitted = (/** @type {any[]} */ runs) =>
		runs.filter((e) => e.status === 'success').map((e) => e.items('New conversion').map((/** @type {any} */ c) => c.id));

	// ---- setup -------------------------------------------------------------------------------------

	beforeAll(async () => {
		began = Date.now();
		sandbox = await startSandbox({ maxLifetimeMs: 60 * 60 * 1000 });
		home = await createN8nHome({ line: /** @type {'1'|'2'} */ (line) });
		parseFlatted = require(path.resolve(path.dirname(home.runtime.bin), '../../flatted/cjs/index.js')).parse;
		await home.installPackage(packPackage());
		await home.importCredentials([credentialFor(sandbox)]);
		await home.importWorkflows([hookWorkflow, pollWorkflow, EXAMPLE5]);
		mark('imported');
		await startN8n();
		for (const id of [HOOK_WF, POLL_WF, EXAMPLE5.id]) await activate(id);
		await webhookRegistered(hookUrl());
		await webhookRegistered(exampleHookUrl());
		mark('activated');
	});

	afterAll(async () => {
		const seen = [...details.values()].map(
			(e) =>
				`#${e.id} ${e.mode} ${e.status}` +
				(e.error ? ` (${String(e.error.message).slice(0, 120)})` : '') +
				` ${JSON.stringify([...e.items('Nexor Trigger'), ...e.items('No-show in Nexor')].map((i) => i.event_id).concat(e.items('New conversion').map((/** @type {any} */ c) => c.id)))}`,
		);
		if (server) await server.stop();
		process.stderr.write(
			`[triggers line ${line}] n8n started ${starts} times · ${timings.join(' · ')}\n  executions: ${seen.join('\n              ')}\n`,
		);
		if (home) {
			expect(home.logs.join('\n')).not.toContain(sandbox.apiKey);
			await home.cleanup();
		}
		if (sandbox) await sandbox.close();
	});

	// ---- first life --------------------------------------------------------------------------------

	it('Conversion Trigger: the first poll (at activation) reads Nexor and emits nothing', async () => {
		await waitFor(() => conversionReads().some((e) => e.status === 200), {
			timeoutMs: 120000,
			what: 'the first poll',
		});
		expect(await executions(POLL_WF)).toEqual([]);
		// Recorded now, so the next poll has something new while the webhook cases run.
		for (const amount of [100, 200, 300]) await recordConversion(amount);
	});

	/**
	 * A delivery from the sandbox in Nexor's envelope (one attempt), with n8n's answer parsed.
	 * @param {Parameters<typeof sandbox.deliverWebhook>[0]} options
	 */
	async function deliver(options) {
		const d = await sandbox.deliverWebhook(options);
		let answer = null;
		try {
			answer = JSON.parse(d.body);
		} catch {
			/* not JSON */
		}
		return { ...d, answer };
	}

	/** What the Nexor Trigger answers to a delivery it drops (2xx, so Nexor doesn't retry it). */
	const dropped = (/** @type {string} */ reason) => ({ delivered: true, status: 200, answer: { received: true, started: false, reason } });
	const outcome = (/** @type {{ delivered: boolean, status: number | null, answer: any }} */ d) => ({
		delivered: d.delivered,
		status: d.status,
		answer: d.answer,
	});

	/** @type {Awaited<ReturnType<typeof deliver>>} */
	let eventA;

	it('Nexor Trigger: a meeting.no_show starts one execution with the event, its data and the request headers', async () => {
		eventA = await deliver({
			url: hookUrl(),
			event_type: 'meeting.no_show',
			headers: { 'x-nexor-e2e': `line-${line}` },
		});
		expect([eventA.delivered, eventA.status]).toEqual([true, 200]);
		const runs = await untilExecutions(HOOK_WF, 1);
		expect(runs.map((e) => [e.status, e.mode])).toEqual([['success', 'webhook']]);
		const [item] = runs[0].items('Nexor Trigger');
		const sent = /** @type {any} */ (eventA.envelope.data);
		expect(item).toEqual({
			event_type: 'meeting.no_show',
			event_id: eventA.eventId,
			...sent,
			headers: expect.objectContaining({
				'content-type': 'application/json',
				'user-agent': 'Nexor-Webhooks/1.0 (sandbox)',
				'x-nexor-sandbox-signature': 'unsigned',
				'x-nexor-e2e': `line-${line}`,
			}),
		});
		expect(item.meeting).toMatchObject({ status: 'no_show', id: expect.any(String) });
		expect(runs[0].items('Received')).toEqual([item]);
	});

	it('the same event re-delivered, an event not chosen and a test delivery: acknowledged, nothing started (a body that is no event: 400); a workflow_run.status_changed starts one', async () => {
		const again = await deliver({ url: hookUrl(), event_type: 'meeting.no_show', event_id: eventA.eventId });
		expect(again.deliveryId).not.toBe(eventA.deliveryId);
		const notChosen = await deliver({ url: hookUrl(), event_type: 'meeting.scheduled' });
		const test = await deliver({ url: hookUrl(), event_type: 'meeting.no_show', test: true });
		expect([again, notChosen, test].map(outcome)).toEqual([
			dropped('repeated_event'),
			dropped('event_not_chosen'),
			dropped('test_delivery'),
		]);
		// Not a Nexor event at all: refused with a 400 (the sandbox only sends envelopes: a plain POST).
		const stranger = await request(hookUrl(), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ hello: 'world' }),
		});
		expect([stranger.status, stranger.json?.received]).toEqual([400, false]);
		const eventB = await deliver({ url: hookUrl(), event_type: 'workflow_run.status_changed' });
		expect([eventB.delivered, eventB.status]).toEqual([true, 200]);
		// B's execution is the second: none of the three deliveries before it started one.
		const runs = await untilExecutions(HOOK_WF, 2);
		expect(runs.map((e) => e.items('Nexor Trigger').map((/** @type {any} */ i) => [i.event_type, i.event_id]))).toEqual([
			[['meeting.no_show', eventA.eventId]],
			[['workflow_run.status_changed', eventB.eventId]],
		]);
		expect(runs.map((e) => e.status)).toEqual(['success', 'success']);
	});

	it('examples/5: a no-show for a lead with an active run stops its AI in Nexor and composes the message for the rep', async () => {
		const delivery = await deliver({ url: exampleHookUrl(), event_type: 'meeting.no_show' });
		expect([delivery.delivered, delivery.status]).toEqual([true, 200]);
		const [run] = await untilExecutions(EXAMPLE5.id, 1);
		expect(run.status).toBe('success');
		const [event] = run.items('No-show in Nexor');
		// The sandbox's no-show: Carlos, whose active run is in Sales Outreach.
		expect([event.lead.id, event.workflow.id]).toEqual([SEED_LEAD_IDS[0], SEED_WORKFLOW_IDS[0]]);
		expect(sandbox.getRuns(SEED_LEAD_IDS[0]).find((r) => r.workflow_id === SEED_WORKFLOW_IDS[0] && r.is_active)?.human_takeover).toBe(true);
		const stops = sandbox.journal().filter((e) => e.method === 'POST' && /\/automation\/stop$/.test(e.path));
		expect(stops.map((e) => [e.path, JSON.parse(e.body), e.status])).toEqual([
			[`/api/public/leads/${event.lead.id}/automation/stop`, { workflow_id: event.workflow.id }, 200],
		]);
		const [note] = run.items('Notify the rep');
		expect(note.text).toBe(
			`${[event.lead.first_name, event.lead.last_name].filter(Boolean).join(' ')} missed ${event.meeting.title}; the AI is stopped so you can call them`,
		);
	});

	it('Conversion Trigger: the 3 recorded conversions come in one execution, oldest first', async () => {
		const runs = await untilExecutions(POLL_WF, 1, 240000);
		expect(runs.map((e) => e.status)).toEqual(['success']);
		expect(emitted(runs)).toEqual([recorded.slice(0, 3)]);
		expect(runs[0].items('New conversion').map((/** @type {any} */ c) => c.amount)).toEqual([100, 200, 300]);
	});

	it('Conversion Trigger: a poll whose 5 tries all get a 503 emits nothing; the next poll emits the conversion recorded meanwhile, once', async () => {
		sandbox.addRule({ match: { method: 'GET', path: '/conversions' }, times: 5, fault: { status: 503 } });
		const before = conversionReads().length;
		const fourth = await recordConversion(400);
		// The rule used up, then a read answered 200 and its conversion emitted.
		const runs = await waitFor(
			async () => {
				const all = await executions(POLL_WF);
				return emitted(all).flat().includes(fourth) ? all : undefined;
			},
			{ timeoutMs: 300000, intervalMs: 2000, what: 'the conversion recorded during the outage' },
		);
		const reads = conversionReads().slice(before);
		expect(reads.slice(0, 6).map((e) => e.status)).toEqual([503, 503, 503, 503, 503, 200]);
		// The failing poll ran as an execution n8n marks failed, with the node's error; it emitted nothing.
		const failed = runs.filter((e) => e.status !== 'success');
		expect(failed.length).toBeGreaterThanOrEqual(1);
		for (const f of failed) expect(f.items('New conversion')).toEqual([]);
		expect(emitted(runs)).toEqual([recorded.slice(0, 3), [fourth]]);
	});

	it('Conversion Trigger: a poll still waiting out a long Retry-After when the next poll starts: the conversion is emitted once', async () => {
		// n8n starts a poll every minute whether or not the last one has ended, and one poll may last
		// minutes (5 tries, 30 s timeouts, Retry-After up to 60 s): here the first poll meets two 429s
		// with Retry-After: 50 and lasts over 100 s, so the next poll starts while it waits.
		sandbox.addRule({ match: { method: 'GET', path: '/conversions' }, times: 2, fault: { status: 429, retryAfter: 50 } });
		const before = conversionReads().length;
		const id = await recordConversion(450);
		await waitFor(
			() => {
				const reads = conversionReads().slice(before);
				const limited = reads.filter((e) => e.status === 429).length;
				const lastLimited = reads.map((e) => e.status).lastIndexOf(429);
				// both 429s given, and two reads answered 200 after them (the waiting poll's and the next)
				return limited === 2 && reads.slice(lastLimited + 1).filter((e) => e.status === 200).length >= 2;
			},
			{ timeoutMs: 360000, intervalMs: 2000, what: 'two 429s and two successful reads after them' },
		);
		const runs = await waitFor(
			async () => {
				const all = await executions(POLL_WF);
				return emitted(all).flat().includes(id) ? all : undefined;
			},
			{ timeoutMs: 120000, intervalMs: 2000, what: 'the conversion recorded during the rate limit' },
		);
		// For the log: the first poll's two 429s 50 s apart, its read after them and the next poll's.
		mark(`overlapping polls read ${conversionReads().slice(before).map((e) => `${e.status}@${e.wallTime.slice(11, 19)}`).join(' ')}`);
		expect(emitted(runs).flat().filter((x) => x === id)).toEqual([id]);
		expect(emitted(runs).flat()).toEqual(recorded);
	});

	// ---- restart -----------------------------------------------------------------------------------

	it('after a restart (same folder, same database) the Nexor Trigger still knows event A; a new event starts one', async () => {
		if (!server) throw new Error('n8n is not running');
		await server.stop();
		mark('stopped');
		// Recorded while n8n is down: only a remembered checkpoint tells it apart from old ones.
		await recordConversion(500);
		await startN8n();
		await webhookRegistered(hookUrl());
		const a = await deliver({ url: hookUrl(), event_type: 'meeting.no_show', event_id: eventA.eventId });
		expect(outcome(a)).toEqual(dropped('repeated_event'));
		const c = await deliver({ url: hookUrl(), event_type: 'meeting.no_show' });
		expect([c.delivered, c.status]).toEqual([true, 200]);
		const runs = await untilExecutions(HOOK_WF, 3);
		expect(runs.map((e) => e.items('Nexor Trigger')[0].event_id)).toEqual([
			eventA.eventId,
			expect.any(String),
			c.eventId,
		]);
		expect(runs.every((e) => e.status === 'success')).toBe(true);
	});

	it('after the restart the Conversion Trigger repeats nothing and emits, once each, the conversion recorded while n8n was down and one recorded after', async () => {
		const sixth = await recordConversion(600);
		const runs = await waitFor(
			async () => {
				const all = await executions(POLL_WF);
				return emitted(all).flat().includes(sixth) ? all : undefined;
			},
			{ timeoutMs: 300000, intervalMs: 2000, what: 'the conversion recorded after the restart' },
		);
		const ids = emitted(runs).flat();
		expect(ids).toEqual(recorded);
		expect(new Set(ids).size).toBe(ids.length);
		expect(starts).toBe(2);
	});
});
