/**
 * Metadata: the free-form key/value object Nexor shallow-merges into what the lead already has.
 * Users give it as key/value entries (each with an optional type) or as a JSON object.
 */
import { NexorInputError, quoteShort } from './errors';
import {
	dateText,
	describeType,
	hasControlCharacter,
	invisibleCharacters,
	isBlank,
	isDateLike,
	isPlainObject,
} from './values';

/**
 * How one metadata value is read. 'auto' ("As Mapped", the default) keeps the type the value arrives
 * with: text stays text whatever its digits, a number stays a number, true/false stays a boolean.
 * Only 'number', 'boolean' and 'json' convert; 'text' turns numbers and booleans into text.
 */
export type MetadataValueType = 'auto' | 'text' | 'number' | 'boolean' | 'json' | 'null';

/** What an empty mapped value does: 'skip' (default) changes nothing, 'clear' sends null. */
export type EmptyValues = 'skip' | 'clear';

export interface MetadataOptions {
	/** Keys whose entries (without a type of their own) are sent as numbers: Zapier's Metadata Number Keys. */
	numberKeys?: readonly string[];
	/** Keys whose entries (without a type of their own) are sent as true/false: Zapier's Metadata True/False Keys. */
	booleanKeys?: readonly string[];
	emptyValues?: EmptyValues;
}
export const METADATA_VALUE_TYPES: readonly MetadataValueType[] = [
	'auto',
	'text',
	'number',
	'boolean',
	'json',
	'null',
];

export interface MetadataEntry {
	key: unknown;
	value?: unknown;
	/** Per-entry type where the platform offers one (n8n); blank means 'auto', As Mapped. */
	type?: unknown;
}

/** Entries (n8n "Using Fields Below", Zapier's key/value field) or one object / JSON text. */
export type MetadataSource = { entries: MetadataEntry[] } | { json: unknown };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const METADATA_LIMITS = {
	keyLength: 100,
	keys: 1000,
	depth: 10,
	/** Characters of one text value. */
	textLength: 10_000,
	/** List items and object entries inside values, at every depth, summed over the whole metadata. */
	nestedValues: 10_000,
} as const;

/** Counts nested values across one metadata object, so no value can smuggle in unbounded data. */
interface Budget {
	nested: number;
}

const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const ENTRIES_LABEL = 'Metadata';
const JSON_LABEL = 'Metadata (JSON)';

function fail(label: string, message: string, fix: string): never {
	throw new NexorInputError('metadata', label, message, fix);
}

function checkKey(rawKey: unknown, label: string): string {
	if (typeof rawKey !== 'string' && typeof rawKey !== 'number') {
		fail(label, `${label} has a key that is ${describeType(rawKey)}`, 'Use text for every key.');
	}
	const key = String(rawKey).trim();
	if (key === '') {
		fail(label, `${label} has an entry with an empty key`, 'Give every entry a key, or remove the entry.');
	}
	if (Array.from(key).length > METADATA_LIMITS.keyLength) {
		fail(
			label,
			`${label} key ${quoteShort(key)} is longer than ${METADATA_LIMITS.keyLength} characters`,
			'Use a shorter key.',
		);
	}
	if (REFUSED_KEYS.has(key)) {
		fail(
			label,
			`${label} key ${quoteShort(key)} is reserved`,
			'Rename the key: __proto__, constructor and prototype cannot be used.',
		);
	}
	if (hasControlCharacter(key)) {
		fail(label, `${label} key ${quoteShort(key)} contains a control character`, 'Remove it from the key.');
	}
	const problem = keyCharacterProblem(key);
	if (problem) fail(label, `${label} key ${quoteShort(key)} contains ${problem.what}`, problem.fix);
	return key;
}

/**
 * Line breaks, tabs and invisible characters make a key that looks like another one but isn't
 * (a second "utm_source" that reports never match): refused, with the invisible ones spelled out.
 */
function keyCharacterProblem(key: string): { what: string; fix: string } | undefined {
	if (/[\n\r\u2028\u2029]/.test(key)) {
		return { what: 'a line break', fix: 'Remove the line break: a key is one line of text, such as utm_source.' };
	}
	if (key.includes('\t')) {
		return { what: 'a tab', fix: 'Remove the tab: a key is one line of text without tabs, such as utm_source.' };
	}
	const found = invisibleCharacters(key);
	if (found.length > 0) {
		const what = found.length === 1 ? 'an invisible character' : 'invisible characters';
		return {
			what: `${what} (${found.join(', ')})`,
			fix: `Retype the key or clean its source: ${found.length === 1 ? 'it does' : 'they do'} not show, but would become part of the key.`,
		};
	}
	return undefined;
}

function checkText(text: string, key: string, label: string): string {
	const trimmed = text.trim();
	if (Array.from(trimmed).length > METADATA_LIMITS.textLength) {
		fail(
			label,
			`${label} value for ${quoteShort(key)} is longer than ${METADATA_LIMITS.textLength} characters`,
			'Shorten the value.',
		);
	}
	if (hasControlCharacter(trimmed)) {
		fail(
			label,
			`${label} value for ${quoteShort(key)} contains a control character`,
			'Remove control characters (such as NUL) from the value.',
		);
	}
	return trimmed;
}

