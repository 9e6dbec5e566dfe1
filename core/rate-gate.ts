/**
 * The rate gate: one per Nexor account in a process (see gate-registry.ts), shared by every item of
 * every execution that talks to that account, so a 429 or an outage that one item meets paces and
 * pauses all of them. Pure scheduling: the caller passes the clock in and does the sleeping, so core
 * holds no timers.
 */
import { RETRY_POLICY, backoffMs, retryAfterMs, type Headers } from './failures';

/**
 * How the gate learns Nexor's rate limit. Nexor publishes none, so the node is never told the
 * rate: it starts unpaced (only the concurrency bounds it) and learns from the 429s it gets.
 */
export const PACING_POLICY = {
	/**
	 * After a 429 the paced rate grows by this fraction per second (probing for headroom; the
	 * limit may be higher than learned, or may have been raised)…
	 */
	probeGrowthPerSec: 0.02,
	/** …and the growth doubles every `probeDoublingMs` without a 429 (slow near the limit, fast far from it)… */
	probeDoublingMs: 2_000,
	/** …up to this fraction per second. */
	maxProbeGrowthPerSec: 1,
	/**
	 * Growth per second after the first 429 until a second one: the first estimate comes from an
	 * unpaced burst and may be far too low (a small bucket), so it climbs fast until a 429 at a
	 * known pace bounds the rate from above.
	 */
	startupGrowthPerSec: 1,
	/**
	 * Once paced, a 429 never cuts the rate below this fraction of the rate that was being sent when
	 * it came (the measured rate underestimates when the bucket holds less than one pause's worth).
	 */
	maxDecrease: 0.7,
	/** Bounds of the paced rate (requests per second). */
	minRatePerSec: 0.05,
	maxRatePerSec: 10_000,
	/**
	 * A 429 for a request sent before the gate last slowed down is the gate's own lag, not the
	 * item's fault: it is retried without using one of the item's RETRY_POLICY.maxAttempts tries,
	 * at most this many times per item (so every item still ends after a bounded number of tries).
	 */
	maxUnchargedRetries: 10,
	/**
	 * No start reserved and no answer for this long means nobody was using the gate: the next
	 * reservation begins a new measuring cycle, so the quiet time between two executions is not
	 * counted as time in which the rate limit let only a few requests through. Nexor answers in tens
	 * to hundreds of ms; a gap of seconds with nothing scheduled is a gap between runs.
	 */
	idleRestartMs: 2_000,
} as const;

export type PacingPolicy = { [K in keyof typeof PACING_POLICY]: number };

/** How many of the latest sends measure the rate that a 429 refused. */
const RECENT_SENDS = 8;

/** At most this many released start times are kept for reuse (beyond them a release is dropped). */
const MAX_RELEASED = 1_024;

/** A reserved start time. Valid until the gate slows down again (see `claim`). */
export interface Slot {
	/** Epoch ms: don't send before this. */
	at: number;
	/** The gate's generation when reserved: a 429 handled after that voids the slot. */
	generation: number;
}

/** What the gate made of a 429. */
export interface RateLimitVerdict {
	/**
	 * Whether this 429 uses up one of the item's tries: `false` when another 429 had already
	 * paused the gate after this request was sent (see PACING_POLICY.maxUnchargedRetries).
	 */
	charged: boolean;
}

/** What the gate has learned, for tests, logs and the benchmark. */
export interface GateState {
	/** Paced requests per second; `Infinity` until the first 429. */
	ratePerSec: number;
	/** Epoch ms until which every worker waits (-Infinity = no pause). */
	resumeAt: number;
	/**
	 * Epoch ms of the latest use: the latest start reserved (which may lie ahead), answer, or pause
	 * end (-Infinity = never used). The registry drops a gate that has been idle for a while.
	 */
	lastActiveAt: number;
	/** 429s that made the gate slow down. */
	slowdowns: number;
	generation: number;
}

