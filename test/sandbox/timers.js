// @ts-check
'use strict';
/**
 * Time for one sandbox: its clocks, and the timers that delay answers (latency, holds), all of
 * which close() cancels at once.
 */

const { performance } = require('node:perf_hooks');

/**
 * @typedef {{ now: () => number, elapsed: () => number }} Clock
 *   `now`: wall time in ms (options.now, for timestamps and HTTP dates); `elapsed`: ms since the
 *   sandbox started, monotonic (journal `at`, rate limiter, holds).
 */

/**
 * @param {() => number} now
 * @returns {Clock}
 */
function createClock(now) {
	const startedAt = performance.now();
	return { now, elapsed: () => performance.now() - startedAt };
}

/**
 * Tracked timers: once `closeAll()` has run, no pending callback runs and none starts.
 */
function createScheduler() {
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let closing = false;

	/**
	 * Runs `fn` after `ms` unless the sandbox closes first.
	 * @param {() => void} fn
	 * @param {number} ms
	 * @returns {NodeJS.Timeout}
	 */
	const after = (fn, ms) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			if (!closing) fn();
		}, ms);
		timers.add(timer);
		return timer;
	};

	return {
		after,
		/**
		 * Like `after`, but runs `fn` at once when `ms` is 0 or less.
		 * @param {() => void} fn
		 * @param {number} ms
		 */
		later: (fn, ms) => {
			if (ms <= 0) fn();
			else after(fn, ms);
		},
		/** @param {NodeJS.Timeout} timer */
		cancel: (timer) => {
			clearTimeout(timer);
			timers.delete(timer);
		},
		isClosing: () => closing,
		closeAll: () => {
			closing = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
	};
}

/** @typedef {ReturnType<typeof createScheduler>} Scheduler */

module.exports = { createClock, createScheduler };
