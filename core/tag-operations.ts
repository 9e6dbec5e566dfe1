/**
 * Tags (nexor-api.md §5): a lead's tags (get, add by ID, replace the whole set by name) and the
 * account's tags (list, create, delete), as data run by the one engine.
 */
import { answerArray, answerObject, unexpectedAnswer, withoutSuccessFlag } from './answers';
import { NexorInputError, quoteShort } from './errors';
import { InputName, listItems, optionalText, requiredText, requiredUuid, wholeNumber, yesNo } from './inputs';
import { Row, leadTarget } from './lead-operations';
import type { Operation } from './operation';
import { isBlank, isPlainObject, isUuid, looksLikeEmail } from './values';

const TAGS: InputName = { field: 'tags', label: 'Tags' };
const TAG_ID: InputName = { field: 'tag_id', label: 'Tag ID' };
export const TAG_NAME_LIMIT = 100;

export const getLeadTags: Operation<{ leadId: unknown }, Row[]> = {
	resource: 'lead',
	name: 'getTags',
	action: 'Get lead tags',
	prepare(input) {
		const { leadId, path, leadKey } = leadTarget(input.leadId);
		return {
			request: { method: 'GET', path: `${path}/tags` },
			leadKey,
			idempotent: true,
			failureWords: { leadId, action: 'lookup' },
			read: (answer) => answerArray(answer.body, answer.status, 'data').map((tag) => ({ lead_id: leadId, ...tag })),
		};
	},
};

export interface AddLeadTagsInput {
	leadId: unknown;
	/** Tag IDs: a list or comma-separated text. */
	tagIds: unknown;
}

export const addLeadTags: Operation<AddLeadTagsInput, Row> = {
	resource: 'lead',
	name: 'addTags',
	action: 'Add tags to lead',
	prepare(input) {
		const { leadId, path, leadKey } = leadTarget(input.leadId);
		const tagIds: string[] = [];
		for (const raw of listItems(input.tagIds)) {
			const text = typeof raw === 'string' ? raw : String(raw);
			if (!isUuid(text)) {
				throw new NexorInputError('tag_ids', TAGS.label, `Tags contains ${quoteShort(raw)}, which is not a tag ID`, 'Choose tags from the list, or map tag IDs (UUIDs). To tag by name, use Set Tags.');
			}
			if (!tagIds.some((id) => id.toLowerCase() === text.toLowerCase())) tagIds.push(text);
		}
		if (tagIds.length === 0) {
			throw new NexorInputError('tag_ids', TAGS.label, 'Tags is empty', 'Choose at least one tag to add. Nothing was sent.');
		}
		return {
			request: { method: 'POST', path: `${path}/tags`, body: { tagIds } },
			leadKey,
			// Nexor skips tags the lead already has.
			idempotent: true,
			failureWords: { leadId, action: 'tagging' },
			read: (answer) => ({ lead_id: leadId, tags: answerArray(answer.body, answer.status, 'data') }),
		};
	},
};

export interface SetLeadTagsInput {
	/** 'id' (default) or 'email': how the lead is found. */
	leadBy?: unknown;
	leadId?: unknown;
	email?: unknown;
	/** Tag names: a list or comma-separated text. */
	tags?: unknown;
	/** The only way to send an empty list (remove every tag): blanks never do. */
	removeAllTags?: unknown;
}

/** Tag names as sent: trimmed, blanks dropped, repeats (any case) kept once. */
export function tagNames(raw: unknown): string[] {
	const names: string[] = [];
	for (const item of listItems(raw)) {
		const name = optionalText(item, TAGS, { max: TAG_NAME_LIMIT });
		if (name === undefined) continue;
		if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
	}
	return names;
}

export const setLeadTags: Operation<SetLeadTagsInput, Row> = {
	resource: 'lead',
	name: 'setTags',
	action: 'Set lead tags',
	prepare(input) {
		const by = isBlank(input.leadBy) ? 'id' : String(input.leadBy).trim().toLowerCase();
		let target: { lead_id: string } | { email: string };
		let leadKey: string;
		let leadId: string | undefined;
		if (by === 'email') {
			const email = requiredText(input.email, { field: 'email', label: 'Lead Email' }, { max: 320, example: 'carlos@example.com', why: 'Set Tags by email finds the lead by its email address.' });
			if (!looksLikeEmail(email)) {
				throw new NexorInputError('email', 'Lead Email', `Lead Email ${quoteShort(email)} is not a valid email address`, 'Map an address such as carlos@example.com.');
			}
			target = { email };
			leadKey = `email:${email.toLowerCase()}`;
		} else if (by === 'id') {
			const lead = leadTarget(input.leadId);
			leadId = lead.leadId;
			target = { lead_id: lead.leadId };
			leadKey = lead.leadKey;
		} else {
			throw new NexorInputError('lead_by', 'Find Lead By', `Find Lead By is ${quoteShort(input.leadBy)}, which is not a known choice`, 'Choose ID or Email.');
		}
		const names = tagNames(input.tags);
		const removeAll = yesNo(input.removeAllTags, { field: 'remove_all_tags', label: 'Remove All Tags' }, false);
		if (removeAll && names.length > 0) {
			throw new NexorInputError('remove_all_tags', 'Remove All Tags', 'Remove All Tags is on but Tags lists names', 'Turn Remove All Tags off to set the listed tags, or empty Tags to remove every tag.');
		}
		if (!removeAll && names.length === 0) {
			// A blank list must never turn into "remove every tag" (nexor-api.md §12.1).
			throw new NexorInputError('tags', TAGS.label, 'Tags is empty', "List the tag names the lead should have. To remove every tag, turn on Remove All Tags. Nothing was sent.");
		}
		return {
			request: { method: 'PUT', path: '/leads/tags', body: { ...target, tags: names } },
			leadKey,
			// The same set twice gives the same result.
			idempotent: true,
			failureWords: {
				leadId,
				action: 'tag change',
				...(leadId === undefined && {
					notFound: {
						message: `No lead with email ${quoteShort((target as { email: string }).email)} exists in this Nexor account`,
						fix: 'Check the Lead Email, or create the lead first.',
					},
				}),
			},
			read: (answer) => {
				const body = withoutSuccessFlag(answerObject(answer.body, answer.status));
				if (!Array.isArray(body.tags)) throw unexpectedAnswer(answer.status, 'it did not contain the lead\'s tags');
				return body;
			},
		};
	},
};

