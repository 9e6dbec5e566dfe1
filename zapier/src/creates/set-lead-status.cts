/** Set Lead Status: core's setLeadStatus operation (POST /leads/{id}/status). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { setLeadStatus } from '../../../core/index';
import { leadIdField, workflowIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	leadIdField('The ID of the lead, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	{
		key: 'status_key',
		label: 'Status',
		type: 'string',
		required: true,
		placeholder: 'qualified',
		helpText:
			"The key of a status in the lead's workflow, such as qualified or lost (a key, not its label). This overrides the workflow's own logic; a final status cancels the lead's pending follow-ups.",
	},
	{
		key: 'reason',
		label: 'Reason',
		type: 'text',
		required: false,
		helpText: "Why the status changed; kept in the lead's status history.",
	},
	workflowIdField('Only needed when the lead is in more than one workflow: the workflow whose status changes.', false),
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, setLeadStatus, {
		leadId: input.lead_id,
		statusKey: input.status_key,
		reason: input.reason,
		workflowId: input.workflow_id,
	});
}

export default defineCreate({
	key: 'set_lead_status',
	noun: 'Status',
	display: {
		label: 'Set Lead Status',
		description: "Sets a lead's status in its workflow, such as qualified or lost.",
	},
	operation: {
		inputFields,
		perform,
		sample: {
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			changed: true,
			previous_status: 'engaged',
			new_status: 'qualified',
			workflow_run: { id: '550e8400-e29b-41d4-a716-446655440000', workflow_id: 'c0000000-0000-4000-8000-000000000001' },
		},
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'changed', label: 'Changed', type: 'boolean' },
			{ key: 'previous_status', label: 'Previous Status', type: 'string' },
			{ key: 'new_status', label: 'New Status', type: 'string' },
			{ key: 'workflow_run__id', label: 'Workflow Run ID', type: 'string' },
			{ key: 'workflow_run__workflow_id', label: 'Workflow ID', type: 'string' },
		],
	},
});
