/**
 * The Nexor Trigger's logic: which webhook deliveries start a workflow. Nexor has no API to register
 * a webhook (the user pastes the URL into Nexor → Settings → Integrations → Webhooks), retries a
 * failed delivery after 1, 5 and 30 minutes with the same `event_id`, and documents no signature
 * scheme: so a delivery is acknowledged at once, filtered by event, test deliveries dropped if asked,
 * and a repeated `event_id` dropped using a bounded memory of recent IDs. Pure: the memory is handed in.
 */
import { isPlainObject } from './values';

export const WEBHOOK_EVENTS = [
	'workflow_run.status_changed',
	'meeting.scheduled',
	'meeting.confirmed',
	'meeting.cancelled',
	'meeting.completed',
	'meeting.no_show',
] as const;

/** How many recent event IDs are remembered: far more than Nexor's retries can repeat. */
export const REMEMBERED_EVENTS = 1000;

export interface DeliveryOptions {
	/** The events that start the workflow; empty: every event. */
	events: readonly string[];
	ignoreTest: boolean;
	/** 'data': the event's data with event_type/event_id beside it; 'envelope': everything Nexor sent. */
	output: 'data' | 'envelope';
}

/** Credentials a proxy or a misconfigured sender might add: never copied into the workflow's data. */
const HIDDEN_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization', 'x-api-key']);

export type DeliveryVerdict =
	| { start: true; item: Record<string, unknown>; remembered: string[] }
	| { start: false; reason: 'not_an_event' | 'event_not_chosen' | 'test_delivery' | 'repeated_event'; remembered: string[] };

/**
 * Whether this delivery starts the workflow, what the item is, and the memory of event IDs to keep.
 * `headers` are passed through (lower-cased) so a user can check a signature once Nexor documents one.
 */
export function judgeDelivery(
	body: unknown,
	headers: Record<string, unknown>,
	options: DeliveryOptions,
	remembered: readonly string[],
): DeliveryVerdict {
	const seen = [...remembered];
	if (!isPlainObject(body) || typeof body.event_type !== 'string') return { start: false, reason: 'not_an_event', remembered: seen };
	// None chosen: every event, the undocumented ones too (Nexor may add events before documenting them).
	if (options.events.length > 0 && !options.events.includes(body.event_type)) {
		return { start: false, reason: 'event_not_chosen', remembered: seen };
	}
	if (options.ignoreTest && body.test === true) return { start: false, reason: 'test_delivery', remembered: seen };
	const eventId = typeof body.event_id === 'string' && body.event_id !== '' ? body.event_id : undefined;
	if (eventId !== undefined) {
		if (seen.includes(eventId)) return { start: false, reason: 'repeated_event', remembered: seen };
		seen.push(eventId);
		if (seen.length > REMEMBERED_EVENTS) seen.splice(0, seen.length - REMEMBERED_EVENTS);
	}
	const passed = Object.fromEntries(
		Object.entries(headers)
			.filter(([name]) => !HIDDEN_HEADERS.has(name.toLowerCase()))
			.map(([name, value]) => [name.toLowerCase(), value]),
	);
	const item =
		options.output === 'envelope'
			? { ...body, headers: passed }
			: {
					...(isPlainObject(body.data) ? body.data : { data: body.data ?? null }),
					// After the data: a key of the same name inside it can't hide what Nexor sent.
					event_type: body.event_type,
					event_id: eventId ?? null,
					headers: passed,
				};
	return { start: true, item, remembered: seen };
}
