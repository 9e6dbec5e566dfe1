/** Small predicates on the raw values users map from forms, ads and spreadsheets. */

/**
 * `''`, whitespace only, `undefined` and `null`: what an empty form answer, an empty cell or a
 * missing or null property gives. A blank never changes data unless the user chose to clear.
 */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A JavaScript Date (from any realm), or a Luxon DateTime (n8n's `$now`, `DateTime`): anything with toISO(). */
export function isDateLike(value: unknown): boolean {
	if (value === null || typeof value !== 'object') return false;
	if (Object.prototype.toString.call(value) === '[object Date]') return true;
	return typeof (value as { toISO?: unknown }).toISO === 'function';
}

/** A date as ISO 8601 text (a Date in UTC, a DateTime in its own zone), or `undefined` when it is invalid. */
export function dateText(value: unknown): string | undefined {
	if (Object.prototype.toString.call(value) === '[object Date]') {
		const time = Date.prototype.getTime.call(value);
		return Number.isNaN(time) ? undefined : Date.prototype.toISOString.call(value);
	}
	try {
		const iso = (value as { toISO: () => unknown }).toISO();
		return typeof iso === 'string' && iso !== '' ? iso : undefined;
	} catch {
		return undefined;
	}
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
	if (isDateLike(value)) return 'a date';
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
