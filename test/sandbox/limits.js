// @ts-check
'use strict';
/**
 * Every bound the sandbox enforces, in one place (exported as `LIMITS` from server.js).
 */

const LIMITS = Object.freeze({
	/** Largest accepted request body; bigger ones get 413. */
	maxBodyBytes: 16 * 1024 * 1024,
	/** Per journal entry, the body text is kept up to this many characters. */
	maxJournalBodyChars: 1024 * 1024,
	/** POST /leads bulk maximum, as documented. */
	maxBulkLeads: 1000,
	/** Upper bound for `latencyMs`. */
	maxLatencyMs: 60_000,
	/** Upper bound for rules held at once. */
	maxRules: 100,
	/** Upper bound for `leadCount`. */
	maxLeadCount: 1_000_000,
	/** Longest allowed lifetime (setTimeout's own ceiling is ~24.8 days). */
	maxLifetimeMs: 7 * 24 * 60 * 60 * 1000,
	defaultLifetimeMs: 30 * 60 * 1000,
	defaultJournalLimit: 50_000,
	/** A held request is released after this long at the latest (hold faults). */
	maxHoldMs: 60_000,
	defaultHoldMs: 10_000,
	/** Hold records kept for holds() (the oldest released ones are dropped first). */
	maxHoldRecords: 1000,
	/** Longest Location a redirect fault may send. */
	maxLocationChars: 2048,
	/** Requests a recorder keeps (the oldest are dropped first). */
	maxRecorded: 10_000,
	/** Webhook deliveries: attempts per event, the wait per attempt, the pause between attempts. */
	maxWebhookAttempts: 5,
	maxWebhookTimeoutMs: 10_000,
	maxWebhookDelayMs: 60_000,
	/** Delivery attempts deliveries() keeps (the oldest are dropped first). */
	maxDeliveries: 1000,
	/** Bytes of a webhook target's answer kept in a delivery result. */
	maxWebhookAnswerBytes: 64 * 1024,
});

module.exports = { LIMITS };
