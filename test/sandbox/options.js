// @ts-check
'use strict';
/**
 * startSandbox's options, checked in a fixed order (the first bad one is reported) and turned
 * into the configuration the parts of the sandbox are built from.
 */

const { LIMITS } = require('./limits.js');
const { SANDBOX_API_KEY, SEED_CAMPAIGNS } = require('./seed.js');
const { UUID_RE, SandboxConfigError, isPlainObject, checkPort, checkLifetime } = require('./validation.js');
const { normalizeSeedLead } = require('./routes/lead-fields.js');
const { normalizeFaults } = require('./faults/settings.js');
const { normalizeRule } = require('./faults/rules.js');
const { DEFAULT_SHAPES, normalizeShapes } = require('./shapes.js');
const { normalizeTarget } = require('./webhooks.js');

/**
 * @typedef {import('./server.js').SandboxOptions} SandboxOptions
 * @typedef {import('./seed.js').Campaign} Campaign
 */

/**
 * @param {SandboxOptions} options
 */
function checkOptions(options) {
	if (!isPlainObject(options)) throw new SandboxConfigError('options: must be an object');
	const port = checkPort(options.port, 'options.port');
	const apiKeys = [SANDBOX_API_KEY];
	for (const key of options.apiKeys || []) {
		if (typeof key !== 'string' || key.trim() === '' || key !== key.trim()) {
			throw new SandboxConfigError(
				'options.apiKeys: each key must be a non-empty string without surrounding spaces',
			);
		}
		apiKeys.push(key);
	}
	const leadCount = options.leadCount === undefined ? 0 : options.leadCount;
	if (!Number.isInteger(leadCount) || leadCount < 0 || leadCount > LIMITS.maxLeadCount) {
		throw new SandboxConfigError(
			`options.leadCount: must be an integer in [0, ${LIMITS.maxLeadCount}]`,
		);
	}
	/** @type {Campaign[]} */
	const campaigns = [...SEED_CAMPAIGNS.map((c) => ({ ...c }))];
	for (const c of options.campaigns || []) {
		if (
			!isPlainObject(c) ||
			typeof c.id !== 'string' ||
			!UUID_RE.test(c.id) ||
			typeof c.name !== 'string'
		) {
			throw new SandboxConfigError('options.campaigns: each needs a UUID "id" and a string "name"');
		}
		campaigns.push({ id: c.id.toLowerCase(), name: c.name });
	}
	const campaignIds = new Set(campaigns.map((c) => c.id));
	const leads = (options.leads || []).map((l, i) =>
		normalizeSeedLead(l, `options.leads[${i}]`, campaignIds),
	);
	const maxLifetimeMs = checkLifetime(options.maxLifetimeMs, 'options.maxLifetimeMs');
	const journalLimit =
		options.journalLimit === undefined ? LIMITS.defaultJournalLimit : options.journalLimit;
	if (!Number.isInteger(journalLimit) || journalLimit < 1) {
		throw new SandboxConfigError('options.journalLimit: must be a positive integer');
	}
	const shapes = normalizeShapes(options.shapes, 'options.shapes', DEFAULT_SHAPES);
	const duplicates = options.duplicates === undefined ? 'upsert' : options.duplicates;
	if (duplicates !== 'upsert' && duplicates !== 'create') {
		throw new SandboxConfigError("options.duplicates: must be 'upsert' or 'create'");
	}
	return {
		port,
		apiKeys,
		leadCount,
		campaigns,
		leads,
		maxLifetimeMs,
		journalLimit,
		shapes,
		duplicates: /** @type {'upsert' | 'create'} */ (duplicates),
		allowHeaderFaults: options.allowHeaderFaults !== false,
		now: options.now || Date.now,
		faults: normalizeFaults(options.faults),
		rules: (options.rules || []).map((r) => normalizeRule(r)),
		webhook: normalizeTarget(options.webhook, 'options.webhook'),
	};
}

module.exports = { checkOptions };
