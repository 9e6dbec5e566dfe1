/**
 * The rate gate (core/rate-gate.ts): shared pause, learned spacing, spread restart, bounded
 * retries. Every clock here is a number passed in, so nothing depends on real time.
 */
import {
	PACING_POLICY,
	RETRY_POLICY,
	RateGate,
	rateLimitPauseMs,
	type Slot,
} from '../../../core';
import { Nexor } from '../../../nodes/Nexor/Nexor.node';
import { simulate } from './pacing-sim';

/** The node's `Requests in Parallel` default: the simulations run with what users get. */
const DEFAULT_CONCURRENCY = (() => {
	const options = new Nexor().description.properties.find((p) => p.name === 'options');
	const concurrency = options?.options?.find((o) => 'name' in o && o.name === 'concurrency');
	return Number(concurrency && 'default' in concurrency ? concurrency.default : NaN);
})();

/** Reserve and claim at once (the slot's time has come). */
function send(gate: RateGate, now: number): Slot {
	const slot = gate.reserve(now);
	expect(gate.claim(slot, slot.at)).toBe(true);
	return slot;
}

describe('RateGate', () => {
	it('does not pace before the first 429: every worker may go at once', () => {
		const gate = new RateGate();
		const starts = Array.from({ length: 5 }, () => gate.reserve(1000).at);
		expect(starts).toEqual([1000, 1000, 1000, 1000, 1000]);
		expect(gate.state().ratePerSec).toBe(Infinity);
	});

	it('a 429 pauses every worker until its Retry-After has passed, not only the one that got it', () => {
		const gate = new RateGate();
		const mine = send(gate, 0);
		const other = gate.reserve(10); // another worker, reserved before the 429 arrived
		gate.rateLimited(mine, 50, 1000);
		// The other worker's slot is void: it must reserve again, and lands after the pause.
		expect(gate.claim(other, 60)).toBe(false);
		const again = gate.reserve(60);
		expect(again.at).toBeGreaterThanOrEqual(1050);
		// A worker that arrives later still waits.
		expect(gate.reserve(500).at).toBeGreaterThanOrEqual(1050);
		expect(gate.state().resumeAt).toBe(1050);
	});

	it('spreads the restart: after a pause, waiting workers start one learned interval apart', () => {
		const gate = new RateGate();
		const slots = Array.from({ length: 20 }, () => send(gate, 0));
		slots.slice(0, 19).forEach((slot) => gate.delivered(slot, 50));
		gate.rateLimited(slots[19], 50, 1000);
		const rate = gate.state().ratePerSec;
		const restart = Array.from({ length: 5 }, () => gate.reserve(60).at);
		expect(restart[0]).toBe(1050);
		const gaps = restart.slice(1).map((at, i) => at - restart[i]);
		gaps.forEach((gap) => expect(gap).toBeCloseTo(1000 / rate, 6));
		expect(new Set(restart).size).toBe(5);
	});

	it('learns the rate as answers let through ÷ time from the start to the end of the pause', () => {
		const gate = new RateGate();
		const slots = Array.from({ length: 23 }, () => send(gate, 0));
		slots.slice(0, 22).forEach((slot) => gate.delivered(slot, 50));
		gate.rateLimited(slots[22], 50, 1000);
		// 22 answers between 0 and 1050 ms: a bucket of 20/s with a burst of 20 looks exactly like this.
		expect(gate.state().ratePerSec).toBeCloseTo(22 / 1.05, 6);
	});

	it('charges only the 429 that teaches the gate; 429s for requests sent before that are its own lag', () => {
		const gate = new RateGate();
		const inFlight = Array.from({ length: 5 }, () => send(gate, 0));
		expect(gate.rateLimited(inFlight[0], 50, 1000)).toEqual({ charged: true });
		for (const slot of inFlight.slice(1)) expect(gate.rateLimited(slot, 51, 1000)).toEqual({ charged: false });
		expect(gate.state().slowdowns).toBe(1);
		// Their Retry-After is still honoured.
		expect(gate.state().resumeAt).toBe(1051);
		// A request sent at the new pace that is refused again is news: charged.
		const paced = gate.reserve(1051);
		expect(gate.claim(paced, paced.at)).toBe(true);
		expect(gate.rateLimited(paced, paced.at + 50, 1000)).toEqual({ charged: true });
		expect(gate.state().slowdowns).toBe(2);
	});

	it('never cuts the pace below PACING_POLICY.maxDecrease of the rate that was refused, nor raises it above', () => {
		const gate = new RateGate();
		// Learn 10/s first.
		const first = Array.from({ length: 11 }, () => send(gate, 0));
		first.slice(0, 10).forEach((slot) => gate.delivered(slot, 50));
		gate.rateLimited(first[10], 0, 1000);
		expect(gate.state().ratePerSec).toBeCloseTo(10, 6);
		// Sent at 10/s, next refused after only a few answers over a long pause.
		let now = 1000;
		const paced: Slot[] = [];
		for (let i = 0; i < 8; i++) {
			const slot = gate.reserve(now);
			now = slot.at;
			expect(gate.claim(slot, now)).toBe(true);
			paced.push(slot);
		}
		gate.rateLimited(paced[7], now + 50, 30_000);
		const rate = gate.state().ratePerSec;
		expect(rate).toBeGreaterThanOrEqual(10 * PACING_POLICY.maxDecrease - 1e-9);
		expect(rate).toBeLessThanOrEqual(10 + 1e-9);
	});

	it('after the first 429 climbs fast; once a paced 429 bounds it, probes slowly, then faster the longer it goes well', () => {
		const gate = new RateGate();
		const first = Array.from({ length: 11 }, () => send(gate, 0));
		first.slice(0, 10).forEach((slot) => gate.delivered(slot, 50));
		gate.rateLimited(first[10], 0, 1000);
		let now = 1000;
		/** Sends and answers at the gate's pace for `seconds`; returns the last slot. */
		const paceFor = (seconds: number) => {
			const until = now + seconds * 1000;
			let last = gate.reserve(now);
			while (now < until) {
				last = gate.reserve(now);
				now = last.at;
				gate.claim(last, now);
				gate.delivered(last, now);
			}
			return last;
		};
		// Startup: the first estimate came from an unpaced burst, so it doubles about every second.
		const learned = gate.state().ratePerSec;
		paceFor(1);
		expect(gate.state().ratePerSec / learned).toBeCloseTo(1 + PACING_POLICY.startupGrowthPerSec, 0);
		// A 429 at a known pace ends the startup…
		const refused = gate.reserve(now);
		now = refused.at;
		gate.claim(refused, now);
		gate.rateLimited(refused, now + 50, 1000);
		now += 1050;
		const bounded = gate.state().ratePerSec;
		// …then it grows by about probeGrowthPerSec in the first second…
		paceFor(1);
		const afterOne = gate.state().ratePerSec / bounded;
		expect(afterOne).toBeGreaterThan(1);
		expect(afterOne).toBeLessThan(1 + 2 * PACING_POLICY.probeGrowthPerSec);
		// …and accelerates the longer nothing is refused.
		paceFor(10);
		expect(gate.state().ratePerSec / bounded).toBeGreaterThan(2);
	});

	it('is deterministic: the same events give the same schedule', async () => {
		const run = async () => (await simulate({ items: 200, concurrency: 5, latencyMs: 50, ratePerSec: 20 })).sends;
		expect(await run()).toEqual(await run());
	});

	it('holds a fixed amount of state, whatever the number of items', () => {
		const size = (answers: number) => {
			const gate = new RateGate();
			const slot = send(gate, 0);
			gate.rateLimited(slot, 1, 10);
			let now = 20;
			for (let i = 0; i < answers; i++) {
				const s = gate.reserve(now);
				now = s.at;
				gate.claim(s, now);
				gate.delivered(s, now);
			}
			return JSON.stringify(gate).length;
		};
		expect(size(10_000)).toBeLessThanOrEqual(size(20) + 40);
	});
});

