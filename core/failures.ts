/**
 * Interprets a failed exchange with Nexor: what kind of failure it is, whether to try again and
 * after how long, and what a person should read. Shells do the sending and the sleeping.
 */
import { FailureKind, NexorApiError } from './errors';
import { isPlainObject } from './values';

export const RETRY_POLICY = {
	/** Tries in all, the first included. */
	maxAttempts: 5,
	baseDelayMs: 500,
	maxBackoffMs: 8_000,
	/** A Retry-After longer than this is cut down to it, so a run never stalls for long. */
	maxRetryAfterMs: 60_000,
} as const;

export type Headers = Record<string, string | string[] | number | undefined | null>;

export interface FailureInput {
	/** HTTP status, when Nexor answered. */
	status?: number;
	headers?: Headers;
	/** The response body: parsed JSON, raw text, or nothing. */
	body?: unknown;
	/** Set when no HTTP answer arrived (reset, refused, timeout, DNS). */
	network?: { code?: string; message?: string };
	/** 1 for the first try. */
	attempt: number;
	/** Epoch ms, for Retry-After given as an HTTP date. */
	now: number;
	/** A number in [0, 1): the jitter source. */
	random: number;
	/** Text to keep out of every message (the API key). */
	secret?: string;
	/** The lead the request was for, so a 404 can name it. */
	leadId?: string;
	/** What the operation calls its request in messages ("update", "request"); default "update". */
	action?: string;
	/** What a 404 means for this request, when it isn't "no such lead" (e.g. the connection test). */
	notFound?: { message: string; fix: string };
}

/** What classification needs: the exchange and the words for it, never an attempt number or a random draw. */
export type ExchangeFailure = Omit<FailureInput, 'attempt' | 'random'> & {
	/** Tries made so far, only for the wording ("after 5 tries"); classification never depends on it. */
	tries?: number;
}

export interface Failure {
	error: NexorApiError;
	/** Milliseconds to wait before the next try; `undefined` = give up and report `error`. */
	retryInMs?: number;
}

function header(headers: Headers | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== name) continue;
		if (Array.isArray(value)) return value[0];
		if (value === undefined || value === null) return undefined;
		return String(value);
	}
	return undefined;
}

/** Every HTTP-date form (RFC 9110 §5.6.7: IMF-fixdate, RFC 850, asctime) starts with a day name. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

/**
 * Retry-After as seconds or as an HTTP date; `undefined` when absent, unreadable, negative, a list
 * ("5, 10") or a date already past, so the caller falls back to its normal backoff instead of
 * retrying at once (`Date.parse` alone reads "-1" and "5, 10" as dates in the past).
 */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
	const value = header(headers, 'retry-after')?.trim();
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	if (!HTTP_DATE.test(value)) return undefined;
	const date = Date.parse(value);
	if (Number.isNaN(date) || date <= now) return undefined;
	return date - now;
}

/** Exponential backoff with jitter: half fixed, half random, so workers don't retry in step. */
export function backoffMs(attempt: number, random: number): number {
	const ceiling = Math.min(RETRY_POLICY.maxBackoffMs, RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

const MAX_MESSAGE = 300;

function scrub(text: string, secret: string | undefined): string {
	let out = text;
	if (secret) out = out.split(secret).join('[redacted]');
	out = out.replace(/\s+/g, ' ').trim();
	if (out.length <= MAX_MESSAGE) return out;
	// Cut by code points: slicing UTF-16 units could split an emoji into a lone surrogate.
	const chars = Array.from(out);
	return chars.length > MAX_MESSAGE ? `${chars.slice(0, MAX_MESSAGE).join('')}…` : out;
}

function looksLikeHtml(text: string): boolean {
	return /^\s*</.test(text);
}

/** Nexor's own explanation: `message`, else `error`, from `{error, message}`, `{error}` or text. */
export function nexorMessage(body: unknown, secret?: string): string | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		if (body.trim() === '' || looksLikeHtml(body)) return undefined;
		try {
			parsed = JSON.parse(body);
		} catch {
			return scrub(body, secret);
		}
	}
	if (!isPlainObject(parsed)) return undefined;
	const pick = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
	const nested = isPlainObject(parsed.error) ? pick(parsed.error.message) : undefined;
	const text = pick(parsed.message) ?? pick(parsed.error) ?? nested;
	return text === undefined ? undefined : scrub(text, secret);
}

