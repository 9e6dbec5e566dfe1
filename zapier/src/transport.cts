/**
 * The one place that talks HTTP to Nexor from Zapier: core's send loop (the same one the n8n node
 * runs) hands in z.request. Every status is judged by core; redirects are never followed.
 */
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import {
	Breaker,
	HttpExchange,
	NexorRequest,
	Operation,
	PreparedCall,
	RateGate,
	StopSignal,
	sendCall,
} from '../../core/index';
import { baseUrl } from './base-url.cjs';
import { plainHeaders, secretOf, toZapierError } from './errors.cjs';

/** What middleware needs to know about a request (`response.request.middlewareData`). */
export interface NexorRequestTags {
	/** The connection test: a 401 there is "wrong key", not "connection expired". */
	authTest?: boolean;
}

// Missing from core 19.1.0's HttpRequestOptions typings although core passes them on
// (prepare-request.js reads throwForThrottlingEarly; request-client.js hands `redirect` to node-fetch).
type RequestOptions = HttpRequestOptions & {
	url: string;
	throwForThrottlingEarly?: boolean;
	redirect?: 'manual' | 'follow' | 'error';
};

/**
 * Zapier stops an action after 30 seconds (requests and code together) with a generic timeout that
 * says nothing about Nexor. Giving up on Nexor a little earlier lets the step fail with our own
 * "Could not reach Nexor" message instead. NEXOR_REQUEST_TIMEOUT_MS can only shorten it (tests).
 */
export const REQUEST_TIMEOUT_MS = 25_000;

export function requestTimeoutMs(): number {
	const asked = Number(process.env.NEXOR_REQUEST_TIMEOUT_MS);
	return Number.isFinite(asked) && asked >= 100 && asked < REQUEST_TIMEOUT_MS ? asked : REQUEST_TIMEOUT_MS;
}

function isNetworkFailure(error: unknown): error is { name: string; code?: unknown; type?: unknown; message?: unknown } {
	// node-fetch (used by z.request) rejects with FetchError for resets, refusals, DNS and timeouts.
	const name = (error as { name?: unknown } | null)?.name;
	return name === 'FetchError' || name === 'AbortError';
}

/** node-fetch's failure as core's network code; its own timeout has no code: call it ETIMEDOUT, as n8n does. */
function networkCode(error: { code?: unknown; type?: unknown }): string | undefined {
	if (typeof error.code === 'string') return error.code;
	if (error.type === 'request-timeout' || error.type === 'body-timeout') return 'ETIMEDOUT';
	return typeof error.type === 'string' ? error.type : undefined;
}

/** One z.request: whatever came back, for every status. */
async function exchange(z: ZObject, base: string, request: NexorRequest): Promise<HttpExchange> {
	const options: RequestOptions = {
		method: request.method,
		url: base + request.path,
		params: request.query,
		// Core's exact bytes: an object body would go through z.request's cleaner, which strips
		// "{{…}}" text from top-level string values (cleaner.js normalizeEmptyBodyFields).
		body: request.body === undefined ? undefined : JSON.stringify(request.body),
		// Every status is judged by core's send loop, never by throwForStatus.
		skipThrowForStatus: true,
		// Core 19 would otherwise throw its own ThrottledError for a 429 before we see it, reading
		// Retry-After with parseInt (an HTTP date becomes "no delay") and wording it generically.
		throwForThrottlingEarly: false,
		// node-fetch passes X-API-Key on to a redirect's new host: never follow one.
		redirect: 'manual',
		timeout: requestTimeoutMs(),
	};
	let response: HttpResponse;
	try {
		response = await z.request(options);
	} catch (error) {
		if (!isNetworkFailure(error)) throw error;
		return { network: { code: networkCode(error), message: typeof error.message === 'string' ? error.message : undefined } };
	}
	return { status: response.status, headers: plainHeaders(response), body: response.content };
}

/**
 * Sends one prepared call through core's loop with a single try: Zapier schedules retries itself
 * (a ThrottledError carries Nexor's Retry-After) and a step has 30 seconds in all.
 */
export async function runCall<R>(z: ZObject, bundle: Bundle, call: PreparedCall<R>): Promise<R> {
	const secret = secretOf(bundle.authData);
	try {
		const base = baseUrl();
		return await sendCall(
			{
				http: (request) => exchange(z, base, request),
				now: () => Date.now(),
				// Never called with one try; a real sleep keeps the loop honest if that changes.
				sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
				random: Math.random,
				gate: new RateGate(),
				breaker: new Breaker(),
				stop: new StopSignal(),
				secret,
				maxAttempts: 1,
			},
			call,
		);
	} catch (error) {
		throw toZapierError(z, error, { secret });
	}
}

/**
 * One core operation from start to finish: its input checked by core (a refusal becomes InvalidData,
 * or a HaltedError, before anything is sent), then the call through runCall. Every action runs this.
 */
export async function runOperation<I, R>(z: ZObject, bundle: Bundle, operation: Operation<I, R>, input: I): Promise<R> {
	let call: PreparedCall<R>;
	try {
		call = operation.prepare(input);
	} catch (error) {
		throw toZapierError(z, error, { secret: secretOf(bundle.authData) });
	}
	return await runCall(z, bundle, call);
}
