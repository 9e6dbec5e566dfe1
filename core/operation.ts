/**
 * An operation is data: what Nexor request an input becomes (or the input error that stops it before
 * anything is sent), how Nexor's answer becomes the result, and which lead it acts on. The send loop
 * (send.ts) and the item runner (runner.ts) run every operation the same way; the platforms only
 * read their inputs into the operation's input shape and hand in their HTTP call.
 */
import type { Headers } from './failures';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request to Nexor, relative to the validated Base URL. */
export interface NexorRequest {
	method: HttpMethod;
	/** Starts with "/"; IDs already URL-encoded. */
	path: string;
	query?: Record<string, string>;
	/** A JSON body; `undefined` for none. */
	body?: unknown;
}

/** A 2xx answer, as the platform's HTTP client delivered it (parsed JSON or raw text). */
export interface NexorAnswer {
	status: number;
	headers?: Headers;
	body: unknown;
}

/** One item's request, checked and ready to send, with everything the loop needs to judge the answer. */
export interface PreparedCall<R> {
	request: NexorRequest;
	/**
	 * The lead it acts on (lower-cased ID, or `email:…`): items for one lead run one after another, in
	 * input order. `undefined`: it touches no lead and may run beside anything.
	 */
	leadKey?: string;
	/**
	 * Whether sending it twice does no harm (PUT, DELETE, GET). A non-idempotent request is retried
	 * only when Nexor certainly didn't act on it (429, connection refused).
	 */
	idempotent: boolean;
	/** Words for failures: the lead a 404 names, what a 400 rejected. */
	failureWords: { leadId?: string; action: string; notFound?: { message: string; fix: string } };
	/** Turns the 2xx answer into the result; throws a NexorApiError when the answer can't be used. */
	read(answer: NexorAnswer): R;
	/**
	 * A list read page by page (limit/offset): the request for the next page, given this page's result
	 * and every result so far, or `undefined` when done. Each page is its own try-and-retry; the
	 * results (arrays) are joined in order. At most MAX_PAGES pages.
	 */
	nextRequest?(page: R, sofar: R[], request: NexorRequest): NexorRequest | undefined;
}

/** Bounds a paged read (200 a page: 100,000 entries), so a list that never ends can't loop forever. */
export const MAX_PAGES = 500;

/** An operation's description: both platforms render and run it from this. */
export interface Operation<Input, Result> {
	resource: string;
	/** The n8n operation value and, in snake_case, the Zapier key. */
	name: string;
	/** Sentence-case action, as n8n's UI guidelines ask: "Update lead". */
	action: string;
	/** Checks the input and builds the call; throws NexorInputError before anything is sent. */
	prepare(input: Input): PreparedCall<Result>;
}
