/**
 * Record Conversion: core's recordConversion operation (POST /conversions). The chosen conversion
 * type's own fields (its `fields[]`, from GET /conversion-types) appear as input fields of their own,
 * number fields as numbers; they and Other Fields are sent in `metadata`.
 */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, PlainInputField, ZObject } from 'zapier-platform-core';
import {
	Choice,
	MetadataEntry,
	MetadataSource,
	PreparedCall,
	RecordConversionInput,
	choiceRequest,
	isPlainObject,
	isUuid,
	readConversionFields,
	recordConversion,
} from '../../../core/index';
import { CONVERSION_OUTPUT_FIELDS, CONVERSION_SAMPLE, CONVERSION_TYPE_DROPDOWN, leadIdField } from '../fields.cjs';
import { runCall, runOperation } from '../transport.cjs';

/**
 * Input keys of the type's fields: the prefix says how the value is sent (the field `floor` of type
 * number is `conversion_number_floor`, sent as 7; `unit` is `conversion_field_unit`, sent as text).
 * Neither prefix starts the other, so a key can't be read both ways.
 */
export const TYPE_FIELD_PREFIX = 'conversion_field_';
export const TYPE_NUMBER_PREFIX = 'conversion_number_';

/** The chosen type's fields, read by core from GET /conversion-types. */
function typeFieldsCall(typeId: string): PreparedCall<Choice[]> {
	return {
		request: choiceRequest('conversion-types'),
		idempotent: true,
		failureWords: { action: 'conversion type list' },
		read: (answer) => readConversionFields(answer.body, typeId, answer.status),
	};
}

/**
 * The dynamic part of the form: one input per field of the chosen type. Nothing while no type is
 * chosen, or while it is mapped from an earlier step (not an ID yet): Other Fields still works then.
 */
async function typeFields(z: ZObject, bundle: Bundle): Promise<PlainInputField[]> {
	const raw = bundle.inputData?.conversion_type_id;
	const typeId = typeof raw === 'string' ? raw.trim() : '';
	if (!isUuid(typeId)) return [];
	const fields = await runCall(z, bundle, typeFieldsCall(typeId));
	return fields.map((field): PlainInputField => {
		const isNumber = (field.description ?? '').trim().toLowerCase() === 'number';
		return {
			key: (isNumber ? TYPE_NUMBER_PREFIX : TYPE_FIELD_PREFIX) + field.value,
			label: field.name,
			type: isNumber ? 'number' : 'string',
			required: false,
			helpText: isNumber
				? `A field of this conversion type, sent as a number in the conversion's metadata under \`${field.value}\` (such as 7 or 7.5). Blank: not sent.`
				: `A field of this conversion type, sent as text in the conversion's metadata under \`${field.value}\`. Blank: not sent.`,
		};
	});
}

const inputFields = defineInputFields([
	{
		key: 'conversion_type_id',
		label: 'Conversion Type',
		type: 'string',
		required: true,
		dynamic: CONVERSION_TYPE_DROPDOWN,
		altersDynamicFields: true,
		helpText:
			"What the lead achieved, such as a booking or a sale: choose one of Nexor's active conversion types, or map a conversion type ID (a UUID). A chosen type adds its own fields to this form.",
	},
	leadIdField('The lead who converted, a UUID: choose a recent lead from the list, or map the ID from the step that found or created the lead.'),
	{
		key: 'amount',
		label: 'Amount',
		type: 'number',
		required: true,
		placeholder: '85000',
		helpText: 'The value of the conversion, such as 85000 or 85000.50: digits with a dot for decimals, no currency sign or thousands separator.',
	},
	{
		key: 'currency',
		label: 'Currency',
		type: 'string',
		required: false,
		placeholder: 'USD',
		helpText: "A three-letter ISO 4217 code such as USD, EUR or CLP. Blank: the conversion type's currency.",
	},
	{
		key: 'converted_at',
		label: 'Converted At',
		type: 'datetime',
		required: false,
		helpText: 'When the conversion happened (sent as ISO 8601). Blank: now.',
	},
	{
		key: 'workflow_run_id',
		label: 'Workflow Run ID',
		type: 'string',
		required: false,
		helpText: "The lead's workflow run the conversion belongs to, a UUID (from Create Lead's or Add Lead to Workflow's output). Blank: not sent.",
	},
	{
		key: 'notes',
		label: 'Notes',
		type: 'text',
		required: false,
		helpText: 'Free text kept with the conversion.',
	},
	typeFields,
	{
		key: 'other_fields',
		label: 'Other Fields',
		dict: true,
		required: false,
		helpText:
			"More key/value pairs for the conversion's metadata, beside the type's own fields above (Nexor keeps extra keys). Use it too when Conversion Type is mapped from an earlier step, so the type's fields can't be shown. Values are sent as text unless their key is in Other Fields Number Keys; blank values are not sent.",
	},
	{
		key: 'other_fields_number_keys',
		label: 'Other Fields Number Keys',
		type: 'string',
		list: true,
		required: false,
		placeholder: 'floor',
		helpText: 'Keys of Other Fields whose values are sent as numbers (floor with 7 → 7); a value that is not a number is refused.',
	},
]);

/** The type's fields (prefixed keys, in the order Zapier gives them), then Other Fields, as core's metadata entries. */
function conversionFields(input: Record<string, unknown>): MetadataSource | undefined {
	const entries: MetadataEntry[] = [];
	for (const [key, value] of Object.entries(input)) {
		if (key.startsWith(TYPE_NUMBER_PREFIX)) entries.push({ key: key.slice(TYPE_NUMBER_PREFIX.length), value, type: 'number' });
		else if (key.startsWith(TYPE_FIELD_PREFIX)) entries.push({ key: key.slice(TYPE_FIELD_PREFIX.length), value });
	}
	const numberKeys = new Set(
		(Array.isArray(input.other_fields_number_keys) ? input.other_fields_number_keys : [input.other_fields_number_keys])
			.filter((key): key is string => typeof key === 'string')
			.map((key) => key.trim()),
	);
	const other = input.other_fields;
	if (isPlainObject(other)) {
		for (const [key, value] of Object.entries(other)) {
			entries.push({ key, value, ...(numberKeys.has(key.trim()) && { type: 'number' }) });
		}
	} else if (other !== undefined && other !== null && other !== '') {
		// Text from a misconfigured invoke, say: handed on for core to name the problem.
		return { entries: other as unknown as MetadataEntry[] };
	}
	return entries.length > 0 ? { entries } : undefined;
}

function readInputs(input: Record<string, unknown>): RecordConversionInput {
	return {
		conversionTypeId: input.conversion_type_id,
		leadId: input.lead_id,
		amount: input.amount,
		currency: input.currency,
		convertedAt: input.converted_at,
		workflowRunId: input.workflow_run_id,
		notes: input.notes,
		fields: conversionFields(input),
	};
}

async function perform(z: ZObject, bundle: Bundle) {
	return await runOperation(z, bundle, recordConversion, readInputs(bundle.inputData ?? {}));
}

export default defineCreate({
	key: 'record_conversion',
	noun: 'Conversion',
	display: {
		label: 'Record Conversion',
		description:
			"Records a conversion for a lead, such as a booking or a sale, with its amount and the conversion type's fields. Not retried: a conversion recorded twice counts twice.",
	},
	operation: {
		inputFields,
		perform,
		sample: CONVERSION_SAMPLE,
		outputFields: CONVERSION_OUTPUT_FIELDS,
	},
});
