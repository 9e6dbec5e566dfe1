/**
 * Metadata: the free-form key/value object Nexor shallow-merges into what the lead already has.
 * Users give it as key/value entries (each with an optional type) or as a JSON object.
 */
import { NexorInputError, quoteShort } from './errors';
import { describeType, hasControlCharacter, isBlank, isPlainObject } from './values';

export type MetadataTyping = 'auto' | 'text';
export type MetadataValueType = 'auto' | 'text' | 'number' | 'boolean' | 'json' | 'null';
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
	/** Per-entry type where the platform offers one; otherwise the input's typing mode applies. */
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
	return key;
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

/** A canonical decimal: "35" → 35, but "0123", "+56987654321", "3.50" and "1e3" stay text. */
function autoValue(text: string): JsonValue {
	if (text === 'true') return true;
	if (text === 'false') return false;
	const number = Number(text);
	if (Number.isFinite(number) && String(number) === text) return number;
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
			if (typeof value === 'string') return autoValue(checkText(value, key, label));
			return checkJson(value, key, label, budget);
		case 'text':
			if (typeof value === 'string') return checkText(value, key, label);
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
				'Map a number such as 35 or 3.5, or choose the Text type.',
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
				'Map true or false, or choose the Text type.',
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

function checkType(raw: unknown, typing: MetadataTyping, key: string): MetadataValueType {
	if (raw === undefined || raw === null || raw === '') return typing;
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

function fromEntries(entries: unknown, typing: MetadataTyping): Record<string, JsonValue> {
	if (!Array.isArray(entries)) {
		fail(ENTRIES_LABEL, `${ENTRIES_LABEL} is ${describeType(entries)}, not a list of entries`, 'Add entries with a key and a value.');
	}
	const out: Record<string, JsonValue> = {};
	const budget: Budget = { nested: 0 };
	for (const entry of entries) {
		if (!isPlainObject(entry)) {
			fail(ENTRIES_LABEL, `${ENTRIES_LABEL} has an entry that is ${describeType(entry)}`, 'Give each entry a key and a value.');
		}
		const type = checkType(entry.type, typing, String(entry.key ?? ''));
		if (type !== 'null' && isBlank(entry.value)) {
			// A blank value never changes data; the key is still checked so typos surface early.
			if (!isBlank(entry.key)) checkKey(entry.key, ENTRIES_LABEL);
			continue;
		}
		const key = checkKey(entry.key, ENTRIES_LABEL);
		// Duplicate keys: the last entry wins (documented in README).
		out[key] = typedValue(entry.value, type, key, budget);
	}
	limitKeys(out, ENTRIES_LABEL);
	return out;
}

function fromJson(json: unknown): Record<string, JsonValue> {
	if (isBlank(json) || json === null) return {};
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
	const out: Record<string, JsonValue> = {};
	const budget: Budget = { nested: 0 };
	for (const [rawKey, value] of Object.entries(object)) {
		if (isBlank(value)) continue;
		const key = checkKey(rawKey, JSON_LABEL);
		out[key] = checkJson(value, key, JSON_LABEL, budget);
	}
	limitKeys(out, JSON_LABEL);
	return out;
}

/** The metadata object to send, or `undefined` when there is nothing to merge. */
export function buildMetadata(
	source: MetadataSource | undefined,
	typing: MetadataTyping = 'auto',
): Record<string, JsonValue> | undefined {
	if (source === undefined) return undefined;
	const out = 'entries' in source ? fromEntries(source.entries, typing) : fromJson(source.json);
	return Object.keys(out).length > 0 ? out : undefined;
}
