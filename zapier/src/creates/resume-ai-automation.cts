/** Resume AI Automation: core's resumeLeadAutomation operation (POST /leads/{id}/automation/resume). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { resumeLeadAutomation } from '../../../core/index';
import { leadIdField, workflowIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	leadIdField('The ID of the lead to hand back to the AI, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	workflowIdField('The workflow the lead is in.', true),
	{
		key: 'resume_cadence',
		label: 'Resume Cadence',
		type: 'boolean',
		required: false,
		default: 'false',
		helpText: "No (default): only the AI replies again. Yes: the workflow's cadence (its scheduled outreach) restarts too.",
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, resumeLeadAutomation, {
		leadId: input.lead_id,
		workflowId: input.workflow_id,
		resumeCadence: input.resume_cadence,
	});
}

export default defineCreate({
	key: 'resume_ai_automation',
	noun: 'Automation',
	display: {
		label: 'Resume AI Automation',
		description:
			'Hands a lead back to the AI after a person took over. A lead whose AI is already running is a success (Already Running is true).',
	},
	operation: {
		inputFields,
		perform,
		sample: {
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			workflow_id: 'c0000000-0000-4000-8000-000000000001',
			workflow_run_id: '550e8400-e29b-41d4-a716-446655440000',
			cadence_resumed: false,
			already_running: false,
		},
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'workflow_id', label: 'Workflow ID', type: 'string' },
			{ key: 'workflow_run_id', label: 'Workflow Run ID', type: 'string' },
			{ key: 'cadence_resumed', label: 'Cadence Resumed', type: 'boolean' },
			{ key: 'already_running', label: 'Already Running', type: 'boolean' },
		],
	},
});