/**
 * One gate for every request to one Nexor account in this process (every item of every execution),
 * so what one worker learns holds for all:
 *
 * - **Shared pause.** A 429 pauses every worker until its Retry-After (or, without one, the
 *   retry backoff) has passed, not only the worker that got it.
 * - **Learned spacing.** Until the first 429 requests go out as fast as the concurrency allows.
 *   At a 429 the gate estimates the rate Nexor admits as the requests it let through since the
 *   previous restart divided by the time from that restart to the end of this pause. For a
 *   token bucket that refills during the pause this is the bucket's rate; when the bucket is
 *   small it is an underestimate, so the rate is never cut by more than PACING_POLICY.maxDecrease
 *   at once. From then on starts are spaced 1/rate apart.
 * - **Spread restart.** After a pause the slots are handed out from the resume time at that
 *   spacing: the k-th waiting worker starts k/rate later, never all in the same instant.
 * - **Probing.** Without 429s the rate creeps up (PACING_POLICY.probeGrowthPerSec, accelerating),
 *   so an underestimate is corrected and the bucket's burst gets used; the 429 that ends a probe
 *   is the next measurement. Right after the first 429 it climbs fast instead
 *   (PACING_POLICY.startupGrowthPerSec, like TCP's slow start): that first estimate comes from an
 *   unpaced burst and is far too low when the bucket is small.
 * - **Shared across executions.** Executions come and go; what they leave behind is safe for the
 *   next one: a slot an execution reserved but won't use (it stopped) is handed back (`release`)
 *   and given to the next reservation, so a stopped run doesn't hold the others back; a quiet spell
 *   between runs starts a new measuring cycle (PACING_POLICY.idleRestartMs); a 429 or an outage
 *   met by one execution pauses the others too (the limit and the outage are the account's), and
 *   their requests already in flight then are not charged for it.
 *
 * Time is always passed in (epoch ms), never read: the gate is deterministic and holds no timers.
 */
export class RateGate {
	private readonly policy: PacingPolicy;
	private ratePerSec = Infinity;
	private nextAt = -Infinity;
	private resumeAt = -Infinity;
	private generation = 0;
	private slowdowns = 0;
	/** Since the current cycle began (first request, or the end of the last pause). */
	private cycleStart: number | undefined;
	private cycleDelivered = 0;
	/** Start times of the latest sends (a small ring: memory stays constant). */
	private readonly recentSends: number[] = [];
	private recentNext = 0;
	/** Start of the latest reserved slot, and the latest answer (for idleness). */
	private lastSlotAt = -Infinity;
	private lastAnswerAt = -Infinity;
	/** Start times handed back by `release`, ascending: given out before new ones. */
	private readonly released: number[] = [];

	constructor(policy: Partial<PacingPolicy> = {}) {
		this.policy = { ...PACING_POLICY, ...policy };
	}

	/** Reserves the next start time: now, or later when paused or paced. */
	reserve(now: number): Slot {
		if (this.cycleStart === undefined || this.idle(now)) this.newCycle(now);
		const earliest = Math.max(now, this.resumeAt);
		// A start time handed back by a run that stopped, if it still lies ahead: keeps the spacing.
		while (this.released.length > 0 && this.released[0] < earliest) this.released.shift();
		let at: number;
		if (this.released.length > 0) {
			at = this.released.shift() as number;
		} else {
			at = Math.max(earliest, this.nextAt);
			if (Number.isFinite(this.ratePerSec)) this.nextAt = at + 1000 / this.ratePerSec;
		}
		this.lastSlotAt = Math.max(this.lastSlotAt, at);
		return { at, generation: this.generation };
	}

	/**
	 * A reserved slot that will not be used (its run stopped while waiting for it): its start time
	 * goes to the next reservation, so the pace others get isn't cut by starts nobody makes. Only a
	 * paced slot of the current pace, still ahead, has a time worth handing back.
	 */
	release(slot: Slot, now: number): void {
		if (slot.generation !== this.generation || !Number.isFinite(this.ratePerSec)) return;
		if (slot.at <= now || slot.at < this.resumeAt || this.released.length >= MAX_RELEASED) return;
		let i = this.released.length;
		while (i > 0 && this.released[i - 1] > slot.at) i--;
		this.released.splice(i, 0, slot.at);
	}

	/**
	 * Call when the slot's time has come, right before sending. `false`: a 429 changed the pace
	 * meanwhile, so reserve again. `true`: send now (counted as sent).
	 */
	claim(slot: Slot, now: number): boolean {
		if (slot.generation !== this.generation || slot.at < this.resumeAt || now < slot.at) return false;
		if (this.recentSends.length < RECENT_SENDS) this.recentSends.push(now);
		else this.recentSends[this.recentNext] = now;
		this.recentNext = (this.recentNext + 1) % RECENT_SENDS;
		return true;
	}

	/** Any HTTP answer other than 429: the request went through the rate limit. */
	delivered(slot: Slot, now: number): void {
		this.lastAnswerAt = Math.max(this.lastAnswerAt, now);
		this.cycleDelivered++;
		if (slot.generation !== this.generation || !Number.isFinite(this.ratePerSec)) return;
		// Probe: ×(1 + growth) per second's worth of answers, the growth doubling every
		// probeDoublingMs since the pace was last set.
		const since = Math.max(0, now - this.resumeAt);
		const growth =
			this.slowdowns < 2
				? this.policy.startupGrowthPerSec
				: Math.min(
						this.policy.maxProbeGrowthPerSec,
						this.policy.probeGrowthPerSec * 2 ** (since / this.policy.probeDoublingMs),
					);
		this.ratePerSec = Math.min(
			this.policy.maxRatePerSec,
			this.ratePerSec * (1 + growth) ** (1 / this.ratePerSec),
		);
	}

