// @ts-check
'use strict';
/**
 * The generated "Nexor Tool" (n8n-nodes-nexor.nexorTool, from `usableAsTool: true`) on n8n's real
 * AI tool path, without a real language model: Manual Trigger → AI Agent (bundled
 * @n8n/n8n-nodes-langchain.agent) whose Chat Model is the bundled OpenAI Chat Model, pointed through
 * its credential's Base URL at a scripted fake OpenAI server started here, and whose Tool is the
 * Nexor Tool (Lead → Stop Automation) with Lead and Workflow filled by $fromAI().
 *
 * The fake model answers its first /chat/completions call with a call of the Nexor tool (the name
 * read from the request's `tools`, the arguments the $fromAI keys), and the call that carries the
 * tool's result with a final message. The run goes through `n8n execute --id` (one n8n process per
 * line after the imports): the agent asks n8n's engine to run the tool node, the node calls the Nexor
 * sandbox, and its answer goes back to the model.
 */
const http = require('node:http');
const { startSandbox, SEED_LEAD_IDS, SEED_WORKFLOW_IDS } = require('../sandbox/server.js');
const { createN8nHome, LINES, request } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const { node, nodeRun, workflow } = require('../support/workflows.js');

jest.setTimeout(20 * 60 * 1000);

// Nexor's documentation example lead, in the seed workflow "Sales Outreach" with an active run
// (test/sandbox/seed.js: SEED_RUNS[0], 2 pending tasks).
const LEAD = SEED_LEAD_IDS[0];
const WORKFLOW = SEED_WORKFLOW_IDS[0];
const RUN_ID = '550e8400-e29b-41d4-a716-446655440000';
const STOP_PATH = `/api/public/leads/${LEAD}/automation/stop`;

const NEXOR_CREDENTIAL = { id: 'nexorCredAi0001', name: 'Nexor sandbox' };
const OPENAI_CREDENTIAL = { id: 'openAiCredAi001', name: 'Fake OpenAI' };
const OPENAI_KEY = 'sk-fake-openai-key-for-the-e2e-0001';
const WORKFLOW_ID = 'wfAiToolStop001';
const AGENT = 'AI Agent';
const MODEL = 'OpenAI Chat Model';
// The tool node's name (an action-style name); n8n derives the tool name the model sees from it.
const TOOL_NODE = 'Stop automation for a lead in Nexor';
const PROMPT = `Stop the AI for lead ${LEAD} in workflow ${WORKFLOW}`;
const FINAL = 'Done: the AI is stopped for that lead, and a person can take over.';
/** The fake model's own bound: more calls than this mean the agent loops. */
const MAX_LLM_CALLS = 6;

/**
 * @typedef {object} LlmCall
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {any} body   parsed JSON (null when it wasn't)
 * @property {string} text
 */

/** @typedef {{ baseUrl: string, calls: () => LlmCall[], close: () => Promise<unknown> }} FakeOpenAi */

/**
 * A scripted OpenAI-compatible chat model on 127.0.0.1 (a free port): the first call of the Nexor
 * tool, then a final message once a request carries a tool result. Closes itself after 30 minutes
 * at the latest (timer unref'd).
 * @param {{ toolArgs: Record<string, string>, finalText: string, toolNamePattern: RegExp }} script
 * @returns {Promise<FakeOpenAi>}
 */
function startFakeOpenAi(script) {
	/** @type {LlmCall[]} */
	const calls = [];
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	let seq = 0;

	/**
	 * @param {any} body
	 * @returns {{ message: any, finish: string }}
	 */
	function decide(body) {
		const messages = Array.isArray(body?.messages) ? body.messages : [];
		if (messages.some((/** @type {any} */ m) => m.role === 'tool')) {
			return { message: { role: 'assistant', content: script.finalText }, finish: 'stop' };
		}
		const tools = Array.isArray(body?.tools) ? body.tools : [];
		const tool = tools.find((/** @type {any} */ t) => script.toolNamePattern.test(String(t?.function?.name)));
		if (!tool) {
			// The agent then ends after one call, and the test fails on the calls and the tools array.
			return { message: { role: 'assistant', content: 'NO NEXOR TOOL OFFERED' }, finish: 'stop' };
		}
		return {
			message: {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: `call_nexor_${++seq}`,
						type: 'function',
						function: { name: tool.function.name, arguments: JSON.stringify(script.toolArgs) },
					},
				],
			},
			finish: 'tool_calls',
		};
	}

	/**
	 * @param {http.ServerResponse} res
	 * @param {number} status
	 * @param {unknown} json
	 */
	const sendJson = (res, status, json) => {
		const text = JSON.stringify(json);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	};

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = JSON.parse(text);
			} catch {
				/* not JSON */
			}
			calls.push({ method: String(req.method), path: String(req.url), headers: req.headers, body, text });
			if (req.method !== 'POST' || !String(req.url).endsWith('/chat/completions')) {
				sendJson(res, 404, { error: { message: `fake OpenAI: no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
				return;
			}
			if (calls.length > MAX_LLM_CALLS || body?.stream) {
				// n8n asks without streaming under `n8n execute` (both lines); anything else fails the run.
				const why = body?.stream ? 'streaming is not scripted' : 'too many calls';
				sendJson(res, 400, { error: { message: `fake OpenAI: ${why}`, type: 'invalid_request_error' } });
				return;
			}
			const { message, finish } = decide(body);
			const id = `chatcmpl-fake-${calls.length}`;
			const created = Math.floor(Date.now() / 1000);
			const model = body?.model || 'gpt-4o-mini';
			const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
			sendJson(res, 200, {
				id,
				object: 'chat.completion',
				created,
				model,
				choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
				usage,
			});
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});

	let closed = false;
	const close = () =>
		new Promise((resolve) => {
			if (closed) return resolve(undefined);
			closed = true;
			clearTimeout(lifetime);
			for (const s of sockets) s.destroy();
			server.close(() => resolve(undefined));
		});
	const lifetime = setTimeout(close, 30 * 60 * 1000);
	lifetime.unref();

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const addr = server.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			resolve({ baseUrl: `http://127.0.0.1:${port}/v1`, calls: () => calls.slice(), close });
		});
	});
}

