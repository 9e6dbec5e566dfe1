// @ts-check
'use strict';
/**
 * A lead's tags (§5): GET /leads/{leadId}/tags, POST /leads/{leadId}/tags (add by tag ID, those it
 * has are skipped) and PUT /leads/tags (replace the whole set by tag name; the lead found by
 * `lead_id` or `email`; missing names become new tags). Errors are `{ error }` only, like the other
 * tag endpoints, except the lead's 404, which is the lead-not-found body.
 */

const { UUID_RE, parseJsonObject } = require('../validation.js');
const { BODIES, reply } = require('../http.js');
const { SEED_LEAD_IDS } = require('../seed.js');
const { findLead, leadTagRefs, newestFirst } = require('./lead-view.js');
const { createTag, findTagBySlug } = require('./tags.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../router.js').RouteRequest} RouteRequest
 * @typedef {import('../http.js').Reply} Reply
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Tag} Tag
 */

/** @param {string} message */
const tagError = (message) => reply(400, { error: message });

/**
 * A tag name → its slug (README "Choices" 33): accents dropped, lower case, runs of whitespace →
 * one `-`, anything but `a-z`, `0-9` and `-` removed, repeated and outer `-` trimmed.
 * @param {string} name
 */
function slugify(name) {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim()
		.replace(/\s+/g, '-')
		.replace(/[^a-z0-9-]/g, '')
		.replace(/-+/g, '-')
		.replace(/^-|-$/g, '');
}

/**
 * @param {Store} store
 * @param {string} leadId
 * @returns {string[]}
 */
const tagIdsOf = (store, leadId) => store.leadTags.get(leadId) || [];

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function addTags(req, { store }) {
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return tagError(parsed.message);
	const lead = findLead(req.params.id, store);
	if (!lead) return reply(404, BODIES.leadNotFound);
	const { tagId, tagIds } = parsed.value;
	if (tagId !== undefined && tagIds !== undefined) return tagError('Send tagId or tagIds, not both');
	if (tagId === undefined && tagIds === undefined) return tagError('tagId or tagIds is required');
	/** @type {unknown[]} */
	let wanted;
	if (tagId !== undefined) {
		if (typeof tagId !== 'string' || tagId.trim() === '') return tagError('tagId must be a tag ID');
		wanted = [tagId];
	} else {
		if (!Array.isArray(tagIds) || tagIds.length === 0 || tagIds.some((t) => typeof t !== 'string')) {
			return tagError('tagIds must be a non-empty array of tag IDs');
		}
		wanted = tagIds;
	}
	/** @type {string[]} */
	const found = [];
	for (const raw of /** @type {string[]} */ (wanted)) {
		const tag = UUID_RE.test(raw) ? store.tags.find((t) => t.id === raw.toLowerCase()) : undefined;
		// Nothing is added when one of them is unknown.
		if (!tag) return tagError(`Tag not found: ${raw}`);
		found.push(tag.id);
	}
	const current = tagIdsOf(store, lead.id);
	const next = [...current];
	for (const id of found) if (!next.includes(id)) next.push(id);
	store.leadTags.set(lead.id, next);
	return reply(201, { data: leadTagRefs(store, lead.id) });
}

/**
 * The lead a PUT /leads/tags body names: `lead_id` first, else the newest-created lead with that
 * email (any case).
 * @param {Store} store
 * @param {{ leadId: unknown, email: unknown }} who
 * @returns {Lead | undefined}
 */
function findTarget(store, who) {
	if (who.leadId !== undefined && who.leadId !== null) {
		return typeof who.leadId === 'string' ? findLead(who.leadId, store) : undefined;
	}
	const email = /** @type {string} */ (who.email).toLowerCase();
	/** @type {Lead | undefined} */
	let best;
	for (const lead of store.leads.values()) {
		if (lead.email && lead.email.toLowerCase() === email && (!best || newestFirst(lead, best) < 0)) best = lead;
	}
	return best;
}

/** @type {(req: RouteRequest, ctx: ApiContext) => Reply} */
function replaceTags(req, ctx) {
	const { store } = ctx;
	const parsed = parseJsonObject(req.text);
	if (!parsed.ok) return tagError(parsed.message);
	const { lead_id: leadId, email, tags } = parsed.value;
	const hasId = leadId !== undefined && leadId !== null;
	const hasEmail = typeof email === 'string' && email.trim() !== '';
	if (!hasId && !hasEmail) return tagError('lead_id or email is required');
	if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) {
		return tagError('tags must be an array of tag names');
	}
	const names = /** @type {string[]} */ (tags);
	// Never read blanks as "no tags": that would clear the lead's tags by accident.
	if (names.some((n) => n.trim() === '')) return tagError('tags must not contain empty names');
	const nameless = names.find((n) => slugify(n) === '');
	if (nameless !== undefined) return tagError(`Tag name "${nameless}" has no letters or digits`);
	const lead = findTarget(store, { leadId, email });
	if (!lead) return reply(404, BODIES.leadNotFound);

	/** @type {string[]} */
	const next = [];
	for (const name of names) {
		const slug = slugify(name);
		const tag = findTagBySlug(store, slug) || createTag(ctx, { name: name.trim(), slug, description: null });
		if (!next.includes(tag.id)) next.push(tag.id);
	}
	const before = tagIdsOf(store, lead.id);
	store.leadTags.set(lead.id, next);
	return reply(200, {
		success: true,
		lead_id: lead.id,
		tags: leadTagRefs(store, lead.id),
		added: next.filter((id) => !before.includes(id)),
		removed: before.filter((id) => !next.includes(id)),
	});
}

/**
 * @param {Store} store
 * @param {string} rawId
 * @returns {Lead | undefined}
 */
const sampleLead = (store, rawId) => findLead(rawId, store) || store.leads.get(SEED_LEAD_IDS[0]);

/** @type {Route['sample']} */
const leadTagsSample = (params, { store }) => {
	const lead = sampleLead(store, params.id);
	return { data: lead ? leadTagRefs(store, lead.id) : [] };
};

/** @type {Route[]} */
const routes = [
	{
		method: 'GET',
		path: '/leads/:id/tags',
		handle: (req, { store }) => {
			const lead = findLead(req.params.id, store);
			if (!lead) return reply(404, BODIES.leadNotFound);
			return reply(200, { data: leadTagRefs(store, lead.id) });
		},
		sample: leadTagsSample,
	},
	{ method: 'POST', path: '/leads/:id/tags', handle: addTags, sample: leadTagsSample },
	{
		method: 'PUT',
		path: '/leads/tags',
		handle: replaceTags,
		sample: (_params, { store }) => {
			const lead = store.leads.get(SEED_LEAD_IDS[0]);
			return {
				success: true,
				lead_id: SEED_LEAD_IDS[0],
				tags: lead ? leadTagRefs(store, lead.id) : [],
				added: [],
				removed: [],
			};
		},
	},
];

module.exports = { routes, slugify };
