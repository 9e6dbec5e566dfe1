/** The New Conversion trigger's checkpoint and the Nexor Trigger's delivery judgement (core only). */
import { REMEMBERED_EVENTS, conversionPollCall, judgeDelivery, newConversions } from '../../../core';

const at = (n: number) => new Date(Date.UTC(2026, 1, 10, 12, 0, n)).toISOString();
const event = (id: string, second: number) => ({ id, created_at: at(second), amount: 1 });

describe('new conversions across polls', () => {
	it('the first poll hands on nothing and starts from the newest; later polls hand on each new one once, oldest first', () => {
		let state = newConversions([event('b', 2), event('a', 1)], {}).checkpoint;
		expect(state).toEqual({ newest: at(2), ids: ['b'] });
		const second = newConversions([event('d', 4), event('c', 3), event('b', 2), event('a', 1)], state);
		expect(second.emit.map((e) => e.id)).toEqual(['c', 'd']);
		state = second.checkpoint;
		// Nothing new: nothing handed on, the checkpoint stays.
		expect(newConversions([event('d', 4), event('c', 3)], state)).toEqual({ emit: [], checkpoint: state });
	});

	it('conversions sharing a timestamp are each handed on once, even across polls', () => {
		const first = newConversions([event('x', 5)], { newest: at(4), ids: ['d'] });
		expect(first.emit.map((e) => e.id)).toEqual(['x']);
		const second = newConversions([event('y', 5), event('x', 5)], first.checkpoint);
		expect(second.emit.map((e) => e.id)).toEqual(['y']);
		expect(second.checkpoint).toEqual({ newest: at(5), ids: ['x', 'y'] });
	});

	it('a conversion repeated by a shifting page is handed on once', () => {
		const result = newConversions([event('c', 3), event('c', 3), event('b', 2)], { newest: at(1), ids: ['a'] });
		expect(result.emit.map((e) => e.id)).toEqual(['b', 'c']);
	});

	it('a manual test run hands on the newest and keeps the checkpoint', () => {
		const state = { newest: at(1), ids: ['a'] };
		expect(newConversions([event('c', 3), event('b', 2)], state, 'manual')).toEqual({ emit: [event('c', 3)], checkpoint: state });
	});

	it('pages on only while a whole page is new, and never on the first poll', () => {
		const full = (from: number) => Array.from({ length: 50 }, (_, i) => event(`e${from + i}`, 1000 - from - i));
		const call = conversionPollCall({ newest: at(0), ids: ['old'] });
		expect(call.request.query).toEqual({ limit: '50', offset: '0' });
		expect(call.nextRequest?.(full(0), [full(0)], call.request)?.query).toEqual({ limit: '50', offset: '50' });
		const mixed = [...full(0).slice(0, 49), event('old', 0)];
		expect(call.nextRequest?.(mixed, [mixed], call.request)).toBeUndefined();
		const first = conversionPollCall({});
		expect(first.nextRequest?.(full(0), [full(0)], first.request)).toBeUndefined();
	});
});

describe('webhook deliveries', () => {
	const envelope = (over: Record<string, unknown> = {}) => ({
		event_type: 'meeting.no_show',
		event_id: 'ev-1',
		webhook_id: 'wh',
		delivery_id: 'd-1',
		timestamp: '2026-04-17T16:30:00.000Z',
		client_id: 'c',
		test: false,
		data: { meeting: { id: 'm' }, lead: { id: 'l' } },
		...over,
	});
	const options = { events: ['meeting.no_show'], ignoreTest: true, output: 'data' as const };

	it('starts once per event_id, drops other events and test deliveries, and passes the headers through', () => {
		const first = judgeDelivery(envelope(), { 'Content-Type': 'application/json', Cookie: 'x' }, options, []);
		expect(first).toMatchObject({ start: true, item: { event_type: 'meeting.no_show', event_id: 'ev-1', meeting: { id: 'm' }, headers: { 'content-type': 'application/json' } } });
		expect(JSON.stringify(first)).not.toContain('cookie');
		const retry = judgeDelivery(envelope({ delivery_id: 'd-2' }), {}, options, first.remembered);
		expect(retry).toMatchObject({ start: false, reason: 'repeated_event' });
		expect(judgeDelivery(envelope({ event_type: 'meeting.scheduled', event_id: 'ev-2' }), {}, options, []).start).toBe(false);
		expect(judgeDelivery(envelope({ test: true }), {}, options, [])).toMatchObject({ start: false, reason: 'test_delivery' });
		expect(judgeDelivery(envelope({ test: true }), {}, { ...options, ignoreTest: false }, []).start).toBe(true);
		expect(judgeDelivery('not json', {}, options, [])).toMatchObject({ start: false, reason: 'not_an_event' });
	});

	it('outputs the whole envelope when asked, and every documented event when none is chosen', () => {
		const verdict = judgeDelivery(envelope({ event_type: 'workflow_run.status_changed' }), {}, { events: [], ignoreTest: true, output: 'envelope' }, []);
		expect(verdict).toMatchObject({ start: true, item: { event_type: 'workflow_run.status_changed', delivery_id: 'd-1', data: { lead: { id: 'l' } } } });
	});

	it('remembers a bounded number of event IDs, dropping the oldest', () => {
		let remembered: string[] = [];
		for (let i = 0; i <= REMEMBERED_EVENTS; i++) remembered = judgeDelivery(envelope({ event_id: `ev-${i}` }), {}, options, remembered).remembered;
		expect(remembered).toHaveLength(REMEMBERED_EVENTS);
		expect(remembered).not.toContain('ev-0');
		expect(judgeDelivery(envelope({ event_id: 'ev-0' }), {}, options, remembered).start).toBe(true);
	});
});