describe('rateLimitPauseMs', () => {
	const now = Date.parse('2026-11-27T12:00:00Z');
	it('uses Retry-After in seconds or as an HTTP date, capped', () => {
		expect(rateLimitPauseMs({ 'Retry-After': '2' }, 1, now, 0.5)).toBe(2000);
		expect(rateLimitPauseMs({ 'retry-after': new Date(now + 3000).toUTCString() }, 1, now, 0.5)).toBe(3000);
		expect(rateLimitPauseMs({ 'retry-after': '86400' }, 1, now, 0.5)).toBe(RETRY_POLICY.maxRetryAfterMs);
	});
	it('falls back to the retry backoff when there is no Retry-After', () => {
		expect(rateLimitPauseMs({}, 1, now, 0)).toBe(RETRY_POLICY.baseDelayMs / 2);
		expect(rateLimitPauseMs(undefined, 2, now, 1)).toBe(RETRY_POLICY.baseDelayMs * 2);
	});
});

/**
 * The real engine (runItems + sendCall) against a simulated token bucket, in virtual time (see pacing-sim.ts). Bounds
 * are on virtual milliseconds and counts, never on the wall clock.
 */
describe('against a token bucket (virtual time)', () => {
	const floor = (items: number, rate: number) => (items / rate) * 1000;

	it('the benchmark setting (N 300, R 20/s, burst 20, L 50 ms, default concurrency): ≥ 0.9 of N ÷ R, nothing fails', async () => {
		expect(DEFAULT_CONCURRENCY).toBeGreaterThanOrEqual(1);
		const r = await simulate({ items: 300, concurrency: DEFAULT_CONCURRENCY, latencyMs: 50, ratePerSec: 20, burst: 20 });
		expect(r.failed).toBe(0);
		expect(r.succeeded).toBe(300);
		expect(floor(300, 20) / r.makespanMs).toBeGreaterThanOrEqual(0.9);
		// A handful of 429s to learn from, not one per request.
		expect(r.rateLimited).toBeLessThan(30);
		expect(r.maxTries).toBeLessThanOrEqual(3);
	});

	it.each([
		['20 in parallel', { concurrency: 20 }],
		['200 ms latency', { latencyMs: 200 }],
		['a 5/s limit', { ratePerSec: 5, items: 100 }],
		['a 100/s limit', { ratePerSec: 100, items: 1000 }],
		['a burst of 2 s', { burst: 40 }],
		['3000 items', { items: 3000 }],
	])('keeps ≥ 0.9 of N ÷ R with %s', async (_name, change) => {
		const options = { items: 300, concurrency: DEFAULT_CONCURRENCY, latencyMs: 50, ratePerSec: 20, ...change };
		const r = await simulate(options);
		expect(r.failed).toBe(0);
		expect(floor(options.items, options.ratePerSec) / r.makespanMs).toBeGreaterThanOrEqual(0.9);
	});

	it.each([
		['a burst of 5', { burst: 5 }],
		['a burst of 1', { burst: 1 }],
		['no Retry-After header', { retryAfter: 'none' as const }],
		['a burst of 1 and 20 in parallel', { burst: 1, concurrency: 20 }],
	])('with %s it is slower but no item runs out of tries', async (_name, change) => {
		const r = await simulate({ items: 300, concurrency: DEFAULT_CONCURRENCY, latencyMs: 50, ratePerSec: 20, ...change });
		expect(r.failed).toBe(0);
		expect(r.maxTries).toBeLessThan(RETRY_POLICY.maxAttempts);
	});

	it('without a rate limit it is bound only by concurrency and latency', async () => {
		const r = await simulate({ items: 300, concurrency: 5, latencyMs: 50, overheadMs: 2 });
		expect(r.rateLimited).toBe(0);
		expect(r.makespanMs).toBeCloseTo((300 / 5) * 52, -1);
	});

	it('restarts spread out after a pause: no two requests in the same instant', async () => {
		const r = await simulate({ items: 300, concurrency: 20, latencyMs: 50, ratePerSec: 20 });
		// Skip the unpaced opening burst (before anything was learned).
		const paced = r.sends.filter((t) => t >= 1000);
		const gaps = paced.slice(1).map((t, i) => t - paced[i]);
		expect(Math.min(...gaps)).toBeGreaterThan(10);
	});

	it('every item ends after a bounded number of tries even when every answer is 429', async () => {
		const r = await simulate({ items: 20, concurrency: 5, latencyMs: 50, ratePerSec: 0.001, burst: 1 });
		expect(r.succeeded + r.failed).toBe(20);
		expect(r.maxTries).toBeLessThanOrEqual(RETRY_POLICY.maxAttempts + PACING_POLICY.maxUnchargedRetries);
	});
});
