import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import { Nexor } from '../../../nodes/Nexor/Nexor.node';
import { sharedGates } from '../../../nodes/Nexor/shared/gates';

// The node's rate gates live for the process (one per account): each test starts with none.
beforeEach(() => sharedGates.clear());

const LEAD = '123e4567-e89b-12d3-a456-426614174000';
const TOKEN = ['nxr', 'live', 'unit', 'token', 'value'].join('_');

type Reply = { statusCode: number; headers?: IDataObject; body?: unknown } | { throw: unknown };

function harness(
	items: IDataObject[],
	replies: (options: IHttpRequestOptions, call: number) => Reply | Promise<Reply>,
	opts: { continueOnFail?: boolean; apiKey?: string; options?: IDataObject; perItemOptions?: boolean } = {},
) {
	const calls: IHttpRequestOptions[] = [];
	const context = {
		getInputData: () => items.map((json) => ({ json })),
		getNode: () => ({ id: 'n', name: 'Nexor', type: 'n8n-nodes-nexor.nexor', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => ({ apiKey: opts.apiKey ?? TOKEN, baseUrl: 'http://127.0.0.1:9/api/public/' }),
		continueOnFail: () => opts.continueOnFail ?? false,
		getNodeParameter: (name: string, index: number, fallback?: unknown) => {
			const item = items[index];
			if (name === 'options' && !opts.perItemOptions) return opts.options ?? {};
			return name in item ? item[name] : fallback;
		},
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: IHttpRequestOptions) => {
				calls.push(options);
				const reply = await replies(options, calls.length);
				if ('throw' in reply) throw reply.throw;
				return { headers: {}, ...reply };
			},
		},
	};
	const run = () => new Nexor().execute.call(context as unknown as IExecuteFunctions);
	return { run, calls };
}

