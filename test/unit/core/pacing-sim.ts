/**
 * A deterministic, virtual-time run of the real engine (core's runItems and sendCall, with the real
 * RateGate and Breaker) against a token-bucket rate limit (the same bucket and Retry-After rule as
 * the sandbox). Only the clock, the sleep and the HTTP call are simulated: an event queue of
 * (time, seq) steps, drained one step at a time after every pending promise has settled, so tests
 * assert on virtual time and nothing waits for the wall clock.
 */
import {
	Breaker,
	PACING_POLICY,
	RateGate,
	StopSignal,
	breakerThreshold,
	runItems,
	sendCall,
	type HttpExchange,
	type PacingPolicy,
	type PreparedCall,
} from '../../../core';
import { settle } from '../../support/settle';

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


export async function simulate(options: SimOptions): Promise<SimResult> {
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
	const tries = new Map<string, number>();

	const http = (request: { path: string }) =>
		new Promise<HttpExchange>((resolve) => {
			const count = (tries.get(request.path) ?? 0) + 1;
			tries.set(request.path, count);
			result.maxTries = Math.max(result.maxTries, count);
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
				at(now + options.latencyMs + overhead / 2, () => resolve({ status, headers, body: {} }));
			});
		});

	const call = (index: number): PreparedCall<number> => ({
		request: { method: 'PUT', path: `/leads/${index}`, body: {} },
		leadKey: `lead-${index}`,
		idempotent: true,
		failureWords: { action: 'update' },
		read: () => index,
	});

	const stop = new StopSignal();
	const env = {
		http,
		now: () => now,
		sleep: (ms: number) => new Promise<void>((resolve) => at(now + ms, resolve)),
		random,
		gate,
		breaker: new Breaker(breakerThreshold(options.concurrency)),
		stop,
	};
	let finished = false;
	const done = runItems({
		count: options.items,
		concurrency: options.concurrency,
		leadKeyOf: (index) => `lead-${index}`,
		stopOnError: false,
		stop,
		run: async (index) => {
			try {
				return await sendCall(env, call(index));
			} finally {
				result.makespanMs = Math.max(result.makespanMs, now);
			}
		},
	}).then((report) => {
		finished = true;
		return report;
	});

	let processed = 0;
	for (;;) {
		await settle();
		if (finished) break;
		const event = queue.shift();
		if (!event) throw new Error('the simulated run is stuck: nothing left to happen and not finished');
		if (++processed > maxEvents) throw new Error(`simulation did not finish in ${maxEvents} events`);
		now = event.at;
		event.run();
	}
	const report = await done;
	for (const outcome of report.outcomes) {
		if (outcome?.ok) result.succeeded++;
		else result.failed++;
	}
	const state = gate.state();
	result.slowdowns = state.slowdowns;
	result.finalRatePerSec = state.ratePerSec;
	return result;
}
