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

export type ChoiceList = 'workflows' | 'campaigns' | 'tags' | 'leads';

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
	const items = answerList(body, status, list);
	const choices = items.map((item): Choice => {
		const value = String(item.id);
		if (list === 'leads') return { name: leadName(item), value };
		const name = text(item.name) ?? value;
		const description = list === 'tags' ? text(item.description) : list === 'workflows' && item.is_active === false ? 'Inactive' : undefined;
		return { name, value, ...(description !== undefined && { description }) };
	});
	// Leads keep Nexor's order (newest first); the others are sorted by name.
	return list === 'leads' ? choices : choices.sort((a, b) => a.name.localeCompare(b.name));
}
