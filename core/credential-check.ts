/**
 * The connection test ("Test" on the n8n credential, "Test connection" in Zapier), decided in one
 * place so both platforms accept exactly the Base URLs and keys the Update Lead action accepts, and
 * pass only when a real Nexor answered. Pure: the shells send the request this module prepares
 * (never following a redirect) and hand back what came, or why nothing did.
 */
import { NexorInputError, quoteShort } from './errors';
import { normalizeBaseUrl } from './base-url';
import { REDACTED, checkApiKey } from './secrets';
import { isPlainObject } from './values';

/** Nexor has no "who am I" endpoint; listing tags is the cheapest documented read. */
export const CREDENTIAL_CHECK_PATH = '/tags';

/** What to send: only built once the Base URL and the key have passed core's checks. */
export interface CredentialCheckRequest {
	method: 'GET';
	/** The normalized Base URL (the host the key may go to). */
	baseUrl: string;
	/** `baseUrl` + `/tags`. */
	url: string;
	/** The key as it must be sent (trimmed), also what to keep out of every message. */
	apiKey: string;
	headers: { 'X-API-Key': string; Accept: 'application/json' };
	/**
	 * A redirect is an answer, never an instruction: the shell must not follow it (the key would go
	 * to the host in `Location`).
	 */
	followRedirects: false;
}

/**
 * The request for the connection test, or the NexorInputError (field `base_url` or `api_key`)
 * that says what to fix. The Base URL is checked first, so nothing is sent to an address the
 * Update Lead action would refuse.
 */
export function prepareCredentialCheck(input: { baseUrl: unknown; apiKey: unknown }): CredentialCheckRequest {
	const baseUrl = normalizeBaseUrl(input.baseUrl);
	const apiKey = checkApiKey(input.apiKey);
	return {
		method: 'GET',
		baseUrl,
		url: `${baseUrl}${CREDENTIAL_CHECK_PATH}`,
		apiKey,
		headers: { 'X-API-Key': apiKey, Accept: 'application/json' },
		followRedirects: false,
	};
}

export type CredentialCheckProblem =
	| 'auth'
	| 'not_found'
	| 'redirect'
	| 'not_nexor'
	| 'rate_limited'
	| 'server'
	| 'rejected'
	| 'network';

export type CredentialCheckVerdict =
	| { ok: true; message: string }
	| {
			ok: false;
			problem: CredentialCheckProblem;
			/** HTTP status, when something answered. */
			status?: number;
			/** What is wrong, one line, without the key. */
			message: string;
			/** What to do about it. */
			fix: string;
	  };

export type CredentialCheckHeaders = Record<string, string | string[] | number | undefined | null>;

export interface CredentialCheckAnswer {
	status: number;
	headers?: CredentialCheckHeaders;
	/** The body as received: raw text (preferred), a Buffer-like already decoded to text, or parsed JSON. */
	body?: unknown;
}

const DEFAULT_BASE_URL_HINT =
	'Use https://api.getnexor.ai/api/public unless Nexor gave you another address: the Base URL ends in /api/public, without /tags or /leads.';
const KEY_FIX =
	'Copy the key again from the Nexor dashboard (your profile at the bottom left → Integrations) into the API Key field; it starts with nxr_live_.';
const MAX_SAID = 200;

function header(headers: CredentialCheckHeaders | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== name) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return first === undefined || first === null ? undefined : String(first);
	}
	return undefined;
}

function scrub(text: string, secret: string | undefined): string {
	let out = secret ? text.split(secret).join(REDACTED) : text;
	out = out.replace(/\s+/g, ' ').trim();
	const chars = Array.from(out);
	return chars.length > MAX_SAID ? `${chars.slice(0, MAX_SAID).join('')}…` : out;
}

type Body =
	| { kind: 'empty' }
	| { kind: 'html' }
	| { kind: 'json'; value: unknown }
	| { kind: 'text'; text: string };

function readBody(body: unknown, contentType: string | undefined): Body {
	if (body === undefined || body === null) return { kind: 'empty' };
	if (typeof body !== 'string') return { kind: 'json', value: body };
	if (body.trim() === '') return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(body) };
	} catch {
		// Not JSON: a web page (a captive portal, a proxy's error page, a website) or plain text.
		if (/^\s*</.test(body) || /html/i.test(contentType ?? '')) return { kind: 'html' };
		return { kind: 'text', text: body };
	}
}

/** Nexor's own words from `{error, message}`, if the body has them. */
function nexorSaid(body: Body, secret: string | undefined): string | undefined {
	if (body.kind !== 'json' || !isPlainObject(body.value)) return undefined;
	const pick = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
	const said = pick(body.value.message) ?? pick(body.value.error);
	return said === undefined ? undefined : scrub(said, secret);
}

/** `GET /tags` answered `{"data": [...]}`: what Nexor documents. Anything else is not Nexor. */
function isTagList(body: Body): boolean {
	return body.kind === 'json' && isPlainObject(body.value) && Array.isArray(body.value.data);
}