const NETWORK_GIVE_UP = new Set(['ENOTFOUND', 'EAI_FAIL', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED']);

interface Verdict {
	kind: FailureKind;
	retryable: boolean;
	message: string;
	fix: string;
}

function redirectTarget(headers: Headers | undefined, secret: string | undefined): string {
	const location = header(headers, 'location');
	if (!location) return '';
	const cut = scrub(location, secret);
	return `It pointed to ${cut.length > 120 ? `${cut.slice(0, 120)}…` : cut}. `;
}

function classify(input: ExchangeFailure, said: string | undefined, tries: string): Verdict {
	const status = input.status;
	const action = input.action ?? 'update';
	if (status === undefined) {
		const code = input.network?.code ?? 'no response';
		const retryable = !NETWORK_GIVE_UP.has(code);
		return {
			kind: 'network',
			retryable,
			message: `Could not reach Nexor (${code})`,
			fix: retryable
				? `No answer came back${tries}. Check that Nexor is reachable and that your Nexor connection points at the right address, then run again.`
				: "Nexor's address could not be found. Check the Base URL of your Nexor connection (the default is https://api.getnexor.ai/api/public).",
		};
	}
	if (status >= 300 && status < 400) {
		// Redirects are never followed: a second host must never receive the API key.
		return {
			kind: 'unexpected_response',
			retryable: false,
			message: `Nexor's address answered with a redirect (HTTP ${status})`,
			fix: `${redirectTarget(input.headers, input.secret)}Nothing was sent to the other address, and your API key was not passed on. Check the Base URL of your Nexor connection: use https://api.getnexor.ai/api/public unless Nexor gave you another address.`,
		};
	}
	if (status === 401 || status === 403) {
		return {
			kind: 'auth',
			retryable: false,
			message: 'Nexor rejected the API key',
			fix: 'Copy a valid key from the Nexor dashboard (your profile at the bottom left → Integrations) and update your Nexor connection with it. Keys start with nxr_live_.',
		};
	}
	if (status === 404) {
		if (input.notFound) return { kind: 'not_found', retryable: false, ...input.notFound };
		if (input.leadId === undefined) {
			return {
				kind: 'not_found',
				retryable: false,
				message: 'Nexor answered "not found" (HTTP 404)',
				fix: 'Check the Base URL of your Nexor connection (the default is https://api.getnexor.ai/api/public) and the IDs you mapped.',
			};
		}
		return {
			kind: 'not_found',
			retryable: false,
			message: `No lead with ID ${input.leadId} exists in this Nexor account`,
			fix: 'Check the Lead ID: map the ID of an existing lead that belongs to the same Nexor account as the API key.',
		};
	}
	if (status === 408) {
		// Request Timeout: the server gave up waiting, nothing was done; like a timeout on our side.
		return {
			kind: 'server',
			retryable: true,
			message: 'Nexor timed out waiting for the request (HTTP 408)',
			fix: `Nexor did not finish receiving the request${tries}. Try again in a few minutes; if it keeps happening, contact Nexor support.`,
		};
	}
	if (status === 429) {
		return {
			kind: 'rate_limited',
			retryable: true,
			message: 'Nexor is receiving too many requests right now',
			fix: `Nexor asked to slow down${tries}. Wait a minute and run again, or send fewer updates at once.`,
		};
	}
	if (status >= 500) {
		return {
			kind: 'server',
			// 501 means the server will never do it: trying again can't help.
			retryable: status !== 501,
			message: `Nexor is temporarily unavailable (HTTP ${status})`,
			fix: `Nexor answered with an error${tries}. Try again in a few minutes; if it keeps happening, contact Nexor support.`,
		};
	}
	if (status >= 400) {
		return {
			kind: 'validation',
			retryable: false,
			message: said ? `Nexor rejected the ${action}: ${said}` : `Nexor rejected the ${action} (HTTP ${status})`,
			fix: 'Correct the value Nexor names and run again.',
		};
	}
	return {
		kind: 'unexpected_response',
		retryable: false,
		message: `Nexor sent an unexpected response (HTTP ${status})`,
		fix: `The ${action} may not have been applied. Check the lead in Nexor; if this repeats, contact Nexor support.`,
	};
}

/**
 * What a failed exchange is: its kind, whether another try could help, Nexor's own words, the
 * Retry-After it asked for, and what a person should read. Deterministic: no attempt number, no
 * random draw (Zapier classifies without retrying; the send loop decides the delay separately).
 */
export function classifyFailure(input: ExchangeFailure): NexorApiError {
	const said = nexorMessage(input.body, input.secret);
	const tries = input.tries !== undefined && input.tries > 1 ? ` after ${input.tries} tries` : '';
	const verdict = classify(input, said, tries);
	const asked = input.status !== undefined ? retryAfterMs(input.headers, input.now) : undefined;
	return new NexorApiError({
		kind: verdict.kind,
		message: scrub(verdict.message, input.secret),
		fix: verdict.fix,
		retryable: verdict.retryable,
		status: input.status,
		nexorMessage: said,
		retryAfterMs: asked,
	});
}

/**
 * How long to wait before try `attempt + 1`: Retry-After when Nexor gave one (capped at
 * RETRY_POLICY.maxRetryAfterMs, so a run never stalls for long), else backoff with jitter.
 */
export function retryDelayMs(error: NexorApiError, attempt: number, random: number): number {
	if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, RETRY_POLICY.maxRetryAfterMs);
	return backoffMs(attempt, random);
}

/** Classification and delay together, for one try of a loop with RETRY_POLICY.maxAttempts tries. */
export function interpretFailure(input: FailureInput): Failure {
	const error = classifyFailure({ ...input, tries: input.attempt });
	if (!error.retryable || input.attempt >= RETRY_POLICY.maxAttempts) return { error };
	return { error, retryInMs: retryDelayMs(error, input.attempt, input.random) };
}
