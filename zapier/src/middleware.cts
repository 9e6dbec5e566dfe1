import type { Bundle, HttpRequestOptions, ZObject } from 'zapier-platform-core';
import { NexorInputError, checkApiKey } from '../../core/index';
import { inputError, secretOf } from './errors.cjs';

/**
 * Adds the key to every request, the connection test included. Unconditional on purpose: Zapier's
 * "authentication outside Zaps" derives the header template from this middleware.
 */
export function addNexorHeaders<R extends HttpRequestOptions>(request: R, z: ZObject, bundle: Bundle): R {
	let key: string;
	try {
		key = checkApiKey(bundle.authData?.api_key);
	} catch (error) {
		if (error instanceof NexorInputError) throw inputError(z, error, secretOf(bundle.authData));
		throw error;
	}
	request.headers = {
		...request.headers,
		'X-API-Key': key,
		Accept: 'application/json',
		'Content-Type': 'application/json',
	};
	return request;
}

export const befores = [addNexorHeaders];
// No afterResponse: every answer is judged by core's send loop (transport.cts), the same as in n8n.
export const afters = [];
