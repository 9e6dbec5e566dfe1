import type { Authentication, Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import {
	CredentialCheckVerdict,
	NexorInputError,
	credentialCheckMessage,
	judgeCredentialCheck,
	judgeCredentialCheckNetwork,
	prepareCredentialCheck,
} from '../../core/index';
import { rawBaseUrl } from './base-url.cjs';
import { secretOf } from './errors.cjs';
import { NexorRequestTags, requestTimeoutMs } from './transport.cjs';

/**
 * Nexor has no /me endpoint, so nothing names the account. The label shows the key's last four
 * characters (like a card number) so two connections can be told apart; never more of the key.
 */
export function keyEnding(authData: Record<string, unknown> | undefined): string {
	const key = secretOf(authData);
	return key !== undefined && key.length >= 16 ? key.slice(-4) : '';
}

// throwForThrottlingEarly is missing from core 19.1.0's HttpRequestOptions typings although core
// reads it (prepare-request.js); `redirect` is typed, and request-client.js hands it to node-fetch.
type RequestOptions = HttpRequestOptions & { url: string; throwForThrottlingEarly?: boolean };

function plainHeaders(response: HttpResponse): Record<string, string> {
	const out: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		out[name] = value;
	});
	return out;
}

/** The Zapier error for a failed connection test: core's words, a code per kind of problem. */
function testError(z: ZObject, verdict: Exclude<CredentialCheckVerdict, { ok: true }>, secret?: string): Error {
	const message = credentialCheckMessage(verdict, secret);
	switch (verdict.problem) {
		case 'auth':
			return new z.errors.Error(message, 'AuthenticationError', verdict.status ?? 401);
		case 'not_found':
			return new z.errors.Error(message, 'NotFound', 404);
		case 'rate_limited':
			return new z.errors.Error(message, 'RateLimited', 429);
		case 'server':
			return new z.errors.Error(message, 'NexorUnavailable', verdict.status ?? 500);
		case 'network':
			return new z.errors.Error(message, 'NexorUnreachable', 503);
		case 'rejected':
			return new z.errors.Error(message, 'InvalidData', verdict.status ?? 400);
		case 'redirect':
		case 'not_nexor':
			// Something answered, but not Nexor: a bad gateway, whatever status it used.
			return new z.errors.Error(message, 'UnexpectedResponse', 502);
	}
}

/**
 * "Test connection": core's credential check, the same one the n8n credential runs. The Base URL
 * and the key pass core's checks before anything is sent; redirects are not followed (the key
 * must never reach another host); only Nexor's own answer to GET /tags passes.
 */
async function test(z: ZObject, bundle: Bundle): Promise<{ key_ending: string }> {
	const secret = secretOf(bundle.authData);
	let check;
	try {
		check = prepareCredentialCheck({ baseUrl: rawBaseUrl(), apiKey: bundle.authData?.api_key });
	} catch (error) {
		if (!(error instanceof NexorInputError)) throw error;
		const message = credentialCheckMessage(error, secret);
		if (error.field === 'api_key') throw new z.errors.Error(message, 'AuthenticationError', 401);
		throw new z.errors.Error(message, 'InvalidData', 400);
	}
	const tags: NexorRequestTags = { authTest: true };
	const options: RequestOptions = {
		method: check.method,
		url: check.url,
		// The key is added by the beforeRequest middleware (the same trimmed key core checked).
		headers: { Accept: check.headers.Accept },
		redirect: 'manual',
		skipThrowForStatus: true,
		throwForThrottlingEarly: false,
		timeout: requestTimeoutMs(),
		middlewareData: { ...tags },
	};
	let response: HttpResponse;
	try {
		response = await z.request(options);
	} catch (error) {
		// node-fetch's FetchError: refused, reset, DNS, TLS; its own timeout has a type, not a code.
		const e = error as { name?: unknown; code?: unknown; type?: unknown };
		if (e?.name !== 'FetchError' && e?.name !== 'AbortError') throw error;
		const timedOut = e.type === 'request-timeout' || e.type === 'body-timeout';
		const verdict = judgeCredentialCheckNetwork({ code: typeof e.code === 'string' ? e.code : undefined, timedOut });
		throw testError(z, verdict as Exclude<CredentialCheckVerdict, { ok: true }>, check.apiKey);
	}
	const verdict = judgeCredentialCheck(
		{ status: response.status, headers: plainHeaders(response), body: response.content },
		check.apiKey,
	);
	if (!verdict.ok) throw testError(z, verdict, check.apiKey);
	return { key_ending: keyEnding(bundle.authData) };
}

/** `bundle.inputData` holds what `test` returned. */
async function connectionLabel(_z: ZObject, bundle: Bundle): Promise<string> {
	const ending = bundle.inputData?.key_ending;
	return typeof ending === 'string' && ending !== '' ? `Nexor (key ending …${ending})` : 'Nexor';
}

const authentication: Authentication = {
	type: 'custom',
	fields: [
		{
			key: 'api_key',
			label: 'API Key',
			type: 'password',
			required: true,
			helpText:
				'Your Nexor API key. In the Nexor dashboard, click your profile at the bottom left and open **Integrations** to copy it. It starts with `nxr_live_`. [How Nexor API keys work](https://docs.getnexor.ai/docs/en/api/authentication).',
		},
	],
	test,
	connectionLabel,
};

export default authentication;
