import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import { NexorInputError, checkApiKey } from '../../core/index';
import { inputError, responseError, secretOf } from './errors.cjs';
import type { NexorRequestTags } from './transport.cjs';

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

/** Turns every failed answer into the Zapier error core's interpretation calls for. */
export function throwForNexorFailure(response: HttpResponse, z: ZObject, bundle: Bundle): HttpResponse {
	if (response.status < 400) return response;
	const tags = (response.request.middlewareData ?? {}) as NexorRequestTags;
	throw responseError(z, response, {
		secret: secretOf(bundle.authData),
		authTest: tags.authTest === true,
		leadId: tags.leadId,
	});
}

export const befores = [addNexorHeaders];
export const afters = [throwForNexorFailure];
