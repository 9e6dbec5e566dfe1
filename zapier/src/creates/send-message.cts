/** Send Message: core's sendMessage operation (POST /messages): WhatsApp, email or an AI call to the lead. */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { sendMessage } from '../../../core/index';
import { leadIdField, workflowIdField } from '../fields.cjs';
import { runOperation } from '../transport.cjs';

/** Said first, where nobody misses it. */
export const REAL_MESSAGE_HELP =
	"**This sends a real message to the lead** (or starts a real AI phone call) as soon as the step runs, also when you test the step. Free-text WhatsApp works only within 24 hours of the lead's last message to you: outside that window, send a WhatsApp template (Template ID). WhatsApp and calls need the lead's phone, email needs the lead's email.";

const inputFields = defineInputFields([
	{ key: 'real_message', label: 'Real Message', type: 'copy', helpText: REAL_MESSAGE_HELP },
	leadIdField('The lead to message, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	workflowIdField('The workflow (agent) whose WhatsApp number, email sender or voice agent sends it.', true),
	{
		key: 'channel',
		label: 'Channel',
		type: 'string',
		required: true,
		choices: [
			{ value: 'whatsapp', label: 'WhatsApp', sample: 'whatsapp' },
			{ value: 'email', label: 'Email', sample: 'email' },
			{ value: 'call', label: 'AI Phone Call', sample: 'call' },
		],
		helpText: 'WhatsApp (Content or a template), Email (Content or HTML, and a Subject) or an AI phone call (Opening Line).',
	},
	{
		key: 'content',
		label: 'Content',
		type: 'text',
		required: false,
		helpText:
			"WhatsApp and email: the message as plain text (line breaks are kept). On WhatsApp it only reaches the lead within 24 hours of the lead's last message: use Template ID outside that window. Not used for calls.",
	},
	{
		key: 'subject',
		label: 'Subject',
		type: 'string',
		required: false,
		helpText: 'Email only: the subject line. Blank: Nexor\'s default ("Message from your advisor").',
	},
	{
		key: 'html',
		label: 'HTML',
		type: 'text',
		required: false,
		helpText: 'Email only: the body as HTML, sent as is. An email needs Content or HTML.',
	},
	{
		key: 'template_id',
		label: 'Template ID',
		type: 'string',
		required: false,
		helpText:
			"WhatsApp only: the ID (a UUID) of an approved WhatsApp template, the way to reach a lead outside the 24-hour window. A WhatsApp message needs Content or a Template ID.",
	},
	{
		key: 'components',
		label: 'Template Components',
		type: 'code',
		required: false,
		placeholder: '[{"type":"body","parameters":[{"type":"text","text":"Carlos"}]}]',
		helpText:
			"WhatsApp templates only: the template's parameters as a JSON list in Meta's format, such as `[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Carlos\"}]}]`. Blank: not sent.",
	},
	{
		key: 'begin_message',
		label: 'Opening Line',
		type: 'string',
		required: false,
		helpText: "Calls only: what the AI agent says first, such as \"Hola, soy Sofía de Nexor\". Blank: the agent's own greeting.",
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	return await runOperation(z, bundle, sendMessage, {
		leadId: input.lead_id,
		workflowId: input.workflow_id,
		channel: input.channel,
		content: input.content,
		html: input.html,
		subject: input.subject,
		templateId: input.template_id,
		components: input.components,
		beginMessage: input.begin_message,
	});
}

export default defineCreate({
	key: 'send_message',
	noun: 'Message',
	display: {
		label: 'Send Message',
		description:
			'Sends a real WhatsApp message or email to a lead, or starts an AI phone call, from a workflow. Not retried: a message is never sent twice.',
	},
	operation: {
		inputFields,
		perform,
		sample: {
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			channel: 'whatsapp',
			type: 'text',
			message_id: 'a7c3e9d2-5b1f-4e8a-9c6d-2f4b8a1e3d57',
			provider_message_id: 'wamid.HBgLNTY5ODc2NTQzMjEVAgARGBI',
			activity_id: null,
			call_id: null,
			call_status: null,
		},
		outputFields: [
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'channel', label: 'Channel', type: 'string' },
			{ key: 'type', label: 'WhatsApp Message Type', type: 'string' },
			{ key: 'message_id', label: 'Message ID', type: 'string' },
			{ key: 'provider_message_id', label: 'Provider Message ID', type: 'string' },
			{ key: 'activity_id', label: 'Email Activity ID', type: 'string' },
			{ key: 'call_id', label: 'Call ID', type: 'string' },
			{ key: 'call_status', label: 'Call Status', type: 'string' },
		],
	},
});