const ok = (options: IHttpRequestOptions): Reply => ({
	statusCode: 200,
	body: { success: true, lead: { id: String(options.url).split('/').pop(), ...(options.body as IDataObject) } },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- error classes are checked with toBeInstanceOf first
async function caught(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

describe('Nexor node shell', () => {
	it('reads the parameters into core and sends one PUT with the canonical body', async () => {
		const { run, calls } = harness(
			[
				{
					leadId: ` ${LEAD} `,
					updateFields: { company: ' Acme ', first_name: 'Carla', email: '' },
					fieldsToClear: ['phone'],
					metadataInput: 'fields',
					metadataFields: { entry: [{ key: 'edad', value: '35', type: 'number' }] },
				},
			],
			ok,
		);
		const [out] = await run();
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({
			method: 'PUT',
			url: `http://127.0.0.1:9/api/public/leads/${LEAD}`,
			json: true,
			ignoreHttpStatusErrors: true,
		});
		expect(JSON.stringify(calls[0].body)).toBe(
			'{"first_name":"Carla","phone":null,"company":"Acme","metadata":{"edad":35}}',
		);
		expect(out[0]).toMatchObject({ json: { id: LEAD, company: 'Acme' }, pairedItem: { item: 0 } });
	});

	it('reads metadata given as JSON text or as an object', async () => {
		const { run, calls } = harness(
			[
				{ leadId: LEAD, metadataInput: 'json', metadataJson: '{"a": 1}' },
				{ leadId: LEAD, metadataInput: 'json', metadataJson: { b: 'x' } },
			],
			ok,
		);
		await run();
		expect(calls.map((c) => JSON.stringify(c.body))).toEqual(['{"metadata":{"a":1}}', '{"metadata":{"b":"x"}}']);
	});

	it('refuses bad input with a NodeOperationError naming the parameter and the item, and sends nothing', async () => {
		const { run, calls } = harness([{ leadId: 'not-an-id', updateFields: { company: 'Acme' } }], ok);
		const error = await caught(run());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('Lead ID');
		expect(error.description).toContain('UUID');
		expect(error.context.itemIndex).toBe(0);
		expect(calls).toHaveLength(0);
	});

	it('maps a 404 to a NodeApiError with core’s message, Nexor’s words, the code and the item', async () => {
		const { run } = harness([{ leadId: LEAD, updateFields: { company: 'Acme' } }], () => ({
			statusCode: 404,
			body: { error: 'Not found', message: 'Lead not found or does not belong to your account' },
		}));
		const error = await caught(run());
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`No lead with ID ${LEAD} exists in this Nexor account`);
		expect(error.description).toContain('Lead not found or does not belong to your account');
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(0);
	});

	it('with Continue, gives one item per input in order, errors carrying error, description, httpCode and lead ID', async () => {
		const { run } = harness(
			[
				{ leadId: LEAD, updateFields: { company: 'A' } },
				{ leadId: 'bad', updateFields: { company: 'B' } },
				{ leadId: LEAD, updateFields: { company: 'C' } },
			],
			(options, call) =>
				call === 2
					? { statusCode: 400, body: { error: 'Validation error', message: `company: nope ${TOKEN}` } }
					: ok(options),
			{ continueOnFail: true },
		);
		const [out] = (await run()) as INodeExecutionData[][];
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.company).toBe('A');
		expect(out[1].json).toMatchObject({
			error: { message: expect.stringContaining('Lead ID'), description: expect.stringContaining('UUID'), httpCode: null, leadId: 'bad' },
		});
		expect(out[2].json).toEqual({
			error: {
				message: 'Nexor rejected the update: company: nope [redacted]',
				// Nexor's reason is in the message; the description doesn't repeat it.
				description: 'Correct the value Nexor names and run again.',
				httpCode: '400',
				leadId: LEAD,
			},
		});
		expect(JSON.stringify(out)).not.toContain(TOKEN);
	});

	it('waits out a 429 and retries, then succeeds', async () => {
		const { run, calls } = harness([{ leadId: LEAD, updateFields: { company: 'A' } }], (options, call) =>
			call === 1 ? { statusCode: 429, headers: { 'retry-after': '0' } } : ok(options),
		);
		const [out] = await run();
		expect(calls).toHaveLength(2);
		expect(out[0].json.id).toBe(LEAD);
	});

	it('retries a connection reset thrown by n8n, then succeeds', async () => {
		const reset = Object.assign(new Error('socket hang up'), { cause: { code: 'ECONNRESET' } });
		const { run, calls } = harness([{ leadId: LEAD, updateFields: { company: 'A' } }], (options, call) =>
			call === 1 ? { throw: reset } : ok(options),
		);
		await run();
		expect(calls).toHaveLength(2);
	});

	it('keeps output order when answers come back out of order', async () => {
		// Different leads: items for one lead would run one after another and couldn't overtake each other.
		const items = Array.from({ length: 12 }, (_, i) => ({
			leadId: `123e4567-e89b-12d3-a456-${String(i).padStart(12, '0')}`,
			updateFields: { company: `C${i}` },
		}));
		const { run } = harness(
			items,
			async (options) => {
				const index = Number(String((options.body as IDataObject).company).slice(1));
				await sleep(1);
				for (let i = 0; i < (12 - index) * 3; i++) await Promise.resolve();
				return ok(options);
			},
			{ options: { concurrency: 4 } },
		);
		const [out] = await run();
		expect(out.map((item) => item.json.company)).toEqual(items.map((i) => i.updateFields.company));
	});

	it('a malformed API key fails every item before anything is sent', async () => {
		const { run, calls } = harness(
			[{ leadId: LEAD, updateFields: { company: 'A' } }, { leadId: LEAD, updateFields: { company: 'B' } }],
			ok,
			{ continueOnFail: true, apiKey: 'nxr_live_abc\ndef' },
		);
		const [out] = await run();
		expect(out).toHaveLength(2);
		expect((out[0].json.error as IDataObject).message).toContain('API Key');
		expect(calls).toHaveLength(0);
	});

	describe('between items', () => {
		const leadOf = (i: number) => `123e4567-e89b-12d3-a456-${String(i).padStart(12, '0')}`;
		const twelve = (bad: IDataObject) =>
			Array.from({ length: 12 }, (_, i) => ({
				leadId: leadOf(i),
				updateFields: i === 1 ? bad : { company: `C${i}` },
				options: { concurrency: 3 },
			}));

		it('with Stop Workflow, a bad row stops the run before anything is sent', async () => {
			const { run, calls } = harness(twelve({ email: 'bad' }), ok, { options: { concurrency: 3 } });
			const error = await caught(run());
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.context.itemIndex).toBe(1);
			await sleep(50);
			expect(calls).toHaveLength(0);
		});

		it('with Stop Workflow, a row Nexor refuses stops the run: no new item starts and nothing is sent after the error', async () => {
			const { run, calls } = harness(
				twelve({ company: 'refused' }),
				async (options) => {
					if ((options.body as IDataObject).company === 'refused') return { statusCode: 400, body: { message: 'no' } };
					await sleep(20);
					return ok(options);
				},
				{ options: { concurrency: 3 } },
			);
			const error = await caught(run());
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.context.itemIndex).toBe(1);
			const atReport = calls.length;
			expect(atReport).toBeLessThanOrEqual(3);
			await sleep(200);
			expect(calls).toHaveLength(atReport);
		});

		it('does not wait for requests in flight when the run stops (n8n swaps in its own abort signal)', async () => {
			// Like real n8n: the request ignores the node's abort signal and answers only much later.
			const { run, calls } = harness(twelve({ company: 'refused' }), async (options) => {
				if ((options.body as IDataObject).company === 'refused') return { statusCode: 400, body: { message: 'no' } };
				return await new Promise<Reply>(() => undefined);
			}, { options: { concurrency: 3 } });
			const error = await caught(run()); // settles although two requests never answer
			expect(error).toBeInstanceOf(NodeApiError);
			expect(calls.length).toBeLessThanOrEqual(3);
		});

		it('never follows a redirect (the key must not reach another host)', async () => {
			const { run, calls } = harness([{ leadId: LEAD, updateFields: { company: 'A' } }], () => ({
				statusCode: 302,
				headers: { location: 'https://elsewhere.example/steal' },
			}));
			const error = await caught(run());
			expect(calls[0].disableFollowRedirect).toBe(true);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toContain('redirect');
			expect(calls).toHaveLength(1);
		});

		it('the error item names the lead ID trimmed', async () => {
			const { run } = harness([{ leadId: `  ${LEAD}  `, updateFields: { company: 'A' } }], () => ({ statusCode: 404 }), {
				continueOnFail: true,
			});
			const [out] = await run();
			expect((out[0].json.error as IDataObject).leadId).toBe(LEAD);
		});

		it('reads the timeout per item', async () => {
			const items = [
				{ leadId: leadOf(0), updateFields: { company: 'A' }, options: { timeoutSeconds: 5 } },
				{ leadId: leadOf(1), updateFields: { company: 'B' }, options: { timeoutSeconds: 9 } },
			];
			const { run, calls } = harness(items, ok, { perItemOptions: true });
			await run();
			expect(calls.map((c) => c.timeout)).toEqual([5000, 9000]);
		});
	});
});

describe('Nexor node description', () => {
	it('the subtitle reads as an action ("Update lead"), not "update: lead"', () => {
		const subtitle = String(new Nexor().description.subtitle);
		// A lookup table indexed by "resource:operation" (read here without evaluating code: n8n's lint forbids it).
		const match = /^=\{\{ \((\{.*\})\)\[\$parameter\["resource"\] \+ ":" \+ \$parameter\["operation"\]\] \}\}$/.exec(subtitle);
		expect(match).not.toBeNull();
		expect(JSON.parse((match as RegExpExecArray)[1])['lead:update']).toBe('Update lead');
	});

	it('says in the Requests in Parallel help that it is one number for the run and that one lead’s items keep their order', () => {
		const options = new Nexor().description.properties.find((p) => p.name === 'options');
		const concurrency = options?.options?.find((o) => 'name' in o && o.name === 'concurrency') as { description: string };
		expect(concurrency.description).toContain('for the whole run');
		expect(concurrency.description).toContain('same lead always run one after another');
	});
});
