/**
 * Runs one Nexor operation over the node's input items on core's engine: every item's input is read
 * and checked first, then core's item runner sends them (per-lead order, bounded concurrency, shared
 * rate gate, breaker, stop and cancel), and each item ends as one output item or one error.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import {
	Breaker,
	ItemOutcome,
	NexorApiError,
	NexorInputError,
	Operation,
	PreparedCall,
	RateGate,
	StopSignal,
	breakerThreshold,
	checkApiKey,
	normalizeBaseUrl,
	redactSecret,
	runItems,
	sendCall,
} from '../../../core';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS } from './descriptions';
import { gateFor } from './gates';
import { sendToNexor, toNodeApiError } from './transport';

/** One operation as the n8n node offers it: its parameters, how it reads them, and core's description. */
export interface NodeOperation<Input, Result> {
	core: Operation<Input, Result>;
	description: INodeProperties[];
	/** The item's parameters in core's platform-neutral input shape. */
	readInput(context: IExecuteFunctions, itemIndex: number): Input;
	/** What the item's input says about the lead, for the error item (`leadId`). */
	leadIdOf?(input: Input): unknown;
}

/** The execution was cancelled (Stop in the editor, or a timeout): nothing more is sent. */
class Cancelled extends Error {}

type Prepared<R> = { call: PreparedCall<R>; timeoutMs: number; leadId: unknown } | { failure: NodeOperationError; leadId: unknown };

function timeoutOf(context: IExecuteFunctions, itemIndex: number): number {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const seconds = Number(options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS) * 1000;
}

/** The lead ID as a person reads it in an error item: trimmed text, or null. */
function shownLeadId(raw: unknown): string | null {
	if (typeof raw === 'string') return raw.trim() === '' ? null : raw.trim();
	if (typeof raw === 'number') return String(raw);
	return null;
}

export async function executeOperation<Input, Result>(
	context: IExecuteFunctions,
	operation: NodeOperation<Input, Result>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const node = context.getNode();
	const credentials = await context.getCredentials('nexorApi');
	const rawKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const secret = rawKey.trim();

	// A bad credential is reported on every item, so "Continue" still yields one output per item.
	let baseUrl = '';
	let setupError: NexorInputError | undefined;
	try {
		checkApiKey(rawKey);
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		setupError = error as NexorInputError;
	}

	// Every item is read and checked before the first request: with "Stop Workflow" one bad row stops
	// the run before anything is sent, and each item's lead is known so its items can keep their order.
	const prepared: Array<Prepared<Result>> = items.map((_, itemIndex) => {
		let leadId: unknown;
		try {
			if (setupError) {
				throw new NodeOperationError(node, `Nexor API credential: ${setupError.message}`, {
					description: setupError.fix,
					itemIndex,
				});
			}
			const input = operation.readInput(context, itemIndex);
			leadId = operation.leadIdOf?.(input);
			return { call: operation.core.prepare(input), timeoutMs: timeoutOf(context, itemIndex), leadId };
		} catch (error) {
			if (error instanceof NodeOperationError) return { failure: error, leadId };
			const invalid = error as NexorInputError;
			const failure = new NodeOperationError(node, redactSecret(String(invalid.message), secret), {
				description: invalid.fix,
				itemIndex,
			});
			return { failure, leadId };
		}
	});

	const stopOnError = !context.continueOnFail();
	if (stopOnError) {
		const firstBad = prepared.find((p): p is Extract<Prepared<Result>, { failure: unknown }> => 'failure' in p);
		if (firstBad) throw firstBad.failure;
	}

	// Concurrency is one number for the whole run (the options of the first item), said so in its help.
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Number(options.concurrency ?? DEFAULT_CONCURRENCY);

	const stop = new StopSignal();
	const breaker = new Breaker(breakerThreshold(concurrency));
	// One gate per account for every execution in this process (a bad credential sends nothing).
	const gate = setupError ? new RateGate() : gateFor(baseUrl, secret, Date.now());
	// When the run stops, requests in flight are no longer waited for (transport.ts: n8n's helper keeps
	// only the execution's own cancel signal), and nothing new is sent after the node reports.
	const aborter = new AbortController();
	stop.onStop(() => aborter.abort());
	const cancelSignal = context.getExecutionCancelSignal?.();
	const onCancel = () => stop.stop(new Cancelled('The execution was cancelled'));
	if (cancelSignal?.aborted) onCancel();
	else cancelSignal?.addEventListener('abort', onCancel, { once: true });

	const report = await runItems<Result>({
		count: items.length,
		concurrency,
		stopOnError,
		stop,
		leadKeyOf: (index) => {
			const item = prepared[index];
			return 'call' in item ? item.call.leadKey : undefined;
		},
		run: async (index) => {
			const item = prepared[index];
			if ('failure' in item) throw item.failure;
			return await sendCall(
				{
					http: (request) =>
						sendToNexor(context, { baseUrl, timeoutMs: item.timeoutMs, abortSignal: aborter.signal }, request),
					now: () => Date.now(),
					sleep,
					random: Math.random,
					gate,
					breaker,
					stop,
					secret,
				},
				item.call,
			);
		},
	});
	cancelSignal?.removeEventListener('abort', onCancel);

	const toNodeError = (error: unknown, itemIndex: number): NodeApiError | NodeOperationError => {
		if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
		if (error instanceof NexorApiError) return toNodeApiError(context, error, itemIndex, secret);
		return new NodeOperationError(node, error as Error, { itemIndex });
	};

	if (report.stoppedBy) {
		const { index, error } = report.stoppedBy;
		const failed = toNodeError(error, index);
		if (failed instanceof NodeApiError) throw new NodeApiError(node, failed as unknown as JsonObject, { itemIndex: index });
		throw new NodeOperationError(node, failed, { itemIndex: index });
	}

	const output: INodeExecutionData[] = [];
	report.outcomes.forEach((outcome: ItemOutcome<Result> | undefined, itemIndex) => {
		// Cancelled before this item ran: n8n discards a cancelled run's output.
		if (outcome === undefined) return;
		if (outcome.ok) {
			// A list (Find, Get Many, history…) is one item per entry; an empty list is no item, as
			// n8n's own search operations do (the node setting Always Output Data gives an empty one).
			const values = Array.isArray(outcome.value) ? outcome.value : [outcome.value];
			for (const value of values) output.push({ json: value as IDataObject, pairedItem: { item: itemIndex } });
			return;
		}
		const failed = toNodeError(outcome.error, itemIndex);
		// n8n routes an item to the error output only when its json holds `error` alone (1.x also
		// allows `message`), so what a person needs sits inside `error`, as the HTTP Request node does.
		output.push({
			json: redactSecret(
				{
					error: {
						message: failed.message,
						description: failed.description ?? null,
						httpCode: failed instanceof NodeApiError ? (failed.httpCode ?? null) : null,
						leadId: shownLeadId(prepared[itemIndex].leadId),
					},
				},
				secret,
			),
			pairedItem: { item: itemIndex },
		});
	});
	return [output];
}
