/**
 * Turns what a user mapped into Nexor's `POST /leads` request for one lead, or a NexorInputError
 * before anything is sent. Field values follow Update Lead's rules (blank = not sent), metadata is
 * built the same way, and enrolment (Workflow, Force First Message) is checked against the docs.
 */
import { NexorInputError } from './errors';
import { LEAD_FIELDS, LeadFieldName, findLeadField } from './fields';
import { InputName, choice, optionalUuid, requiredText } from './inputs';
import { JsonValue, MetadataSource, buildMetadata } from './metadata';
import { leadFieldText } from './update-lead';
import { isBlank, isPlainObject } from './values';

export interface FirstMessageInput {
	channel?: unknown;
	content?: unknown;
	/** Email only. */
	subject?: unknown;
	/** A verified email sender (UUID); Nexor falls back to the workflow's sender. */
	senderId?: unknown;
}

export interface CreateLeadInput {
	/** Lead fields by Nexor name (first_name required); blank values are not sent. */
	fields?: Partial<Record<string, unknown>>;
	metadata?: MetadataSource;
	metadataNumberKeys?: unknown;
	metadataBooleanKeys?: unknown;
	/** Enrols the new lead in this workflow (its cadence starts). */
	workflowId?: unknown;
	/** Replaces the workflow's first outreach; needs a workflow. Absent or all blank: not sent. */
	firstMessage?: FirstMessageInput;
}

export type CreateLeadBody = Partial<Record<LeadFieldName, string>> & {
	workflow_id?: string;
	metadata?: Record<string, JsonValue>;
	force_first_message?: { channel: 'whatsapp' | 'email'; content: string; subject?: string; sender_id?: string };
};

export interface CreateLeadRequest {
	body: CreateLeadBody;
	/**
	 * Nexor may merge a new lead into an existing one with the same email (else phone), so rows with
	 * the same email or phone run one after another: `email:…` or `phone:<digits>`.
	 */
	leadKey?: string;
}

const WORKFLOW: InputName = { field: 'workflow_id', label: 'Workflow' };
const CHANNEL: InputName = { field: 'force_first_message.channel', label: 'First Message Channel' };
const CONTENT: InputName = { field: 'force_first_message.content', label: 'First Message Content' };
const SUBJECT: InputName = { field: 'force_first_message.subject', label: 'First Message Subject' };
const SENDER: InputName = { field: 'force_first_message.sender_id', label: 'First Message Sender ID' };

function readKeyList(raw: unknown): string[] {
	if (isBlank(raw)) return [];
	const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
	return items.filter((item) => !isBlank(item)).map((item) => String(item).trim());
}

function firstMessage(
	raw: FirstMessageInput | undefined,
	workflowId: string | undefined,
	email: string | undefined,
): CreateLeadBody['force_first_message'] {
	if (raw === undefined || raw === null) return undefined;
	if (!isPlainObject(raw)) {
		throw new NexorInputError('force_first_message', 'Force First Message', 'Force First Message is not a set of message fields', 'Fill in the channel and content of the first message, or remove it.');
	}
	if ([raw.channel, raw.content, raw.subject, raw.senderId].every(isBlank)) return undefined;
	const channel = choice(raw.channel, CHANNEL, ['whatsapp', 'email'] as const);
	const content = requiredText(raw.content, CONTENT, {
		max: 10000,
		why: 'Nexor sends this text as the first message.',
		example: 'Hi Carlos, thanks for your interest!',
	});
	if (workflowId === undefined) {
		throw new NexorInputError(
			WORKFLOW.field,
			WORKFLOW.label,
			'Force First Message needs a Workflow',
			'The first message replaces the first step of a workflow: choose the Workflow to enrol the lead in, or remove Force First Message.',
		);
	}
	const message: NonNullable<CreateLeadBody['force_first_message']> = { channel, content };
	if (channel === 'email') {
		message.subject = requiredText(raw.subject, SUBJECT, { max: 1000, why: 'Nexor needs a subject for an email.', example: 'Your quote' });
		if (email === undefined) {
			throw new NexorInputError(
				'email',
				'Email',
				'An email first message needs the lead\'s Email',
				'Map the lead\'s email address, or send the first message on WhatsApp.',
			);
		}
	}
	// A subject mapped for WhatsApp is not sent: WhatsApp messages have none.
	const sender = optionalUuid(raw.senderId, SENDER, 'email sender');
	if (sender !== undefined) {
		if (channel !== 'email') {
			throw new NexorInputError(SENDER.field, SENDER.label, 'First Message Sender ID applies to email only', 'Remove the sender, or choose Email as the channel.');
		}
		message.sender_id = sender;
	}
	return message;
}

export function buildCreateRequest(input: CreateLeadInput): CreateLeadRequest {
	const mapped = input.fields ?? {};
	for (const name of Object.keys(mapped)) {
		if (!findLeadField(name)) {
			throw new NexorInputError(
				name,
				name,
				`"${name}" is not a Nexor lead field`,
				`Use one of: ${LEAD_FIELDS.map((f) => f.name).join(', ')}. Custom values belong in Metadata.`,
			);
		}
	}
	const body: CreateLeadBody = {};
	for (const field of LEAD_FIELDS) {
		const raw = mapped[field.name];
		if (field.name === 'first_name') {
			if (isBlank(raw)) {
				throw new NexorInputError('first_name', 'First Name', 'First Name is empty', "Nexor needs a first name to create a lead. Map the lead's first name (a placeholder such as \"Unknown\" works if the source has none).");
			}
		}
		if (isBlank(raw)) continue;
		body[field.name] = leadFieldText(field, raw, false);
	}
	const workflowId = optionalUuid(input.workflowId, WORKFLOW, 'workflow');
	if (workflowId !== undefined) body.workflow_id = workflowId;

	const metadata = buildMetadata(input.metadata, {
		numberKeys: readKeyList(input.metadataNumberKeys),
		booleanKeys: readKeyList(input.metadataBooleanKeys),
		emptyValues: 'skip',
	});
	if (metadata !== undefined) body.metadata = metadata;

	const message = firstMessage(input.firstMessage, workflowId, body.email);
	if (message !== undefined) body.force_first_message = message;

	const email = body.email?.toLowerCase();
	const digits = body.phone?.replace(/\D/g, '');
	const leadKey = email ? `email:${email}` : digits ? `phone:${digits}` : undefined;
	return { body, leadKey };
}

/** Exported for the README's wording test and both UIs: what happens with a duplicate. */
export const DUPLICATE_HELP =
	"If a lead with the same email (or, without an email match, the same phone) already exists, Nexor updates that lead instead of creating a second one: the fields you send replace its values, metadata is merged, and the output is that existing lead. Nexor's API reference doesn't promise this (its setup guide does): use Find Lead first when a duplicate must never be touched.";
