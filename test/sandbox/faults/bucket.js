// @ts-check
'use strict';
/**
 * The token bucket behind the sandbox's rate limit, also driven by the engine simulations in virtual
 * time (test/unit/core/virtual-time.ts), so both limit requests by the very same rule.
 */

/**
 * Takes one token at time `t` (ms) if there is one.
 * @param {{ tokens: number, last: number }} bucket  refilled and updated in place
 * @param {{ ratePerSec: number, burst: number }} limit
 * @param {number} t
 * @returns {number} 0 when a token was taken, else the ms until one is available
 */
function takeToken(bucket, limit, t) {
	bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.last) / 1000) * limit.ratePerSec);
	bucket.last = t;
	if (bucket.tokens >= 1) {
		bucket.tokens -= 1;
		return 0;
	}
	return ((1 - bucket.tokens) / limit.ratePerSec) * 1000;
}

module.exports = { takeToken };
