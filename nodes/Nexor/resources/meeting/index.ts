/** The Meeting resource: log a meeting booked elsewhere, cancel a meeting (nexor-api.md §10). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CancelMeetingInput, LogMeetingInput, OPERATIONS } from '../../../../core';
import type { NodeOperation } from '../../shared/execute';
import { LOCATOR_VALUE, leadLocator } from '../../shared/locators';

const log = { show: { resource: ['meeting'], operation: ['log'] } };
const cancel = { show: { resource: ['meeting'], operation: ['cancel'] } };

const logDescription: INodeProperties[] = [
	{
		displayName: 'Find Lead By',
		name: 'leadBy',
		type: 'options',
		default: 'email',
		options: [
			{ name: 'Email', value: 'email', description: 'Nexor finds the lead by email (the most recently updated one if several share it)' },
			{ name: 'ID', value: 'id' },
		],
		displayOptions: log,
	},
	{
		displayName: 'Lead Email',
		name: 'leadEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The lead\'s email. No lead with it: the item fails (create the lead first).',
		displayOptions: { show: { ...log.show, leadBy: ['email'] } },
	},
	leadLocator({ show: { ...log.show, leadBy: ['id'] } }, 'The lead the meeting is with'),
	{ displayName: 'Title', name: 'title', type: 'string', required: true, default: '', placeholder: 'e.g. Demo call', displayOptions: log },
	{
		displayName: 'Starts At',
		name: 'startsAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'When it starts. Without a UTC offset it is read in Timezone.',
		displayOptions: log,
	},
	{
		displayName: 'Duration (Minutes)',
		name: 'durationMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1440 },
		default: 30,
		description: 'How long it lasts; ignored when Ends At is given',
		displayOptions: log,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: log,
		options: [
			{ displayName: 'Attendee Email', name: 'attendeeEmail', type: 'string', placeholder: 'name@email.com', default: '', description: "Empty: the lead's" },
			{ displayName: 'Attendee Name', name: 'attendeeName', type: 'string', default: '', description: "Empty: the lead's" },
			{ displayName: 'Attendee Phone', name: 'attendeePhone', type: 'string', default: '', description: "Empty: the lead's" },
			{
				displayName: 'Calendar Provider',
				name: 'provider',
				type: 'string',
				default: '',
				placeholder: 'e.g. calendly',
				description: 'Where it was booked (ghl, google, calendly…). Set it with External Event ID so running this again updates the same meeting instead of logging it twice.',
			},
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Ends At', name: 'endsAt', type: 'dateTime', default: '', description: 'When it ends (instead of Duration)' },
			{
				displayName: 'External Event ID',
				name: 'externalEventId',
				type: 'string',
				default: '',
				description: "The event's ID at the Calendar Provider. With it, a replay updates the meeting instead of adding a second one.",
			},
			{ displayName: 'Host Email', name: 'hostEmail', type: 'string', placeholder: 'name@email.com', default: '', description: 'An active Nexor user who hosts it' },
			{ displayName: 'Location Details', name: 'locationDetails', type: 'string', default: '' },
			{
				displayName: 'Location Type',
				name: 'locationType',
				type: 'options',
				default: 'video',
				options: [
					{ name: 'In Person', value: 'in_person' },
					{ name: 'Phone', value: 'phone' },
					{ name: 'Video', value: 'video' },
				],
			},
			{ displayName: 'Meeting URL', name: 'meetingUrl', type: 'string', default: '', placeholder: 'e.g. https://meet.example.com/abc' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'scheduled',
				options: [
					{ name: 'Confirmed', value: 'confirmed' },
					{ name: 'Scheduled', value: 'scheduled' },
				],
			},
			{
				displayName: 'Timezone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'e.g. America/Santiago',
				description: "IANA time zone in which times without a UTC offset are read. Empty: the workflow's time zone (for such times).",
			},
		],
	},
];

const cancelDescription: INodeProperties[] = [
	{
		displayName: 'Meeting ID',
		name: 'meetingId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
		description: "The meeting to cancel (from Log Meeting, Get Meetings or a meeting event). Reminders stop and the host and lead are told. Cancelling twice is a success (already_cancelled is true); a meeting managed by an outside calendar is skipped (skipped is true).",
		displayOptions: cancel,
	},
	{ displayName: 'Reason', name: 'reason', type: 'string', default: '', placeholder: 'e.g. Lead asked to move it', displayOptions: cancel },
];

const ops = OPERATIONS.meeting;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const meetingOperations: Record<string, NodeOperation<any, any>> = {
	log: {
		core: ops.log,
		description: logDescription,
		readInput: (context: IExecuteFunctions, i: number): LogMeetingInput => {
			const leadBy = context.getNodeParameter('leadBy', i, 'email');
			const more = context.getNodeParameter('additionalFields', i, {}) as IDataObject;
			return {
				leadBy,
				...(leadBy === 'id'
					? { leadId: context.getNodeParameter('leadId', i, '', LOCATOR_VALUE) }
					: { leadEmail: context.getNodeParameter('leadEmail', i, '') }),
				title: context.getNodeParameter('title', i, ''),
				// n8n's date picker gives local times without an offset: they mean the workflow's zone.
				defaultTimezone: context.getTimezone(),
				startsAt: context.getNodeParameter('startsAt', i, ''),
				// Ends At wins: the duration is sent only without it.
				...(more.endsAt ? {} : { durationMinutes: context.getNodeParameter('durationMinutes', i, 30) }),
				...more,
			};
		},
		leadIdOf: (input: LogMeetingInput) => input.leadId ?? input.leadEmail,
	},
	cancel: {
		core: ops.cancel,
		description: cancelDescription,
		readInput: (context: IExecuteFunctions, i: number): CancelMeetingInput => ({
			meetingId: context.getNodeParameter('meetingId', i, ''),
			reason: context.getNodeParameter('reason', i, ''),
		}),
	},
};

export const meetingOperationDescription: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['meeting'] } },
	options: [
		{ name: 'Cancel', value: 'cancel', action: 'Cancel a meeting', description: 'Cancel a meeting; the host and the lead are told' },
		{ name: 'Log', value: 'log', action: 'Log a meeting', description: 'Log a meeting booked elsewhere (a calendar, a rep) for a lead' },
	],
	default: 'log',
};
