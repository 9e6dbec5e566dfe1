import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DeliveryOptions, REMEMBERED_EVENTS, WEBHOOK_EVENTS, judgeDelivery } from '../../core';

/** Event IDs this process started a workflow for, per workflow and node (see webhook()). */
const inFlight = new Map<string, string[]>();

/** A JSON body n8n left as text (a sender without Content-Type: application/json) is read as JSON. */
function bodyOf(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

const EVENT_LABELS: Record<string, string> = {
	'workflow_run.status_changed': "Lead's Workflow Status Changed",
	'meeting.scheduled': 'Meeting Scheduled',
	'meeting.confirmed': 'Meeting Confirmed',
	'meeting.cancelled': 'Meeting Cancelled',
	'meeting.completed': 'Meeting Completed',
	'meeting.no_show': 'Meeting No-Show',
};

/**
 * Starts a workflow when Nexor delivers a webhook. Nexor has no API to register one, so nothing is
 * registered here (webhookMethods do nothing): the user pastes the Production URL into Nexor. Deliveries are
 * judged by core (webhook-events.ts); the memory of recent event IDs lives in the workflow's static
 * data, which n8n saves with the workflow, so it survives a restart.
 */
export class NexorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexor Trigger',
		name: 'nexorTrigger',
		icon: { light: 'file:../../icons/nexor.svg', dark: 'file:../../icons/nexor.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length ? $parameter["events"].join(", ") : "Every Nexor event" }}',
		description: 'Starts the workflow when Nexor sends an event: a meeting booked, confirmed, cancelled, completed or missed, or a lead moving in a workflow',
		defaults: { name: 'Nexor Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Nexor has no API to register webhooks. Copy the <b>Production URL</b> above into Nexor → Settings → Integrations → Webhooks, then activate this workflow. The Test URL only works while "Listen for test event" is on.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: [],
				description: 'The events that start the workflow. Empty: every event Nexor sends. Deliveries of other events are acknowledged and dropped.',
				options: [...WEBHOOK_EVENTS]
					.map((event) => ({ name: EVENT_LABELS[event], value: event, description: event }))
					.sort((a, b) => a.name.localeCompare(b.name)),
			},
			{
				displayName: 'Ignore Test Deliveries',
				name: 'ignoreTest',
				type: 'boolean',
				default: true,
				description: 'Whether to drop deliveries sent with the Test button in Nexor (test: true)',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'data',
				options: [
					{ name: 'Event Data', value: 'data', description: "The event's data (meeting, lead, statuses…) with event_type, event_id and the request headers beside it" },
					{ name: 'Whole Delivery', value: 'envelope', description: 'Everything Nexor sent (event_type, event_id, delivery_id, timestamp, test, data…) and the request headers' },
				],
			},
			{
				displayName:
					'Each event starts the workflow once: Nexor retries a failed delivery after 1, 5 and 30 minutes with the same event ID, and repeats are dropped (the last 1,000 event IDs are remembered with the workflow). Nexor documents no signature yet, so none is checked; the request headers are in the output for you to check.',
				name: 'repeatNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	/**
	 * Nexor has no API to register, check or remove a webhook (nexor-api.md §11): the user pastes the
	 * Production URL into Nexor. So activation registers nothing and deactivation removes nothing;
	 * the lifecycle methods exist because n8n expects them of a webhook trigger.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options: DeliveryOptions = {
			events: this.getNodeParameter('events', []) as string[],
			// Listening for a test event in the editor, Nexor's Test button must show something.
			ignoreTest: (this.getNodeParameter('ignoreTest', true) as boolean) && this.getMode() !== 'manual',
			output: (this.getNodeParameter('output', 'data') as string) === 'envelope' ? 'envelope' : 'data',
		};
		const key = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
		const memory = this.getWorkflowStaticData('node');
		const stored = Array.isArray(memory.eventIds) ? (memory.eventIds as string[]) : [];
		// Static data reaches the database only when the started execution ends, so a repeat arriving
		// before that (or at the same moment) is caught by this process's own memory, checked and
		// updated without a pause in between.
		const recent = inFlight.get(key) ?? [];
		const verdict = judgeDelivery(bodyOf(this.getBodyData()), this.getHeaderData() as IDataObject, options, [...stored, ...recent.filter((id) => !stored.includes(id))]);
		if (!verdict.start) {
			if (verdict.reason === 'not_an_event') {
				// Not a Nexor event: a 400 shows the sender (and Nexor's delivery log) that it wasn't taken.
				this.getResponseObject().status(400).json({ received: false, reason: 'The body is not a Nexor event (JSON with event_type)' });
				return { noWebhookResponse: true };
			}
			// Acknowledged (2xx) so Nexor doesn't retry a delivery the workflow doesn't want.
			return { webhookResponse: { received: true, started: false, reason: verdict.reason } };
		}
		inFlight.set(key, verdict.remembered.slice(-REMEMBERED_EVENTS));
		memory.eventIds = verdict.remembered;
		return { workflowData: [this.helpers.returnJsonArray([verdict.item as IDataObject])] };
	}
}
