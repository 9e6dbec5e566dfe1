// @ts-check
'use strict';
/**
 * Whole-run faults: `latencyMs` before every answer and the rate limiter (a token bucket in front
 * of authentication), set by options.faults, setFaults() or POST /__sandbox/faults.
 */

const { takeToken } = require('./bucket.js');
const { LIMITS } = require('../limits.js');
const { SandboxConfigError, isPlainObject } = require('../validation.js');

/**
 * @typedef {'seconds' | 'http-date' | 'none'} RetryAfterFormat
 * @typedef {{ ratePerSec: number, burst: number, retryAfter?: RetryAfterFormat }} RateLimit
 * @typedef {{ latencyMs?: number, rateLimit?: RateLimit | null }} Faults
 * @typedef {{ latencyMs: number, rateLimit: Required<RateLimit> | null }} FaultSettings
 * @typedef {import('../timers.js').Clock} Clock
 */

/**
 * @param {unknown} input
 * @returns {FaultSettings}
 */
function normalizeFaults(input) {
	if (input === undefined || input === null) return { latencyMs: 0, rateLimit: null };
	if (!isPlainObject(input)) throw new SandboxConfigError('faults: must be an object');
	for (const key of Object.keys(input)) {
		if (key !== 'latencyMs' && key !== 'rateLimit') {
			throw new SandboxConfigError(`faults.${key}: unknown option (latencyMs, rateLimit)`);
		}
	}
	let latencyMs = 0;
	if (input.latencyMs !== undefined && input.latencyMs !== null) {
		const v = input.latencyMs;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > LIMITS.maxLatencyMs) {
			throw new SandboxConfigError(
				`faults.latencyMs: must be a number in [0, ${LIMITS.maxLatencyMs}]`,
			);
		}
		latencyMs = v;
	}
	/** @type {Required<RateLimit> | null} */
	let rateLimit = null;
	if (input.rateLimit !== undefined && input.rateLimit !== null) {
		const r = input.rateLimit;
		if (!isPlainObject(r))
			throw new SandboxConfigError('faults.rateLimit: must be an object or null');
		const rate = r.ratePerSec;
		if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 1e6) {
			throw new SandboxConfigError('faults.rateLimit.ratePerSec: must be a number in (0, 1e6]');
		}
		const burst = r.burst === undefined ? Math.max(1, Math.ceil(rate)) : r.burst;
		if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1 || burst > 1e6) {
			throw new SandboxConfigError('faults.rateLimit.burst: must be an integer in [1, 1e6]');
		}
		const retryAfter = r.retryAfter === undefined ? 'seconds' : r.retryAfter;
		if (retryAfter !== 'seconds' && retryAfter !== 'http-date' && retryAfter !== 'none') {
			throw new SandboxConfigError(
				"faults.rateLimit.retryAfter: must be 'seconds', 'http-date' or 'none'",
			);
		}
		rateLimit = { ratePerSec: rate, burst, retryAfter };
	}
	return { latencyMs, rateLimit };
}

/**
 * Retry-After for a wait: whole seconds rounded up (at least 1), or an HTTP date rounded up to
 * the next second (waiting until the date is then enough).
 * @param {number} waitMs
 * @param {'seconds' | 'http-date'} format
 * @param {() => number} now wall clock
 */
function retryAfterValue(waitMs, format, now) {
	const seconds = Math.max(1, Math.ceil(waitMs / 1000));
	if (format === 'seconds') return String(seconds);
	return new Date(Math.ceil((now() + waitMs) / 1000) * 1000).toUTCString();
}

/**
 * The current whole-run faults and the token bucket (refilled whenever they are set).
 * @param {FaultSettings} initial already checked (options.faults); reset() goes back to it
 * @param {Clock} clock
 */
function createFaultSettings(initial, clock) {
	let current = initial;
	/** @type {{ tokens: number, last: number }} */
	let bucket = { tokens: 0, last: 0 };
	/** @param {FaultSettings} next */
	const apply = (next) => {
		current = next;
		bucket = { tokens: next.rateLimit ? next.rateLimit.burst : 0, last: clock.elapsed() };
	};
	apply(initial);
	return {
		get: () => current,
		/** Replaces the whole configuration (throws SandboxConfigError, changing nothing). */
		set: (/** @type {unknown} */ input) => apply(normalizeFaults(input)),
		reset: () => apply(initial),
		/** @returns {number} 0 when a token was taken (or there is no limiter), else ms until one is available */
		takeToken: () => {
			const limit = current.rateLimit;
			if (!limit) return 0;
			return takeToken(bucket, limit, clock.elapsed());
		},
		/**
		 * @param {number} waitMs
		 * @param {'seconds' | 'http-date'} format
		 */
		retryAfter: (waitMs, format) => retryAfterValue(waitMs, format, clock.now),
	};
}

/** @typedef {ReturnType<typeof createFaultSettings>} Settings */

module.exports = { normalizeFaults, createFaultSettings };
