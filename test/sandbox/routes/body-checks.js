// @ts-check
'use strict';
/**
 * Field checks shared by the routes whose bodies are checked key by key (set-status,
 * assign-workflow, conversions, messages, meetings): each key must be known and pass its check,
 * and the first problem, in body order, is named with its field (README "Choices" 28).
 */

const { UUID_RE, isPlainObject } = require('../validation.js');

/**
 * @typedef {import('../validation.js').JsonObject} JsonObject
 * @typedef {(value: unknown) => string | null} Check a problem, or null when the value is fine
 */

/**
 * The first problem of the fields, in body order: `<key>: unknown field`, or `<key>: <problem>`.
 * @param {JsonObject} body
 * @param {Record<string, Check>} checks
 * @returns {string | null}
 */
function fieldsProblem(body, checks) {
	for (const key of Object.keys(body)) {
		const check = checks[key];
		if (!check) return `${key}: unknown field`;
		const problem = check(body[key]);
		if (problem) return `${key}: ${problem}`;
	}
	return null;
}

/**
 * The first of `keys` that is absent or null, as `<key>: required`.
 * @param {JsonObject} body
 * @param {string[]} keys
 * @returns {string | null}
 */
function missingField(body, keys) {
	const key = keys.find((k) => body[k] === undefined || body[k] === null);
	return key === undefined ? null : `${key}: required`;
}

/** @type {Check} */
const optionalString = (v) => (v === undefined || v === null || typeof v === 'string' ? null : 'must be a string or null');

/** @type {Check} */
const optionalUuid = (v) =>
	v === undefined || v === null || (typeof v === 'string' && UUID_RE.test(v)) ? null : 'must be a valid UUID';

/** @type {Check} */
const uuid = (v) => (typeof v === 'string' && UUID_RE.test(v) ? null : 'must be a valid UUID');

/** @type {Check} */
const nonEmptyString = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'must be a non-empty string');

/** @type {Check} */
const optionalObject = (v) => (v === undefined || v === null || isPlainObject(v) ? null : 'must be an object');

/**
 * @param {ReadonlyArray<string>} choices
 * @returns {Check}
 */
const oneOf = (choices) => (v) =>
	typeof v === 'string' && choices.includes(v) ? null : `must be one of ${choices.join(', ')}`;

/**
 * Same as `oneOf`, but null (or absent) is fine too.
 * @param {ReadonlyArray<string>} choices
 * @returns {Check}
 */
const optionalOneOf = (choices) => (v) => (v === undefined || v === null ? null : oneOf(choices)(v));

/** A plain `x@y.z` email (the same pattern as the lead fields). */
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

module.exports = {
	fieldsProblem,
	missingField,
	optionalString,
	optionalUuid,
	uuid,
	nonEmptyString,
	optionalObject,
	oneOf,
	optionalOneOf,
	EMAIL_RE,
};
