// @ts-check
'use strict';
/**
 * Held requests (hold faults): kept unanswered until release(), until a later request matching
 * `until` has been answered, or until `maxMs`; then served normally. See README "Holding a request".
 */

const { LIMITS } = require('../limits.js');
const { SandboxConfigError, isPlainObject } = require('../validation.js');
const { normalizeMatch, matches } = require('./match.js');

/**
 * @typedef {import('./fault.js').HoldFault} HoldFault
 * @typedef {import('./match.js').Matcher} Matcher
 * @typedef {import('./match.js').RequestInfo} RequestInfo
 * @typedef {import('../journal.js').JournalEntry} JournalEntry
 * @typedef {import('../timers.js').Clock} Clock
 * @typedef {import('../timers.js').Scheduler} Scheduler
 *
 * @typedef {{
 *   id: number, seq: number, name: string | null, method: string, path: string,
 *   state: 'held' | 'released', heldAt: number, releasedAt: number | null,
 *   releasedBy: string | null
 * }} HoldRecord
 *   `releasedBy`: 'release' (release() / control API), 'answered:<seq>' (the `until` request of
 *   that journal seq was answered), 'timeout' (maxMs) or 'reset'.
 * @typedef {{ id?: number, seq?: number, name?: string }} HoldFilter
 *
 * @typedef {HoldRecord & { until: Matcher | null, timer: NodeJS.Timeout | null, resume: () => void }} Hold
 * @typedef {{ name: string | undefined, count: number, resolve: (h: HoldRecord[]) => void,
 *   reject: (e: Error) => void, timer: NodeJS.Timeout }} Waiter
 */

/** @param {Hold} hold @returns {HoldRecord} */
const holdRecord = (hold) => ({
	id: hold.id,
	seq: hold.seq,
	name: hold.name,
	method: hold.method,
	path: hold.path,
	state: hold.state,
	heldAt: hold.heldAt,
	releasedAt: hold.releasedAt,
	releasedBy: hold.releasedBy,
});

/** @param {HoldFilter | undefined} filter @param {Hold} hold */
const holdSelected = (filter, hold) =>
	!filter ||
	((filter.id === undefined || filter.id === hold.id) &&
		(filter.seq === undefined || filter.seq === hold.seq) &&
		(filter.name === undefined || filter.name === hold.name));

/** @param {unknown} filter @returns {HoldFilter | undefined} */
function checkHoldFilter(filter) {
	if (filter === undefined || filter === null) return undefined;
	if (!isPlainObject(filter)) throw new SandboxConfigError('release: the filter must be an object');
	for (const [key, value] of Object.entries(filter)) {
		if (key === 'name' && typeof value === 'string') continue;
		if ((key === 'id' || key === 'seq') && Number.isInteger(value)) continue;
		throw new SandboxConfigError(`release.${key}: unknown or invalid (id: integer, seq: integer, name: string)`);
	}
	return /** @type {HoldFilter} */ (filter);
}

/**
 * The holds of one sandbox, current and past (oldest first, at most LIMITS.maxHoldRecords).
 * @param {Clock} clock
 * @param {Scheduler} scheduler
 */
