/** The credential's Base URL: absolute http(s), no query or fragment, no trailing slash. */
import { NexorInputError, quoteShort } from './errors';

export const DEFAULT_BASE_URL = 'https://api.getnexor.ai/api/public';

const LABEL = 'Base URL';
const FIX = `Use Nexor's API address, ${DEFAULT_BASE_URL}, unless Nexor gave you another one.`;

export function normalizeBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') throw new NexorInputError('base_url', LABEL, 'The Base URL is empty', FIX);
	const match = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)$/i.exec(text);
	if (!match) {
		throw new NexorInputError(
			'base_url',
			LABEL,
			`The Base URL ${quoteShort(text)} is not a full http(s) address without a query`,
			FIX,
		);
	}
	const [, scheme, host, path] = match;
	return `${scheme.toLowerCase()}://${host}${path.replace(/\/+$/, '')}`;
}
