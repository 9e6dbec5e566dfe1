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

/** Retry-After as seconds or as an HTTP date; `undefined` when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
	const value = header(headers, 'retry-after')?.trim();
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
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

function classify(input: FailureInput, said: string | undefined, tries: string): Verdict {
	const status = input.status;
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
	if (status === 401 || status === 403) {
		return {
			kind: 'auth',
			retryable: false,
			message: 'Nexor rejected the API key',
			fix: 'Copy a valid key from the Nexor dashboard (your profile at the bottom left → Integrations) and update your Nexor connection with it. Keys start with nxr_live_.',
		};
	}
	if (status === 404) {
		const id = input.leadId ? ` ${input.leadId}` : '';
		return {
			kind: 'not_found',
			retryable: false,
			message: `No lead with ID${id} exists in this Nexor account`,
			fix: 'Check the Lead ID: map the ID of an existing lead that belongs to the same Nexor account as the API key.',
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
			message: said ? `Nexor rejected the update: ${said}` : `Nexor rejected the update (HTTP ${status})`,
			fix: 'Correct the value Nexor names and run again.',
		};
	}
	return {
		kind: 'unexpected_response',
		retryable: false,
		message: `Nexor sent an unexpected response (HTTP ${status})`,
		fix: 'The update may not have been applied. Check the lead in Nexor; if this repeats, contact Nexor support.',
	};
}

/** Decide what a failed try means and whether another one should follow. */
export function interpretFailure(input: FailureInput): Failure {
	const said = nexorMessage(input.body, input.secret);
	const tries = input.attempt > 1 ? ` after ${input.attempt} tries` : '';
	const verdict = classify(input, said, tries);
	const error = new NexorApiError({
		kind: verdict.kind,
		message: scrub(verdict.message, input.secret),
		fix: verdict.fix,
		retryable: verdict.retryable,
		status: input.status,
		nexorMessage: said,
	});
	if (!verdict.retryable || input.attempt >= RETRY_POLICY.maxAttempts) return { error };
	const asked = input.status !== undefined ? retryAfterMs(input.headers, input.now) : undefined;
	const retryInMs =
		asked !== undefined
			? Math.min(asked, RETRY_POLICY.maxRetryAfterMs)
			: backoffMs(input.attempt, input.random);
	return { error, retryInMs };
}
