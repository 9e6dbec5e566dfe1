// @ts-check
'use strict';
/**
 * Looking things up and presenting them, shared by the lead, run and tag routes: a lead by its
 * `{id}` path parameter, a workflow, a lead's runs and tags, what GET /leads/{id} answers (in the
 * `new` or `old` shape) and what a lead looks like in GET /leads.
 */

const { UUID_RE, clone } = require('../validation.js');
const { presentLead } = require('../seed.js');

/**
 * @typedef {import('../seed.js').Store} Store
 * @typedef {import('../seed.js').Lead} Lead
 * @typedef {import('../seed.js').Workflow} Workflow
 * @typedef {import('../seed.js').WorkflowRun} WorkflowRun
 * @typedef {import('../seed.js').WorkflowStatus} WorkflowStatus
 * @typedef {import('../seed.js').TagRef} TagRef
 */

/**
 * A path parameter, percent-decoded if it can be.
 * @param {string} raw
 */
function decodeParam(raw) {
	try {
		return decodeURIComponent(raw);
	} catch {
		// Left as it is; it is not a UUID and ends in 404.
		return raw;
	}
}

/**
 * The stored lead for a `{id}` path parameter: decoded, matched case-insensitively; a non-UUID
 * is simply not found (README "Choices" 8).
 * @param {string} rawId
 * @param {Store} store
 * @returns {Lead | undefined}
 */
function findLead(rawId, store) {
	const id = decodeParam(rawId);
	return UUID_RE.test(id) ? store.leads.get(id.toLowerCase()) : undefined;
}

/**
 * A workflow by ID (any case); anything else, including a non-UUID, is not found.
 * @param {Store} store
 * @param {unknown} id
 * @returns {Workflow | undefined}
 */
function findWorkflow(store, id) {
	if (typeof id !== 'string' || !UUID_RE.test(id)) return undefined;
	const lower = id.toLowerCase();
	return store.workflows.find((w) => w.id === lower);
}

/**
 * Newest first: `created_at` descending, then `id` descending (README "Choices" 25).
 * @param {Lead} a
 * @param {Lead} b
 * @returns {number} negative when `a` comes first
 */
