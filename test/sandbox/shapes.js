// @ts-check
'use strict';
/**
 * Answer shapes a client must cope with where Nexor's docs are unsure (README "Shapes"):
 * - `list` for GET /leads, /workflows and /campaigns: `'named'` `{ success, <resource>: [...] }`
 *   (the default), `'data'` `{ data: [...] }`, `'array'` a bare array, `'unknown'`
 *   `{ results: [...] }` (a shape a client must refuse);
 * - `lead` for GET /leads/{id}: `'new'` (the June 2026 docs: wrapped, snake_case relations,
 *   `variables`; the default) or `'old'` (the older docs: a bare lead, camelCase relations).
 * Set by options.shapes, sandbox.setShapes() or POST /__sandbox/shapes; reset() goes back to the
 * startup shapes.
 */

const { SandboxConfigError, isPlainObject } = require('./validation.js');

/**
 * @typedef {'named' | 'data' | 'array' | 'unknown'} ListShape
 * @typedef {'new' | 'old'} LeadShape
 * @typedef {{ list: ListShape, lead: LeadShape }} Shapes
 */

const LIST_SHAPES = Object.freeze(/** @type {const} */ (['named', 'data', 'array', 'unknown']));
const LEAD_SHAPES = Object.freeze(/** @type {const} */ (['new', 'old']));

/** @type {Readonly<Shapes>} */
const DEFAULT_SHAPES = Object.freeze({ list: 'named', lead: 'new' });

/**
 * A (partial) shapes object laid over `base`; unknown keys or values throw.
 * @param {unknown} value
 * @param {string} where
 * @param {Shapes} base
 * @returns {Shapes}
 */
function normalizeShapes(value, where, base) {
	if (value === undefined || value === null) return { ...base };
	if (!isPlainObject(value)) throw new SandboxConfigError(`${where}: must be an object`);
	/** @type {Shapes} */
	const out = { ...base };
	for (const key of Object.keys(value)) {
		const v = value[key];
		if (key === 'list') {
			if (!LIST_SHAPES.includes(/** @type {ListShape} */ (v))) {
				throw new SandboxConfigError(`${where}.list: must be one of ${LIST_SHAPES.join(', ')}`);
			}
			out.list = /** @type {ListShape} */ (v);
		} else if (key === 'lead') {
			if (!LEAD_SHAPES.includes(/** @type {LeadShape} */ (v))) {
				throw new SandboxConfigError(`${where}.lead: must be one of ${LEAD_SHAPES.join(', ')}`);
			}
			out.lead = /** @type {LeadShape} */ (v);
		} else {
			throw new SandboxConfigError(`${where}.${key}: unknown shape (list, lead)`);
		}
	}
	return out;
}

/**
 * The body of a list answer in the given shape.
 * @param {ListShape} shape
 * @param {string} key the resource's name, e.g. 'leads'
 * @param {unknown[]} items
 * @returns {unknown}
 */
function listBody(shape, key, items) {
	switch (shape) {
		case 'data':
			return { data: items };
		case 'array':
			return items;
		case 'unknown':
			return { results: items };
		default:
			return { success: true, [key]: items };
	}
}

module.exports = { LIST_SHAPES, LEAD_SHAPES, DEFAULT_SHAPES, normalizeShapes, listBody };
