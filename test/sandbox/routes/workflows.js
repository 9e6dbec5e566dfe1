// @ts-check
'use strict';
/**
 * GET /workflows, GET /workflows/{id} (with the status keys set-status accepts) and GET
 * /campaigns: what the integrations' dropdowns read. Nexor refers to them without documenting
 * their answers (README "Choices" 26); the lists follow `shapes.list`.
 */

const { reply } = require('../http.js');
const { listBody } = require('../shapes.js');
const { decodeParam, findWorkflow } = require('./lead-view.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Workflow} Workflow
 */

const WORKFLOW_NOT_FOUND = Object.freeze({
	error: 'Not found',
	message: 'Workflow not found or does not belong to your account',
});

/** @param {Workflow} w */
const workflowItem = (w) => ({ id: w.id, name: w.name, goal_type: w.goal_type, is_active: w.is_active });

/** @param {Workflow} w */
const workflowDetail = (w) => ({
	...workflowItem(w),
	statuses: w.statuses.map((s) => ({ id: s.id, key: s.key, label: s.label, category: s.category, color: s.color })),
});

/** @param {Store} store */
const workflowList = (store) => listBody(store.shapes.list, 'workflows', store.workflows.map(workflowItem));

/** @param {Store} store */
const campaignList = (store) =>
	listBody(
		store.shapes.list,
		'campaigns',
		store.campaigns.map((c) => ({ id: c.id, name: c.name })),
	);

/** @type {Route[]} */
const routes = [
	{
		method: 'GET',
		path: '/workflows',
		handle: (_req, { store }) => reply(200, workflowList(store)),
		sample: (_params, { store }) => workflowList(store),
	},
	{
		method: 'GET',
		path: '/workflows/:id',
		handle: (req, { store }) => {
			const workflow = findWorkflow(store, decodeParam(req.params.id));
			if (!workflow) return reply(404, WORKFLOW_NOT_FOUND);
			return reply(200, { success: true, workflow: workflowDetail(workflow) });
		},
		sample: (params, { store }) => ({
			success: true,
			workflow: workflowDetail(findWorkflow(store, decodeParam(params.id)) || store.workflows[0]),
		}),
	},
	{
		method: 'GET',
		path: '/campaigns',
		handle: (_req, { store }) => reply(200, campaignList(store)),
		sample: (_params, { store }) => campaignList(store),
	},
];

module.exports = { routes, WORKFLOW_NOT_FOUND };
