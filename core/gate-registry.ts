/**
 * One rate gate per Nexor account per process: every execution in one n8n process (a main
 * instance, or one queue-mode worker running many executions at once) that talks to the same
 * account gets the same RateGate, so what one execution learns from a 429 paces the others at once.
 *
 * Pure: the shell keeps one registry at module level, names the account by a fingerprint it
 * computes (a SHA-256 over Base URL and key: the key itself never reaches core) and passes the
 * clock in. Memory is bounded whatever the number of executions: gates idle for
 * GATE_REGISTRY_POLICY.idleMs are dropped when the registry is next used, and at most
 * GATE_REGISTRY_POLICY.maxGates accounts are kept (the least recently used goes first).
 */
import { RateGate, type PacingPolicy } from './rate-gate';

export const GATE_REGISTRY_POLICY = {
	/**
	 * A gate with no start reserved, no answer and no pause for this long is dropped (10 minutes).
	 * Longer than anything an execution can be waiting on while it still holds the gate (the longest
	 * Timeout is 300 s, a Retry-After pause at most 60 s), so no running execution loses the gate
	 * others share; long enough to carry what was learned across the gaps between runs of a busy
	 * account (schedules every few minutes, webhook bursts); and after 10 quiet minutes any rate
	 * window has refilled, so a fresh gate (unpaced, learning from its first 429) loses nothing.
	 */
	idleMs: 10 * 60_000,
	/**
	 * At most this many accounts at once (a gate is a few hundred bytes; 1,000 accounts in one
	 * process is already far beyond normal). Over the cap the least recently used is dropped: an
	 * execution still holding it keeps working with it, only the sharing with later ones is lost.
	 */
	maxGates: 1_000,
} as const;

export interface GateRegistryOptions {
	idleMs?: number;
	maxGates?: number;
	/** Pacing policy for new gates (tests, the simulation). */
	policy?: Partial<PacingPolicy>;
}

/** What names an account: a lowercase hex SHA-256 (64 characters), never a key. */
const FINGERPRINT = /^[0-9a-f]{64}$/;

interface Entry {
	gate: RateGate;
	/** When an execution last asked for it (it may not have reserved anything yet). */
	askedAt: number;
}

export class GateRegistry {
	private readonly idleMs: number;
	private readonly maxGates: number;
	private readonly policy: Partial<PacingPolicy>;
	/** In order of last use, least recent first (a Map keeps insertion order). */
	private readonly gates = new Map<string, Entry>();

	constructor(options: GateRegistryOptions = {}) {
		this.idleMs = options.idleMs ?? GATE_REGISTRY_POLICY.idleMs;
		this.maxGates = Math.max(1, Math.floor(options.maxGates ?? GATE_REGISTRY_POLICY.maxGates));
		this.policy = options.policy ?? {};
	}

	/**
	 * The gate every execution for this account shares, created on first use. `fingerprint` must be a
	 * SHA-256 in hex (the shell hashes Base URL and key), so a key can't be handed in by mistake.
	 */
	gateFor(fingerprint: string, now: number): RateGate {
		if (!FINGERPRINT.test(fingerprint)) {
			throw new TypeError('GateRegistry: the account must be named by a SHA-256 fingerprint (64 hex characters)');
		}
		this.dropIdle(now);
		const found = this.gates.get(fingerprint);
		if (found) {
			// Most recently used goes last.
			this.gates.delete(fingerprint);
			found.askedAt = Math.max(found.askedAt, now);
			this.gates.set(fingerprint, found);
			return found.gate;
		}
		while (this.gates.size >= this.maxGates) {
			const oldest = this.gates.keys().next().value as string;
			this.gates.delete(oldest);
		}
		const entry: Entry = { gate: new RateGate(this.policy), askedAt: now };
		this.gates.set(fingerprint, entry);
		return entry.gate;
	}

	/** Accounts with a gate right now. */
	get size(): number {
		return this.gates.size;
	}

	/** Forgets every gate (tests). */
	clear(): void {
		this.gates.clear();
	}

	/**
	 * Drops every gate idle for idleMs. A full pass over at most maxGates entries, once per
	 * execution: microseconds next to one HTTP request.
	 */
	private dropIdle(now: number): void {
		for (const [fingerprint, entry] of this.gates) {
			const lastUse = Math.max(entry.askedAt, entry.gate.lastActiveAt());
			if (now - lastUse > this.idleMs) this.gates.delete(fingerprint);
		}
	}
}
