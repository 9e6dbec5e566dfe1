// @ts-check
'use strict';
/**
 * GET /leads?search=&limit=&workflow_id=: list or search leads. Undocumented by Nexor (only a
 * sample call and third-party code show it), so every detail here is the sandbox's choice
 * (README "Choices" 25): newest first, `limit` 1-100 (default 20), `search` a case-insensitive
 * substring of the name or email or, with 3+ digits, of the phone's digits; the list shape
 * follows `shapes.list`.
 */

const { UUID_RE } = require('../validation.js');
const { validationError, reply } = require('../http.js');
const { listBody } = require('../shapes.js');
const { findWorkflow, listItem } = require('./lead-view.js');

/**
 * @typedef {import('./index.js').ApiContext} ApiContext
 * @typedef {import('../router.js').Route<ApiContext>} Route
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Store} Store
 */

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** @param {string} text */
const digitsOf = (text) => text.replace(/\D/g, '');

/**
 * @param {string} search
 * @returns {(lead: Lead) => boolean}
 */
function searchMatcher(search) {
	const needle = search.trim().toLowerCase();
	if (needle === '') return () => true;
	const digits = digitsOf(needle);
	return (lead) => {
		const texts = [lead.first_name, lead.last_name, lead.email, [lead.first_name, lead.last_name].filter(Boolean).join(' ')];
		if (texts.some((t) => typeof t === 'string' && t.toLowerCase().includes(needle))) return true;
		return digits.length >= 3 && typeof lead.phone === 'string' && digitsOf(lead.phone).includes(digits);
	};
}

/**
 * The newest `limit` leads that pass `keep`, newest first (a bounded, binary-search insertion with
 * each timestamp parsed once, so a sandbox with a million leads never sorts them all).
 * @param {Store} store
 * @param {(lead: Lead) => boolean} keep
 * @param {number} limit
 * @param {Iterable<Lead>} [from] the leads to look at (default: all)
 * @returns {Lead[]}
 */
function newest(store, keep, limit, from = store.leads.values()) {
	/** @type {{ t: number, lead: Lead }[]} */
	const top = [];
	/**
	 * Whether `a` comes before `b` (newestFirst, on parsed timestamps).
	 * @param {{ t: number, lead: Lead }} a
	 * @param {{ t: number, lead: Lead }} b
	 */
	const before = (a, b) => (a.t !== b.t ? a.t > b.t : a.lead.id > b.lead.id);
	for (const lead of from) {
		if (!keep(lead)) continue;
		const entry = { t: Date.parse(lead.created_at), lead };
		if (top.length === limit && !before(entry, top[top.length - 1])) continue;
		let lo = 0;
		let hi = top.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (before(top[mid], entry)) lo = mid + 1;
			else hi = mid;
		}
		top.splice(lo, 0, entry);
		if (top.length > limit) top.pop();
	}
	return top.map((e) => e.lead);
}

/**
 * @param {Store} store
 * @param {string} query
 * @returns {{ ok: true, leads: Lead[] } | { ok: false, message: string }}
 */
function listLeads(store, query) {
	const params = new URLSearchParams(query);
	const rawLimit = params.get('limit');
	let limit = DEFAULT_LIMIT;
	if (rawLimit !== null && rawLimit !== '') {
		limit = /^\d+$/.test(rawLimit) ? Number(rawLimit) : NaN;
		if (!(limit >= 1 && limit <= MAX_LIMIT)) {
			return { ok: false, message: `limit: must be an integer between 1 and ${MAX_LIMIT}` };
		}
	}
	const keep = searchMatcher(params.get('search') || '');
	const workflowId = params.get('workflow_id');
	if (workflowId !== null && workflowId !== '') {
		if (!UUID_RE.test(workflowId)) return { ok: false, message: 'workflow_id: must be a valid UUID' };
		const workflow = findWorkflow(store, workflowId);
		if (!workflow) {
			return { ok: false, message: 'workflow_id: workflow not found or does not belong to your account' };
		}
		/** @type {Set<string>} */
		const ids = new Set();
		for (const run of store.runs.values()) {
			if (run.is_active && run.workflow_id === workflow.id) ids.add(run.lead_id);
		}
		const inWorkflow = [...ids].map((id) => store.leads.get(id)).filter((l) => l !== undefined);
		return { ok: true, leads: newest(store, keep, limit, /** @type {Lead[]} */ (inWorkflow)) };
	}
	return { ok: true, leads: newest(store, keep, limit) };
}

/** @type {Route[]} */
const routes = [
	{
		method: 'GET',
		path: '/leads',
		handle: (req, { store }) => {
			const result = listLeads(store, req.query);
			if (!result.ok) return validationError(result.message);
			return reply(200, listBody(store.shapes.list, 'leads', result.leads.map((l) => listItem(store, l))));
		},
		sample: (_params, { store }) => {
			const result = listLeads(store, '');
			const leads = result.ok ? result.leads : [];
			return listBody(store.shapes.list, 'leads', leads.map((l) => listItem(store, l)));
		},
	},
];

module.exports = { routes };
