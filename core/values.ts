/** Small predicates on the raw values users map from forms, ads and spreadsheets. */

/** `''`, whitespace only, `undefined`: a blank never changes data. */
export function isBlank(value: unknown): boolean {
	return value === undefined || (typeof value === 'string' && value.trim() === '');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ASCII hex only: lookalike digits from other scripts are not a UUID. */
export function isUuid(value: string): boolean {
	return UUID.test(value);
}

export const EXAMPLE_UUID = '123e4567-e89b-12d3-a456-426614174000';

/** Tab, LF and CR are allowed (pasted addresses carry them); the rest of C0, DEL and C1 are not. */
export function hasControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		const c0 = code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
		if (c0 || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}

/** One `@`, a dot inside the domain part, no whitespace. Deliberately loose: Nexor is the judge. */
export function looksLikeEmail(value: string): boolean {
	if (/\s/.test(value)) return false;
	const parts = value.split('@');
	if (parts.length !== 2) return false;
	const [local, domain] = parts;
	if (local === '' || domain === '') return false;
	const dot = domain.indexOf('.');
	return dot > 0 && dot < domain.length - 1 && !domain.endsWith('.');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/**
 * Invisible characters a copy from a web page or spreadsheet can carry (zero-width spaces and joiners,
 * direction marks, word joiner, soft hyphen, BOM) as "U+200B" names, so an error can say what a
 * quoted value hides. Empty when there are none.
 */
export function invisibleCharacters(value: string): string[] {
	const found = new Set<string>();
	for (const char of value) {
		if (/[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/.test(char)) {
			found.add(`U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`);
		}
	}
	return [...found];
}
