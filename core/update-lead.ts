/**
 * Turns what a user mapped into Nexor's `PUT /leads/{id}` request, or a NexorInputError
 * before anything is sent.
 */
import { NexorInputError, quoteShort } from './errors';
import { CLEARABLE_FIELDS, LEAD_FIELDS, LeadField, LeadFieldName, findLeadField } from './fields';
import { EmptyValues, JsonValue, MetadataSource, buildMetadata } from './metadata';
import {
	EXAMPLE_UUID,
	dateText,
	describeType,
	hasControlCharacter,
	invisibleCharacters,
	isBlank,
	isDateLike,
	isUuid,
	looksLikeEmail,
} from './values';

export interface UpdateLeadInput {
	leadId: unknown;
	/**
	 * The values mapped to lead fields; a key that is present counts as mapped. A blank value ('',
	 * whitespace, null, undefined) is skipped, or with `emptyValues: 'clear'` sent as null when the
	 * field is nullable.
	 */
	fields?: Partial<Record<string, unknown>>;
	/** Field names to clear, as a list or comma-separated text. */
	clear?: unknown;
	metadata?: MetadataSource;
	/** Metadata keys whose values are sent as numbers (Zapier's Metadata Number Keys): a list or comma-separated text. */
	metadataNumberKeys?: unknown;
	/** Metadata keys whose values are sent as true/false (Zapier's Metadata True/False Keys). */
	metadataBooleanKeys?: unknown;
	/** What a mapped blank value does: 'skip' (default) changes nothing; 'clear' sends null. */
	emptyValues?: 'skip' | 'clear';
}

export type UpdateLeadBody = Partial<Record<LeadFieldName, string | null>> & {
	metadata?: Record<string, JsonValue>;
};

export interface UpdateLeadRequest {
	method: 'PUT';
	/** Relative to the base URL, with the lead ID URL-encoded. */
	path: string;
	leadId: string;
	/** Keys in canonical order: the catalogue's order, then metadata. */
	body: UpdateLeadBody;
}

export const FIELD_TEXT_LIMIT = 1000;
const CLEAR_LABEL = 'Fields to Clear';
const EMPTY_LABEL = 'When a Mapped Value Is Empty';
const NUMBER_KEYS_LABEL = 'Metadata Number Keys';
const BOOLEAN_KEYS_LABEL = 'Metadata True/False Keys';

export function checkLeadId(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	if (text === '') {
		throw new NexorInputError(
			'lead_id',
			'Lead ID',
			isBlank(raw) || raw === null
				? 'Lead ID is empty'
				: `Lead ID is ${describeType(raw)}, not an ID`,
			`Map the ID of the lead to update, a UUID such as ${EXAMPLE_UUID}.`,
		);
	}
	if (!isUuid(text)) {
		throw new NexorInputError(
			'lead_id',
			'Lead ID',
			`Lead ID ${quoteShort(text)} is not a valid lead ID`,
			`${hidden(text)}A lead ID is a UUID such as ${EXAMPLE_UUID}. Map the lead's ID, not its name, email or phone.`,
		);
	}
	return text;
}

/** "It contains an invisible character (U+200B) that the quoted value doesn't show: … " when it hides one, else "". */
function hidden(text: string): string {
	const found = invisibleCharacters(text);
	if (found.length === 0) return '';
	const what = found.length === 1 ? 'an invisible character' : 'invisible characters';
	return `It contains ${what} (${found.join(', ')}) that the quoted value doesn't show: copy the value again or clean its source. `;
}

/** A lead field's value as the text Nexor stores; `clearing` says whether the input offers Fields to Clear. */
export function leadFieldText(field: LeadField, raw: unknown, clearing = true): string {
	let text: string;
	if (typeof raw === 'number' && !Number.isFinite(raw)) {
		// NaN or Infinity: an expression such as Number(…) went wrong; sending "NaN" would store garbage.
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} is ${String(raw)}, not a usable value`,
			`The value mapped to ${field.label} is ${String(raw)}, usually an expression that turned text into a number. Map text or a real number to ${field.label}.`,
		);
	}
	if (typeof raw === 'string') text = raw.trim();
	else if (isDateLike(raw)) {
		const iso = dateText(raw);
		if (iso === undefined) {
			throw new NexorInputError(
				field.name,
				field.label,
				`${field.label} is an invalid date`,
				`Map a real date (it is sent as ISO 8601 text, such as 2026-02-10T12:00:00.000Z), or text such as "${field.example}".`,
			);
		}
		text = iso;
	} else if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
		text = String(raw);
	} else {
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} is ${describeType(raw)}, not text`,
			`Map a single text value to ${field.label}, such as "${field.example}".`,
		);
	}
	if (Array.from(text).length > FIELD_TEXT_LIMIT) {
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} is longer than ${FIELD_TEXT_LIMIT} characters`,
			`Map a shorter value to ${field.label}.`,
		);
	}
	if (hasControlCharacter(text)) {
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} ${quoteShort(text)} contains a control character`,
			`Remove control characters (such as NUL) from ${field.label}.`,
		);
	}
	// An address with an invisible character in it (pasted from a web page) can never be delivered.
	if (field.format === 'email' && (!looksLikeEmail(text) || invisibleCharacters(text).length > 0)) {
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} ${quoteShort(text)} is not a valid email address`,
			`${hidden(text)}Map an address such as ${field.example}${clearing ? `, or choose ${field.label} in Fields to Clear to remove it` : ', or leave it blank'}.`,
		);
	}
	if (field.format === 'uuid' && !isUuid(text)) {
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} ${quoteShort(text)} is not a valid ID`,
			`${hidden(text)}A campaign ID is a UUID such as ${field.example}.${clearing ? ` Choose ${field.label} in Fields to Clear to remove the campaign.` : ''}`,
		);
	}
	return text;
}

