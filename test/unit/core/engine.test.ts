/**
 * The engine between items: core's item runner and send loop together, with a scripted HTTP call.
 * What happens after the first failure, on cancel, for two rows of one lead, and when Nexor is gone.
 */
import {
	Breaker,
	HttpExchange,
	NexorApiError,
	PreparedCall,
	RateGate,
	StopSignal,
	breakerThreshold,
	runItems,
	sendCall,
} from '../../../core';
import { settle as settleOnce } from '../../support/settle';

type Reply = HttpExchange | Promise<HttpExchange>;

const lead = (i: number) => `123e4567-e89b-12d3-a456-${String(i).padStart(12, '0')}`;

function call(index: number, leadIndex = index, value = `v${index}`): PreparedCall<string> {
	return {
		request: { method: 'PUT', path: `/leads/${lead(leadIndex)}`, body: { company: value } },
		leadKey: lead(leadIndex),
		idempotent: true,
		failureWords: { leadId: lead(leadIndex), action: 'update' },
		read: () => value,
	};
}

/** A never-ending sleep: a run can only get past a wait if the stop or the breaker cuts it short. */
const forever = () => new Promise<void>(() => undefined);
const instant = () => Promise.resolve();

function engine(reply: (call: PreparedCall<string>, n: number) => Reply, opts: { concurrency?: number; sleep?: (ms: number) => Promise<void> } = {}) {
	const sent: Array<{ path: string; body: unknown; after: boolean }> = [];
	const stop = new StopSignal();
	const concurrency = opts.concurrency ?? 3;
	const breaker = new Breaker(breakerThreshold(concurrency));
	let reported = false;
	const run = async (calls: Array<PreparedCall<string>>, stopOnError: boolean) => {
		const env = {
			now: () => Date.now(),
			sleep: opts.sleep ?? instant,
			random: () => 0.5,
			gate: new RateGate(),
			breaker,
			stop,
		};
		const report = await runItems({
			count: calls.length,
			concurrency,
			stopOnError,
			stop,
			leadKeyOf: (i) => calls[i].leadKey,
			run: (i) =>
				sendCall(
					{
						...env,
						http: async (request) => {
							sent.push({ path: request.path, body: request.body, after: reported });
							return await reply(calls[i], sent.length);
						},
					},
					calls[i],
				),
		});
		reported = true;
		return report;
	};
	return { run, sent, stop, breaker };
}

const ok = (): HttpExchange => ({ status: 200, body: {} });
const settle = async (rounds = 50) => {
	for (let i = 0; i < rounds; i++) await settleOnce();
};

describe('stop on error', () => {
	it('after the first failure no new item starts, answers in flight are dropped, and nothing is sent after the report', async () => {
		const held: Array<() => void> = [];
		// Like the shells' HTTP call: a request in flight is aborted when the run stops.
		const { run, sent, stop } = engine((c) =>
			c.request.path.endsWith(lead(1))
				? { status: 400, body: { message: 'email: invalid' } }
				: new Promise((resolve) => {
						held.push(() => resolve(ok()));
						stop.onStop(() => resolve({ network: { code: 'ABORTED' } }));
					}),
		);
		const calls = Array.from({ length: 12 }, (_, i) => call(i));
		const done = run(calls, true);
		await settle();
		const report = await done; // items 0 and 2 were waiting for their answers: aborted, no outcome
		expect(report.stoppedBy?.index).toBe(1);
		expect((report.stoppedBy?.error as NexorApiError).kind).toBe('validation');
		expect(sent.map((s) => s.path)).toEqual([0, 1, 2].map((i) => `/leads/${lead(i)}`));
		held.forEach((release) => release());
		await settle();
		expect(sent).toHaveLength(3);
		expect(report.outcomes.slice(3).every((o) => o === undefined)).toBe(true);
	});

	it('an item waiting out a retry ends at once when another item stops the run', async () => {
		const { run, sent } = engine(
			(c, n) => (c.request.path.endsWith(lead(0)) ? { status: 503 } : n === 2 ? { status: 404 } : ok()),
			{ concurrency: 2, sleep: forever },
		);
		const report = await run([call(0), call(1), call(2)], true);
		expect(report.stoppedBy?.index).toBe(1);
		expect(sent).toHaveLength(2);
	});
});

describe('cancel', () => {
	it('ends every wait and retry at once; nothing more is sent', async () => {
		const { run, sent, stop } = engine(() => ({ status: 503, headers: { 'retry-after': '30' } }), { sleep: forever });
		const done = run(Array.from({ length: 5 }, (_, i) => call(i)), false);
		await settle();
		expect(sent).toHaveLength(3);
		stop.stop(new Error('cancelled'));
		const report = await done; // resolves although every sleep never ends: the stop cut them short
		await settle();
		expect(sent).toHaveLength(3);
		expect(report.outcomes.every((o) => o === undefined)).toBe(true);
	});
});

