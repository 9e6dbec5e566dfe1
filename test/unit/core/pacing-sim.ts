/**
 * A deterministic, virtual-time model of the node's item loop against a token-bucket rate limit
 * (the same bucket and Retry-After rule as test/sandbox/server.js), driving the real RateGate.
 * No timers, no wall clock: an event queue of (time, seq) steps, so tests assert on virtual time.
 *
 * The workers follow nodes/Nexor/shared/transport.ts: reserve a slot, wait for it, claim it (or
 * reserve again), send; on a 429 let the gate pause everyone and decide whether the try counts.
 */
import {
	PACING_POLICY,
	RETRY_POLICY,
	RateGate,
	rateLimitPauseMs,
	type PacingPolicy,
	type Slot,
} from '../../../core';

export interface SimOptions {
	items: number;
	concurrency: number;
	/** Server latency added to every answer (ms). */
	latencyMs: number;
	/** Token bucket; omitted = no rate limit. */
	ratePerSec?: number;
	/** Bucket size; default ceil(rate), as the sandbox. */
	burst?: number;
	/** Client-side cost per request, split before and after the server (ms). */
	overheadMs?: number;
	/** 'seconds': Retry-After = ceil(wait), at least 1 s (the sandbox); 'none': no header. */
	retryAfter?: 'seconds' | 'none';
	policy?: Partial<PacingPolicy>;
	/** Deterministic jitter source for backoffs without Retry-After. */
	random?: () => number;
	/** Safety bound on processed events. */
	maxEvents?: number;
}

export interface SimResult {
	/** Virtual ms from the first reservation to the last answer. */
	makespanMs: number;
	succeeded: number;
	failed: number;
	/** 429s the limiter sent. */
	rateLimited: number;
	requests: number;
	/** Most tries any item used (charged and uncharged). */
	maxTries: number;
	slowdowns: number;
	finalRatePerSec: number;
	/** Start times of every request (ms), in order. */
	sends: number[];
}

type Event = { at: number; seq: number; run: () => void };

export function simulate(options: SimOptions): SimResult {
	const overhead = options.overheadMs ?? 2;
	const policy = { ...PACING_POLICY, ...options.policy };
	const gate = new RateGate(policy);
	const random = options.random ?? (() => 0.5);
	const maxEvents = options.maxEvents ?? 2_000_000;

	const queue: Event[] = [];
	let seq = 0;
	let now = 0;
	const at = (time: number, run: () => void) => {
		const event = { at: time, seq: seq++, run };
		let i = queue.length;
		while (i > 0 && (queue[i - 1].at > event.at || (queue[i - 1].at === event.at && queue[i - 1].seq > event.seq))) i--;
		queue.splice(i, 0, event);
	};

	// The sandbox's token bucket.
	const rate = options.ratePerSec;
	const burst = options.burst ?? (rate ? Math.max(1, Math.ceil(rate)) : 0);
	const bucket = { tokens: burst, last: 0 };
	const takeToken = (): number => {
		if (!rate) return 0;
		bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.last) / 1000) * rate);
		bucket.last = now;
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return ((1 - bucket.tokens) / rate) * 1000;
	};

	const result: SimResult = {
		makespanMs: 0,
		succeeded: 0,
		failed: 0,
		rateLimited: 0,
		requests: 0,
		maxTries: 0,
		slowdowns: 0,
		finalRatePerSec: 0,
		sends: [],
	};
	let nextItem = 0;

	const startWorker = () => {
		if (nextItem >= options.items) return;
		nextItem++;
		let attempt = 1;
		let uncharged = 0;
		let tries = 0;
		const finish = (ok: boolean) => {
			if (ok) result.succeeded++;
			else result.failed++;
			result.maxTries = Math.max(result.maxTries, tries);
			result.makespanMs = Math.max(result.makespanMs, now);
			startWorker();
		};
		const reserve = () => {
			const slot = gate.reserve(now);
			at(slot.at, () => fire(slot));
		};
		const fire = (slot: Slot) => {
			if (!gate.claim(slot, now)) return reserve();
			tries++;
			result.requests++;
			result.sends.push(now);
			at(now + overhead / 2, () => {
				const wait = takeToken();
				const status = wait > 0 ? 429 : 200;
				if (status === 429) result.rateLimited++;
				const headers: Record<string, string> =
					status === 429 && options.retryAfter !== 'none'
						? { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) }
						: {};
				at(now + options.latencyMs + overhead / 2, () => answer(slot, status, headers));
			});
		};
		const answer = (slot: Slot, status: number, headers: Record<string, string>) => {
			if (status !== 429) {
				gate.delivered(slot, now);
				return finish(true);
			}
			const pause = rateLimitPauseMs(headers, attempt, now, random());
			const { charged } = gate.rateLimited(slot, now, pause);
			if (!charged && uncharged < policy.maxUnchargedRetries) {
				uncharged++;
				return reserve();
			}
			if (attempt >= RETRY_POLICY.maxAttempts) return finish(false);
			attempt++;
			reserve();
		};
		reserve();
	};

	for (let w = 0; w < options.concurrency; w++) startWorker();
	let processed = 0;
	while (queue.length > 0) {
		if (++processed > maxEvents) throw new Error(`simulation did not finish in ${maxEvents} events`);
		const event = queue.shift() as Event;
		now = event.at;
		event.run();
	}
	const state = gate.state();
	result.slowdowns = state.slowdowns;
	result.finalRatePerSec = state.ratePerSec;
	return result;
}
