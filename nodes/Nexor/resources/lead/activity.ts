/** Lead → Get History, Get Meetings: one output item per history entry or meeting. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { LeadIdInput, LeadMeetingsInput, MEETING_STATUSES } from '../../../../core';
import { LOCATOR_VALUE, leadLocator } from '../../shared/locators';

const show = (operation: string) => ({ show: { resource: ['lead'], operation: [operation] } });
const label = (status: string) => status.replace('_', ' ').replace(/^./, (c) => c.toUpperCase());

export const leadGetHistoryDescription: INodeProperties[] = [
	leadLocator(show('getHistory'), "The lead whose timeline (messages, calls, activities) to get: one item per entry"),
];

export function readLeadIdInput(context: IExecuteFunctions, i: number): LeadIdInput {
	return { leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE) };
}

export const leadGetMeetingsDescription: INodeProperties[] = [
	leadLocator(show('getMeetings'), "The lead whose meetings to get, newest first: one item per meeting"),
	{
		displayName: 'Meeting Status',
		name: 'statuses',
		type: 'multiOptions',
		default: [],
		description: 'Only meetings in these statuses. Empty: all.',
		options: [...MEETING_STATUSES].sort().map((status) => ({ name: label(status), value: status })),
		displayOptions: show('getMeetings'),
	},
];

export function readLeadMeetingsInput(context: IExecuteFunctions, i: number): LeadMeetingsInput {
	return { leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE), statuses: context.getNodeParameter('statuses', i, []) };
}
