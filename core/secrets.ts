/**
 * Keeps the API key out of everything a person or a log can see, and refuses keys that can only
 * have been pasted wrongly (a header value with a newline would also be a header-injection risk).
 */
import { NexorInputError } from './errors';

export const REDACTED = '[redacted]';

/** A copy of `value` with every occurrence of `secret` replaced, in strings at any depth. */
export function redactSecret<T>(value: T, secret: string | undefined): T {
	if (!secret) return value;
	const seen = new WeakMap<object, unknown>();
	const walk = (item: unknown): unknown => {
		if (typeof item === 'string') return item.split(secret).join(REDACTED);
		if (item === null || typeof item !== 'object') return item;
		if (seen.has(item)) return seen.get(item);
		if (Array.isArray(item)) {
			const out: unknown[] = [];
			seen.set(item, out);
			for (const element of item) out.push(walk(element));
			return out;
		}
		const out: Record<string, unknown> = {};
		seen.set(item, out);
		for (const [key, element] of Object.entries(item)) {
			// defineProperty, not `out[key] =`: a "__proto__" key (JSON.parse makes it an own key) must be
			// copied as a key, not become the copy's prototype.
			Object.defineProperty(out, walk(key) as string, {
				value: walk(element),
				enumerable: true,
				writable: true,
				configurable: true,
			});
		}
		return out;
	};
	return walk(value) as T;
}

const KEY_LABEL = 'API Key';
const KEY_FIX =
	'Copy the key again from the Nexor dashboard (your profile at the bottom left → Integrations) and paste it alone. Keys start with nxr_live_.';

/** Far above any real key, far below the 8–16 KB header limits of common servers. */
export const API_KEY_MAX_LENGTH = 1024;

/** The key, trimmed; a NexorInputError if it cannot be a valid key. */
export function checkApiKey(raw: unknown): string {
	const key = typeof raw === 'string' ? raw.trim() : '';
	if (key === '') {
		throw new NexorInputError('api_key', KEY_LABEL, 'The API Key is empty', KEY_FIX);
	}
	if (key.length > API_KEY_MAX_LENGTH) {
		// A whole file or page pasted by mistake; as a header it would be refused or cut by servers.
		throw new NexorInputError(
			'api_key',
			KEY_LABEL,
			`The API Key is longer than ${API_KEY_MAX_LENGTH} characters`,
			KEY_FIX,
		);
	}
	if (/[\r\n]/.test(key)) {
		throw new NexorInputError('api_key', KEY_LABEL, 'The API Key contains a line break', KEY_FIX);
	}
	if (/\s/.test(key)) {
		throw new NexorInputError('api_key', KEY_LABEL, 'The API Key contains a space', KEY_FIX);
	}
	if (!/^[\x21-\x7e]+$/.test(key)) {
		throw new NexorInputError(
			'api_key',
			KEY_LABEL,
			'The API Key contains characters that are not plain letters, digits or symbols',
			KEY_FIX,
		);
	}
	return key;
}