function spend(budget: Budget, label: string): void {
	budget.nested += 1;
	if (budget.nested > METADATA_LIMITS.nestedValues) {
		fail(
			label,
			`${label} holds more than ${METADATA_LIMITS.nestedValues} nested values`,
			'Send less per update: fewer or smaller lists and objects.',
		);
	}
}

/**
 * Nested values must survive JSON unchanged: no NaN, functions, undefined or endless nesting; and
 * stay bounded (depth, total size, no control characters in keys), as top-level keys are.
 */
function checkJson(value: unknown, key: string, label: string, budget: Budget, depth = 0): JsonValue {
	if (depth > METADATA_LIMITS.depth) {
		fail(
			label,
			`${label} value for ${quoteShort(key)} is nested more than ${METADATA_LIMITS.depth} levels deep`,
			'Flatten the value.',
		);
	}
	if (value === null || typeof value === 'boolean') return value;
	if (typeof value === 'string') return checkText(value, key, label);
	if (isDateLike(value)) return checkDate(value, key, label);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) {
			fail(label, `${label} value for ${quoteShort(key)} is not a finite number`, 'Use a real number.');
		}
		return value;
	}
	if (Array.isArray(value)) {
		return value.map((item) => {
			spend(budget, label);
			return checkJson(item, key, label, budget, depth + 1);
		});
	}
	if (isPlainObject(value)) {
		const out: { [k: string]: JsonValue } = {};
		for (const [k, v] of Object.entries(value)) {
			if (v === undefined) continue;
			if (REFUSED_KEYS.has(k)) {
				fail(
					label,
					`${label} value for ${quoteShort(key)} contains the reserved key ${quoteShort(k)}`,
					'Rename it: __proto__, constructor and prototype cannot be used at any level.',
				);
			}
			if (hasControlCharacter(k)) {
				fail(
					label,
					`${label} value for ${quoteShort(key)} has the key ${quoteShort(k)}, which contains a control character`,
					'Remove control characters (such as NUL) from the key.',
				);
			}
			const problem = keyCharacterProblem(k);
			if (problem) {
				fail(label, `${label} value for ${quoteShort(key)} has the key ${quoteShort(k)}, which contains ${problem.what}`, problem.fix);
			}
			spend(budget, label);
			out[k] = checkJson(v, key, label, budget, depth + 1);
		}
		return out;
	}
	return fail(
		label,
		`${label} value for ${quoteShort(key)} is ${describeType(value)}, which JSON cannot hold`,
		'Use text, a number, true/false, a list or an object.',
	);
}

/** A Date or DateTime as ISO 8601 text, or an error naming the key when it is not a real date. */
function checkDate(value: unknown, key: string, label: string): string {
	const text = dateText(value);
	if (text === undefined) {
		return fail(
			label,
			`${label} value for ${quoteShort(key)} is an invalid date`,
			'Map a real date (it is sent as ISO 8601 text, such as 2026-02-10T12:00:00.000Z), or text.',
		);
	}
	return text;
}