function cannotClear(field: LeadField): NexorInputError {
	return new NexorInputError(
		field.name,
		field.label,
		`${field.label} cannot be cleared`,
		`Nexor requires ${field.label}. Give it a new value instead, or leave it blank to keep the current one.`,
	);
}

function readClearList(raw: unknown): LeadField[] {
	if (raw === undefined || raw === null || raw === '') return [];
	let names: unknown[];
	if (Array.isArray(raw)) names = raw;
	else if (typeof raw === 'string') names = raw.split(',');
	else {
		throw new NexorInputError(
			'clear_fields',
			CLEAR_LABEL,
			`${CLEAR_LABEL} is ${describeType(raw)}, not a list of fields`,
			'Choose the fields to clear from the list.',
		);
	}
	const fields: LeadField[] = [];
	for (const name of names) {
		if (isBlank(name)) continue;
		const field = typeof name === 'string' ? findLeadField(name.trim()) : undefined;
		if (!field) {
			throw new NexorInputError(
				'clear_fields',
				CLEAR_LABEL,
				`${CLEAR_LABEL} contains ${quoteShort(name)}, which is not a lead field`,
				`Choose from: ${CLEARABLE_FIELDS.map((f) => f.name).join(', ')}.`,
			);
		}
		if (!field.nullable) throw cannotClear(field);
		if (!fields.includes(field)) fields.push(field);
	}
	return fields;
}

function checkEmptyValues(raw: unknown): EmptyValues {
	const choice = typeof raw === 'string' ? raw.trim() : raw;
	if (isBlank(choice) || choice === 'skip') return 'skip';
	if (choice === 'clear') return 'clear';
	throw new NexorInputError(
		'empty_values',
		EMPTY_LABEL,
		`${EMPTY_LABEL} is ${quoteShort(raw)}, which is not a known choice`,
		'Choose Skip It (keep the current value) or Clear the Field.',
	);
}

/** Keys from a list field (or comma-separated text), trimmed, blanks dropped. */
function readKeyList(raw: unknown, field: string, label: string): string[] {
	if (isBlank(raw)) return [];
	const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
	const keys: string[] = [];
	for (const item of items) {
		if (isBlank(item)) continue;
		if (typeof item !== 'string' && typeof item !== 'number') {
			throw new NexorInputError(
				field,
				label,
				`${label} contains ${describeType(item)}, not a key`,
				'List metadata keys as text, such as edad.',
			);
		}
		keys.push(String(item).trim());
	}
	return keys;
}

export function buildUpdateRequest(input: UpdateLeadInput): UpdateLeadRequest {
	const leadId = checkLeadId(input.leadId);
	const mapped = input.fields ?? {};
	for (const name of Object.keys(mapped)) {
		if (!findLeadField(name)) {
			throw new NexorInputError(
				name,
				name,
				`${quoteShort(name)} is not a Nexor lead field`,
				`Use one of: ${LEAD_FIELDS.map((f) => f.name).join(', ')}. Custom values belong in Metadata.`,
			);
		}
	}
	const clear = readClearList(input.clear);
	const emptyValues = checkEmptyValues(input.emptyValues);
	const numberKeys = readKeyList(input.metadataNumberKeys, 'metadata_number_keys', NUMBER_KEYS_LABEL);
	const booleanKeys = readKeyList(input.metadataBooleanKeys, 'metadata_boolean_keys', BOOLEAN_KEYS_LABEL);
	const both = booleanKeys.find((key) => numberKeys.includes(key));
	if (both !== undefined) {
		throw new NexorInputError(
			'metadata_boolean_keys',
			BOOLEAN_KEYS_LABEL,
			`Metadata key ${quoteShort(both)} is in both ${NUMBER_KEYS_LABEL} and ${BOOLEAN_KEYS_LABEL}`,
			`Keep it in one of them: ${NUMBER_KEYS_LABEL} sends a number, ${BOOLEAN_KEYS_LABEL} sends true/false.`,
		);
	}

	const body: UpdateLeadBody = {};
	for (const field of LEAD_FIELDS) {
		const isMapped = Object.prototype.hasOwnProperty.call(mapped, field.name);
		const raw = mapped[field.name];
		const clearing = clear.includes(field);
		if (isBlank(raw)) {
			// Blank ('', spaces, null, undefined) never changes data, unless the user chose a clear:
			// in Fields to Clear, or "Clear the Field" for a field they mapped. Nexor requires First
			// Name and Source, so a blank for them always leaves them unchanged.
			if (clearing || (emptyValues === 'clear' && isMapped && field.nullable)) body[field.name] = null;
			continue;
		}
		if (clearing) {
			throw new NexorInputError(
				field.name,
				field.label,
				`${field.label} has a value and is also chosen in Fields to Clear`,
				`Either remove ${field.label} from Fields to Clear, or leave ${field.label} blank.`,
			);
		}
		body[field.name] = leadFieldText(field, raw);
	}

	const metadata = buildMetadata(input.metadata, { numberKeys, booleanKeys, emptyValues });
	if (metadata !== undefined) body.metadata = metadata;

	if (Object.keys(body).length === 0) {
		throw new NexorInputError(
			'fields',
			'Update Fields',
			'No fields to update',
			'Give at least one field a value, choose a field in Fields to Clear, or add a metadata entry. Blank values are skipped so they never erase data.',
			'nothing_to_update',
		);
	}

	return { method: 'PUT', path: `/leads/${encodeURIComponent(leadId)}`, leadId, body };
}

/** The exact bytes sent: JSON in the canonical key order buildUpdateRequest produced. */
export function canonicalBody(body: UpdateLeadBody): string {
	return JSON.stringify(body);
}
