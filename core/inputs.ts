/**
 * Readers for the simple inputs every operation shares (an ID, a line of text, a choice, a yes/no,
 * a list), each turning what a user mapped into a checked value or a NexorInputError that names the
 * input and says how to fix it. Blank (empty, spaces, null, missing) is never a value: an optional
 * input left blank is `undefined`, a required one is an error.
 */
import { NexorInputError, quoteShort } from './errors';
import { EXAMPLE_UUID, dateText, describeType, hasControlCharacter, invisibleCharacters, isBlank, isDateLike, isUuid } from './values';

/** Which input: Nexor's name for it (also the Zapier key) and the label a person sees. */
export interface InputName {
	field: string;
	label: string;
}

/** "It contains an invisible character (U+200B) …" when the text hides one, else "". */
export function hiddenCharacters(text: string): string {
	const found = invisibleCharacters(text);
	if (found.length === 0) return '';
	const what = found.length === 1 ? 'an invisible character' : 'invisible characters';
	return `It contains ${what} (${found.join(', ')}) that the quoted value doesn't show: copy the value again or clean its source. `;
}

function fail(name: InputName, message: string, fix: string): never {
	throw new NexorInputError(name.field, name.label, message, fix);
}

/** Text from a mapped value (numbers and dates become text), trimmed; `undefined` when blank. */
export function optionalText(raw: unknown, name: InputName, options: { max?: number; example?: string } = {}): string | undefined {
	if (isBlank(raw)) return undefined;
	const max = options.max ?? 1000;
	let text: string;
	if (typeof raw === 'string') text = raw.trim();
	else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
	else if (typeof raw === 'boolean') text = String(raw);
	else if (isDateLike(raw)) {
		const iso = dateText(raw);
		if (iso === undefined) fail(name, `${name.label} is an invalid date`, `Map a real date or text to ${name.label}.`);
		text = iso;
	} else {
		fail(
			name,
			`${name.label} is ${describeType(raw)}, not text`,
			`Map a single text value to ${name.label}${options.example ? `, such as "${options.example}"` : ''}.`,
		);
	}
	if (Array.from(text).length > max) {
		fail(name, `${name.label} is longer than ${max} characters`, `Map a shorter value to ${name.label}.`);
	}
	if (hasControlCharacter(text)) {
		fail(name, `${name.label} ${quoteShort(text)} contains a control character`, `Remove control characters (such as NUL) from ${name.label}.`);
	}
	return text;
}

export function requiredText(raw: unknown, name: InputName, options: { max?: number; example?: string; why?: string } = {}): string {
	const text = optionalText(raw, name, options);
	if (text === undefined) {
		fail(
			name,
			`${name.label} is empty`,
			`${options.why ?? `Nexor needs ${name.label}.`} Map a value${options.example ? ` such as "${options.example}"` : ''}.`,
		);
	}
	return text;
}

/** A UUID (ASCII hex, case kept), or `undefined` when blank. `what` names the thing it identifies: "lead", "workflow". */
export function optionalUuid(raw: unknown, name: InputName, what: string): string | undefined {
	if (isBlank(raw)) return undefined;
	const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined;
	if (text === undefined) {
		fail(name, `${name.label} is ${describeType(raw)}, not an ID`, `Map the ${what}'s ID, a UUID such as ${EXAMPLE_UUID}.`);
	}
	if (!isUuid(text)) {
		fail(
			name,
			`${name.label} ${quoteShort(text)} is not a valid ${what} ID`,
			`${hiddenCharacters(text)}A ${what} ID is a UUID such as ${EXAMPLE_UUID}. Map the ${what}'s ID, not its name.`,
		);
	}
	return text;
}

export function requiredUuid(raw: unknown, name: InputName, what: string, where?: string): string {
	const id = optionalUuid(raw, name, what);
	if (id === undefined) {
		fail(
			name,
			`${name.label} is empty`,
			`Map the ID of the ${what}, a UUID such as ${EXAMPLE_UUID}${where ? `, ${where}` : ''}.`,
		);
	}
	return id;
}

