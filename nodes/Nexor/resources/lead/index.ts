/** The Lead resource: its operations, and the Operation parameter that lists them. */
import type { INodeProperties } from 'n8n-workflow';
import { OPERATIONS } from '../../../../core';
import type { NodeOperation } from '../../shared/execute';
import { leadGetHistoryDescription, leadGetMeetingsDescription, readLeadIdInput, readLeadMeetingsInput } from './activity';
import { leadCreateDescription, readLeadCreateInput } from './create';
import { leadFindDescription, readLeadFindInput } from './find';
import { leadGetDescription, readLeadGetInput } from './get';
import {
	leadAddTagsDescription,
	leadGetTagsDescription,
	leadSetTagsDescription,
	readAddTagsInput,
	readSetTagsInput,
} from './tags';
import { leadUpdateDescription, readLeadUpdateInput } from './update';
import {
	leadAddToWorkflowDescription,
	leadGetAutomationStatusDescription,
	leadResumeAutomationDescription,
	leadSetStatusDescription,
	leadStopAutomationDescription,
	readAddToWorkflowInput,
	readAutomationInput,
	readAutomationStatusInput,
	readSetStatusInput,
} from './workflow-actions';

const ops = OPERATIONS.lead;
const leadIdOf = (input: { leadId?: unknown }) => input.leadId;

// Typed loosely here: each operation keeps its own input and result types inside its module.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const leadOperations: Record<string, NodeOperation<any, any>> = {
	create: { core: ops.create, description: leadCreateDescription, readInput: readLeadCreateInput },
	get: { core: ops.get, description: leadGetDescription, readInput: readLeadGetInput, leadIdOf },
	find: { core: ops.find, description: leadFindDescription, readInput: readLeadFindInput },
	update: { core: ops.update, description: leadUpdateDescription, readInput: readLeadUpdateInput, leadIdOf },
	setStatus: { core: ops.setStatus, description: leadSetStatusDescription, readInput: readSetStatusInput, leadIdOf },
	addToWorkflow: { core: ops.addToWorkflow, description: leadAddToWorkflowDescription, readInput: readAddToWorkflowInput, leadIdOf },
	stopAutomation: { core: ops.stopAutomation, description: leadStopAutomationDescription, readInput: readAutomationInput, leadIdOf },
	resumeAutomation: { core: ops.resumeAutomation, description: leadResumeAutomationDescription, readInput: readAutomationInput, leadIdOf },
	getAutomationStatus: { core: ops.getAutomationStatus, description: leadGetAutomationStatusDescription, readInput: readAutomationStatusInput, leadIdOf },
	getHistory: { core: ops.getHistory, description: leadGetHistoryDescription, readInput: readLeadIdInput, leadIdOf },
	getMeetings: { core: ops.getMeetings, description: leadGetMeetingsDescription, readInput: readLeadMeetingsInput, leadIdOf },
	getTags: { core: ops.getTags, description: leadGetTagsDescription, readInput: readLeadIdInput, leadIdOf },
	addTags: { core: ops.addTags, description: leadAddTagsDescription, readInput: readAddTagsInput, leadIdOf },
	setTags: { core: ops.setTags, description: leadSetTagsDescription, readInput: readSetTagsInput, leadIdOf },
};

export const leadOperationDescription: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['lead'] } },
	// The descriptions are what an AI agent reads when the node is a tool: say what it does and needs.
	options: [
		{ name: 'Add Tags', value: 'addTags', action: 'Add tags to a lead', description: "Add tags (by ID) to a lead; its other tags are kept" },
		{ name: 'Add to Workflow', value: 'addToWorkflow', action: 'Add a lead to a workflow', description: "Enrol a lead in a workflow, or move it from its current one; the workflow's cadence starts" },
		{ name: 'Create', value: 'create', action: 'Create a lead', description: 'Create a lead (first name required), optionally enrolled in a workflow. Nexor may update an existing lead with the same email or phone instead.' },
		{ name: 'Find', value: 'find', action: 'Find leads', description: 'Find leads by exact email or phone; no match gives no output' },
		{ name: 'Get', value: 'get', action: 'Get a lead', description: "Get a lead by ID, with its workflow status" },
		{ name: 'Get Automation Status', value: 'getAutomationStatus', action: 'Get automation status of a lead', description: 'Whether a person has taken over the lead (AI paused)' },
		{ name: 'Get History', value: 'getHistory', action: 'Get history of a lead', description: "The lead's timeline: messages, calls and activities" },
		{ name: 'Get Meetings', value: 'getMeetings', action: 'Get meetings of a lead', description: "The lead's meetings, newest first" },
		{ name: 'Get Tags', value: 'getTags', action: 'Get tags of a lead', description: "The lead's tags" },
		{ name: 'Resume Automation', value: 'resumeAutomation', action: 'Resume the AI for a lead after a human takeover', description: 'Hand a lead back to the AI in a workflow after a human takeover' },
		{ name: 'Set Status', value: 'setStatus', action: 'Set status of a lead', description: "Force the lead's status in its workflow, such as qualified or lost" },
		{ name: 'Set Tags', value: 'setTags', action: 'Set tags of a lead', description: "Replace a lead's whole tag set by names (lead by ID or email); tags not listed are removed" },
		{ name: 'Stop Automation', value: 'stopAutomation', action: 'Stop the AI for a lead so a human takes over', description: 'Stop the AI and cadence for a lead in a workflow so a person can take over' },
		{ name: 'Update', value: 'update', action: 'Update a lead', description: "Change an existing lead's fields, clear chosen fields, and merge metadata. Blank values are skipped." },
	],
	default: 'update',
};
