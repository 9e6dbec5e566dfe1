/**
 * The execution-wide breaker: when Nexor can't be reached, or rejects the API key, the items not yet
 * sent end at once with that error instead of each spending five tries and their timeouts.
 */
import { NexorApiError } from './errors';
import { StopSignal } from './stop';

export const BREAKER_POLICY = {
	/**
	 * Failed tries in a row (no answer, a timeout, 408 or 5xx) with no success between them that trip
	 * the breaker: at least this many, and at least two per worker (see `breakerThreshold`).
	 */
	minConsecutiveFailures: 10,
} as const;

/**
 * Two failures per worker: a blip that resets every open connection at once (a load balancer
 * restarting) fails one whole wave of requests; only when the retry wave fails as well, with not one
 * answer in between, is Nexor taken to be unreachable. With the default 10 workers and 30 s timeouts
 * that is about a minute, where 1,000 items of 5 tries each used to take hours.
 */
export function breakerThreshold(concurrency: number): number {
	return Math.max(BREAKER_POLICY.minConsecutiveFailures, 2 * Math.max(1, Math.floor(concurrency) || 1));
}

/** A copy of `error` whose fix says the item was never sent. */
function notSent(error: NexorApiError, why: string): NexorApiError {
	return new NexorApiError({
		kind: error.kind,
		message: error.message,
		fix: `${why} This item was not sent. ${error.fix}`,
		retryable: false,
		status: error.status,
		nexorMessage: error.nexorMessage,
	});
}

export class Breaker {
	/** Fires when tripped; waiting items wake at once. */
	readonly tripped = new StopSignal();
	private streak = 0;

	constructor(private readonly threshold: number = BREAKER_POLICY.minConsecutiveFailures) {}

	/** Nexor answered (any 2xx, 4xx other than 408, or 429): it is reachable. */
	reached(): void {
		this.streak = 0;
	}

	/** A try got no answer, timed out, or met a 408/5xx. Trips after `threshold` in a row. */
	failedToReach(error: NexorApiError): void {
		this.streak++;
		if (this.streak < this.threshold) return;
		const why =
			error.kind === 'network'
				? `${this.streak} requests in a row got no answer from Nexor, so the node stopped sending.`
				: `${this.streak} requests in a row failed with no success between them, so the node stopped sending.`;
		this.tripped.stop(notSent(error, why));
	}

	/** The key was rejected: every other item would be rejected too. */
	rejectedKey(error: NexorApiError): void {
		this.tripped.stop(notSent(error, 'Nexor rejected the API key for another item of this run.'));
	}

	/** Throws the breaker's error once tripped. */
	check(): void {
		this.tripped.throwIfStopped();
	}
}
