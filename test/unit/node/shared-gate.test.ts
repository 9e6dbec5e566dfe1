/**
 * The node shell shares one rate gate per account across executions in one process
 * (nodes/Nexor/shared/gates.ts): an execution that starts while another one's 429 pause is running
 * waits for it too; another key or another Base URL does not. Jest's fake timers drive n8n-workflow's
 * `sleep` and `Date.now`, so the clock is virtual.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { Nexor } from '../../../nodes/Nexor/Nexor.node';
import { gateFor, sharedGates } from '../../../nodes/Nexor/shared/gates';

const TOKEN = ['nxr', 'live', 'unit', 'token', 'shared'].join('_');
const OTHER_TOKEN = ['nxr', 'live', 'unit', 'token', 'other'].join('_');
const BASE = 'http://127.0.0.1:9/api/public';
const leadOf = (i: number) => `123e4567-e89b-12d3-a456-${String(i).padStart(12, '0')}`;

type Sent = { at: number; execution: string; status: number };

/** One execution of the node: `count` leads, answered by `reply` after 50 virtual ms. */
function execution(
	name: string,
	count: number,
	credentials: { apiKey: string; baseUrl: string },
	sent: Sent[],
	reply: (n: number) => { statusCode: number; headers?: IDataObject },
): Promise<INodeExecutionData[][]> {
	const items = Array.from({ length: count }, (_, i) => ({ leadId: leadOf(i), updateFields: { company: `${name}${i}` } }));
	let calls = 0;
	const context = {
		getInputData: () => items.map((json) => ({ json })),
		getNode: () => ({ id: name, name, type: 'n8n-nodes-nexor.nexor', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => credentials,
		continueOnFail: () => true,
		getNodeParameter: (param: string, index: number, fallback?: unknown) => {
			if (param === 'options') return { concurrency: 4 };
			const item = items[index] as IDataObject;
			return param in item ? item[param] : fallback;
		},
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, request: IHttpRequestOptions) => {
				const answer = reply(++calls);
				sent.push({ at: Date.now(), execution: name, status: answer.statusCode });
				await sleep(50);
				const id = String(request.url).split('/').pop();
				return { headers: {}, ...answer, body: { success: true, lead: { id, ...(request.body as IDataObject) } } };
			},
		},
	};
	return new Nexor().execute.call(context as unknown as IExecuteFunctions);
}

async function runAll(runs: Array<Promise<unknown>>): Promise<void> {
	let done = false;
	const all = Promise.all(runs).then(() => (done = true));
	for (let step = 0; step < 600 && !done; step++) await jest.advanceTimersByTimeAsync(100);
	await all;
}

beforeEach(() => {
	jest.useFakeTimers({ now: 1_000_000 });
	sharedGates.clear();
});
afterEach(() => jest.useRealTimers());

describe('one rate gate per account in the process', () => {
	it("a second execution on the same account waits out the first one's 429 pause", async () => {
		const sent: Sent[] = [];
		const first = execution('A', 8, { apiKey: TOKEN, baseUrl: BASE }, sent, (n) =>
			n === 1 ? { statusCode: 429, headers: { 'retry-after': '3' } } : { statusCode: 200 },
		);
		// B starts 1 s later, in the middle of A's pause (1,000,050 → 1,003,050), with its own items.
		const second = jest.advanceTimersByTimeAsync(1_000).then(() =>
			execution('B', 4, { apiKey: ` ${TOKEN} `, baseUrl: `${BASE}/` }, sent, () => ({ statusCode: 200 })),
		);
		await runAll([first, second]);
		const pauseEnds = 1_000_000 + 50 + 3_000;
		const b = sent.filter((s) => s.execution === 'B');
		expect(b).toHaveLength(4);
		expect(Math.min(...b.map((s) => s.at))).toBeGreaterThanOrEqual(pauseEnds);
		expect(sharedGates.size).toBe(1);
	});

	it('another key, or another Base URL, has its own gate and is not held', async () => {
		const sent: Sent[] = [];
		const first = execution('A', 8, { apiKey: TOKEN, baseUrl: BASE }, sent, (n) =>
			n === 1 ? { statusCode: 429, headers: { 'retry-after': '3' } } : { statusCode: 200 },
		);
		const others = jest.advanceTimersByTimeAsync(1_000).then(() =>
			Promise.all([
				execution('K', 4, { apiKey: OTHER_TOKEN, baseUrl: BASE }, sent, () => ({ statusCode: 200 })),
				execution('U', 4, { apiKey: TOKEN, baseUrl: 'http://127.0.0.2:9/api/public' }, sent, () => ({ statusCode: 200 })),
			]),
		);
		await runAll([first, others]);
		for (const name of ['K', 'U']) {
			const mine = sent.filter((s) => s.execution === name);
			expect(mine.map((s) => s.at)).toEqual([1_001_000, 1_001_000, 1_001_000, 1_001_000]);
		}
		expect(sharedGates.size).toBe(3);
	});

	it('names the account by a keyed SHA-256, never by the key', () => {
		const gate = gateFor(BASE, TOKEN, 0);
		expect(gateFor(BASE, TOKEN, 1)).toBe(gate);
		expect(gateFor(BASE, OTHER_TOKEN, 2)).not.toBe(gate);
		// What the registry holds: fingerprints only.
		const held = JSON.stringify([...((sharedGates as unknown as { gates: Map<string, unknown> }).gates.keys())]);
		expect(held).toMatch(/^\["[0-9a-f]{64}","[0-9a-f]{64}"\]$/);
		expect(held).not.toContain(TOKEN);
	});
});
