// @ts-check
'use strict';
/**
 * The account's tags (§5): GET /tags[?search=] `{ data: [...] }`, POST /tags (name and a unique
 * slug), DELETE /tags/{id} (also from every lead). Errors are `{ error }` only, as documented.
 */

const { UUID_RE, parseJsonObject } = require('../validation.js');
const { reply } = require('../http.js');
const { createdTagId } = require('../seed.js');
const { decodeParam } = require('./lead-view.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Tag} Tag
 */

/** @param {string} message */
const tagError = (message) => reply(400, { error: message });

const TAG_NOT_FOUND = Object.freeze({ error: 'Tag does not exist or does not belong to your account' });

/**
 * The stored tag with this slug (compared case-insensitively), if any.
 * @param {Store} store
 * @param {string} slug
 * @returns {Tag | undefined}
 */
function findTagBySlug(store, slug) {
	const lower = slug.toLowerCase();
	return store.tags.find((t) => t.slug.toLowerCase() === lower);
}

/**
 * Adds a tag to the account (IDs from createdTagId).
 * @param {ApiContext} ctx
 * @param {{ name: string, slug: string, description: string | null }} fields
 * @returns {Tag}
 */
function createTag(ctx, fields) {
	const { store } = ctx;
	store.tagCount += 1;
	const stamp = new Date(ctx.now()).toISOString();
	/** @type {Tag} */
	const tag = {
		id: createdTagId(store.tagCount),
		name: fields.name,
		slug: fields.slug,
		description: fields.description,
		created_at: stamp,
		updated_at: stamp,
	};
	store.tags.push(tag);
	return tag;
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function postTag(req, ctx) {
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return tagError(parsed.message);
	const { name, slug, description } = parsed.value;
	if (typeof name !== 'string' || name.trim() === '') return tagError('Tag name is required');
	if (typeof slug !== 'string' || slug.trim() === '') return tagError('Tag slug is required');
	if (description !== undefined && description !== null && typeof description !== 'string') {
		return tagError('Tag description must be a string or null');
	}
	if (findTagBySlug(ctx.store, slug)) return reply(409, { error: 'A tag with this slug already exists' });
	const tag = createTag(ctx, { name, slug, description: typeof description === 'string' ? description : null });
	return reply(201, {
		data: { id: tag.id, name: tag.name, slug: tag.slug, description: tag.description, created_at: tag.created_at },
	});
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function deleteTag(req, { store }) {
	const id = decodeParam(req.params.id);
	const index = UUID_RE.test(id) ? store.tags.findIndex((t) => t.id === id.toLowerCase()) : -1;
	if (index === -1) return reply(404, TAG_NOT_FOUND);
	const [tag] = store.tags.splice(index, 1);
	for (const [leadId, tagIds] of store.leadTags) {
		if (tagIds.includes(tag.id)) store.leadTags.set(leadId, tagIds.filter((t) => t !== tag.id));
	}
	return reply(200, { success: true });
}

/** @type {Route[]} */
const routes = [
	{
		method: 'GET',
		path: '/tags',
		handle: (req, { store }) => {
			// Case-insensitive substring of name, slug or description (README "Choices" 21).
			const search = new URLSearchParams(req.query).get('search');
			const needle = search ? search.toLowerCase() : '';
			const data = store.tags.filter(
				(t) =>
					!needle ||
					t.name.toLowerCase().includes(needle) ||
					t.slug.toLowerCase().includes(needle) ||
					(t.description || '').toLowerCase().includes(needle),
			);
			return reply(200, { data });
		},
		sample: (_params, { store }) => ({ data: store.tags }),
	},
	{
		method: 'POST',
		path: '/tags',
		handle: postTag,
		sample: (_params, { store }) => {
			const tag = store.tags[0];
			return { data: tag ? { id: tag.id, name: tag.name, slug: tag.slug, description: tag.description, created_at: tag.created_at } : null };
		},
	},
	{ method: 'DELETE', path: '/tags/:id', handle: deleteTag, sample: () => ({ success: true }) },
];

module.exports = { routes, createTag, findTagBySlug };
