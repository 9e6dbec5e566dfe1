/**
 * Several executions at once in one virtual process: each is core's real runItems + sendCall with its
 * own Breaker and StopSignal, as the n8n shell runs them, and its gate either from one GateRegistry
 * (the shell today: one gate per account per process) or a new RateGate per execution (before).
 * Each account has its own token bucket (Nexor's limit is per account; the sandbox's rule for
 * Retry-After). Virtual time as in pacing-sim.ts: an event queue drained one step at a time after
 * every pending promise has settled, so nothing waits for the wall clock.
 */
import {
	Breaker,
	GateRegistry,
	RateGate,
	StopSignal,
	breakerThreshold,
	runItems,
	sendCall,
	type HttpExchange,
	type PreparedCall,
} from '../../../core';
import { settle } from '../../support/settle';

export interface SimExecution {
	/** Virtual ms at which it starts. */
	startAt: number;
	items: number;
	concurrency: number;
	/** Fingerprint of its account (64 hex). */
	account: string;
	/** Cancels it this many ms after its start (as Stop in the editor). */
	cancelAfterMs?: number;
	/** Its process's registry (another process = another registry); default: the run's one. */
	registry?: GateRegistry;
}

export interface MultiSimOptions {
	executions: SimExecution[];
	/** 'shared': one registry for all; 'per-execution': a new RateGate each. */
	gates: 'shared' | 'per-execution';
	registry?: GateRegistry;
	ratePerSec: number;
	burst?: number;
	latencyMs: number;
	overheadMs?: number;
	maxEvents?: number;
}

export interface ExecutionResult {
	succeeded: number;
	failed: number;
	cancelled: number;
	rateLimited: number;
	/** Start times of its requests (virtual ms). */
	sends: number[];
	endedAt: number;
	gate: RateGate;
}

export interface MultiSimResult {
	executions: ExecutionResult[];
	rateLimited: number;
	makespanMs: number;
}

type Event = { at: number; seq: number; run: () => void };

/** A fingerprint-shaped account name for tests. */
export const account = (n: number): string => n.toString(16).padStart(64, '0');

export async function simulateExecutions(options: MultiSimOptions): Promise<MultiSimResult> {
	const overhead = options.overheadMs ?? 2;
	const registry = options.registry ?? new GateRegistry();
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

	const rate = options.ratePerSec;
	const burst = options.burst ?? Math.max(1, Math.ceil(rate));
	const buckets = new Map<string, { tokens: number; last: number }>();
	const takeToken = (accountId: string): number => {
		const bucket = buckets.get(accountId) ?? { tokens: burst, last: 0 };
		buckets.set(accountId, bucket);
		bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.last) / 1000) * rate);
		bucket.last = now;
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return ((1 - bucket.tokens) / rate) * 1000;
	};

	const results: ExecutionResult[] = [];
	const runs: Array<Promise<void>> = [];
	let pending = options.executions.length;

	options.executions.forEach((execution, e) => {
		const result: ExecutionResult = {
			succeeded: 0,
			failed: 0,
			cancelled: 0,
			rateLimited: 0,
			sends: [],
			endedAt: 0,
			gate: undefined as unknown as RateGate,
		};
		results.push(result);
		runs.push(
			new Promise<void>((started) => at(execution.startAt, started)).then(async () => {
				const gate =
					options.gates === 'shared' ? (execution.registry ?? registry).gateFor(execution.account, now) : new RateGate();
				result.gate = gate;
				const stop = new StopSignal();
				if (execution.cancelAfterMs !== undefined) {
					at(now + execution.cancelAfterMs, () => stop.stop(new Error('cancelled')));
				}
				const http = () =>
					new Promise<HttpExchange>((resolve) => {
						result.sends.push(now);
						at(now + overhead / 2, () => {
							const wait = takeToken(execution.account);
							const status = wait > 0 ? 429 : 200;
							if (status === 429) result.rateLimited++;
							const headers: Record<string, string> =
								status === 429 ? { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) } : {};
							at(now + options.latencyMs + overhead / 2, () => resolve({ status, headers, body: {} }));
						});
					});
				const call = (index: number): PreparedCall<number> => ({
					request: { method: 'PUT', path: `/leads/${e}-${index}`, body: {} },
					leadKey: `lead-${e}-${index}`,
					idempotent: true,
					failureWords: { action: 'update' },
					read: () => index,
				});
				const env = {
					http,
					now: () => now,
					sleep: (ms: number) => new Promise<void>((resolve) => at(now + ms, resolve)),
					random: () => 0.5,
					gate,
					breaker: new Breaker(breakerThreshold(execution.concurrency)),
					stop,
				};
				const report = await runItems({
					count: execution.items,
					concurrency: execution.concurrency,
					leadKeyOf: (index) => `lead-${e}-${index}`,
					stopOnError: false,
					stop,
					run: (index) => sendCall(env, call(index)),
				});
				for (const outcome of report.outcomes) {
					if (outcome === undefined) result.cancelled++;
					else if (outcome.ok) result.succeeded++;
					else if (stop.stopped && outcome.error === stop.reason) result.cancelled++;
					else result.failed++;
				}
				result.endedAt = now;
			}),
		);
	});
	const all = Promise.all(runs).then(() => {
		pending = 0;
	});

	let processed = 0;
	for (;;) {
		await settle();
		if (pending === 0) break;
		const event = queue.shift();
		if (!event) throw new Error('the simulated executions are stuck: nothing left to happen and not finished');
		if (++processed > maxEvents) throw new Error(`simulation did not finish in ${maxEvents} events`);
		now = event.at;
		event.run();
	}
	await all;
	return {
		executions: results,
		rateLimited: results.reduce((sum, r) => sum + r.rateLimited, 0),
		makespanMs: Math.max(...results.map((r) => r.endedAt)),
	};
}
