/** The one place that talks HTTP to Nexor. */
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import { baseUrl } from './base-url.cjs';
import { networkError, secretOf, toZapierError } from './errors.cjs';

/** What afterResponse needs to know about a request (`response.request.middlewareData`). */
export interface NexorRequestTags {
	/** The connection test: a 401 there is "wrong key", not "connection expired". */
	authTest?: boolean;
	/** The lead an update was for, so a 404 can name it. */
	leadId?: string;
}

// Missing from core 19.1.0's HttpRequestOptions typings although core reads it (prepare-request.js).
type RequestOptions = HttpRequestOptions & { url: string; throwForThrottlingEarly?: boolean };

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

export async function send(
	z: ZObject,
	bundle: Bundle,
	request: { method: 'GET' | 'PUT'; path: string; body?: string; tags: NexorRequestTags },
): Promise<HttpResponse> {
	const secret = secretOf(bundle.authData);
	let url: string;
	try {
		url = baseUrl() + request.path;
	} catch (error) {
		throw toZapierError(z, error, { secret });
	}
	const options: RequestOptions = {
		method: request.method,
		url,
		body: request.body,
		// Every status is mapped by core (afterResponse in middleware.cts), never by throwForStatus.
		skipThrowForStatus: true,
		// Core 19 would otherwise throw its own ThrottledError for a 429 *before* afterResponse runs,
		// reading Retry-After with parseInt: an HTTP-date Retry-After becomes "no delay" and the
		// message is generic. Off, so core's retryAfterMs reads both forms and core words the message.
		throwForThrottlingEarly: false,
		timeout: requestTimeoutMs(),
		middlewareData: { ...request.tags },
	};
	try {
		return await z.request(options);
	} catch (error) {
		if (isNetworkFailure(error)) throw networkError(z, error, secret);
		throw error;
	}
}
