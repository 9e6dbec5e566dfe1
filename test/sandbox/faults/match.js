// @ts-check
'use strict';
/**
 * Which requests a rule (or a hold's `until`) applies to: `{ method?, leadId?, path? }`.
 */

const { SandboxConfigError, isPlainObject } = require('../validation.js');

/**
 * @typedef {{ method?: string, leadId?: string, path?: string | RegExp }} RuleMatch
 * @typedef {{ method: string | null, leadId: string | null, path: RegExp | null }} Matcher
 * @typedef {{ method: string, leadId: string | null, rel: string, pathname: string }} RequestInfo
 *   What matching knows about a request: `rel` is the path below /api/public, `pathname` the full
 *   path (both without the query); `leadId` the lower-cased `{id}` of `/leads/{id}…`, if any.
 */

/**
 * Minimal glob: `*` matches any run of characters, everything else is literal.
 * @param {string} pattern
 */
function globToRegExp(pattern) {
	const body = pattern
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${body}$`);
}

/**
 * @param {unknown} match
 * @param {string} where
 * @returns {Matcher}
 */
function normalizeMatch(match, where) {
	/** @type {Matcher} */
	const out = { method: null, leadId: null, path: null };
	if (match === undefined || match === null) return out;
	if (!isPlainObject(match)) throw new SandboxConfigError(`${where}: must be an object`);
	for (const key of Object.keys(match)) {
		if (key !== 'method' && key !== 'leadId' && key !== 'path') {
			throw new SandboxConfigError(`${where}.${key}: unknown key (method, leadId, path)`);
		}
	}
	if (match.method !== undefined) {
		if (typeof match.method !== 'string') throw new SandboxConfigError(`${where}.method: must be a string`);
		out.method = match.method.toUpperCase();
	}
	if (match.leadId !== undefined) {
		if (typeof match.leadId !== 'string') throw new SandboxConfigError(`${where}.leadId: must be a string`);
		out.leadId = match.leadId.toLowerCase();
	}
	if (match.path !== undefined) {
		if (match.path instanceof RegExp) out.path = match.path;
		else if (typeof match.path === 'string') out.path = globToRegExp(match.path);
		else throw new SandboxConfigError(`${where}.path: must be a string (glob with *) or a RegExp`);
	}
	return out;
}

/**
 * @param {Matcher} m
 * @param {RequestInfo} req
 */
function matches(m, req) {
	if (m.method && m.method !== req.method.toUpperCase()) return false;
	if (m.leadId && m.leadId !== req.leadId) return false;
	if (m.path && !m.path.test(req.rel) && !m.path.test(req.pathname)) return false;
	return true;
}

/**
 * @param {string} method
 * @param {string} rel path below /api/public, without the query
 * @param {string} pathname the full path, without the query
 * @returns {RequestInfo}
 */
function requestInfo(method, rel, pathname) {
	const leadMatch = /^\/leads\/([^/]+)/.exec(rel);
	return { method, leadId: leadMatch ? leadMatch[1].toLowerCase() : null, rel, pathname };
}

module.exports = { normalizeMatch, matches, requestInfo };