/**
 * Start → AI Agent, with the OpenAI Chat Model and the Nexor Tool attached.
 * @param {'1' | '2'} line
 */
function agentWorkflow(line) {
	const wf = workflow(WORKFLOW_ID, [
		[
			// typeVersion 3: the newest Tools Agent both lines have (2.41 adds 3.1). The model calls the
			// tools; n8n's engine runs each tool node and hands its output back.
			node(AGENT, '@n8n/n8n-nodes-langchain.agent', 3, {
				promptType: 'define',
				text: PROMPT,
				options: {},
			}),
		],
	]);
	// typeVersion 1.2 (both lines): Chat Completions; 1.3 defaults to the Responses API.
	const model = node(
		MODEL,
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		1.2,
		// maxRetries 0: a wrong answer of the fake model fails the run at once instead of being retried.
		{ model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: { maxRetries: 0 } },
		{ credentials: { openAiApi: OPENAI_CREDENTIAL } },
	);
	const tool = node(
		TOOL_NODE,
		'n8n-nodes-nexor.nexorTool',
		1,
		{
			descriptionType: 'auto',
			resource: 'lead',
			operation: 'stopAutomation',
			leadId: { __rl: true, mode: 'id', value: "={{ $fromAI('Lead_ID', 'The lead ID (a UUID)', 'string') }}" },
			workflowId: {
				__rl: true,
				mode: 'id',
				value: "={{ $fromAI('Workflow_ID', 'The Nexor workflow ID (a UUID)', 'string') }}",
			},
		},
		{ credentials: { nexorApi: NEXOR_CREDENTIAL } },
	);
	wf.nodes.push({ id: 'nModel', ...model, position: [220, 200] }, { id: 'nTool', ...tool, position: [440, 200] });
	/** @type {any} */ (wf.connections)[MODEL] = { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] };
	/** @type {any} */ (wf.connections)[TOOL_NODE] = { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] };
	wf.name = `AI agent stops the AI (line ${line})`;
	return wf;
}

