/**
 * The field catalogue: one definition per Nexor lead field that a user can update.
 * The n8n node and the Zapier action both render their inputs from this list, so labels,
 * help text and the clearing rules cannot drift apart between platforms.
 */

export type LeadFieldName =
	| 'first_name'
	| 'last_name'
	| 'email'
	| 'phone'
	| 'company'
	| 'title'
	| 'source'
	| 'campaign_id';

export type LeadFieldFormat = 'text' | 'email' | 'phone' | 'uuid';

export interface LeadField {
	/** Nexor's API name; also the parameter/input key on both platforms. */
	name: LeadFieldName;
	label: string;
	/** What the field is, for people and AI agents. Platforms append the blank/clear rules. */
	description: string;
	example: string;
	/** Whether Nexor accepts null for it, i.e. whether it can be cleared. */
	nullable: boolean;
	format: LeadFieldFormat;
}

/** In canonical order: request bodies list these keys in exactly this order. */
export const LEAD_FIELDS: readonly LeadField[] = [
	{
		name: 'first_name',
		label: 'First Name',
		description: "The lead's first name.",
		example: 'Carlos',
		nullable: false,
		format: 'text',
	},
	{
		name: 'last_name',
		label: 'Last Name',
		description: "The lead's last name.",
		example: 'Rodriguez',
		nullable: true,
		format: 'text',
	},
	{
		name: 'email',
		label: 'Email',
		description: "The lead's email address.",
		example: 'carlos@example.com',
		nullable: true,
		format: 'email',
	},
	{
		name: 'phone',
		label: 'Phone',
		description: "The lead's phone number, ideally in international format with the country code.",
		example: '+56987654321',
		nullable: true,
		format: 'phone',
	},
	{
		name: 'company',
		label: 'Company',
		description: "The name of the lead's company.",
		example: 'Stark Industries',
		nullable: true,
		format: 'text',
	},
	{
		name: 'title',
		label: 'Job Title',
		description: "The lead's job title.",
		example: 'Manager',
		nullable: true,
		format: 'text',
	},
	{
		name: 'source',
		label: 'Source',
		description: 'Where the lead came from, such as website, facebook_ads or referral.',
		example: 'website',
		nullable: false,
		format: 'text',
	},
	{
		name: 'campaign_id',
		label: 'Campaign ID',
		description: 'The ID (a UUID) of the Nexor campaign to tag the lead with.',
		example: '123e4567-e89b-12d3-a456-426614174001',
		nullable: true,
		format: 'uuid',
	},
];

export const LEAD_FIELD_NAMES: readonly LeadFieldName[] = LEAD_FIELDS.map((field) => field.name);

export const CLEARABLE_FIELDS: readonly LeadField[] = LEAD_FIELDS.filter((field) => field.nullable);

const BY_NAME = new Map<string, LeadField>(LEAD_FIELDS.map((field) => [field.name, field]));

export function findLeadField(name: string): LeadField | undefined {
	return BY_NAME.get(name);
}

/** Shared wording, so both platforms explain blanks, clearing and typing the same way. */
export const HELP = {
	blank: 'A blank value (empty, null or missing) keeps the current value.',
	clearable:
		'To remove the current value, choose this field in Fields to Clear (or set When a Mapped Value Is Empty to Clear the Field).',
	notClearable: 'Nexor requires this field, so it can be changed but never cleared.',
	dates: 'A date is sent as ISO 8601 text, such as 2026-02-10T12:00:00.000Z.',
	leadId:
		'The ID of the lead to update, a UUID such as 123e4567-e89b-12d3-a456-426614174000. Map it from the step that found or created the lead.',
	fieldsToClear:
		'Fields whose current value should be removed (set to empty) on the lead. A blank value is never a clear by itself: choose the field here, or set When a Mapped Value Is Empty to Clear the Field. First Name and Source cannot be cleared.',
	emptyValues:
		'What to do when a field or metadata entry you mapped has no value (empty, null or missing) for an item. Skip It (default) keeps the current value. Clear the Field clears it: a lead field is sent as empty (null) and a metadata key as null. First Name and Source, which Nexor requires, are left unchanged.',
	emptyValuesSkip: 'Keep the current value: an empty mapped value changes nothing',
	emptyValuesClear:
		'Send null for an empty mapped field or metadata value; First Name and Source are left unchanged',
	metadata:
		"Custom key/value pairs merged into the lead's metadata. Keys you send are added or overwritten; keys you don't send are kept. A nested object replaces that key's whole value. An entry whose value is blank or null is skipped.",
	metadataKeys:
		'Keys are trimmed and hold at most 100 characters; a key with a line break, a tab or an invisible character is refused.',
	/** THE typing rule, in one sentence: the node, the Zapier action and README all use it. */
	metadataTyping:
		'A metadata value keeps the type it arrives with, whatever its digits (text stays text, even "35" or "02139"; a number stays a number; true/false stays true/false), and is converted only where you ask for a number, true/false or JSON.',
	metadataNumberKeys:
		'Metadata keys whose values are sent as numbers, such as edad for "35" → 35. A value that is not a number is refused, naming the key.',
	metadataBooleanKeys:
		'Metadata keys whose values are sent as true/false: "true" or "false", in any case. Anything else is refused, naming the key.',
	metadataJson:
		'Values keep their JSON types (35 is a number, "35" is text); text is trimmed; a key whose value is blank or null is skipped; two keys that are the same once trimmed are refused.',
} as const;

/** The help text a platform shows under a lead field. */
export function fieldHelp(field: LeadField): string {
	const rule = field.nullable ? HELP.clearable : HELP.notClearable;
	return `${field.description} ${HELP.blank} ${rule}`;
}
