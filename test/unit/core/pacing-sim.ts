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
	type PacingPolicy,
	type PreparedCall,
} from '../../../core';
import { TokenBucket, VirtualClock, answerThroughLimit } from './virtual-time';

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

export async function simulate(options: SimOptions): Promise<SimResult> {
	const overhead = options.overheadMs ?? 2;
	const policy = { ...PACING_POLICY, ...options.policy };
	const gate = new RateGate(policy);
	const random = options.random ?? (() => 0.5);
	const maxEvents = options.maxEvents ?? 2_000_000;

	const clock = new VirtualClock();

	// The sandbox's token bucket.
	const rate = options.ratePerSec;
	const burst = options.burst ?? (rate ? Math.max(1, Math.ceil(rate)) : 0);
	const bucket = rate ? new TokenBucket(rate, burst) : undefined;
	const takeToken = (now: number): number => (bucket ? bucket.take(now) : 0);

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

	const http = (request: { path: string }) => {
		const count = (tries.get(request.path) ?? 0) + 1;
		tries.set(request.path, count);
		result.maxTries = Math.max(result.maxTries, count);
		result.requests++;
		result.sends.push(clock.now);
		return answerThroughLimit(
			clock,
			takeToken,
			{ latencyMs: options.latencyMs, overheadMs: overhead, retryAfter: options.retryAfter },
			() => result.rateLimited++,
		);
	};

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
		now: () => clock.now,
		sleep: clock.sleep,
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
				result.makespanMs = Math.max(result.makespanMs, clock.now);
			}
		},
	}).then((report) => {
		finished = true;
		return report;
	});

	await clock.runUntil(() => finished, maxEvents);
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