function newestFirst(a, b) {
	const ta = Date.parse(a.created_at);
	const tb = Date.parse(b.created_at);
	if (ta !== tb) return tb - ta;
	return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * @param {Workflow} workflow
 * @param {string} key
 * @returns {WorkflowStatus | undefined}
 */
function statusOf(workflow, key) {
	return workflow.statuses.find((s) => s.key === key);
}

/**
 * Whether the run sits in a terminal (`won` or `lost`) status.
 * @param {Store} store
 * @param {WorkflowRun} run
 */
function isTerminal(store, run) {
	const workflow = findWorkflow(store, run.workflow_id);
	const status = workflow && statusOf(workflow, run.status_key);
	return !!status && (status.category === 'won' || status.category === 'lost');
}

/**
 * The lead's active runs (`is_active`, terminal status or not), in the order they started.
 * @param {Store} store
 * @param {string} leadId
 * @returns {WorkflowRun[]}
 */
function activeRuns(store, leadId) {
	return [...store.runs.values()].filter((r) => r.lead_id === leadId && r.is_active);
}

/**
 * The run GET /leads/{id} shows: the lead's most recently started active run, or null.
 * @param {Store} store
 * @param {string} leadId
 * @returns {WorkflowRun | null}
 */
function currentRun(store, leadId) {
	const runs = activeRuns(store, leadId);
	return runs.length ? runs[runs.length - 1] : null;
}

/**
 * The lead's tags as `{id, name, slug}`, in the order they were given.
 * @param {Store} store
 * @param {string} leadId
 * @returns {TagRef[]}
 */
function leadTagRefs(store, leadId) {
	/** @type {TagRef[]} */
	const out = [];
	for (const id of store.leadTags.get(leadId) || []) {
		const tag = store.tags.find((t) => t.id === id);
		if (tag) out.push({ id: tag.id, name: tag.name, slug: tag.slug });
	}
	return out;
}

/**
 * @param {Store} store
 * @param {Lead} lead
 * @returns {{ id: string, name: string } | null}
 */
function campaignOf(store, lead) {
	const campaign = lead.campaign_id ? store.campaigns.find((c) => c.id === lead.campaign_id) : undefined;
	return campaign ? { id: campaign.id, name: campaign.name } : null;
}

/**
 * `active_workflow_run` of the new get-lead docs.
 * @param {Store} store
 * @param {WorkflowRun} run
 */
function presentRun(store, run) {
	const workflow = /** @type {Workflow} */ (findWorkflow(store, run.workflow_id));
	const status = statusOf(workflow, run.status_key);
	return {
		id: run.id,
		workflow_id: run.workflow_id,
		is_active: run.is_active,
		human_takeover: run.human_takeover,
		cadence_state: run.cadence_state,
		run_status: isTerminal(store, run) ? 'completed' : 'running',
		workflow: { id: workflow.id, name: workflow.name, goal_type: workflow.goal_type },
		current_status: status
			? { id: status.id, key: status.key, label: status.label, category: status.category }
			: null,
	};
}

/**
 * The new docs' shape: `{ success, lead: {12 keys, tags, campaign, active_workflow_run}, variables }`.
 * @param {Store} store
 * @param {Lead} lead
 */
function newLeadBody(store, lead) {
	const run = currentRun(store, lead.id);
	return {
		success: true,
		lead: {
			...presentLead(lead),
			tags: leadTagRefs(store, lead.id),
			campaign: campaignOf(store, lead),
			active_workflow_run: run ? presentRun(store, run) : null,
		},
		variables: clone(store.variables[lead.id] || {}),
	};
}

/**
 * The old docs' shape: a bare lead with camelCase relations, keys in the old example's order;
 * `assigned_user` only when the run's workflow is an appointment workflow.
 * @param {Store} store
 * @param {Lead} lead
 */
function oldLeadBody(store, lead) {
	const run = currentRun(store, lead.id);
	const workflow = run ? findWorkflow(store, run.workflow_id) : undefined;
	const status = run && workflow ? statusOf(workflow, run.status_key) : undefined;
	/** @type {Record<string, unknown>} */
	const out = {
		id: lead.id,
		first_name: lead.first_name,
		last_name: lead.last_name,
		email: lead.email,
		phone: lead.phone,
		source: lead.source,
		company: lead.company,
		title: lead.title,
		metadata: clone(lead.metadata),
		campaign: campaignOf(store, lead),
		activeWorkflowRun:
			run === null
				? null
				: {
						id: run.id,
						workflow_id: run.workflow_id,
						is_active: run.is_active,
						run_status: isTerminal(store, run) ? 'completed' : 'running',
					},
		workflow: workflow ? { id: workflow.id, name: workflow.name, goal_type: workflow.goal_type } : null,
		currentStatus: status
			? { id: status.id, key: status.key, label: status.label, color: status.color, category: status.category }
			: null,
	};
	if (run && workflow && workflow.goal_type === 'appointment') out.assigned_user = clone(run.assigned_user);
	out.created_at = lead.created_at;
	return out;
}

/**
 * What GET /leads/{id} answers for this lead, in the current `lead` shape.
 * @param {Store} store
 * @param {Lead} lead
 */
function leadBody(store, lead) {
	return store.shapes.lead === 'old' ? oldLeadBody(store, lead) : newLeadBody(store, lead);
}

/**
 * A lead in GET /leads: the 12 keys, then `tags`.
 * @param {Store} store
 * @param {Lead} lead
 */
function listItem(store, lead) {
	return { ...presentLead(lead), tags: leadTagRefs(store, lead.id) };
}

module.exports = {
	decodeParam,
	findLead,
	findWorkflow,
	newestFirst,
	statusOf,
	isTerminal,
	activeRuns,
	currentRun,
	leadTagRefs,
	campaignOf,
	presentRun,
	leadBody,
	listItem,
};