// ── The account's tags ─────────────────────────────────────────────────────────────────────────

export interface ListTagsInput {
	search?: unknown;
	returnAll?: unknown;
	limit?: unknown;
}

export const listTags: Operation<ListTagsInput, Row[]> = {
	resource: 'tag',
	name: 'getMany',
	action: 'Get many tags',
	prepare(input) {
		const search = optionalText(input.search, { field: 'search', label: 'Search' }, { max: 200 });
		const returnAll = yesNo(input.returnAll, { field: 'return_all', label: 'Return All' }, false);
		const limit = returnAll ? Infinity : wholeNumber(input.limit, { field: 'limit', label: 'Limit' }, { min: 1, max: 1000 }, 50);
		return {
			request: { method: 'GET', path: '/tags', ...(search !== undefined && { query: { search } }) },
			idempotent: true,
			failureWords: { action: 'tag list' },
			// Nexor documents no paging for tags: the whole list comes at once and Limit cuts it here.
			read: (answer) => answerArray(answer.body, answer.status, 'data').slice(0, limit),
		};
	},
};

/** A slug from a name, as Nexor's tag sync derives one: lower case, accents off, words joined by "-". */
export function slugFrom(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

export interface CreateTagInput {
	name: unknown;
	/** Blank: made from the name. */
	slug?: unknown;
	description?: unknown;
}

export const createTag: Operation<CreateTagInput, Row> = {
	resource: 'tag',
	name: 'create',
	action: 'Create tag',
	prepare(input) {
		const name = requiredText(input.name, { field: 'name', label: 'Name' }, { max: TAG_NAME_LIMIT, example: 'VIP' });
		const given = optionalText(input.slug, { field: 'slug', label: 'Slug' }, { max: TAG_NAME_LIMIT });
		const slug = given ?? slugFrom(name);
		if (slug === '' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
			throw new NexorInputError(
				'slug',
				'Slug',
				given === undefined ? `No slug can be made from the name ${quoteShort(name)}` : `Slug ${quoteShort(slug)} is not a valid slug`,
				'Give a Slug of lower-case letters, digits and hyphens, such as follow-up.',
			);
		}
		const description = optionalText(input.description, { field: 'description', label: 'Description' }, { max: 1000 });
		return {
			request: { method: 'POST', path: '/tags', body: { name, slug, ...(description !== undefined && { description }) } },
			// Rows creating the same slug run in order: the first creates it, the next gets Nexor's 409.
			leadKey: `tag-slug:${slug}`,
			// A second create answers 409 (slug taken): not retried blindly.
			idempotent: false,
			failureWords: { action: 'new tag' },
			read: (answer) => {
				const data = answerObject(answer.body, answer.status).data;
				if (!isPlainObject(data) || typeof data.id !== 'string') throw unexpectedAnswer(answer.status, 'it did not contain the new tag');
				return data;
			},
		};
	},
};

export const deleteTag: Operation<{ tagId: unknown }, Row> = {
	resource: 'tag',
	name: 'delete',
	action: 'Delete tag',
	prepare(input) {
		const tagId = requiredUuid(input.tagId, TAG_ID, 'tag', 'chosen from the list');
		return {
			request: { method: 'DELETE', path: `/tags/${encodeURIComponent(tagId)}` },
			leadKey: `tag:${tagId.toLowerCase()}`,
			idempotent: true,
			failureWords: {
				action: 'tag deletion',
				notFound: {
					message: `No tag with ID ${tagId} exists in this Nexor account`,
					fix: 'Check the Tag ID: it may have been deleted already.',
				},
			},
			read: (answer) => ({ id: tagId, deleted: true, ...withoutSuccessFlag(answerObject(answer.body, answer.status)) }),
		};
	},
};
