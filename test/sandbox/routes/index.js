// @ts-check
'use strict';
/**
 * Every /api/public route, in one list. A new endpoint is a module next to this one that exports
 * `routes` (method + path pattern → handler), added here; the journal, the faults, the rate
 * limiter, latency and authentication apply to it without further work.
 */

const { BASE_PATH } = require('../http.js');
const { createRouter } = require('../router.js');
const leads = require('./leads.js');
const leadList = require('./lead-list.js');
const workflows = require('./workflows.js');
const leadStatus = require('./lead-status.js');
const automation = require('./automation.js');
const leadActivity = require('./lead-activity.js');
const tags = require('./tags.js');
const leadTags = require('./lead-tags.js');
const conversions = require('./conversions.js');
const messages = require('./messages.js');
const meetings = require('./meetings.js');

/**
 * @typedef {{ store: import('../seed.js').Store, now: () => number,
 *   emit: (eventType: string, data: unknown) => void }} ApiContext
 *   What a handler gets besides the request: the data (seed.js), the wall clock, and `emit`, which
 *   queues a webhook event for the configured target (nothing happens without one; webhooks.js).
 */

/** @type {import('../router.js').Route<ApiContext>[]} */
const API_ROUTES = [
	...leads.routes,
	...leadList.routes,
	...leadStatus.routes,
	...automation.routes,
	...leadActivity.routes,
	...workflows.routes,
	...tags.routes,
	...leadTags.routes,
	...conversions.routes,
	...messages.routes,
	...meetings.routes,
];

/**
 * The `truncated` body for a path whose route has no `sample` (or no route at all): the first seed
 * lead as `{ success, lead }` with its 12 keys (what PUT would answer).
 * @param {ApiContext} ctx
 */
const fallbackSample = (ctx) => leads.sampleLead(ctx.store, null);

const apiRouter = createRouter(
	BASE_PATH,
	API_ROUTES,
	(method, fullPath) => `The sandbox has no route ${method} ${fullPath}`,
);

module.exports = { apiRouter, fallbackSample };
