/**
 * The lead lifecycle beyond Update Lead (nexor-api.md §4): create, get, find, set status, add to a
 * workflow, stop/resume the AI (human takeover), automation status, history and meetings. Each is
 * data run by the one engine: inputs checked here, a request, the lead it acts on, and how the
 * answer becomes the result.
 */
import { answerArray, answerList, answerObject, unexpectedAnswer, withoutSuccessFlag } from './answers';
import { CreateLeadInput, buildCreateRequest } from './create-lead';
import { NexorInputError } from './errors';
import { InputName, choice, listItems, optionalText, optionalUuid, requiredText, requiredUuid, yesNo } from './inputs';
import { Lead, readLead } from './lead';
import type { Operation, PreparedCall } from './operation';
import { isPlainObject, looksLikeEmail } from './values';

/** One output: a JSON object as Nexor (or core, for a few added keys) shaped it. */
export type Row = Record<string, unknown>;

export const LEAD_ID: InputName = { field: 'lead_id', label: 'Lead ID' };
export const WORKFLOW_ID: InputName = { field: 'workflow_id', label: 'Workflow' };
const REASON: InputName = { field: 'reason', label: 'Reason' };

/** The lead a request acts on, checked: a UUID, with the words a 404 should use. */
export function leadTarget(raw: unknown): { leadId: string; path: string; leadKey: string } {
	const leadId = requiredUuid(raw, LEAD_ID, 'lead', 'from the step that found or created the lead');
	return { leadId, path: `/leads/${encodeURIComponent(leadId)}`, leadKey: leadId.toLowerCase() };
}

function leadCall<R>(
	raw: unknown,
	action: string,
	build: (target: { leadId: string; path: string }) => Pick<PreparedCall<R>, 'request' | 'idempotent' | 'read'> &
		Partial<Pick<PreparedCall<R>, 'failureWords'>>,
): PreparedCall<R> {
	const target = leadTarget(raw);
	const built = build(target);
	return {
		leadKey: target.leadKey,
		failureWords: { leadId: target.leadId, action },
		...built,
	};
}

// ── Create ─────────────────────────────────────────────────────────────────────────────────────

/** `POST /leads`, one lead: the created (or, when Nexor merges a duplicate, the existing) lead. */
export const createLead: Operation<CreateLeadInput, Row> = {
	resource: 'lead',
	name: 'create',
	action: 'Create lead',
	prepare(input) {
		const { body, leadKey } = buildCreateRequest(input);
		return {
			request: { method: 'POST', path: '/leads', body },
			leadKey,
			// A create sent twice may create two leads: retried only when Nexor certainly didn't act.
			idempotent: false,
			failureWords: { action: 'new lead' },
			read: (answer) => {
				const lead = readLead(answer.body, answer.status);
				const parsed = answerObject(answer.body, answer.status);
				return isPlainObject(parsed.workflow_run) ? { ...lead, workflow_run: parsed.workflow_run } : lead;
			},
		};
	},
};

// ── Get ────────────────────────────────────────────────────────────────────────────────────────

export interface GetLeadInput {
	leadId: unknown;
	/** The ten fields people use most, flat. */
	simplify?: unknown;
}

/** The fields Simplify keeps, in order. */
export const SIMPLE_LEAD_FIELDS = [
	'id',
	'first_name',
	'last_name',
	'email',
	'phone',
	'company',
	'title',
	'source',
	'status',
	'workflow',
] as const;

function pick(value: unknown, ...path: string[]): unknown {
	let at = value;
	for (const key of path) {
		if (!isPlainObject(at)) return undefined;
		at = at[key];
	}
	return at;
}

/**
 * Both documented GET shapes: the new `{success, lead: {…, active_workflow_run}, variables}` and the
 * old bare lead with camelCase `activeWorkflowRun`, `workflow`, `currentStatus`.
 */
