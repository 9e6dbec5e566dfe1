/** Add Lead to Workflow: core's addLeadToWorkflow operation (POST /leads/{id}/assign-workflow). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { addLeadToWorkflow } from '../../../core/index';
import { leadIdField, workflowIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	leadIdField('The ID of the lead, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	workflowIdField(
		"The workflow (agent) to put the lead in. A lead already in a workflow is moved: its current run ends and this workflow's cadence starts.",
		true,
	),
	{
		key: 'reason',
		label: 'Reason',
		type: 'text',
		required: false,
		helpText: 'Why the lead was moved; kept on the workflow run it leaves.',
	},
	{
		key: 'actor_id',
		label: 'Actor ID',
		type: 'string',
		required: false,
		placeholder: 'ops@example.com',
		helpText: 'Who made the change, for the audit trail: any text, such as an email address.',
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, addLeadToWorkflow, {
		leadId: input.lead_id,
		workflowId: input.workflow_id,
		reason: input.reason,
		actorId: input.actor_id,
	});
}

export default defineCreate({
	key: 'add_lead_to_workflow',
	noun: 'Workflow',
	display: {
		label: 'Add Lead to Workflow',
		description: "Enrols a lead in a workflow, or moves it from its current one; the workflow's cadence starts.",
	},
	operation: {
		inputFields,
		perform,
		sample: {
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			workflowRunId: '550e8400-e29b-41d4-a716-446655440000',
			workflowId: 'c0000000-0000-4000-8000-000000000001',
			workflowName: 'Premium Outreach',
			movementType: 'enrollment',
			paused: false,
		},
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'workflowRunId', label: 'Workflow Run ID', type: 'string' },
			{ key: 'workflowId', label: 'Workflow ID', type: 'string' },
			{ key: 'workflowName', label: 'Workflow Name', type: 'string' },
			{ key: 'movementType', label: 'Movement Type', type: 'string' },
			{ key: 'paused', label: 'Workflow Paused', type: 'boolean' },
		],
	},
});
