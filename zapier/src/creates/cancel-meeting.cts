/** Cancel Meeting: core's cancelMeeting operation (POST /meetings/{id}/cancel). */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { cancelMeeting } from '../../../core/index';
import { runOperation } from '../transport.cjs';

const inputFields = defineInputFields([
	{
		key: 'meeting_id',
		label: 'Meeting ID',
		type: 'string',
		required: true,
		placeholder: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
		helpText: 'The ID of the Nexor meeting, a UUID: map it from the Log Meeting step or from a Nexor meeting event (Catch Hook: `data.meeting.id`).',
	},
	{
		key: 'reason',
		label: 'Reason',
		type: 'text',
		required: false,
		helpText: 'Why it was cancelled; kept on the meeting.',
	},
]);

async function perform(z: ZObject, bundle: Bundle) {
	const input = bundle.inputData ?? {};
	const result = await runOperation(z, bundle, cancelMeeting, { meetingId: input.meeting_id, reason: input.reason });
	// The same keys every time, so a later step can map Skip Reason even when this run had none.
	return { skip_reason: null, message: null, ...result };
}

export default defineCreate({
	key: 'cancel_meeting',
	noun: 'Meeting',
	display: {
		label: 'Cancel Meeting',
		description:
			'Cancels a meeting in Nexor: its reminders stop, the host and the lead are notified. A meeting already cancelled is a success (Already Cancelled is true).',
	},
	operation: {
		inputFields,
		perform,
		sample: {
			id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
			lead_id: '123e4567-e89b-12d3-a456-426614174000',
			status: 'cancelled',
			cancelled_at: '2026-02-10T14:00:00Z',
			cancellation_reason: 'Lead asked to move it',
			skipped: false,
			already_cancelled: false,
			skip_reason: null,
			message: null,
		},
		outputFields: [
			{ key: 'id', label: 'Meeting ID', type: 'string' },
			{ key: 'lead_id', label: 'Lead ID', type: 'string' },
			{ key: 'status', label: 'Status', type: 'string' },
			{ key: 'cancelled_at', label: 'Cancelled At', type: 'datetime' },
			{ key: 'cancellation_reason', label: 'Cancellation Reason', type: 'string' },
			{ key: 'skipped', label: 'Skipped', type: 'boolean' },
			{ key: 'already_cancelled', label: 'Already Cancelled', type: 'boolean' },
			{ key: 'skip_reason', label: 'Skip Reason', type: 'string' },
			{ key: 'message', label: 'Message', type: 'string' },
		],
	},
});
