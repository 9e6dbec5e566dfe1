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
	type PreparedCall,
} from '../../../core';
import { TokenBucket, VirtualClock, answerThroughLimit } from './virtual-time';

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

/** A fingerprint-shaped account name for tests. */
export const account = (n: number): string => n.toString(16).padStart(64, '0');

export async function simulateExecutions(options: MultiSimOptions): Promise<MultiSimResult> {
	const overhead = options.overheadMs ?? 2;
	const registry = options.registry ?? new GateRegistry();
	const maxEvents = options.maxEvents ?? 2_000_000;
	const clock = new VirtualClock();
	const at = (time: number, run: () => void) => clock.at(time, run);

	const rate = options.ratePerSec;
	const burst = options.burst ?? Math.max(1, Math.ceil(rate));
	const buckets = new Map<string, TokenBucket>();
	const bucketOf = (accountId: string): TokenBucket => {
		const bucket = buckets.get(accountId) ?? new TokenBucket(rate, burst);
		buckets.set(accountId, bucket);
		return bucket;
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
					options.gates === 'shared' ? (execution.registry ?? registry).gateFor(execution.account, clock.now) : new RateGate();
				result.gate = gate;
				const stop = new StopSignal();
				if (execution.cancelAfterMs !== undefined) {
					at(clock.now + execution.cancelAfterMs, () => stop.stop(new Error('cancelled')));
				}
				const http = () => {
					result.sends.push(clock.now);
					return answerThroughLimit(
						clock,
						(now) => bucketOf(execution.account).take(now),
						{ latencyMs: options.latencyMs, overheadMs: overhead },
						() => result.rateLimited++,
					);
				};
				const call = (index: number): PreparedCall<number> => ({
					request: { method: 'PUT', path: `/leads/${e}-${index}`, body: {} },
					leadKey: `lead-${e}-${index}`,
					idempotent: true,
					failureWords: { action: 'update' },
					read: () => index,
				});
				const env = {
					http,
					now: () => clock.now,
					sleep: clock.sleep,
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
				result.endedAt = clock.now;
			}),
		);
	});
	const all = Promise.all(runs).then(() => {
		pending = 0;
	});

	await clock.runUntil(() => pending === 0, maxEvents);
	await all;
	return {
		executions: results,
		rateLimited: results.reduce((sum, r) => sum + r.rateLimited, 0),
		makespanMs: Math.max(...results.map((r) => r.endedAt)),
	};
}