describe.each(LINES)('line %s (%s)', (line) => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {FakeOpenAi} */
	let llm;
	/** @type {Awaited<ReturnType<typeof createN8nHome>>} */
	let home;

	beforeAll(async () => {
		sandbox = await startSandbox();
		llm = await startFakeOpenAi({
			toolNamePattern: /nexor/i,
			toolArgs: { Lead_ID: LEAD, Workflow_ID: WORKFLOW },
			finalText: FINAL,
		});
		home = await createN8nHome({ line: /** @type {'1'|'2'} */ (line) });
		await home.installPackage(packPackage());
		await home.importCredentials([
			{ ...NEXOR_CREDENTIAL, type: 'nexorApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl } },
			{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: llm.baseUrl, header: false } },
		]);
		await home.importWorkflows([agentWorkflow(/** @type {'1'|'2'} */ (line))]);
	});

	afterAll(async () => {
		if (home) await home.cleanup();
		if (llm) await llm.close();
		if (sandbox) await sandbox.close();
	});

	it('an AI Agent stops the AI for a lead through the Nexor Tool, $fromAI filling Lead and Workflow', async () => {
		sandbox.reset();
		const result = await home.execute(WORKFLOW_ID, { timeoutMs: 300000 });
		const runJson = JSON.stringify(result.run);
		expect({ code: result.code, status: result.run?.status, error: result.run?.data?.resultData?.error }).toEqual({
			code: 0,
			status: 'success',
			error: undefined,
		});

		// The model's first request: the prompt, and the Nexor tool with a description an agent can
		// act on and the two $fromAI keys as required string arguments.
		const calls = llm.calls();
		expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /v1/chat/completions', 'POST /v1/chat/completions']);
		const [first, second] = calls;
		expect(first.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
		expect(JSON.stringify(first.body.messages)).toContain(PROMPT);
		const tools = first.body.tools;
		expect(tools).toHaveLength(1);
		const fn = tools[0].function;
		expect(tools[0].type).toBe('function');
		expect(fn.name).toBe(TOOL_NODE.replace(/[^a-zA-Z0-9_-]+/g, '_'));
		// n8n builds "Set Automatically" from the operation's action: what an agent reads to pick the tool.
		expect(fn.description).toMatch(/stop the AI for a lead so a human takes over/i);
		expect(fn.description).toMatch(/Nexor/);
		expect(fn.parameters).toMatchObject({
			type: 'object',
			properties: {
				Lead_ID: { type: 'string', description: 'The lead ID (a UUID)' },
				Workflow_ID: { type: 'string', description: 'The Nexor workflow ID (a UUID)' },
			},
		});
		expect([...fn.parameters.required].sort()).toEqual(['Lead_ID', 'Workflow_ID']);
		expect(Object.keys(fn.parameters.properties).sort()).toEqual(['Lead_ID', 'Workflow_ID']);

		// Exactly the documented request reached Nexor, with the credential's key.
		const journal = sandbox.journal();
		expect(
			journal.map((e) => ({
				method: e.method,
				path: e.path,
				body: JSON.parse(String(e.body)),
				key: e.headers['x-api-key'],
				status: e.status,
				fault: e.fault,
			})),
		).toEqual([{ method: 'POST', path: STOP_PATH, body: { workflow_id: WORKFLOW }, key: 'valid', status: 200, fault: null }]);
		// …and the sandbox acted on it: a person has taken over the lead in that workflow.
		const paused = await request(`${sandbox.baseUrl}/leads/${LEAD}/is_paused?workflow_id=${WORKFLOW}`, {
			headers: { 'x-api-key': sandbox.apiKey },
		});
		expect(paused.json).toEqual({ success: true, paused: true });

		// The tool node ran as a node of the run, with the model's arguments.
		const toolRun = nodeRun(result.run, TOOL_NODE);
		expect(toolRun).toBeDefined();
		expect(toolRun.inputOverride.ai_tool[0][0].json).toMatchObject({ Lead_ID: LEAD, Workflow_ID: WORKFLOW });

		// The model's second request carries the tool's result: Nexor's answer as the node put it out.
		const assistant = second.body.messages.find((/** @type {any} */ m) => m.role === 'assistant' && m.tool_calls);
		const toolCallId = assistant?.tool_calls?.[0]?.id;
		expect(toolCallId).toMatch(/^call_nexor_/);
		const toolMessages = second.body.messages.filter((/** @type {any} */ m) => m.role === 'tool');
		expect(toolMessages).toHaveLength(1);
		expect(toolMessages[0].tool_call_id).toBe(toolCallId);
		// Nexor's documented answer (nexor-api.md §4.9: the run, cadence paused, its 2 pending tasks
		// cancelled) as the node puts it out: with the lead and workflow, and already_stopped always there.
		const expected = {
			lead_id: LEAD,
			workflow_id: WORKFLOW,
			workflow_run_id: RUN_ID,
			cadence_paused: true,
			tasks_cancelled: 2,
			already_stopped: false,
		};
		expect(JSON.parse(String(toolMessages[0].content))).toEqual([expect.objectContaining(expected)]);
		expect(toolRun.data.ai_tool[0].map((/** @type {any} */ i) => i.json)).toEqual([expect.objectContaining(expected)]);

		// The agent's output is the model's final message.
		const agentOut = result.run.data.resultData.runData[AGENT]?.[0]?.data?.main?.[0];
		expect(agentOut).toHaveLength(1);
		expect(agentOut[0].json.output).toBe(FINAL);

		// The Nexor key reached neither the model, nor n8n's output and logs, nor the run JSON.
		expect(calls.map((c) => c.text).join('\n')).not.toContain(sandbox.apiKey);
		expect(runJson).not.toContain(sandbox.apiKey);
		expect(`${result.stdout}\n${result.stderr}`).not.toContain(sandbox.apiKey);
		expect(home.logs.join('\n')).not.toContain(sandbox.apiKey);
		// Nor the model's key the run JSON or the logs.
		expect(runJson).not.toContain(OPENAI_KEY);
		expect(home.logs.join('\n')).not.toContain(OPENAI_KEY);
	});
});
