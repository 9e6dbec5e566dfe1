/**
 * Turns what a user mapped into Nexor's `PUT /leads/{id}` request, or a NexorInputError
 * before anything is sent.
 */
import { NexorInputError, quoteShort } from './errors';
import { CLEARABLE_FIELDS, LEAD_FIELDS, LeadField, LeadFieldName, findLeadField } from './fields';
import { JsonValue, MetadataSource, MetadataTyping, buildMetadata } from './metadata';
import {
	EXAMPLE_UUID,
	describeType,
	hasControlCharacter,
	invisibleCharacters,
	isBlank,
	isUuid,
	looksLikeEmail,
} from './values';

export interface UpdateLeadInput {
	leadId: unknown;
	/** The values mapped to lead fields. Blank values are skipped; `null` clears a nullable field. */
	fields?: Partial<Record<string, unknown>>;
	/** Field names to clear, as a list or comma-separated text. */
	clear?: unknown;
	metadata?: MetadataSource;
	/** How entries without their own type are read: 'auto' (default) or 'text'. */
	metadataTyping?: unknown;
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

function fieldText(field: LeadField, raw: unknown): string {
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
	else if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
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
			`${hidden(text)}Map an address such as ${field.example}, or choose ${field.label} in Fields to Clear to remove it.`,
		);
	}
	if (field.format === 'uuid' && !isUuid(text)) {
		throw new NexorInputError(
			field.name,
			field.label,
			`${field.label} ${quoteShort(text)} is not a valid ID`,
			`${hidden(text)}A campaign ID is a UUID such as ${field.example}. Choose ${field.label} in Fields to Clear to remove the campaign.`,
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

function checkTyping(raw: unknown): MetadataTyping {
	if (raw === undefined || raw === null || raw === '' || raw === 'auto') return 'auto';
	if (raw === 'text') return 'text';
	throw new NexorInputError(
		'metadata_types',
		'Metadata Value Types',
		`Metadata Value Types is ${quoteShort(raw)}, which is not a known choice`,
		'Choose Auto or Text.',
	);
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
	const typing = checkTyping(input.metadataTyping);

	const body: UpdateLeadBody = {};
	for (const field of LEAD_FIELDS) {
		const raw = mapped[field.name];
		const clearing = clear.includes(field);
		if (raw === null) {
			// An explicit null (e.g. `{{ null }}` in n8n) is a deliberate clear.
			if (!field.nullable) throw cannotClear(field);
			body[field.name] = null;
			continue;
		}
		if (isBlank(raw)) {
			if (clearing) body[field.name] = null;
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
		body[field.name] = fieldText(field, raw);
	}

	const metadata = buildMetadata(input.metadata, typing);
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