function fail(
	problem: CredentialCheckProblem,
	status: number | undefined,
	message: string,
	fix: string,
): CredentialCheckVerdict {
	return { ok: false, problem, status, message, fix };
}

/**
 * Judges what came back from the prepared request. `secret` (the key) is kept out of every word;
 * nothing in an answer is trusted to be free of it.
 */
export function judgeCredentialCheck(answer: CredentialCheckAnswer, secret?: string): CredentialCheckVerdict {
	const status = answer.status;
	const contentType = header(answer.headers, 'content-type');
	const body = readBody(answer.body, contentType);
	if (!Number.isInteger(status) || status < 100 || status > 599) {
		return fail(
			'not_nexor',
			undefined,
			'The Base URL did not answer like Nexor (no valid HTTP status)',
			DEFAULT_BASE_URL_HINT,
		);
	}
	if (status >= 200 && status < 300) {
		if (isTagList(body)) return { ok: true, message: 'Connection successful: Nexor accepted the API key' };
		const what =
			body.kind === 'html'
				? 'a web page (HTML)'
				: body.kind === 'empty'
					? 'an empty answer'
					: body.kind === 'text'
						? 'text that is not JSON'
						: "JSON that is not Nexor's list of tags";
		return fail(
			'not_nexor',
			status,
			`The Base URL answered HTTP ${status} with ${what} instead of Nexor's answer, so the API key could not be checked`,
			`${DEFAULT_BASE_URL_HINT} A Wi-Fi login page, a proxy or a website at that address can cause this.`,
		);
	}
	if (status >= 300 && status < 400) {
		const location = header(answer.headers, 'location');
		const to = location ? ` to ${quoteShort(scrub(location, secret), 80)}` : '';
		return fail(
			'redirect',
			status,
			`The Base URL answered with a redirect (HTTP ${status})${to}; redirects are not followed, so the API key was not sent there`,
			`${DEFAULT_BASE_URL_HINT} If Nexor moved its API, enter the new address itself as the Base URL.`,
		);
	}
	if (status === 401 || status === 403) {
		return fail('auth', status, `Nexor rejected the API key (HTTP ${status})`, KEY_FIX);
	}
	if (status === 404) {
		return fail(
			'not_found',
			status,
			'Nexor could not be found at this Base URL (HTTP 404 for GET /tags)',
			DEFAULT_BASE_URL_HINT,
		);
	}
	if (status === 429) {
		return fail(
			'rate_limited',
			status,
			'Nexor is receiving too many requests right now (HTTP 429)',
			'The Base URL and key may well be right. Wait a minute and test again.',
		);
	}
	if (status >= 500) {
		return fail(
			'server',
			status,
			`Nexor is temporarily unavailable (HTTP ${status})`,
			'Test again in a few minutes; if it keeps happening, check the Base URL, then contact Nexor support.',
		);
	}
	const said = nexorSaid(body, secret);
	return fail(
		'rejected',
		status,
		said
			? `The Base URL refused the connection test (HTTP ${status}): ${said}`
			: `The Base URL refused the connection test (HTTP ${status})`,
		`Check the Base URL and the API Key. ${DEFAULT_BASE_URL_HINT}`,
	);
}

const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT']);

/** No HTTP answer at all: refused, reset, DNS, timeout, TLS. `code` is the Node error code when known. */
export function judgeCredentialCheckNetwork(network: { code?: string; timedOut?: boolean }): CredentialCheckVerdict {
	const raw = typeof network.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(network.code) ? network.code : undefined;
	const code = network.timedOut ? 'ETIMEDOUT' : (raw ?? 'no response');
	if (NOT_FOUND_CODES.has(code)) {
		return fail(
			'network',
			undefined,
			`The Base URL's host name could not be found (${code})`,
			`Check the spelling of the Base URL. ${DEFAULT_BASE_URL_HINT}`,
		);
	}
	if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
		return fail(
			'network',
			undefined,
			`The Base URL's HTTPS certificate could not be verified (${code})`,
			`The server at that address is not the Nexor it claims to be, or a proxy is in the way. ${DEFAULT_BASE_URL_HINT}`,
		);
	}
	return fail(
		'network',
		undefined,
		TIMEOUT_CODES.has(code)
			? `Nexor did not answer in time at this Base URL (${code})`
			: `Could not reach Nexor at this Base URL (${code})`,
		`Check the Base URL and that this machine can reach it, then test again. ${DEFAULT_BASE_URL_HINT}`,
	);
}

/** One line for a person: what is wrong, then what to do; the key never in it. */
export function credentialCheckMessage(
	verdict: CredentialCheckVerdict | NexorInputError,
	secret?: string,
): string {
	if ('ok' in verdict && verdict.ok) return verdict.message;
	const { message, fix } = verdict as { message: string; fix: string };
	const text = `${message.replace(/[.\s]+$/, '')}. ${fix}`;
	return secret ? text.split(secret).join(REDACTED) : text;
}
