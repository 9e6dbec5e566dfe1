/** The Message resource: send a WhatsApp message or an email, or start an AI call (nexor-api.md §9). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { OPERATIONS, SendMessageInput } from '../../../../core';
import type { NodeOperation } from '../../shared/execute';
import { LOCATOR_VALUE, leadLocator, workflowLocator } from '../../shared/locators';

const send = { show: { resource: ['message'], operation: ['send'] } };
const on = (...channel: string[]) => ({ show: { ...send.show, channel } });

const sendDescription: INodeProperties[] = [
	{
		displayName: 'This sends a real message to the lead (or calls them) as soon as the node runs',
		name: 'realMessageNotice',
		type: 'notice',
		default: '',
		displayOptions: send,
	},
	leadLocator(send, 'The lead to message. WhatsApp and calls need the lead\'s phone; email needs their email.'),
	workflowLocator(send, "The workflow whose WhatsApp number, email sender or voice agent is used", true),
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		default: 'whatsapp',
		options: [
			{ name: 'AI Call', value: 'call', description: "Nexor's voice agent calls the lead" },
			{ name: 'Email', value: 'email' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		displayOptions: send,
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. Hola Carlos, ¿seguimos mañana?',
		description:
			'Plain text (use line breaks freely). WhatsApp free text works only within 24 hours of the lead\'s last message: outside that window, send a template instead.',
		displayOptions: on('whatsapp', 'email'),
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 123e4567-e89b-12d3-a456-426614174010',
		description: 'An approved WhatsApp template, for outside the 24-hour window',
		displayOptions: on('whatsapp'),
	},
	{
		displayName: 'Template Components',
		name: 'components',
		type: 'json',
		default: '',
		description: 'The template\'s parameters as a JSON list in Meta\'s format, such as [{"type":"body","parameters":[{"type":"text","text":"Carlos"}]}]',
		displayOptions: on('whatsapp'),
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		placeholder: 'e.g. Your quote',
		description: 'Empty: "Message from your advisor"',
		displayOptions: on('email'),
	},
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'An HTML body, sent as it is (not escaped)',
		displayOptions: on('email'),
	},
	{
		displayName: 'Opening Line',
		name: 'beginMessage',
		type: 'string',
		default: '',
		placeholder: 'e.g. Hola Carlos, te llamo de Nexor',
		description: 'What the voice agent says first. Empty: the workflow\'s own opening.',
		displayOptions: on('call'),
	},
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const messageOperations: Record<string, NodeOperation<any, any>> = {
	send: {
		core: OPERATIONS.message.send,
		description: sendDescription,
		readInput: (context: IExecuteFunctions, i: number): SendMessageInput => {
			const channel = context.getNodeParameter('channel', i, 'whatsapp');
			// Which inputs apply follows the channel as core will read it (an expression may give "WhatsApp").
			const which = typeof channel === 'string' ? channel.trim().toLowerCase() : '';
			const read = (name: string) => context.getNodeParameter(name, i, '') as IDataObject[keyof IDataObject];
			return {
				leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE),
				workflowId: context.getNodeParameter('workflowId', i, '', LOCATOR_VALUE),
				channel,
				...(which !== 'call' && { content: read('content') }),
				...(which === 'whatsapp' && { templateId: read('templateId'), components: read('components') }),
				...(which === 'email' && { subject: read('subject'), html: read('html') }),
				...(which === 'call' && { beginMessage: read('beginMessage') }),
			};
		},
		leadIdOf: (input: SendMessageInput) => input.leadId,
	},
};

export const messageOperationDescription: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{ name: 'Send', value: 'send', action: 'Send a message', description: 'Send a real WhatsApp message or email to a lead, or start an AI call' },
	],
	default: 'send',
};