function createHolds(clock, scheduler) {
	/** @type {Hold[]} */
	let holdList = [];
	let holdIds = 0;
	/** @type {Set<Waiter>} */
	const waiters = new Set();

	/** @param {string | undefined} name */
	const heldNamed = (name) => holdList.filter((h) => h.state === 'held' && (name === undefined || h.name === name));

	/**
	 * Lets a held request go on (served normally from the rate limiter on), a tick later so that
	 * whatever released it (another request's answer, a control call) finishes first.
	 * @param {Hold} hold
	 * @param {string} reason
	 */
	const releaseHold = (hold, reason) => {
		if (hold.state !== 'held') return false;
		hold.state = 'released';
		hold.releasedBy = reason;
		hold.releasedAt = clock.elapsed();
		if (hold.timer) {
			scheduler.cancel(hold.timer);
			hold.timer = null;
		}
		scheduler.after(hold.resume, 0);
		return true;
	};

	return {
		/**
		 * Starts holding a request; `resume` serves it once released.
		 * @param {JournalEntry} entry
		 * @param {HoldFault} fault
		 * @param {() => void} resume
		 */
		start: (entry, fault, resume) => {
			holdIds += 1;
			/** @type {Hold} */
			const hold = {
				id: holdIds,
				seq: entry.seq,
				name: fault.name === undefined ? null : fault.name,
				method: entry.method,
				path: entry.path,
				state: 'held',
				heldAt: clock.elapsed(),
				releasedAt: null,
				releasedBy: null,
				until: fault.until ? normalizeMatch(fault.until, 'hold.until') : null,
				timer: null,
				resume,
			};
			hold.timer = scheduler.after(() => {
				hold.timer = null;
				releaseHold(hold, 'timeout');
			}, fault.maxMs === undefined ? LIMITS.defaultHoldMs : fault.maxMs);
			holdList.push(hold);
			if (holdList.length > LIMITS.maxHoldRecords) {
				const drop = holdList.findIndex((h) => h.state !== 'held');
				if (drop !== -1) holdList.splice(drop, 1);
			}
			for (const waiter of [...waiters]) {
				const held = heldNamed(waiter.name);
				if (held.length >= waiter.count) {
					waiters.delete(waiter);
					clearTimeout(waiter.timer);
					waiter.resolve(held.map(holdRecord));
				}
			}
		},
		/**
		 * A request has been answered: releases the holds waiting `until` such a request.
		 * @param {number} seq its journal seq
		 * @param {RequestInfo} info
		 */
		answered: (seq, info) => {
			for (const hold of holdList) {
				if (hold.state === 'held' && hold.until && hold.seq !== seq && matches(hold.until, info)) {
					releaseHold(hold, `answered:${seq}`);
				}
			}
		},
		/** @returns {HoldRecord[]} */
		list: () => holdList.map(holdRecord),
		/**
		 * @param {HoldFilter} [filter]
		 * @returns {number} how many were released
		 */
		release: (filter) => {
			const checked = checkHoldFilter(filter);
			let released = 0;
			for (const hold of holdList) {
				if (hold.state === 'held' && holdSelected(checked, hold) && releaseHold(hold, 'release')) released += 1;
			}
			return released;
		},
		/**
		 * @param {{ name?: string, count?: number, timeoutMs?: number }} [o]
		 * @returns {Promise<HoldRecord[]>}
		 */
		waitFor: (o = {}) => {
			const name = o.name;
			const count = o.count === undefined ? 1 : o.count;
			const timeoutMs = o.timeoutMs === undefined ? 5000 : o.timeoutMs;
			if (!Number.isInteger(count) || count < 1 || count > LIMITS.maxHoldRecords) {
				return Promise.reject(new SandboxConfigError('waitForHold: count must be a positive integer'));
			}
			if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > LIMITS.maxHoldMs) {
				return Promise.reject(new SandboxConfigError(`waitForHold: timeoutMs must be in (0, ${LIMITS.maxHoldMs}]`));
			}
			const held = heldNamed(name);
			if (held.length >= count) return Promise.resolve(held.map(holdRecord));
			if (scheduler.isClosing()) return Promise.reject(new Error('waitForHold: the sandbox is closed'));
			return new Promise((resolve, reject) => {
				/** @type {Waiter} */
				const waiter = {
					name,
					count,
					resolve,
					reject,
					timer: setTimeout(() => {
						waiters.delete(waiter);
						reject(new Error(`waitForHold: fewer than ${count} held request(s)${name ? ` named ${name}` : ''} after ${timeoutMs} ms`));
					}, timeoutMs),
				};
				waiter.timer.unref();
				waiters.add(waiter);
			});
		},
		/** Held requests are let go (served against the fresh data); their history is dropped. */
		reset: () => {
			const held = holdList.filter((h) => h.state === 'held');
			holdList = [];
			for (const hold of held) releaseHold(hold, 'reset');
		},
		/** The sandbox is closing: pending waitForHold() calls reject. */
		close: () => {
			for (const waiter of waiters) {
				clearTimeout(waiter.timer);
				waiter.reject(new Error('waitForHold: the sandbox closed'));
			}
			waiters.clear();
		},
	};
}

/** @typedef {ReturnType<typeof createHolds>} Holds */

module.exports = { createHolds };