describe('review fixes', () => {
	it('a first poll that finds nothing starts from the beginning, so the first conversion ever is handed on', () => {
		const first = newConversions([], {});
		expect(first.emit).toEqual([]);
		expect(newConversions([event('a', 1)], first.checkpoint).emit.map((e) => e.id)).toEqual(['a']);
	});

	it('a conversion without a readable created_at fails the poll instead of going silent', () => {
		const call = conversionPollCall({ newest: at(0), ids: [] });
		expect(() => call.read({ status: 200, body: { success: true, conversion_events: [{ id: 'x', created_at: 1707566400 }] } })).toThrow(/created_at/);
	});

	it('with no event chosen, an event Nexor hasn’t documented yet still starts the workflow; credentials in headers are dropped', () => {
		const verdict = judgeDelivery(
			{ event_type: 'conversion.detected', event_id: 'e', data: { event_type: 'spoof' } },
			{ 'X-Api-Key': 'k', 'Proxy-Authorization': 'p', 'user-agent': 'Nexor' },
			{ events: [], ignoreTest: true, output: 'data' },
			[],
		);
		expect(verdict).toMatchObject({ start: true, item: { event_type: 'conversion.detected', headers: { 'user-agent': 'Nexor' } } });
		expect(JSON.stringify(verdict)).not.toMatch(/x-api-key|proxy-authorization/);
	});
});

describe('meeting times without an offset', () => {
	const { logMeeting } = jest.requireActual('../../../core') as typeof import('../../../core');
	const body = (input: Record<string, unknown>) =>
		logMeeting.prepare({ leadEmail: 'a@b.co', title: 'Demo', durationMinutes: 30, defaultTimezone: 'America/Santiago', ...input } as never).request.body as Record<string, unknown>;
	it('are read in the platform’s time zone when Timezone is blank, and left alone otherwise', () => {
		expect(body({ startsAt: '2026-02-10T15:00:00' }).timezone).toBe('America/Santiago');
		expect(body({ startsAt: '2026-02-10T15:00:00Z' }).timezone).toBeUndefined();
		expect(body({ startsAt: '2026-02-10T15:00:00', timezone: 'Europe/Madrid' }).timezone).toBe('Europe/Madrid');
	});
});

describe('strict numbers and dates', () => {
	const core = jest.requireActual('../../../core') as typeof import('../../../core');
	const name = { field: 'x', label: 'X' };
	it('whole numbers are digits only; dates are real days', () => {
		expect(() => core.wholeNumber('0x1E', name, { min: 1, max: 100 }, 1)).toThrow(core.NexorInputError);
		expect(() => core.wholeNumber('1e1', name, { min: 1, max: 100 }, 1)).toThrow(core.NexorInputError);
		expect(core.wholeNumber(' 30 ', name, { min: 1, max: 100 }, 1)).toBe(30);
		expect(() => core.optionalIsoDate('2026-02-30T15:00:00Z', name)).toThrow(core.NexorInputError);
		expect(core.optionalIsoDate('2026-02-28 15:00:00', name)).toBe('2026-02-28T15:00:00');
	});
});