export function simplifyLead(lead: Lead): Row {
	const run = pick(lead, 'active_workflow_run') ?? pick(lead, 'activeWorkflowRun');
	const status = pick(run, 'current_status', 'key') ?? pick(run, 'currentStatus', 'key') ?? pick(lead, 'currentStatus', 'key') ?? pick(lead, 'current_status', 'key');
	const workflow = pick(run, 'workflow', 'name') ?? pick(lead, 'workflow', 'name');
	const out: Row = {};
	for (const field of SIMPLE_LEAD_FIELDS) {
		if (field === 'status') out.status = typeof status === 'string' ? status : null;
		else if (field === 'workflow') out.workflow = typeof workflow === 'string' ? workflow : null;
		else out[field] = lead[field] ?? null;
	}
	return out;
}

export const getLead: Operation<GetLeadInput, Row> = {
	resource: 'lead',
	name: 'get',
	action: 'Get lead',
	prepare(input) {
		const simplify = yesNo(input.simplify, { field: 'simplify', label: 'Simplify' }, false);
		return leadCall(input.leadId, 'lookup', ({ leadId, path }) => ({
			request: { method: 'GET', path },
			idempotent: true,
			read: (answer) => {
				const lead = readLead(answer.body, answer.status, leadId);
				if (simplify) return simplifyLead(lead);
				const parsed = answerObject(answer.body, answer.status);
				return isPlainObject(parsed.variables) ? { ...lead, variables: parsed.variables } : lead;
			},
		}));
	},
};

// ── Find ───────────────────────────────────────────────────────────────────────────────────────

export interface FindLeadInput {
	/** Matched case-insensitively, exactly. Takes precedence over phone. */
	email?: unknown;
	/** Matched on its digits, exactly. */
	phone?: unknown;
	/**
	 * An input with no match gives one empty result instead of none, so a per-item flow (find, else
	 * create) goes on for that item: n8n drops an item that gives no output.
	 */
	emptyWhenNone?: unknown;
}

const FIND_EMAIL: InputName = { field: 'email', label: 'Email' };
const FIND_PHONE: InputName = { field: 'phone', label: 'Phone' };
/** Candidates asked for: `search` is fuzzy, the exact match is made here. */
export const FIND_CANDIDATES = 50;

export function phoneDigits(text: string): string {
	return text.replace(/\D/g, '');
}

/** What Find sends and how it matches: by email when one is given, else by phone. */
export function findCriteria(input: FindLeadInput): { search: string; matches(lead: Row): boolean } {
	const email = optionalText(input.email, FIND_EMAIL, { max: 320 });
	if (email !== undefined) {
		if (!looksLikeEmail(email)) {
			throw new NexorInputError('email', 'Email', `Email "${email.slice(0, 60)}" is not a valid email address`, 'Map an address such as carlos@example.com.');
		}
		const wanted = email.toLowerCase();
		return { search: email, matches: (lead) => typeof lead.email === 'string' && lead.email.trim().toLowerCase() === wanted };
	}
	const phone = optionalText(input.phone, FIND_PHONE, { max: 50 });
	if (phone === undefined) {
		throw new NexorInputError('email', 'Email', 'Email and Phone are both empty', 'Map the email address or the phone number of the lead to find.');
	}
	const digits = phoneDigits(phone);
	if (digits.length < 6) {
		throw new NexorInputError('phone', 'Phone', `Phone "${phone}" has fewer than 6 digits`, 'Map the full phone number, with its country code as Nexor stores it, such as +56912345678.');
	}
	// Nexor's search is a fuzzy text match (a third-party caller sends the last 8 digits); the exact
	// comparison of every digit happens here.
	return { search: digits.slice(-8), matches: (lead) => typeof lead.phone === 'string' && phoneDigits(lead.phone) === digits };
}

/**
 * `GET /leads?search=` (referenced by Nexor, not specified): every lead whose email or phone matches
 * exactly, newest first as Nexor lists them; none is a normal, empty result.
 */
export const findLeads: Operation<FindLeadInput, Row[]> = {
	resource: 'lead',
	name: 'find',
	action: 'Find leads',
	prepare(input) {
		const criteria = findCriteria(input);
		const emptyWhenNone = yesNo(input.emptyWhenNone, { field: 'empty_when_none', label: 'Output an Empty Item When None Match' }, false);
		return {
			request: { method: 'GET', path: '/leads', query: { search: criteria.search, limit: String(FIND_CANDIDATES) } },
			idempotent: true,
			failureWords: { action: 'search' },
			read: (answer) => {
				const matched = answerList(answer.body, answer.status, 'leads').filter(criteria.matches);
				return matched.length === 0 && emptyWhenNone ? [{}] : matched;
			},
		};
	},
};

