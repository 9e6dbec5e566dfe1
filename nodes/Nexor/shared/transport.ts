/**
 * The one place that talks HTTP to Nexor from n8n: core's send loop hands in this call. Statuses are
 * judged by core, so n8n is asked to return every answer as it came.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions, INode, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Headers, HttpExchange, NexorApiError, NexorRequest, redactSecret } from '../../../core';

interface FullResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** What came back, or why nothing did, from whatever n8n threw. */
function exchangeFromError(error: unknown, timedOut: boolean): HttpExchange {
	const candidates = [error, (error as { cause?: unknown })?.cause] as Array<IDataObject | undefined>;
	for (const candidate of candidates) {
		const response = candidate?.response as IDataObject | undefined;
		const status = Number(response?.status ?? response?.statusCode);
		if (response && Number.isInteger(status) && status > 0) {
			return { status, headers: response.headers as Headers, body: response.data ?? response.body };
		}
	}
	// n8n 1.x wraps the client's error in a NodeApiError that loses it as `cause` and keeps only its
	// code, as `httpCode` ("ECONNREFUSED", "ENOTFOUND"); 2.x keeps the cause, code included.
	const code =
		candidates.map((c) => c?.code).find((c): c is string => typeof c === 'string' && c.length > 0) ??
		candidates.map((c) => c?.httpCode).find((c): c is string => typeof c === 'string' && /^E[A-Z0-9_]+$/.test(c));
	const message = candidates.map((c) => c?.message).find((m) => typeof m === 'string') as string | undefined;
	// n8n rewrites a timeout's message and reports it as ECONNABORTED, so the caller's own clock
	// decides whether the answer never came.
	return { network: { code: timedOut ? 'ETIMEDOUT' : (code ?? 'ECONNRESET'), message } };
}

export interface NexorHttp {
	baseUrl: string;
	timeoutMs: number;
	/** Fires when the run stops: a request still in flight is no longer waited for. */
	abortSignal?: AbortSignal;
}

/**
 * `request`, or a rejection as soon as `signal` fires. n8n's httpRequestWithAuthentication (1.123 and
 * 2.41) replaces the request's `abortSignal` with the execution's cancel signal, so a stop of the
 * node's own (a failure under Stop Workflow) can't abort the request: without this the node waited
 * for every request in flight (up to its timeout) before reporting. The request was sent before the
 * stop; its late answer is ignored. A cancelled execution still aborts it through n8n's own signal.
 */
function unlessAborted<T>(request: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return request;
	// A late failure of an abandoned request must not surface as an unhandled rejection.
	request.catch(() => undefined);
	const abandoned = () => Object.assign(new Error('The run stopped before Nexor answered'), { code: 'ECANCELED' });
	if (signal.aborted) return Promise.reject(abandoned());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abandoned());
		signal.addEventListener('abort', onAbort, { once: true });
		request.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

/** One request through n8n's credential helper (it adds X-API-Key), never following a redirect. */
export async function sendToNexor(
	context: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
	http: NexorHttp,
	request: NexorRequest,
): Promise<HttpExchange> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${http.baseUrl}${request.path}`,
		qs: request.query,
		body: request.body as IDataObject | undefined,
		json: true,
		returnFullResponse: true,
		// Statuses are interpreted by core; only a missing answer makes n8n throw.
		ignoreHttpStatusErrors: true,
		// axios's redirect follower passes custom headers such as X-API-Key on to the next host.
		disableFollowRedirect: true,
		timeout: http.timeoutMs,
		abortSignal: http.abortSignal,
	};
	const sentAt = Date.now();
	try {
		const response = (await unlessAborted(
			context.helpers.httpRequestWithAuthentication.call(context, 'nexorApi', options),
			http.abortSignal,
		)) as FullResponse;
		return { status: response.statusCode, headers: response.headers as Headers, body: response.body };
	} catch (error) {
		return exchangeFromError(error, Date.now() - sentAt >= http.timeoutMs - 100);
	}
}

/** Core's verdict as n8n's error, built from a redacted summary rather than the raw client error. */
export function toNodeApiError(
	context: { getNode(): INode },
	failure: NexorApiError,
	itemIndex: number,
	apiKey: string,
): NodeApiError {
	// Nexor's words go in the description unless the message already carries them (a 400 does).
	const said =
		failure.nexorMessage && !failure.message.includes(failure.nexorMessage)
			? ` Nexor said: "${failure.nexorMessage}"`
			: '';
	const httpCode = failure.status !== undefined ? String(failure.status) : undefined;
	// The raw client error carries the request config, whose headers hold the API key.
	const underlying = redactSecret(
		{ message: failure.message, httpCode: httpCode ?? null, kind: failure.kind },
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
