/**
 * The rate gates of this n8n process: one per Nexor account (Base URL + API key), shared by every
 * execution the process runs, so what one execution learns from a 429 paces the others at once.
 * Module-level on purpose: n8n loads this module once per process (main, or each queue-mode worker).
 * Separate processes (two workers) have separate gates; each learns its share from its own 429s.
 */
import { createHmac, randomBytes } from 'crypto';
import { GateRegistry, type RateGate } from '../../../core';

/** Every gate of this process. Exported for tests (`sharedGates.clear()`). */
export const sharedGates = new GateRegistry();

/**
 * Fingerprints are HMAC-SHA-256 under a key drawn at start and never kept anywhere else: the API key
 * is never stored in the registry, and a fingerprint means nothing outside this process.
 */
const FINGERPRINT_KEY = randomBytes(32);

/** The gate for this account. `baseUrl` normalized (core's normalizeBaseUrl), `apiKey` trimmed. */
export function gateFor(baseUrl: string, apiKey: string, now: number): RateGate {
	const fingerprint = createHmac('sha256', FINGERPRINT_KEY).update(baseUrl).update('\u0000').update(apiKey).digest('hex');
	return sharedGates.gateFor(fingerprint, now);
}
