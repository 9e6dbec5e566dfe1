// @ts-check
'use strict';
/**
 * Choosing the fault for a request: the `x-sandbox-fault` header first, then the rules in order
 * (`match`, `times`, `skip`). Rules are installed from options, addRule() or the control API.
 */

const { LIMITS } = require('../limits.js');
const { SandboxConfigError, isPlainObject } = require('../validation.js');
const { normalizeMatch, matches } = require('./match.js');
const { normalizeFault } = require('./fault.js');

/**
 * @typedef {import('./fault.js').Fault} Fault
 * @typedef {import('./match.js').RuleMatch} RuleMatch
 * @typedef {import('./match.js').Matcher} Matcher
 * @typedef {import('./match.js').RequestInfo} RequestInfo
 *
 * @typedef {{ match?: RuleMatch, times?: number | null, skip?: number, fault: Fault }} Rule
 *   `skip`: the first `skip` matching requests pass this rule by untouched (e.g. skip 1, times 1
 *   → only the 2nd matching request gets the fault).
 * @typedef {Matcher & { remaining: number, skip: number, fault: Fault }} ActiveRule
 */

/**
 * @param {unknown} input
 * @returns {ActiveRule}
 */
function normalizeRule(input) {
	if (!isPlainObject(input)) throw new SandboxConfigError('rule: must be an object');
	for (const key of Object.keys(input)) {
		if (key !== 'match' && key !== 'times' && key !== 'skip' && key !== 'fault') {
			throw new SandboxConfigError(`rule.${key}: unknown key (match, times, skip, fault)`);
		}
	}
	const fault = normalizeFault(input.fault, 'rule.fault');
	let remaining = Infinity;
	if (input.times !== undefined && input.times !== null && input.times !== Infinity) {
		const t = input.times;
		if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 1e9) {
			throw new SandboxConfigError('rule.times: must be a positive integer (omit it for "always")');
		}
		remaining = t;
	}
	let skip = 0;
	if (input.skip !== undefined && input.skip !== null) {
		const k = input.skip;
		if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 1e9) {
			throw new SandboxConfigError('rule.skip: must be an integer >= 0');
		}
		skip = k;
	}
	return { ...normalizeMatch(input.match, 'rule.match'), remaining, skip, fault };
}

/**
 * The fault an `x-sandbox-fault` header asks for, or why it can't be used.
 * @param {string} value
 * @returns {{ fault: Fault } | { error: string }}
 */
function headerFault(value) {
	try {
		return { fault: normalizeFault(JSON.parse(value), 'x-sandbox-fault') };
	} catch (error) {
		return {
			error: error instanceof SandboxConfigError ? error.message : 'x-sandbox-fault: must be JSON',
		};
	}
}

/**
 * The rule list of one sandbox. `reset()` goes back to the startup rules.
 * @param {ActiveRule[]} initial already checked (options.rules)
 */
function createRules(initial) {
	/** @type {ActiveRule[]} */
	let rules = initial.map((r) => ({ ...r }));
	return {
		/** @param {Rule} rule */
		add: (rule) => {
			if (rules.length >= LIMITS.maxRules) {
				throw new SandboxConfigError(
					`rule: at most ${LIMITS.maxRules} rules at once (clearRules() first)`,
				);
			}
			rules.push(normalizeRule(rule));
		},
		clear: () => {
			rules = [];
		},
		reset: () => {
			rules = initial.map((r) => ({ ...r }));
		},
		count: () => rules.length,
		/**
		 * The first matching rule with uses left (and nothing left to skip) fires and uses one up;
		 * a skipped request goes on to the next rules.
		 * @param {RequestInfo} info
		 * @returns {Fault | null}
		 */
		pick: (info) => {
			for (const rule of rules) {
				if (rule.remaining <= 0) continue;
				if (!matches(rule, info)) continue;
				if (rule.skip > 0) {
					// Let this one through untouched, as if the rule weren't there.
					rule.skip -= 1;
					continue;
				}
				rule.remaining -= 1;
				return rule.fault;
			}
			return null;
		},
		/** The rules as JSON (GET /__sandbox/rules): remaining uses, null for unlimited. */
		describe: () =>
			rules.map((r) => ({
				match: { method: r.method, leadId: r.leadId, path: r.path ? String(r.path) : null },
				remaining: r.remaining === Infinity ? null : r.remaining,
				skip: r.skip,
				fault:
					'type' in r.fault && r.fault.type === 'hold' && r.fault.until?.path instanceof RegExp
						? { ...r.fault, until: { ...r.fault.until, path: String(r.fault.until.path) } }
						: r.fault,
			})),
	};
}

/** @typedef {ReturnType<typeof createRules>} Rules */

module.exports = { normalizeRule, headerFault, createRules };