/** Plain decimal notation only: "35", "-3.5", "1e3"; not "0x1A", "0b11" or "Infinity", which Number() also reads. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function typedValue(value: unknown, type: MetadataValueType, key: string, budget: Budget): JsonValue {
	const label = ENTRIES_LABEL;
	const named = `${label} value for ${quoteShort(key)}`;
	switch (type) {
		case 'null':
			return null;
		case 'auto':
			// As Mapped: the value's own type decides, never its digits.
			return checkJson(value, key, label, budget);
		case 'text':
			if (typeof value === 'string') return checkText(value, key, label);
			if (isDateLike(value)) return checkDate(value, key, label);
			if (typeof value === 'number' && !Number.isFinite(value)) {
				// NaN/Infinity from an expression: "NaN" as text would store garbage.
				return fail(label, `${named} is not a finite number`, 'Use a real number, or map text.');
			}
			if (typeof value === 'number' || typeof value === 'boolean') return String(value);
			return fail(
				label,
				`${named} is ${describeType(value)}, not text`,
				'Map a text value, or choose the JSON type for lists and objects.',
			);
		case 'number': {
			if (typeof value === 'number' && Number.isFinite(value)) return value;
			const text = typeof value === 'string' ? value.trim() : '';
			const number = Number(text);
			if (DECIMAL.test(text) && Number.isFinite(number)) return number;
			return fail(
				label,
				`${named} is ${quoteShort(value)}, which is not a number`,
				'Map a number such as 35 or 3.5, or send the value as text (the Text type, or leave the key out of Metadata Number Keys).',
			);
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
			if (text === 'true') return true;
			if (text === 'false') return false;
			return fail(
				label,
				`${named} is ${quoteShort(value)}, which is not true or false`,
				'Map true or false, or send the value as text (the Text type, or leave the key out of Metadata True/False Keys).',
			);
		}
		case 'json': {
			if (typeof value !== 'string') return checkJson(value, key, label, budget);
			let parsed: unknown;
			try {
				parsed = JSON.parse(value);
			} catch {
				return fail(
					label,
					`${named} is not valid JSON: ${quoteShort(value)}`,
					'Write valid JSON such as {"plan": "pro"} or [1, 2], or choose the Text type.',
				);
			}
			return checkJson(parsed, key, label, budget);
		}
	}
}

function checkType(raw: unknown, key: string): MetadataValueType {
	if (raw === undefined || raw === null || raw === '') return 'auto';
	if (typeof raw === 'string' && (METADATA_VALUE_TYPES as readonly string[]).includes(raw)) {
		return raw as MetadataValueType;
	}
	return fail(
		ENTRIES_LABEL,
		`${ENTRIES_LABEL} type for ${quoteShort(key)} is ${quoteShort(raw)}, which is not a known type`,
		`Choose one of: ${METADATA_VALUE_TYPES.join(', ')}.`,
	);
}

function limitKeys(out: Record<string, JsonValue>, label: string): void {
	if (Object.keys(out).length > METADATA_LIMITS.keys) {
		fail(
			label,
			`${label} has more than ${METADATA_LIMITS.keys} keys`,
			'Send fewer keys per update, or group related values under one key as an object.',
		);
	}
}

function fromEntries(entries: unknown, options: MetadataOptions): Record<string, JsonValue> {
	if (!Array.isArray(entries)) {
		fail(ENTRIES_LABEL, `${ENTRIES_LABEL} is ${describeType(entries)}, not a list of entries`, 'Add entries with a key and a value.');
	}
	const numberKeys = new Set(options.numberKeys ?? []);
	const booleanKeys = new Set(options.booleanKeys ?? []);
	const clearEmpty = options.emptyValues === 'clear';
	const out: Record<string, JsonValue> = {};
	const budget: Budget = { nested: 0 };
	for (const entry of entries) {
		if (!isPlainObject(entry)) {
			fail(ENTRIES_LABEL, `${ENTRIES_LABEL} has an entry that is ${describeType(entry)}`, 'Give each entry a key and a value.');
		}
		const own = checkType(entry.type, String(entry.key ?? ''));
		if (own !== 'null' && isBlank(entry.value)) {
			// An entry with neither key nor value is an empty row: nothing to do, whatever the mode.
			if (isBlank(entry.key)) continue;
			// The key is still checked so typos surface early.
			const key = checkKey(entry.key, ENTRIES_LABEL);
			// Skip: a blank value never changes data. Clear: the user chose that it empties the key.
			if (clearEmpty) out[key] = null;
			continue;
		}
		const key = checkKey(entry.key, ENTRIES_LABEL);
		const type =
			own !== 'auto' ? own : numberKeys.has(key) ? 'number' : booleanKeys.has(key) ? 'boolean' : 'auto';
		// Duplicate keys: the last entry wins (documented in README).
		out[key] = typedValue(entry.value, type, key, budget);
	}
	limitKeys(out, ENTRIES_LABEL);
	return out;
}

function fromJson(json: unknown, options: MetadataOptions): Record<string, JsonValue> {
	if (isBlank(json)) return {};
	let object: unknown = json;
	if (typeof json === 'string') {
		try {
			object = JSON.parse(json);
		} catch {
			fail(
				JSON_LABEL,
				`${JSON_LABEL} is not valid JSON: ${quoteShort(json)}`,
				'Write a JSON object such as {"plan": "pro", "score": 35}.',
			);
		}
	}
	if (!isPlainObject(object)) {
		fail(
			JSON_LABEL,
			`${JSON_LABEL} is ${describeType(object)}, not a JSON object`,
			'Write a JSON object with keys and values, such as {"plan": "pro", "score": 35}.',
		);
	}
	const clearEmpty = options.emptyValues === 'clear';
	const out: Record<string, JsonValue> = {};
	/** Each trimmed key → the key as written, so two keys that trim alike are named together. */
	const written = new Map<string, string>();
	const budget: Budget = { nested: 0 };
	for (const [rawKey, value] of Object.entries(object)) {
		const key = checkKey(rawKey, JSON_LABEL);
		const earlier = written.get(key);
		if (earlier !== undefined) {
			fail(
				JSON_LABEL,
				`${JSON_LABEL} keys ${quoteShort(earlier)} and ${quoteShort(rawKey)} are the same key once spaces are trimmed`,
				'Keep one of them, or rename the other: both would write the same metadata key.',
			);
		}
		written.set(key, rawKey);
		if (isBlank(value)) {
			if (clearEmpty) out[key] = null;
			continue;
		}
		out[key] = checkJson(value, key, JSON_LABEL, budget);
	}
	limitKeys(out, JSON_LABEL);
	return out;
}

/** The metadata object to send, or `undefined` when there is nothing to merge. */
export function buildMetadata(
	source: MetadataSource | undefined,
	options: MetadataOptions = {},
): Record<string, JsonValue> | undefined {
	if (source === undefined) return undefined;
	const out = 'entries' in source ? fromEntries(source.entries, options) : fromJson(source.json, options);
	return Object.keys(out).length > 0 ? out : undefined;
}