// ── Status, workflow, automation ───────────────────────────────────────────────────────────────

export interface SetStatusInput {
	leadId: unknown;
	statusKey: unknown;
	reason?: unknown;
	workflowId?: unknown;
}

export const setLeadStatus: Operation<SetStatusInput, Row> = {
	resource: 'lead',
	name: 'setStatus',
	action: 'Set lead status',
	prepare(input) {
		const statusKey = requiredText(input.statusKey, { field: 'status_key', label: 'Status' }, {
			max: 100,
			example: 'qualified',
			why: "Nexor needs the key of a status in the lead's workflow.",
		});
		const reason = optionalText(input.reason, REASON, { max: 1000 });
		const workflowId = optionalUuid(input.workflowId, WORKFLOW_ID, 'workflow');
		return leadCall(input.leadId, 'status change', ({ leadId, path }) => ({
			request: {
				method: 'POST',
				path: `${path}/status`,
				body: { status_key: statusKey, ...(reason !== undefined && { reason }), ...(workflowId !== undefined && { workflow_id: workflowId }) },
			},
			// Not retried after a lost answer: a final status may move the lead to another workflow (a
			// transfer), and a second try would then meet the new run.
			idempotent: false,
			failureWords: {
				leadId,
				action: 'status change',
				notFound: {
					message: `Lead ${leadId} was not found, or has no active workflow run`,
					fix: 'Check the Lead ID, and that the lead is in a workflow (Add to Workflow enrols it). With several active runs, choose the Workflow.',
				},
			},
			read: (answer) => ({ lead_id: leadId, ...withoutSuccessFlag(answerObject(answer.body, answer.status)) }),
		}));
	},
};

export interface AddToWorkflowInput {
	leadId: unknown;
	workflowId: unknown;
	reason?: unknown;
	actorId?: unknown;
}

export const addLeadToWorkflow: Operation<AddToWorkflowInput, Row> = {
	resource: 'lead',
	name: 'addToWorkflow',
	action: 'Add lead to workflow',
	prepare(input) {
		const workflowId = requiredUuid(input.workflowId, WORKFLOW_ID, 'workflow', 'chosen from the list');
		const reason = optionalText(input.reason, REASON, { max: 1000 });
		const actorId = optionalText(input.actorId, { field: 'actor_id', label: 'Actor ID' }, { max: 200 });
		return leadCall(input.leadId, 'workflow assignment', ({ leadId, path }) => ({
			// camelCase, as this endpoint (alone) documents its body.
			request: {
				method: 'POST',
				path: `${path}/assign-workflow`,
				body: { workflowId, ...(reason !== undefined && { reason }), ...(actorId !== undefined && { actorId }) },
			},
			// A second assignment replaces the run the first one started.
			idempotent: false,
			read: (answer) => {
				const body = answerObject(answer.body, answer.status);
				if (typeof body.workflowRunId !== 'string') throw unexpectedAnswer(answer.status, 'it did not contain the new workflow run');
				return { lead_id: leadId, ...body };
			},
		}));
	},
};

export interface AutomationInput {
	leadId: unknown;
	workflowId: unknown;
	/** Resume only: restart the cadence too, not only the AI. */
	resumeCadence?: unknown;
}

