/**
 * The lists behind dropdowns and searches (workflows, campaigns, tags, leads): which request fills
 * each, and how its answer becomes choices. GET /workflows, /campaigns and /leads are referenced by
 * Nexor but not specified, so their answers are read defensively (answers.ts: a named key, `data`,
 * or a bare array); when a list can't be read the UIs let the user type the ID instead.
 */
import { answerList } from './answers';
import type { NexorRequest } from './operation';

export interface Choice {
	name: string;
	value: string;
	description?: string;
}

export type ChoiceList = 'workflows' | 'campaigns' | 'tags' | 'leads' | 'conversion-types';

/** The request for a list; `search` filters where Nexor supports it (tags, leads). */
export function choiceRequest(list: ChoiceList, search?: string): NexorRequest {
	const text = search?.trim();
	const query: Record<string, string> = {};
	if (text && (list === 'tags' || list === 'leads')) query.search = text;
	if (list === 'leads') query.limit = '50';
	return { method: 'GET', path: `/${list}`, ...(Object.keys(query).length > 0 && { query }) };
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function leadName(lead: Record<string, unknown>): string {
	const name = [text(lead.first_name), text(lead.last_name)].filter(Boolean).join(' ');
	const contact = text(lead.email) ?? text(lead.phone);
	if (name && contact) return `${name} (${contact})`;
	return name || contact || String(lead.id);
}

/** The answer as choices, sorted by name (n8n's UI rules want dropdowns alphabetised). */
export function readChoices(list: ChoiceList, body: unknown, status?: number): Choice[] {
	const items = answerList(body, status, list === 'conversion-types' ? 'conversion_types' : list);
	const choices = items.map((item): Choice => {
		const value = String(item.id);
		if (list === 'leads') return { name: leadName(item), value };
		const name = text(item.name) ?? value;
		const description =
			list === 'tags'
				? text(item.description)
				: list === 'workflows' && item.is_active === false
					? 'Inactive'
					: list === 'conversion-types'
						? [text(item.category), text(item.currency)].filter(Boolean).join(', ') || undefined
						: undefined;
		return { name, value, ...(description !== undefined && { description }) };
	});
	// Leads keep Nexor's order (newest first); the others are sorted by name.
	return list === 'leads' ? choices : choices.sort((a, b) => a.name.localeCompare(b.name));
}

/** The fields a conversion type asks for (its `fields[]`), as choices whose value is the metadata key. */
export function readConversionFields(body: unknown, typeId: string, status?: number): Choice[] {
	const type = answerList(body, status, 'conversion_types').find((item) => String(item.id).toLowerCase() === typeId.trim().toLowerCase());
	const fields = Array.isArray(type?.fields) ? type.fields : [];
	return fields
		.filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null && typeof (f as { key?: unknown }).key === 'string')
		.map((f) => ({ name: text(f.label) ?? String(f.key), value: String(f.key), ...(text(f.type) && { description: `${text(f.type)}` }) }));
}
