/** Create Lead: Zapier's inputs → core's createLead operation (POST /leads) → runCall. */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { CreateLeadInput, DUPLICATE_HELP, LEAD_FIELDS, createLead } from '../../../core/index';
import {
	CAMPAIGN_DROPDOWN,
	LEAD_OUTPUT_FIELDS,
	LEAD_SAMPLE,
	metadataFields,
	readLeadFields,
	readMetadata,
	workflowIdField,
} from '../fields.cjs';
import { runOperation } from '../transport.cjs';

/** A lead field's help on create: what it is, and that a blank one is simply not sent. */
function createHelp(field: (typeof LEAD_FIELDS)[number]): string {
	if (field.name === 'first_name') return `${field.description} Nexor needs it to create a lead.`;
	if (field.name === 'source') return `${field.description} Blank: Nexor records "api".`;
	return `${field.description} Blank: not sent.`;
}

const inputFields = defineInputFields([
	// Said up front, where nobody misses it: Nexor may update an existing lead instead.
	{ key: 'duplicates', label: 'Duplicates', type: 'copy', helpText: DUPLICATE_HELP },
	...LEAD_FIELDS.map((field) => ({
		key: field.name,
		label: field.label,
		type: 'string' as const,
		required: field.name === 'first_name',
		helpText: createHelp(field),
		placeholder: field.example,
		...(field.name === 'campaign_id' && { dynamic: CAMPAIGN_DROPDOWN }),
	})),
	workflowIdField(
		"The workflow (agent) to enrol the new lead in: its cadence starts right away. Blank: the lead is only created.",
		false,
	),
	...metadataFields,
	{
		key: 'first_message_channel',
		label: 'First Message Channel',
		type: 'string',
		required: false,
		choices: [
			{ value: 'whatsapp', label: 'WhatsApp', sample: 'whatsapp' },
			{ value: 'email', label: 'Email', sample: 'email' },
		],
		helpText:
			"Force First Message: send your own message instead of the workflow's first step (the cadence continues from its second step). Needs a Workflow; WhatsApp needs the lead's Phone, Email needs the lead's Email. Leave the four First Message fields blank to let the workflow start as usual.",
	},
	{
		key: 'first_message_content',
		label: 'First Message Content',
		type: 'text',
		required: false,
		helpText: 'The message: plain text on WhatsApp, HTML for an email.',
	},
	{
		key: 'first_message_subject',
		label: 'First Message Subject',
		type: 'string',
		required: false,
		helpText: 'The email subject (required for an email first message; not used on WhatsApp).',
	},
	{
		key: 'first_message_sender_id',
		label: 'First Message Sender ID',
		type: 'string',
		required: false,
		helpText:
			"Email only: the ID (a UUID) of a verified email sender in Nexor. Blank: the workflow's own sender.",
	},
]);

/** Zapier's inputs in core's shape; blank values are not sent (core's rule), so no cleaning is needed here. */
function readInputs(input: Record<string, unknown>): CreateLeadInput {
	return {
		fields: readLeadFields(input),
		metadata: readMetadata(input.metadata),
		metadataNumberKeys: input.metadata_number_keys,
		metadataBooleanKeys: input.metadata_boolean_keys,
		workflowId: input.workflow_id,
		firstMessage: {
			channel: input.first_message_channel,
			content: input.first_message_content,
			subject: input.first_message_subject,
			senderId: input.first_message_sender_id,
		},
	};
}

async function perform(z: ZObject, bundle: Bundle) {
	return await runOperation(z, bundle, createLead, readInputs(bundle.inputData ?? {}));
}

export default defineCreate({
	key: 'create_lead',
	noun: 'Lead',
	display: {
		label: 'Create Lead',
		description:
			'Creates a lead, optionally enrolling it in a workflow. A lead with the same email (or phone) is updated instead.',
	},
	operation: {
		inputFields,
		perform,
		sample: {
			...LEAD_SAMPLE,
			workflow_run: {
				id: '550e8400-e29b-41d4-a716-446655440000',
				job_id: 'job-123',
				workflow: { id: 'c0000000-0000-4000-8000-000000000001', name: 'Sales Outreach' },
			},
		},
		outputFields: [
			...LEAD_OUTPUT_FIELDS,
			{ key: 'workflow_run__id', label: 'Workflow Run ID', type: 'string' },
			{ key: 'workflow_run__workflow__id', label: 'Workflow ID', type: 'string' },
			{ key: 'workflow_run__workflow__name', label: 'Workflow Name', type: 'string' },
		],
	},
});
