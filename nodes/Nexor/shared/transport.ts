import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import {
	FailureInput,
	Headers,
	Lead,
	NexorApiError,
	PACING_POLICY,
	RateGate,
	Slot,
	UpdateLeadRequest,
	interpretFailure,
	rateLimitPauseMs,
	readLead,
	redactSecret,
} from '../../../core';

export interface Connection {
	baseUrl: string;
	/** Only used to keep the key out of messages; n8n adds the header itself. */
	apiKey: string;
	timeoutMs: number;
	/** The rate gate shared by every item of the execution (core/concurrency.ts). */
	backoff: RateGate;
}

/**
 * Each lap of `takeSlot` either sleeps until the slot's time or finds the slot voided by a new
 * 429; this bound is never reached in practice and only keeps the loop finite by construction.
 */
const MAX_LAPS = 1_000;

/** Waits for this worker's turn at the shared gate (paused after a 429, paced once one was seen). */
async function takeSlot(gate: RateGate): Promise<Slot> {
	let slot = gate.reserve(Date.now());
	for (let lap = 0; lap < MAX_LAPS; lap++) {
		const wait = slot.at - Date.now();
		if (wait > 0) {
			await sleep(wait);
			continue;
		}
		if (gate.claim(slot, Date.now())) return slot;
		slot = gate.reserve(Date.now());
	}
	return slot;
}

interface FullResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

type Exchange = Pick<FailureInput, 'status' | 'headers' | 'body' | 'network'>;

/** What came back, or why nothing did, from whatever n8n threw or returned. */
function exchangeFromError(error: unknown, timedOut: boolean): Exchange {
	const candidates = [error, (error as { cause?: unknown })?.cause] as Array<
		IDataObject | undefined
	>;
	for (const candidate of candidates) {
		const response = candidate?.response as IDataObject | undefined;
		const status = Number(response?.status ?? response?.statusCode);
		if (response && Number.isInteger(status) && status > 0) {
			return {
				status,
				headers: response.headers as Headers,
				body: response.data ?? response.body,
			};
		}
	}
	const code = candidates
		.map((c) => c?.code)
		.find((c): c is string => typeof c === 'string' && c.length > 0);
	const message = candidates.map((c) => c?.message).find((m) => typeof m === 'string') as
		| string
		| undefined;
	// n8n rewrites a timeout's message and code (ECONNABORTED on 2.x, ECONNRESET on 1.x), so the
	// caller's own clock decides whether the answer never came.
	return { network: { code: timedOut ? 'ETIMEDOUT' : (code ?? 'ECONNRESET'), message } };
}

function toNodeApiError(
	context: IExecuteFunctions,
	failure: NexorApiError,
	exchange: Exchange,
	itemIndex: number,
	apiKey: string,
): NodeApiError {
	const said = failure.nexorMessage ? ` Nexor said: "${failure.nexorMessage}"` : '';
	const httpCode = failure.status !== undefined ? String(failure.status) : undefined;
	// Built from a redacted copy of the HTTP exchange rather than the raw client error: the raw error
	// carries the request config, whose headers hold the API key.
	const underlying = redactSecret(
		{
			message: failure.message,
			httpCode: httpCode ?? null,
			kind: failure.kind,
			responseBody: typeof exchange.body === 'string' ? exchange.body.slice(0, 2000) : exchange.body,
			network: exchange.network?.code ?? null,
		},
		apiKey,
	) as JsonObject;
	const apiError = new NodeApiError(context.getNode(), underlying, {
		message: failure.message,
		description: `${failure.fix}${said}`,
		httpCode,
		itemIndex,
	});
	// NodeApiError swaps any message containing a Node error code (ECONNRESET, ENOENT…) for its own
	// generic sentence; core's message is the one that says what to do.
	apiError.message = failure.message;
	return apiError;
}

/** Sends the update, retrying as core decides; resolves to the lead or throws a NodeApiError. */
export async function sendLeadUpdate(
	context: IExecuteFunctions,
	request: UpdateLeadRequest,
	connection: Connection,
	itemIndex: number,
): Promise<Lead> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		body: request.body as IDataObject,
		json: true,
		returnFullResponse: true,
		// Statuses are interpreted by core; only a missing answer makes n8n throw.
		ignoreHttpStatusErrors: true,
		timeout: connection.timeoutMs,
	};
	const gate = connection.backoff;
	// `attempt` counts the tries that RETRY_POLICY.maxAttempts bounds; a 429 the gate calls its own
	// lag (the request left before the gate slowed down) is retried without counting, at most
	// PACING_POLICY.maxUnchargedRetries times.
	let uncharged = 0;
	for (let attempt = 1; ; ) {
		const slot = await takeSlot(gate);

		let exchange: Exchange;
		const sentAt = Date.now();
		try {
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				'nexorApi',
				options,
			)) as FullResponse;
			exchange = {
				status: response.statusCode,
				headers: response.headers as Headers,
				body: response.body,
			};
		} catch (error) {
			exchange = exchangeFromError(error, Date.now() - sentAt >= connection.timeoutMs - 100);
		}
		if (exchange.status !== undefined && exchange.status !== 429) gate.delivered(slot, Date.now());

		if (exchange.status !== undefined && exchange.status >= 200 && exchange.status < 300) {
			try {
				return readLead(exchange.body, exchange.status, request.leadId);
			} catch (error) {
				throw toNodeApiError(context, error as NexorApiError, exchange, itemIndex, connection.apiKey);
			}
		}

		const now = Date.now();
		const random = Math.random();
		const { error, retryInMs } = interpretFailure({
			...exchange,
			attempt,
			now,
			random,
			secret: connection.apiKey,
			leadId: request.leadId,
		});
		if (error.kind === 'rate_limited') {
			// Every worker waits (at its next takeSlot), not only this one.
			const pauseMs = retryInMs ?? rateLimitPauseMs(exchange.headers, attempt, now, random);
			const { charged } = gate.rateLimited(slot, now, pauseMs);
			if (!charged && uncharged < PACING_POLICY.maxUnchargedRetries) {
				uncharged++;
				continue;
			}
			if (retryInMs === undefined) {
				throw toNodeApiError(context, error, exchange, itemIndex, connection.apiKey);
			}
			attempt++;
			continue;
		}
		if (retryInMs === undefined) {
			throw toNodeApiError(context, error, exchange, itemIndex, connection.apiKey);
		}
		await sleep(retryInMs);
		attempt++;
	}
}
