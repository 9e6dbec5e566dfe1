/**
 * Virtual time for the engine simulations (pacing-sim.ts, multi-sim.ts): an event queue of
 * (time, seq) steps drained one at a time after every pending promise has settled, and the sandbox's
 * token bucket with its Retry-After rule. No timers, no wall clock.
 */
import type { HttpExchange } from '../../../core';
import { takeToken } from '../../sandbox/faults/bucket';
import { settle } from '../../support/settle';

type Event = { at: number; seq: number; run: () => void };

export class VirtualClock {
	now = 0;
	private readonly queue: Event[] = [];
	private seq = 0;

	/** Runs `run` at virtual time `time` (events at one time run in the order they were scheduled). */
	at(time: number, run: () => void): void {
		const event = { at: time, seq: this.seq++, run };
		const queue = this.queue;
		let i = queue.length;
		while (i > 0 && (queue[i - 1].at > event.at || (queue[i - 1].at === event.at && queue[i - 1].seq > event.seq))) i--;
		queue.splice(i, 0, event);
	}

	readonly sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => this.at(this.now + ms, resolve));

	/** Steps through the events until `done()`; throws when nothing is left to happen or after `maxEvents`. */
	async runUntil(done: () => boolean, maxEvents: number): Promise<void> {
		let processed = 0;
		for (;;) {
			await settle();
			if (done()) return;
			const event = this.queue.shift();
			if (!event) throw new Error('the simulated run is stuck: nothing left to happen and not finished');
			if (++processed > maxEvents) throw new Error(`simulation did not finish in ${maxEvents} events`);
			this.now = event.at;
			event.run();
		}
	}
}

/** The sandbox's own token bucket (test/sandbox/faults/bucket.js), starting full, on the virtual clock. */
export class TokenBucket {
	private readonly state: { tokens: number; last: number };

	constructor(
		private readonly ratePerSec: number,
		private readonly burst: number,
	) {
		this.state = { tokens: burst, last: 0 };
	}

	/** 0 when a token was taken, else the ms until one is available. */
	take(now: number): number {
		return takeToken(this.state, { ratePerSec: this.ratePerSec, burst: this.burst }, now);
	}
}

export interface AnswerOptions {
	latencyMs: number;
	/** Client-side cost per request, split before and after the server (ms). */
	overheadMs: number;
	/** 'seconds': Retry-After = ceil(wait), at least 1 s (the sandbox); 'none': no header. */
	retryAfter?: 'seconds' | 'none';
}

/** One request through a rate limit: 200, or 429 (`on429` counts it) when `takeToken` says wait. */
export function answerThroughLimit(
	clock: VirtualClock,
	takeToken: (now: number) => number,
	options: AnswerOptions,
	on429: () => void,
): Promise<HttpExchange> {
	return new Promise<HttpExchange>((resolve) => {
		clock.at(clock.now + options.overheadMs / 2, () => {
			const wait = takeToken(clock.now);
			const status = wait > 0 ? 429 : 200;
			if (status === 429) on429();
			const headers: Record<string, string> =
				status === 429 && options.retryAfter !== 'none'
					? { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) }
					: {};
			clock.at(clock.now + options.latencyMs + options.overheadMs / 2, () => resolve({ status, headers, body: {} }));
		});
	});
}