function automationCall(input: AutomationInput, which: 'stop' | 'resume'): PreparedCall<Row> {
	const workflowId = requiredUuid(input.workflowId, WORKFLOW_ID, 'workflow', 'the workflow the lead is in');
	const resumeCadence = which === 'resume' ? yesNo(input.resumeCadence, { field: 'resume_cadence', label: 'Resume Cadence' }, false) : undefined;
	const flag = which === 'stop' ? 'already_stopped' : 'already_running';
	return leadCall(input.leadId, which === 'stop' ? 'stop' : 'resume', ({ leadId, path }) => ({
		request: {
			method: 'POST',
			path: `${path}/automation/${which}`,
			body: { workflow_id: workflowId, ...(resumeCadence !== undefined && { resume_cadence: resumeCadence }) },
		},
		// Nexor answers already_stopped / already_running to a repeat: safe to send again.
		idempotent: true,
		failureWords: {
			leadId,
			action: which === 'stop' ? 'stop' : 'resume',
			notFound: {
				message: `Lead ${leadId} has no active run in workflow ${workflowId}, or doesn't exist`,
				fix: 'Check the Lead ID and the Workflow: the lead must be in that workflow and not in a final status.',
			},
		},
		read: (answer) => {
			const body = withoutSuccessFlag(answerObject(answer.body, answer.status));
			// Always present, so an IF node can branch on it; a repeat is a success, not an error.
			return { lead_id: leadId, workflow_id: workflowId, ...body, [flag]: body[flag] === true };
		},
	}));
}

export const stopLeadAutomation: Operation<AutomationInput, Row> = {
	resource: 'lead',
	name: 'stopAutomation',
	action: 'Stop lead automation',
	prepare: (input) => automationCall(input, 'stop'),
};

export const resumeLeadAutomation: Operation<AutomationInput, Row> = {
	resource: 'lead',
	name: 'resumeAutomation',
	action: 'Resume lead automation',
	prepare: (input) => automationCall(input, 'resume'),
};

export interface AutomationStatusInput {
	leadId: unknown;
	workflowId?: unknown;
}

export const getLeadAutomationStatus: Operation<AutomationStatusInput, Row> = {
	resource: 'lead',
	name: 'getAutomationStatus',
	action: 'Get lead automation status',
	prepare(input) {
		const workflowId = optionalUuid(input.workflowId, WORKFLOW_ID, 'workflow');
		return leadCall(input.leadId, 'lookup', ({ leadId, path }) => ({
			request: { method: 'GET', path: `${path}/is_paused`, ...(workflowId !== undefined && { query: { workflow_id: workflowId } }) },
			idempotent: true,
			read: (answer) => {
				const body = answerObject(answer.body, answer.status);
				if (typeof body.paused !== 'boolean') throw unexpectedAnswer(answer.status, 'it did not say whether the lead is paused');
				return { lead_id: leadId, ...(workflowId !== undefined && { workflow_id: workflowId }), paused: body.paused };
			},
		}));
	},
};

// ── History and meetings ───────────────────────────────────────────────────────────────────────

export interface LeadIdInput {
	leadId: unknown;
}

export const getLeadHistory: Operation<LeadIdInput, Row[]> = {
	resource: 'lead',
	name: 'getHistory',
	action: 'Get lead history',
	prepare(input) {
		return leadCall(input.leadId, 'lookup', ({ leadId, path }) => ({
			request: { method: 'GET', path: `${path}/history` },
			idempotent: true,
			read: (answer) => answerArray(answer.body, answer.status, 'history').map((entry) => ({ lead_id: leadId, ...entry })),
		}));
	},
};

export const MEETING_STATUSES = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;

export interface LeadMeetingsInput {
	leadId: unknown;
	/** Only meetings in these statuses; blank: all. */
	statuses?: unknown;
}

export const getLeadMeetings: Operation<LeadMeetingsInput, Row[]> = {
	resource: 'lead',
	name: 'getMeetings',
	action: 'Get lead meetings',
	prepare(input) {
		const name: InputName = { field: 'status', label: 'Meeting Status' };
		const statuses = [...new Set(listItems(input.statuses).map((s) => choice(s, name, MEETING_STATUSES)))];
		return leadCall(input.leadId, 'lookup', ({ leadId, path }) => ({
			request: { method: 'GET', path: `${path}/meetings`, ...(statuses.length > 0 && { query: { status: statuses.join(',') } }) },
			idempotent: true,
			read: (answer) => answerArray(answer.body, answer.status, 'meetings').map((meeting) => ({ lead_id: leadId, ...meeting })),
		}));
	},
};