	/**
	 * A 429: pause every worker for `pauseMs` (from Retry-After, see `rateLimitPauseMs`) and, if
	 * this is news (the request was sent at the current pace), learn a new pace.
	 */
	rateLimited(slot: Slot, now: number, pauseMs: number): RateLimitVerdict {
		this.lastAnswerAt = Math.max(this.lastAnswerAt, now);
		const until = now + Math.max(0, pauseMs);
		if (slot.generation !== this.generation) {
			// Sent before the gate last slowed down: honour its Retry-After, learn nothing new.
			if (until > this.resumeAt) {
				this.resumeAt = until;
				this.nextAt = Math.max(this.nextAt, until);
				this.cycleStart = Math.max(this.cycleStart ?? until, until);
			}
			return { charged: false };
		}
		const resumeAt = Math.max(this.resumeAt, until);
		const start = this.cycleStart ?? now;
		// At least one answer per cycle: Retry-After promises one by the end of the pause (and a
		// cycle that got none, because another client had emptied the bucket, must not stall the run).
		const measured = Math.max(1, this.cycleDelivered) / (Math.max(1, resumeAt - start) / 1000);
		const refused = Math.min(this.ratePerSec, this.recentSendRate());
		let next = measured;
		if (Number.isFinite(this.ratePerSec)) next = Math.max(next, refused * this.policy.maxDecrease);
		// Never pace faster than what was just refused.
		if (Number.isFinite(refused)) next = Math.min(next, refused);
		this.ratePerSec = Math.min(this.policy.maxRatePerSec, Math.max(this.policy.minRatePerSec, next));
		this.resumeAt = resumeAt;
		this.nextAt = resumeAt;
		this.generation++;
		this.slowdowns++;
		this.cycleStart = resumeAt;
		this.cycleDelivered = 0;
		this.recentSends.length = 0;
		this.recentNext = 0;
		this.released.length = 0;
		return { charged: true };
	}

	/**
	 * A shared backoff that learns nothing about the pace: after a 5xx or a failed connection every
	 * worker waits until `now + pauseMs`, not only the one that met it (slots reserved earlier are
	 * refused at `claim` and reserved again).
	 */
	hold(now: number, pauseMs: number): void {
		const until = now + Math.max(0, pauseMs);
		if (until <= this.resumeAt) return;
		this.resumeAt = until;
		this.nextAt = Math.max(this.nextAt, until);
		// The outage is not time the rate limit let requests through: measure from the end of it.
		this.cycleStart = Math.max(this.cycleStart ?? until, until);
	}

	state(): GateState {
		return {
			ratePerSec: this.ratePerSec,
			resumeAt: this.resumeAt,
			lastActiveAt: this.lastActiveAt(),
			slowdowns: this.slowdowns,
			generation: this.generation,
		};
	}

	/** Epoch ms of the latest use (see GateState.lastActiveAt). */
	lastActiveAt(): number {
		return Math.max(this.lastSlotAt, this.lastAnswerAt, this.resumeAt);
	}

	/** Nothing scheduled and nothing answered for PACING_POLICY.idleRestartMs, and no pause running. */
	private idle(now: number): boolean {
		return now - this.lastActiveAt() > this.policy.idleRestartMs;
	}

	/** A measuring cycle from `now`: what was delivered and sent before a quiet spell says nothing about now. */
	private newCycle(now: number): void {
		this.cycleStart = now;
		this.cycleDelivered = 0;
		this.recentSends.length = 0;
		this.recentNext = 0;
	}

	/** Requests per second over the latest sends (Infinity when too few to tell). */
	private recentSendRate(): number {
		const n = this.recentSends.length;
		if (n < 2) return Infinity;
		const newest = this.recentSends[(this.recentNext + n - 1) % n];
		const oldest = n < RECENT_SENDS ? this.recentSends[0] : this.recentSends[this.recentNext];
		const span = newest - oldest;
		return span > 0 ? ((n - 1) * 1000) / span : Infinity;
	}
}

/**
 * How long a 429 pauses the gate: Retry-After (seconds or HTTP date, capped at
 * RETRY_POLICY.maxRetryAfterMs), else the retry backoff for this attempt.
 */
export function rateLimitPauseMs(
	headers: Headers | undefined,
	attempt: number,
	now: number,
	random: number,
): number {
	const asked = retryAfterMs(headers, now);
	if (asked !== undefined) return Math.min(asked, RETRY_POLICY.maxRetryAfterMs);
	return backoffMs(attempt, random);
}