/** One of `choices` (trimmed, case-insensitive), `fallback` when blank. */
export function choice<T extends string>(raw: unknown, name: InputName, choices: readonly T[], fallback?: T): T {
	if (isBlank(raw)) {
		if (fallback !== undefined) return fallback;
		fail(name, `${name.label} is empty`, `Choose one of: ${choices.join(', ')}.`);
	}
	const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
	const found = choices.find((c) => c.toLowerCase() === text);
	if (found === undefined) {
		fail(name, `${name.label} is ${quoteShort(raw)}, which is not a known choice`, `Choose one of: ${choices.join(', ')}.`);
	}
	return found;
}

/** true/false from a switch, a checkbox or text ("true", "yes", "1"…); `fallback` when blank. */
export function yesNo(raw: unknown, name: InputName, fallback: boolean): boolean {
	if (isBlank(raw)) return fallback;
	if (typeof raw === 'boolean') return raw;
	const text = String(raw).trim().toLowerCase();
	if (['true', 'yes', '1'].includes(text)) return true;
	if (['false', 'no', '0'].includes(text)) return false;
	fail(name, `${name.label} is ${quoteShort(raw)}, not true or false`, `Set ${name.label} to true or false.`);
}

/** Items of a list input: an array, or comma-separated text; blanks dropped, text trimmed. */
export function listItems(raw: unknown): unknown[] {
	if (isBlank(raw)) return [];
	const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
	return items.filter((item) => !isBlank(item)).map((item) => (typeof item === 'string' ? item.trim() : item));
}

/** A whole number within bounds, `fallback` when blank. */
export function wholeNumber(raw: unknown, name: InputName, bounds: { min: number; max: number }, fallback: number): number {
	if (isBlank(raw)) return fallback;
	// Digits only: Number() would also read "0x1E" as 30 and "1e1" as 10.
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
	if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
		fail(
			name,
			`${name.label} is ${quoteShort(raw)}, not a whole number from ${bounds.min} to ${bounds.max}`,
			`Set ${name.label} to a whole number from ${bounds.min} to ${bounds.max}.`,
		);
	}
	return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** 2026-02-30 is not a day: Date.parse would roll it over to March. */
function realDay(text: string): boolean {
	const [y, m, d] = text.slice(0, 10).split('-').map(Number);
	const day = new Date(Date.UTC(y, m - 1, d));
	return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/**
 * A date as ISO 8601 text: a Date or Luxon DateTime (n8n's $now) is converted, text must already be
 * ISO 8601 (2026-02-10, 2026-02-10T12:00:00Z); `undefined` when blank. "10/02/2026" is refused: day
 * and month can't be told apart.
 */
export function optionalIsoDate(raw: unknown, name: InputName): string | undefined {
	if (isBlank(raw)) return undefined;
	if (isDateLike(raw)) {
		const iso = dateText(raw);
		if (iso === undefined) fail(name, `${name.label} is an invalid date`, `Map a real date to ${name.label}.`);
		return iso;
	}
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	if (text === undefined || !ISO_DATE.test(text) || Number.isNaN(Date.parse(text.replace(' ', 'T'))) || !realDay(text)) {
		fail(
			name,
			`${name.label} ${quoteShort(raw)} is not an ISO 8601 date`,
			'Give a real date as ISO 8601, such as 2026-02-10 or 2026-02-10T15:00:00Z (year, month, day, then the time and its UTC offset).',
		);
	}
	// Nexor reads ISO 8601 with a "T" between date and time.
	return text.replace(' ', 'T');
}

/** A finite number from a number or plain decimal text ("85000", "85000.5"); `undefined` when blank. */
export function optionalAmount(raw: unknown, name: InputName): number | undefined {
	if (isBlank(raw)) return undefined;
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	const value = typeof raw === 'number' ? raw : text !== undefined && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isFinite(value)) {
		fail(
			name,
			`${name.label} ${quoteShort(raw)} is not a number`,
			`Map a number such as 85000 or 85000.50: digits with a dot for decimals, no currency sign or thousands separator.`,
		);
	}
	return value;
}
