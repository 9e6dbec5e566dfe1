// @ts-check
'use strict';
/**
 * The request journal and the stats of one sandbox, and the redaction both it and the recorder
 * apply: the API key's text is never stored.
 */

const { LIMITS } = require('./limits.js');
const { clone } = require('./validation.js');

/**
 * @typedef {import('./timers.js').Clock} Clock
 *
 * @typedef {{
 *   seq: number, at: number, wallTime: string, method: string, path: string,
 *   headers: Record<string, string | string[]>, body: string, bodyBytes: number,
 *   status: number | null, fault: string | null, durationMs: number | null
 * }} JournalEntry
 *
 * @typedef {{
 *   requests: number, byStatus: Record<string, number>, rateLimited: number,
 *   faults: Record<string, number>
 * }} Stats
 */

const REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * @param {string} text
 * @param {string[]} secrets
 */
function scrub(text, secrets) {
	let out = text;
	for (const secret of secrets) {
		if (secret && out.includes(secret)) out = out.split(secret).join('[redacted]');
	}
	return out;
}

/**
 * Request headers as kept: lower-cased names, `x-api-key` replaced by `keyWord` (last),
 * authorization, proxy-authorization and cookie by "[redacted]", secrets scrubbed from the rest.
 * @param {import('node:http').IncomingHttpHeaders} raw
 * @param {string[]} secrets
 * @param {string} keyWord
 * @returns {Record<string, string | string[]>}
 */
function redactHeaders(raw, secrets, keyWord) {
	/** @type {Record<string, string | string[]>} */
	const headers = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value === undefined) continue;
		const lower = name.toLowerCase();
		if (lower === 'x-api-key') continue;
		if (REDACTED_HEADERS.includes(lower)) {
			headers[lower] = '[redacted]';
			continue;
		}
		headers[lower] = Array.isArray(value) ? value.map((v) => scrub(v, secrets)) : scrub(value, secrets);
	}
	headers['x-api-key'] = keyWord;
	return headers;
}

/** @returns {Stats} */
const emptyStats = () => ({ requests: 0, byStatus: {}, rateLimited: 0, faults: {} });

/**
 * @param {number} limit most entries kept (the oldest are dropped first)
 * @param {Clock} clock
 */
function createJournal(limit, clock) {
	/** @type {JournalEntry[]} */
	let entries = [];
	let seq = 0;
	let stats = emptyStats();

	return {
		/**
		 * Journals a request on arrival (its body comes later, with `setBody`).
		 * @param {{ method: string, rawUrl: string, headers: import('node:http').IncomingHttpHeaders,
		 *   keyState: string, secrets: string[] }} req
		 * @returns {JournalEntry}
		 */
		open: (req) => {
			const headers = redactHeaders(req.headers, req.secrets, req.keyState);
			seq += 1;
			/** @type {JournalEntry} */
			const entry = {
				seq,
				at: clock.elapsed(),
				wallTime: new Date(clock.now()).toISOString(),
				method: req.method,
				path: scrub(req.rawUrl, req.secrets),
				headers,
				body: '',
				bodyBytes: 0,
				status: null,
				fault: null,
				durationMs: null,
			};
			entries.push(entry);
			if (entries.length > limit) entries.splice(0, entries.length - limit);
			stats.requests += 1;
			return entry;
		},
		/**
		 * @param {JournalEntry} entry
		 * @param {string} text
		 * @param {number} bytes
		 * @param {string[]} secrets
		 */
		setBody: (entry, text, bytes, secrets) => {
			const kept = text.length > LIMITS.maxJournalBodyChars ? text.slice(0, LIMITS.maxJournalBodyChars) : text;
			entry.body = scrub(kept, secrets);
			entry.bodyBytes = bytes;
		},
		/**
		 * @param {JournalEntry} entry
		 * @param {number | null} status null: no answer (a reset)
		 */
		finish: (entry, status) => {
			entry.durationMs = clock.elapsed() - entry.at;
			if (status === null) return;
			entry.status = status;
			const key = String(status);
			stats.byStatus[key] = (stats.byStatus[key] || 0) + 1;
		},
		/**
		 * @param {JournalEntry} entry
		 * @param {string} name
		 */
		markFault: (entry, name) => {
			entry.fault = name;
			stats.faults[name] = (stats.faults[name] || 0) + 1;
		},
		countRateLimited: () => {
			stats.rateLimited += 1;
		},
		/** @returns {JournalEntry[]} a deep copy */
		list: () => clone(entries),
		/** Empties the journal; `seq` keeps counting. */
		clear: () => {
			entries = [];
		},
		/** Empties the journal, restarts `seq` at 1 and zeroes the stats. */
		reset: () => {
			entries = [];
			seq = 0;
			stats = emptyStats();
		},
		/** @returns {Stats} */
		stats: () => clone(stats),
	};
}

/** @typedef {ReturnType<typeof createJournal>} Journal */

module.exports = { scrub, redactHeaders, createJournal };
