/**
 * Lead → Set Status, Add to Workflow, Stop Automation, Resume Automation, Get Automation Status: the
 * lead's place in a workflow and the human takeover (nexor-api.md §4.7–4.9).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { AddToWorkflowInput, AutomationInput, AutomationStatusInput, SetStatusInput } from '../../../../core';
import { LOCATOR_VALUE, leadLocator, workflowLocator } from '../../shared/locators';

const show = (operation: string) => ({ show: { resource: ['lead'], operation: [operation] } });
const leadId = (context: IExecuteFunctions, i: number) => context.getNodeParameter('leadId', i, '', LOCATOR_VALUE);
const workflowId = (context: IExecuteFunctions, i: number) => context.getNodeParameter('workflowId', i, '', LOCATOR_VALUE);

export const leadSetStatusDescription: INodeProperties[] = [
	leadLocator(show('setStatus'), 'The lead whose status to set'),
	{
		displayName: 'Status',
		name: 'statusKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. qualified',
		description:
			"The key of a status in the lead's workflow, such as qualified or lost (the keys are in the workflow's settings in Nexor). This overrides the workflow: no guard applies, and a final status cancels pending follow-ups.",
		displayOptions: show('setStatus'),
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'e.g. Deal closed in the CRM',
		description: 'Stored on the run and in its status history. Empty: none.',
		displayOptions: show('setStatus'),
	},
	workflowLocator(show('setStatus'), 'Needed only when the lead is in more than one workflow at once. Empty: its one active run.'),
];

export function readSetStatusInput(context: IExecuteFunctions, i: number): SetStatusInput {
	return {
		leadId: leadId(context, i),
		statusKey: context.getNodeParameter('statusKey', i, ''),
		reason: context.getNodeParameter('reason', i, ''),
		workflowId: workflowId(context, i),
	};
}

export const leadAddToWorkflowDescription: INodeProperties[] = [
	leadLocator(show('addToWorkflow'), 'The lead to put into the workflow'),
	workflowLocator(
		show('addToWorkflow'),
		"The workflow to enrol the lead in. A lead already in a workflow is moved: its current run ends and this one's cadence starts.",
		true,
	),
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'e.g. Upgraded to premium',
		description: 'Stored on the run that ends when the lead is moved. Empty: none.',
		displayOptions: show('addToWorkflow'),
	},
	{
		displayName: 'Actor ID',
		name: 'actorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. ops@example.com',
		description: 'Who made the change, recorded for audit. Empty: none.',
		displayOptions: show('addToWorkflow'),
	},
];

export function readAddToWorkflowInput(context: IExecuteFunctions, i: number): AddToWorkflowInput {
	return {
		leadId: leadId(context, i),
		workflowId: workflowId(context, i),
		reason: context.getNodeParameter('reason', i, ''),
		actorId: context.getNodeParameter('actorId', i, ''),
	};
}

export const leadStopAutomationDescription: INodeProperties[] = [
	leadLocator(show('stopAutomation'), 'The lead a person takes over'),
	workflowLocator(
		show('stopAutomation'),
		"The workflow whose AI and cadence stop for this lead (human takeover): the AI stops replying and pending tasks are cancelled. A lead already stopped is a success (already_stopped is true).",
		true,
	),
];

export const leadResumeAutomationDescription: INodeProperties[] = [
	leadLocator(show('resumeAutomation'), 'The lead to hand back to the AI'),
	workflowLocator(
		show('resumeAutomation'),
		'The workflow whose AI resumes for this lead. A lead already running is a success (already_running is true).',
		true,
	),
	{
		displayName: 'Resume Cadence',
		name: 'resumeCadence',
		type: 'boolean',
		default: false,
		description: 'Whether to restart the outreach cadence too; off resumes only the AI replies',
		displayOptions: show('resumeAutomation'),
	},
];

export function readAutomationInput(context: IExecuteFunctions, i: number): AutomationInput {
	const operation = context.getNodeParameter('operation', 0) as string;
	return {
		leadId: leadId(context, i),
		workflowId: workflowId(context, i),
		...(operation === 'resumeAutomation' && { resumeCadence: context.getNodeParameter('resumeCadence', i, false) }),
	};
}

export const leadGetAutomationStatusDescription: INodeProperties[] = [
	leadLocator(show('getAutomationStatus'), 'The lead to check'),
	workflowLocator(show('getAutomationStatus'), 'Check one workflow only. Empty: paused is true when a person has taken over any active run.'),
];

export function readAutomationStatusInput(context: IExecuteFunctions, i: number): AutomationStatusInput {
	return { leadId: leadId(context, i), workflowId: workflowId(context, i) };
}
