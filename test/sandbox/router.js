// @ts-check
'use strict';
/**
 * A small route table: method + path pattern → handler. Patterns are literal segments and
 * `:name` parameters (one segment each, not decoded), e.g. `/leads/:id/automation/stop`.
 * A path matching several patterns goes to the one with a literal segment where the others have a
 * parameter, so `/leads/tags` beats `/leads/:id`. A known path with another method gets 405 with
 * `Allow` (the methods in the order they were added); an unknown path gets 404. Both are JSON.
 */

const { reply } = require('./http.js');

/**
 * @typedef {import('./http.js').Reply} Reply
 * @typedef {{ method: string, rel: string, query: string, params: Record<string, string>, text: string }} RouteRequest
 *   `rel`: the path below the router's base, without the query; `text`: the raw body.
 */
/**
 * @template C
 * @template [R=Reply]
 * @typedef {{ method: string, path: string, handle: (req: RouteRequest, ctx: C) => R,
 *   sample?: (params: Record<string, string>, ctx: C) => unknown }} Route
 *   `sample`: the body a successful answer for this path would have (used by the `truncated`
 *   fault): a route's own sample serves its method, and stands in for the path's methods that
 *   have none. `R`: what a handler returns; a Reply, except in the control API, where a handler
 *   may also answer later (a Promise of one).
 */

/**
 * @param {string} pattern
 * @returns {{ re: RegExp, names: string[], rank: string }}
 */
function compile(pattern) {
	/** @type {string[]} */
	const names = [];
	const segments = pattern.split('/').slice(1);
	const re = segments
		.map((segment) => {
			if (segment.startsWith(':')) {
				names.push(segment.slice(1));
				return '/([^/]+)';
			}
			return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
		})
		.join('');
	// Literal segments ('0') sort before parameters ('1').
	const rank = segments.map((s) => (s.startsWith(':') ? '1' : '0')).join('');
	return { re: new RegExp(`^${re}$`), names, rank };
}

/**
 * @template C
 * @template [R=Reply]
 * @param {string} base the mount point, for messages (e.g. /api/public)
 * @param {Route<C, R>[]} routes
 * @param {(method: string, fullPath: string) => string} notFoundMessage
 */
function createRouter(base, routes, notFoundMessage) {
	const table = routes.map((route) => ({ route, ...compile(route.path) }));

	/**
	 * The routes of the best-matching pattern for this path, with its parameters.
	 * @param {string} rel
	 */
	const find = (rel) => {
		/** @type {{ path: string, rank: string, params: Record<string, string> } | null} */
		let best = null;
		for (const { route, re, names, rank } of table) {
			if (best && (route.path === best.path || rank >= best.rank)) continue;
			const m = re.exec(rel);
			if (!m) continue;
			/** @type {Record<string, string>} */
			const params = {};
			names.forEach((name, i) => {
				params[name] = m[i + 1];
			});
			best = { path: route.path, rank, params };
		}
		if (!best) return null;
		const path = best.path;
		return { routes: routes.filter((r) => r.path === path), params: best.params };
	};

	return {
		/**
		 * @param {Omit<RouteRequest, 'params'>} req
		 * @param {C} ctx
		 * @returns {Reply | R}
		 */
		dispatch: (req, ctx) => {
			const found = find(req.rel);
			if (!found) {
				return reply(404, { error: 'Not found', message: notFoundMessage(req.method, `${base}${req.rel}`) });
			}
			const route = found.routes.find((r) => r.method === req.method);
			if (!route) {
				return reply(
					405,
					{ error: 'Method not allowed', message: `${req.method} is not supported on ${base}${req.rel}` },
					{ allow: found.routes.map((r) => r.method).join(', ') },
				);
			}
			return route.handle({ ...req, params: found.params }, ctx);
		},
		/**
		 * What a successful answer for this path would look like, if its route says: the sample of
		 * the route for `method`, else the first sample on the same path (any method).
		 * @param {string} rel
		 * @param {C} ctx
		 * @param {string} [method]
		 * @returns {unknown}
		 */
		sample: (rel, ctx, method) => {
			const found = find(rel);
			if (!found) return undefined;
			const route =
				found.routes.find((r) => r.sample && r.method === method) || found.routes.find((r) => r.sample);
			return route && route.sample ? route.sample(found.params, ctx) : undefined;
		},
	};
}

module.exports = { createRouter };
