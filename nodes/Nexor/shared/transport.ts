import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import {
	FailureInput,
	Headers,
	Lead,
	NexorApiError,
	SharedBackoff,
	UpdateLeadRequest,
	interpretFailure,
	readLead,
	redactSecret,
} from '../../../core';

export interface Connection {
	baseUrl: string;
	/** Only used to keep the key out of messages; n8n adds the header itself. */
	apiKey: string;
	timeoutMs: number;
	backoff: SharedBackoff;
}

interface FullResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

type Exchange = Pick<FailureInput, 'status' | 'headers' | 'body' | 'network'>;

/** What came back, or why nothing did, from whatever n8n threw or returned. */
function exchangeFromError(error: unknown): Exchange {
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
	const timedOut = /timeout/i.test(message ?? '');
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
	return new NodeApiError(context.getNode(), underlying, {
		message: failure.message,
		description: `${failure.fix}${said}`,
		httpCode,
		itemIndex,
	});
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
	for (let attempt = 1; ; attempt++) {
		const wait = connection.backoff.waitBefore(Date.now(), Math.random());
		if (wait > 0) await sleep(wait);

		let exchange: Exchange;
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
			exchange = exchangeFromError(error);
		}

		if (exchange.status !== undefined && exchange.status >= 200 && exchange.status < 300) {
			try {
				return readLead(exchange.body, exchange.status);
			} catch (error) {
				throw toNodeApiError(context, error as NexorApiError, exchange, itemIndex, connection.apiKey);
			}
		}

		const { error, retryInMs } = interpretFailure({
			...exchange,
			attempt,
			now: Date.now(),
			random: Math.random(),
			secret: connection.apiKey,
			leadId: request.leadId,
		});
		if (retryInMs === undefined) {
			throw toNodeApiError(context, error, exchange, itemIndex, connection.apiKey);
		}
		if (error.kind === 'rate_limited') connection.backoff.pauseFor(retryInMs, Date.now());
		else await sleep(retryInMs);
	}
}
