/** Lead → Create: one lead per item (`POST /leads`), optionally enrolled in a workflow. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CreateLeadInput, DUPLICATE_HELP, HELP, LEAD_FIELDS } from '../../../../core';
import { LOCATOR_VALUE, locator, workflowLocator } from '../../shared/locators';
import { metadataParameters, readMetadata } from './metadata';

const showFor = { show: { resource: ['lead'], operation: ['create'] } };

const firstNameHelp = `The lead's first name; Nexor requires it. ${DUPLICATE_HELP}`;
const fieldsHelp = `More of the lead's fields. ${HELP.blank.replace('keeps the current value', 'is not sent')} ${HELP.dates}`;

const additionalFieldOptions: INodeProperties[] = LEAD_FIELDS.filter((f) => f.name !== 'first_name' && f.name !== 'campaign_id')
	.sort((a, b) => a.label.localeCompare(b.label))
	.map((field) => ({
		displayName: field.label,
		name: field.name,
		type: 'string',
		default: '',
		placeholder: field.format === 'email' ? 'name@email.com' : `e.g. ${field.example}`,
		description: field.description,
	}));

export const leadCreateDescription: INodeProperties[] = [
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Carlos',
		description: firstNameHelp,
		displayOptions: showFor,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: fieldsHelp,
		displayOptions: showFor,
		options: additionalFieldOptions,
	},
	workflowLocator(
		showFor,
		"The workflow to enrol the new lead in: its outreach cadence starts at once. Leave empty to only create the lead.",
	),
	locator({
		name: 'campaignId',
		displayName: 'Campaign',
		what: 'campaign',
		searchListMethod: 'searchCampaigns',
		description: 'The campaign to tag the lead with. Leave empty for none.',
		displayOptions: showFor,
	}),
	{
		displayName: 'Force First Message',
		name: 'firstMessage',
		type: 'collection',
		placeholder: 'Add Message Field',
		default: {},
		description:
			"Replaces the workflow's first outreach with this message (the cadence continues from the second step). Needs a Workflow. This sends a real message to the lead.",
		displayOptions: showFor,
		options: [
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'options',
				default: 'whatsapp',
				options: [
					{ name: 'Email', value: 'email' },
					{ name: 'WhatsApp', value: 'whatsapp' },
				],
				description: 'How the first message is sent. Email needs the lead\'s Email and a Subject.',
			},
			{
				displayName: 'Content',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: 'e.g. Hi Carlos, thanks for your interest!',
				description: 'The message: plain text on WhatsApp, HTML for email',
			},
			{
				displayName: 'Sender ID',
				name: 'senderId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 123e4567-e89b-12d3-a456-426614174002',
				description: "Email only: a verified sender's ID. Empty: the workflow's sender.",
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				placeholder: 'e.g. Your quote',
				description: 'Email only: the subject line',
			},
		],
	},
	...metadataParameters(['create']),
];

export function readLeadCreateInput(context: IExecuteFunctions, itemIndex: number): CreateLeadInput {
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return {
		fields: {
			first_name: context.getNodeParameter('firstName', itemIndex, ''),
			...additional,
			campaign_id: context.getNodeParameter('campaignId', itemIndex, '', LOCATOR_VALUE),
		},
		workflowId: context.getNodeParameter('workflowId', itemIndex, '', LOCATOR_VALUE),
		firstMessage: context.getNodeParameter('firstMessage', itemIndex, {}) as IDataObject,
		metadata: readMetadata(context, itemIndex),
	};
}
