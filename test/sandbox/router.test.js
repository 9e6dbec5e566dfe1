'use strict';
// The route table (router.js) on its own: today's API routes never overlap, so precedence and
// parameters are shown here with routes of the shapes the next endpoints will have.

const { createRouter } = require('./router.js');

/** @typedef {import('./router.js').Route<null>} Route */

/**
 * @param {string} method
 * @param {string} path
 * @returns {Route}
 */
const echo = (method, path) => ({
	method,
	path,
	handle: (req) => ({ status: 200, body: { path, params: req.params } }),
});

const ROUTES = [
	echo('GET', '/leads/:id'),
	echo('PUT', '/leads/:id'),
	echo('PUT', '/leads/tags'),
	echo('POST', '/leads/:id/automation/stop'),
];

/**
 * @param {Route[]} routes
 * @param {string} method
 * @param {string} rel
 */
const dispatch = (routes, method, rel) =>
	createRouter('/api/public', routes, (m, p) => `no route ${m} ${p}`).dispatch(
		{ method, rel, query: '', text: '' },
		null,
	);

describe('router', () => {
	it.each([[ROUTES], [[...ROUTES].reverse()]])('a literal segment beats a parameter, in any order', (routes) => {
		expect(dispatch(routes, 'PUT', '/leads/tags')).toEqual({ status: 200, body: { path: '/leads/tags', params: {} } });
		expect(dispatch(routes, 'GET', '/leads/tags')).toEqual({
			status: 405,
			body: { error: 'Method not allowed', message: 'GET is not supported on /api/public/leads/tags' },
			headers: { allow: 'PUT' },
		});
		expect(dispatch(routes, 'PUT', '/leads/abc').body).toEqual({ path: '/leads/:id', params: { id: 'abc' } });
	});

	it('passes parameters raw, lists Allow in the order routes were added, and 404s the rest', () => {
		expect(dispatch(ROUTES, 'POST', '/leads/a%20b/automation/stop').body).toEqual({
			path: '/leads/:id/automation/stop',
			params: { id: 'a%20b' },
		});
		expect(dispatch(ROUTES, 'DELETE', '/leads/x').headers).toEqual({ allow: 'GET, PUT' });
		for (const rel of ['/leads', '/leads/', '/leads/x/', '/leads/x/automation']) {
			expect(dispatch(ROUTES, 'GET', rel)).toEqual({
				status: 404,
				body: { error: 'Not found', message: `no route GET /api/public${rel}` },
			});
		}
	});

	it('gives the sample of the path, whatever the method', () => {
		const router = createRouter(
			'/x',
			[{ ...echo('GET', '/leads/:id'), sample: (params) => ({ id: params.id }) }, echo('PUT', '/leads/:id')],
			() => '',
		);
		expect(router.sample('/leads/q', null)).toEqual({ id: 'q' });
		expect(router.sample('/leads/q', null, 'PUT')).toEqual({ id: 'q' });
		expect(router.sample('/tags', null)).toBeUndefined();
	});

	it("prefers the sample of the request's own method", () => {
		const router = createRouter(
			'/x',
			[
				{ ...echo('GET', '/leads/:id'), sample: () => 'get' },
				{ ...echo('PUT', '/leads/:id'), sample: () => 'put' },
				echo('PATCH', '/leads/:id'),
			],
			() => '',
		);
		expect(router.sample('/leads/q', null, 'PUT')).toBe('put');
		expect(router.sample('/leads/q', null, 'GET')).toBe('get');
		expect(router.sample('/leads/q', null, 'PATCH')).toBe('get');
	});
});
