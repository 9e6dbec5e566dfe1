// @ts-check
'use strict';
/**
 * Small checks shared by the option parser, the fault settings, the routes and the recorder.
 * Bad settings throw SandboxConfigError; bad requests get a `Result` the route turns into a 400.
 */

const { LIMITS } = require('./limits.js');

/**
 * @typedef {{ [key: string]: unknown }} JsonObject
 */

/**
 * @typedef {{ ok: true, value: T } | { ok: false, message: string }} Result
 * @template T
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class SandboxConfigError extends TypeError {
	/** @param {string} message */
	constructor(message) {
		super(message);
		this.name = 'SandboxConfigError';
	}
}

/**
 * @param {unknown} value
 * @returns {value is JsonObject}
 */
function isPlainObject(value) {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/**
 * @param {object} obj
 * @param {string} key
 */
function hasOwn(obj, key) {
	return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function clone(value) {
	return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * @param {string} text
 * @returns {Result<unknown>}
 */
function parseJson(text) {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return {
			ok: false,
			message: `Invalid JSON body: ${error instanceof Error ? error.message : String(error)}`,
		};
	}
}

/**
 * A request body that must be a JSON object; an empty body counts as `{}`.
 * @param {string} text
 * @returns {Result<JsonObject>}
 */
function parseJsonObject(text) {
	if (text.trim() === '') return { ok: true, value: {} };
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	if (!isPlainObject(parsed.value)) return { ok: false, message: 'Request body must be a JSON object' };
	return { ok: true, value: parsed.value };
}

/**
 * @param {unknown} status
 * @param {string} where
 * @returns {number}
 */
function checkStatus(status, where) {
	if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
		throw new SandboxConfigError(`${where}: must be an integer HTTP status in [200, 599]`);
	}
	return status;
}

/**
 * @param {unknown} value `options.port`; undefined means 0 (a free port)
 * @param {string} where
 * @returns {number}
 */
function checkPort(value, where) {
	const port = value === undefined ? 0 : value;
	if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
		throw new SandboxConfigError(`${where}: must be an integer in [0, 65535]`);
	}
	return port;
}

/**
 * @param {unknown} value `options.maxLifetimeMs`; undefined means the default
 * @param {string} where
 * @returns {number}
 */
function checkLifetime(value, where) {
	const ms = value === undefined ? LIMITS.defaultLifetimeMs : value;
	if (typeof ms !== 'number' || !(ms > 0) || ms > LIMITS.maxLifetimeMs) {
		throw new SandboxConfigError(`${where}: must be a number in (0, ${LIMITS.maxLifetimeMs}]`);
	}
	return ms;
}

module.exports = {
	UUID_RE,
	SandboxConfigError,
	isPlainObject,
	hasOwn,
	clone,
	parseJson,
	parseJsonObject,
	checkStatus,
	checkPort,
	checkLifetime,
};
