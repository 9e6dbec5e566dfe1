// @ts-check
'use strict';
/**
 * GET /tags[?search=]: the account's tags (static seed data), `{ data: [...] }`.
 */

const { reply } = require('../http.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 */

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
];

module.exports = { routes };
