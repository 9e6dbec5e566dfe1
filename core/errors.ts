/**
 * Typed errors that platform shells translate into their own error classes
 * (NodeOperationError/NodeApiError in n8n, z.errors.* in Zapier).
 */

export type InputErrorCode = 'invalid' | 'nothing_to_update';

/** Bad input, caught before any request is sent. */
export class NexorInputError extends Error {
	readonly kind = 'input' as const;

	constructor(
		/** The input it is about: a Nexor field name, or lead_id, clear_fields, metadata, api_key, base_url. */
		readonly field: string,
		/** The label a person sees for that input. */
		readonly label: string,
		/** What is wrong, naming the label. */
		message: string,
		/** How to fix it. */
		readonly fix: string,
		readonly code: InputErrorCode = 'invalid',
	) {
		super(message);
		this.name = 'NexorInputError';
	}
}

export type FailureKind =
	| 'auth'
	| 'not_found'
	| 'validation'
	| 'rate_limited'
	| 'server'
	| 'network'
	| 'unexpected_response';

/** A failed exchange with Nexor, interpreted. */
export class NexorApiError extends Error {
	readonly kind: FailureKind;
	/** HTTP status, when Nexor answered. */
	readonly status?: number;
	/** Nexor's own words (its `message` or `error`), already stripped of secrets. */
	readonly nexorMessage?: string;
	/** What the person should do next. */
	readonly fix: string;
	readonly retryable: boolean;
	/** Retry-After from Nexor's answer, in ms, when it gave a usable one (uncapped: see retryDelayMs). */
	readonly retryAfterMs?: number;

	constructor(init: {
		kind: FailureKind;
		message: string;
		fix: string;
		retryable: boolean;
		status?: number;
		nexorMessage?: string;
		retryAfterMs?: number;
	}) {
		super(init.message);
		this.name = 'NexorApiError';
		this.kind = init.kind;
		this.fix = init.fix;
		this.retryable = init.retryable;
		this.status = init.status;
		this.nexorMessage = init.nexorMessage;
		this.retryAfterMs = init.retryAfterMs;
	}
}

/** `"abc…"`: a value quoted and cut short so an error message stays readable and one line. */
export function quoteShort(value: unknown, max = 40): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else if (value === undefined) return 'nothing';
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	}
	const chars = Array.from(text);
	const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
	// JSON quoting makes spaces, newlines and NUL visible; zero-width and other invisible Unicode
	// characters are spelled out too, or a bad value would look exactly like a good one.
	return JSON.stringify(cut).replace(
		/[\u00a0\u00ad\u061c\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}
