/**
 * Reading Nexor's 2xx answers defensively: a body that is not what the docs show becomes a clear
 * NexorApiError ("Nexor answered in a shape this integration doesn't know"), never a wrong or empty result.
 */
import { NexorApiError } from './errors';
import { isPlainObject } from './values';

export function unexpectedAnswer(status: number | undefined, detail: string, fix?: string): NexorApiError {
	return new NexorApiError({
		kind: 'unexpected_response',
		status,
		retryable: false,
		message: `Nexor sent an unexpected response: ${detail}`,
		fix: fix ?? 'The request may or may not have been applied. Check the lead in Nexor; if this repeats, contact Nexor support.',
	});
}

/** The body as parsed JSON: text is parsed, an empty body or HTML is an error. */
export function parsedBody(body: unknown, status: number | undefined): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') throw unexpectedAnswer(status, 'the body was empty');
	try {
		return JSON.parse(body);
	} catch {
		throw unexpectedAnswer(status, /^\s*</.test(body) ? 'an HTML page instead of JSON' : 'text that is not valid JSON');
	}
}

/** The body as a JSON object; `{success: false}` is a failure even with a 2xx status. */
export function answerObject(body: unknown, status: number | undefined): Record<string, unknown> {
	const parsed = parsedBody(body, status);
	if (!isPlainObject(parsed)) throw unexpectedAnswer(status, 'the body was not a JSON object');
	if (parsed.success === false) throw unexpectedAnswer(status, 'Nexor reported that the request did not succeed');
	return parsed;
}

/**
 * A list Nexor answers for an endpoint it references but doesn't specify (GET /leads, /workflows,
 * /campaigns): under `key`, under `data`, or a bare array. Anything else is refused rather than read
 * as "no results", and so is an element that is not an object with an `id`.
 */
export function answerList(body: unknown, status: number | undefined, key: string): Array<Record<string, unknown>> {
	const parsed = parsedBody(body, status);
	let list: unknown;
	if (Array.isArray(parsed)) list = parsed;
	else if (isPlainObject(parsed) && Array.isArray(parsed[key])) list = parsed[key];
	else if (isPlainObject(parsed) && Array.isArray(parsed.data)) list = parsed.data;
	const unknownShape = `Nexor answered GET /${key} in a shape this integration doesn't know`;
	const fix = `Nothing was changed. Expected a list under "${key}" or "data", or a bare list. If this repeats, tell Nexor support or the integration's maintainers what Nexor answered.`;
	if (!Array.isArray(list)) throw unexpectedAnswer(status, unknownShape, fix);
	for (const element of list) {
		if (!isPlainObject(element) || (typeof element.id !== 'string' && typeof element.id !== 'number')) {
			throw unexpectedAnswer(status, `${unknownShape}: an entry has no ID`, fix);
		}
	}
	return list as Array<Record<string, unknown>>;
}

/** The array under `key` in an object answer (`{data: [...]}`, `{meetings: [...]}`). */
export function answerArray(body: unknown, status: number | undefined, key: string): Array<Record<string, unknown>> {
	const parsed = answerObject(body, status);
	const list = parsed[key];
	if (!Array.isArray(list) || !list.every(isPlainObject)) {
		throw unexpectedAnswer(status, `it did not contain a list under "${key}"`);
	}
	return list as Array<Record<string, unknown>>;
}

/** An object answer without its `success: true` flag: what a person needs, nothing to ignore. */
export function withoutSuccessFlag(answer: Record<string, unknown>): Record<string, unknown> {
	const rest = { ...answer };
	if (rest.success === true) delete rest.success;
	return rest;
}