describe('two rows for one lead', () => {
	it('land in input order even when the first needs a retry', async () => {
		let stored = 'none';
		let first = true;
		const { run, sent } = engine(
			(c) => {
				if (c.read({ status: 200, body: {} }) === 'older' && first) {
					first = false;
					return { status: 503 };
				}
				stored = (c.request.body as { company: string }).company;
				return ok();
			},
			{ concurrency: 3 },
		);
		const report = await run([call(0, 7, 'older'), call(1, 7, 'newer'), call(2, 8, 'other')], false);
		expect(report.outcomes.map((o) => o?.ok)).toEqual([true, true, true]);
		const forLead = sent.filter((s) => s.path.endsWith(lead(7))).map((s) => (s.body as { company: string }).company);
		expect(forLead).toEqual(['older', 'older', 'newer']);
		expect(stored).toBe('newer');
	});

	it('a lead ID in another letter case is the same lead', async () => {
		const upper = { ...call(1, 7, 'newer'), leadKey: lead(7).toUpperCase().toLowerCase() };
		const held: Array<() => void> = [];
		const { run, sent } = engine(
			(c) => (c.read({ status: 200, body: {} }) === 'older' ? new Promise((r) => held.push(() => r(ok()))) : ok()),
			{ concurrency: 2 },
		);
		const done = run([call(0, 7, 'older'), upper], false);
		await settle();
		expect(sent).toHaveLength(1); // the second row waits for the first
		held.forEach((release) => release());
		await done;
		expect(sent).toHaveLength(2);
	});
});

describe('when Nexor is gone', () => {
	it('the breaker ends the remaining items at once, unsent, with "Could not reach Nexor"', async () => {
		const { run, sent } = engine(() => ({ network: { code: 'ECONNREFUSED' } }), { concurrency: 10 });
		const report = await run(Array.from({ length: 1000 }, (_, i) => call(i)), false);
		const threshold = breakerThreshold(10);
		// Trips after `threshold` failures in a row; workers already past their check may send once more.
		expect(sent.length).toBeGreaterThanOrEqual(threshold);
		expect(sent.length).toBeLessThan(threshold + 10);
		expect(report.outcomes).toHaveLength(1000);
		const errors = report.outcomes.map((o) => (o && !o.ok ? (o.error as NexorApiError) : undefined));
		expect(errors.every((e) => e?.message === 'Could not reach Nexor (ECONNREFUSED)')).toBe(true);
		expect(errors.filter((e) => e?.fix.includes('This item was not sent')).length).toBeGreaterThan(980);
	});

	it('the breaker wakes items waiting out a backoff', async () => {
		const { run, sent, breaker } = engine(() => ({ status: 503, headers: { 'retry-after': '60' } }), {
			concurrency: 1,
			sleep: forever,
		});
		const done = run([call(0), call(1)], false);
		await settle();
		expect(sent).toHaveLength(1); // item 0 now waits (forever) out its Retry-After
		// Another execution part trips the breaker: the wait ends at once and nothing more is sent.
		const error = new NexorApiError({ kind: 'network', message: 'Could not reach Nexor (ETIMEDOUT)', fix: 'x', retryable: true });
		for (let i = 0; i < breakerThreshold(1); i++) breaker.failedToReach(error);
		const report = await done;
		expect(report.outcomes.map((o) => o && !o.ok && (o.error as NexorApiError).fix.includes('This item was not sent'))).toEqual([true, true]);
		expect(sent).toHaveLength(1);
	});

	it('a 401 on one item ends the remaining items with the same error, unsent', async () => {
		const { run, sent } = engine((c) => (c.request.path.endsWith(lead(0)) ? { status: 401 } : ok()), { concurrency: 1 });
		const report = await run(Array.from({ length: 5 }, (_, i) => call(i)), false);
		expect(sent).toHaveLength(1);
		const messages = report.outcomes.map((o) => (o && !o.ok ? (o.error as NexorApiError).message : 'ok'));
		expect(messages).toEqual(Array(5).fill('Nexor rejected the API key'));
		expect((report.outcomes[3] as { error: NexorApiError }).error.status).toBe(401);
	});

	it('a 5xx holds every item back, not only the one that met it', async () => {
		const waits: number[] = [];
		const { run } = engine((c, n) => (n === 1 ? { status: 503, headers: { 'retry-after': '5' } } : ok()), {
			concurrency: 1,
			sleep: async (ms) => {
				waits.push(ms);
			},
		});
		// One worker, two leads: the second item is held by the first item's 503 too.
		await run([call(0), call(1)], false);
		expect(Math.max(...waits)).toBeGreaterThan(4000);
	});
});


describe('a create whose answer was lost', () => {
	const create = (network?: string): PreparedCall<string> => ({
		...call(0),
		request: { method: 'POST', path: '/leads', body: { first_name: 'Ana' } },
		idempotent: false,
		failureWords: { action: 'new lead' },
		read: () => network ?? 'created',
	});

	it('is not sent again after a timeout or a 503, and says to check before running it again', async () => {
		for (const reply of [{ network: { code: 'ETIMEDOUT' } }, { status: 503, body: {} }] as HttpExchange[]) {
			const { run, sent } = engine(() => reply);
			const report = await run([create()], false);
			expect(sent).toHaveLength(1);
			const outcome = report.outcomes[0];
			expect(outcome?.ok).toBe(false);
			const error = (outcome as { error: NexorApiError }).error;
			expect(error).toBeInstanceOf(NexorApiError);
			expect(error.retryable).toBe(false);
			expect(error.fix).toContain('Check in Nexor whether it was applied');
		}
	});

	it('is sent again when Nexor certainly did not act (429, connection refused)', async () => {
		for (const first of [{ status: 429, headers: { 'retry-after': '0' }, body: {} }, { network: { code: 'ECONNREFUSED' } }] as HttpExchange[]) {
			const { run, sent } = engine((_c, n) => (n === 1 ? first : { status: 201, body: {} }));
			const report = await run([create()], false);
			expect(sent).toHaveLength(2);
			expect(report.outcomes[0]).toEqual({ ok: true, value: 'created' });
		}
	});
});
