/** Stop AI Automation (human takeover): core's stopLeadAutomation operation (POST /leads/{id}/automation/stop). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { stopLeadAutomation } from '../../../core/index';
import { leadIdField, workflowIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	leadIdField('The ID of the lead a person takes over, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	workflowIdField('The workflow the lead is in.', true),
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, stopLeadAutomation, { leadId: input.lead_id, workflowId: input.workflow_id });
}

export default defineCreate({
	key: 'stop_ai_automation',
	noun: 'Automation',
	display: {
		label: 'Stop AI Automation',
		description:
			"Stops the AI for a lead so a person can take over: the AI stops replying, the cadence pauses and pending tasks are cancelled. A lead that is already stopped is a success (Already Stopped is true).",
	},
	operation: {
		inputFields,
		perform,
		sample: {
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			workflow_id: 'c0000000-0000-4000-8000-000000000001',
			workflow_run_id: '550e8400-e29b-41d4-a716-446655440000',
			cadence_paused: true,
			tasks_cancelled: 2,
			already_stopped: false,
		},
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'workflow_id', label: 'Workflow ID', type: 'string' },
			{ key: 'workflow_run_id', label: 'Workflow Run ID', type: 'string' },
			{ key: 'cadence_paused', label: 'Cadence Paused', type: 'boolean' },
			{ key: 'tasks_cancelled', label: 'Tasks Cancelled', type: 'integer' },
			{ key: 'already_stopped', label: 'Already Stopped', type: 'boolean' },
		],
	},
});
