/** Reads Nexor's answer to an update: `{ success, lead }` or a bare lead object both give the lead. */
import { NexorApiError, quoteShort } from './errors';
import { isPlainObject } from './values';

export type Lead = Record<string, unknown> & { id: string };

function unexpected(status: number | undefined, detail: string): NexorApiError {
	return new NexorApiError({
		kind: 'unexpected_response',
		status,
		retryable: false,
		message: `Nexor sent an unexpected response: ${detail}`,
		fix: 'The update may or may not have been applied. Check the lead in Nexor; if this repeats, contact Nexor support.',
	});
}

function isLead(value: unknown): value is Lead {
	return isPlainObject(value) && typeof value.id === 'string' && value.id !== '';
}

/**
 * `body` may be parsed JSON or the raw text of the response. With `expectedId` (the lead the request
 * updated), an answer about another lead is refused: returning it would tie the wrong lead to the item.
 */
export function readLead(body: unknown, status?: number, expectedId?: string): Lead {
	const lead = leadIn(body, status);
	if (expectedId !== undefined && lead.id.toLowerCase() !== expectedId.toLowerCase()) {
		throw unexpected(status, `it returned lead ${quoteShort(lead.id, 40).slice(1, -1)} instead of ${expectedId}`);
	}
	return lead;
}

function leadIn(body: unknown, status: number | undefined): Lead {
	let parsed = body;
	if (typeof body === 'string') {
		if (body.trim() === '') throw unexpected(status, 'the body was empty');
		try {
			parsed = JSON.parse(body);
		} catch {
			const what = /^\s*</.test(body) ? 'an HTML page instead of JSON' : 'text that is not valid JSON';
			throw unexpected(status, what);
		}
	}
	if (!isPlainObject(parsed)) throw unexpected(status, 'the body was not a JSON object');
	if (isLead(parsed.lead)) return parsed.lead;
	if (isLead(parsed)) return parsed;
	if (parsed.success === false) throw unexpected(status, 'Nexor reported that the update did not succeed');
	throw unexpected(status, 'it did not contain the updated lead');
}
