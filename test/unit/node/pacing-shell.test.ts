/**
 * The node shell follows the rate gate: a 429 pauses every worker, the restart is spread, and a
 * 429 for a request that left before the gate slowed down doesn't use up the item's tries.
 * Jest's fake timers drive n8n-workflow's `sleep` and `Date.now`, so the clock is virtual: the
 * assertions are on virtual milliseconds and nothing waits for real time.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { Nexor } from '../../../nodes/Nexor/Nexor.node';
import { RETRY_POLICY } from '../../../core';
import { sharedGates } from '../../../nodes/Nexor/shared/gates';

const leadOf = (i: number) => `123e4567-e89b-12d3-a456-${String(i).padStart(12, '0')}`;
const TOKEN = ['nxr', 'live', 'unit', 'token', 'value'].join('_');
const LATENCY = 50;

type Reply = { statusCode: number; headers?: IDataObject; body?: unknown };

/** A context whose HTTP answers come LATENCY virtual ms after the request. */
function harness(
	count: number,
	reply: (call: number, options: IHttpRequestOptions) => Reply,
	options: IDataObject = {},
) {
	const calls: Array<{ at: number; company: string; status: number }> = [];
	// One lead per item: items for one lead run one after another, and this is about leads side by side.
	const items = Array.from({ length: count }, (_, i) => ({ leadId: leadOf(i), updateFields: { company: `C${i}` } }));
	const context = {
		getInputData: () => items.map((json) => ({ json })),
		getNode: () => ({ id: 'n', name: 'Nexor', type: 'n8n-nodes-nexor.nexor', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => ({ apiKey: TOKEN, baseUrl: 'http://127.0.0.1:9/api/public' }),
		continueOnFail: () => true,
		getNodeParameter: (name: string, index: number, fallback?: unknown) => {
			if (name === 'options') return options;
			const item = items[index] as IDataObject;
			return name in item ? item[name] : fallback;
		},
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, request: IHttpRequestOptions) => {
				const call = calls.length + 1;
				const answer = reply(call, request);
				calls.push({ at: Date.now(), company: String((request.body as IDataObject).company), status: answer.statusCode });
				await sleep(LATENCY);
				const id = String(request.url).split('/').pop();
				const body = answer.body ?? { success: true, lead: { id, ...(request.body as IDataObject) } };
				return { headers: {}, ...answer, body };
			},
		},
	};
	const run = async (): Promise<INodeExecutionData[]> => {
		let result: INodeExecutionData[][] | undefined;
		let failure: unknown;
		const done = new Nexor()
			.execute.call(context as unknown as IExecuteFunctions)
			.then((r) => (result = r), (e) => (failure = e));
		// Advance the virtual clock until the node is done (bounded: 10 virtual minutes).
		for (let step = 0; step < 6000 && result === undefined && failure === undefined; step++) {
			await jest.advanceTimersByTimeAsync(100);
		}
		await done;
		if (failure) throw failure;
		if (!result) throw new Error('the node did not finish within 10 virtual minutes');
		return result[0];
	};
	return { run, calls };
}

beforeEach(() => {
	jest.useFakeTimers({ now: 1_000_000 });
	// The node's gates live for the process (one per account): each test starts with none.
	sharedGates.clear();
});
afterEach(() => {
	jest.useRealTimers();
});

describe('Nexor node shell, pacing', () => {
	it('a 429 with Retry-After pauses every worker, then the restart is spread out', async () => {
		const start = 1_000_000;
		// The 3rd request is refused with Retry-After: 2; everything else goes through.
		const { run, calls } = harness(12, (call) =>
			call === 3 ? { statusCode: 429, headers: { 'retry-after': '2' } } : { statusCode: 200 },
			{ concurrency: 4 },
		);
		const out = await run();
		expect(out.map((item) => item.json.company)).toEqual(Array.from({ length: 12 }, (_, i) => `C${i}`));
		// The 429 arrived at start + LATENCY: nothing at all is sent from then until the pause ends…
		const refusedAt = start + LATENCY;
		const resumeAt = refusedAt + 2000;
		expect(calls.filter((c) => c.at > refusedAt && c.at < resumeAt)).toEqual([]);
		// …and after it the workers don't all go in the same instant.
		const restart = calls.filter((c) => c.at >= resumeAt).map((c) => c.at);
		expect(restart.length).toBeGreaterThan(4);
		expect(new Set(restart.slice(0, 4)).size).toBe(4);
	});

	it('a 429 for a request already in flight when the gate slowed down does not use up one of its tries', async () => {
		// Opening burst of 5: every request is refused; C0's answer comes first and teaches the gate,
		// the other four were already on their way. C1 is then refused 4 more times, at the gate's
		// pace, and goes through on its 6th request: only because the first refusal was not counted
		// can it still use all RETRY_POLICY.maxAttempts counted tries.
		const tries = new Map<string, number>();
		const { run, calls } = harness(
			5,
			(_call, request) => {
				const company = String((request.body as IDataObject).company);
				const n = (tries.get(company) ?? 0) + 1;
				tries.set(company, n);
				const refusals = company === 'C1' ? RETRY_POLICY.maxAttempts : 1;
				return n <= refusals ? { statusCode: 429, headers: { 'retry-after': '0' } } : { statusCode: 200 };
			},
			{ concurrency: 5 },
		);
		const out = await run();
		expect(out.map((item) => item.json.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
		expect(tries.get('C1')).toBe(RETRY_POLICY.maxAttempts + 1);
		expect(calls.filter((c) => c.status === 429)).toHaveLength(5 + RETRY_POLICY.maxAttempts - 1);
	});

	it('still gives up after a bounded number of tries when Nexor keeps refusing', async () => {
		const { run, calls } = harness(2, () => ({ statusCode: 429, headers: { 'retry-after': '1' } }), { concurrency: 2 });
		const out = await run();
		expect(out.map((item) => (item.json.error as IDataObject | undefined)?.httpCode)).toEqual(['429', '429']);
		expect(calls.length).toBeLessThanOrEqual(2 * (RETRY_POLICY.maxAttempts + 10));
	});
});
