/**
 * The node's dropdowns and searchable lists (workflows, campaigns, tags, leads): one request each
 * through the credential's Base URL, read by core (choices.ts). A list Nexor answers in a shape core
 * doesn't know, or an error, is shown in the dropdown with what to do; the resource locators' By ID
 * mode always remains.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	Choice,
	ChoiceList,
	NexorApiError,
	checkApiKey,
	choiceRequest,
	classifyFailure,
	normalizeBaseUrl,
	readChoices,
	readConversionFields,
	redactSecret,
} from '../../../core';
import { DEFAULT_TIMEOUT_SECONDS } from './descriptions';
import { sendToNexor } from './transport';

async function choices(
	context: ILoadOptionsFunctions,
	list: ChoiceList,
	search?: string,
	read: (body: unknown, status: number) => Choice[] = (body, status) => readChoices(list, body, status),
): Promise<Choice[]> {
	const credentials = await context.getCredentials('nexorApi');
	const rawKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const secret = rawKey.trim();
	try {
		checkApiKey(rawKey);
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		const exchange = await sendToNexor(context, { baseUrl, timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 }, choiceRequest(list, search));
		if (exchange.status !== undefined && exchange.status >= 200 && exchange.status < 300) {
			return read(exchange.body, exchange.status);
		}
		throw classifyFailure({ ...exchange, now: Date.now(), secret, action: `${list} list` });
	} catch (error) {
		const known = error as NexorApiError;
		const fix = typeof known.fix === 'string' ? ` ${known.fix}` : '';
		// The list's own error, with the way out: the By ID mode (or an expression) still works.
		throw new NodeOperationError(context.getNode(), redactSecret(`Could not load the ${list} from Nexor: ${known.message}`, secret) as string, {
			description: `${redactSecret(fix, secret) as string} You can still give the ID: switch to By ID, or use an expression.`.trim(),
		});
	}
}

const asOptions = (list: Awaited<ReturnType<typeof choices>>): INodePropertyOptions[] =>
	list.map((c) => ({ name: c.name, value: c.value, ...(c.description !== undefined && { description: c.description }) }));

const asSearchResult = (list: Awaited<ReturnType<typeof choices>>, filter?: string): INodeListSearchResult => {
	const needle = filter?.trim().toLowerCase();
	return {
		results: list
			.filter((c) => !needle || c.name.toLowerCase().includes(needle) || c.value.toLowerCase() === needle)
			.map((c) => ({ name: c.name, value: c.value })),
	};
};

export const loadOptions = {
	async getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return asOptions(await choices(this, 'tags'));
	},
	/** The chosen conversion type's own fields (its `fields[]`). */
	async getConversionFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const type = this.getCurrentNodeParameter('conversionTypeId', { extractValue: true });
		if (typeof type !== 'string' || type.trim() === '') return [];
		return asOptions(await choices(this, 'conversion-types', undefined, (body, status) => readConversionFields(body, type, status)));
	},
};

export const listSearch = {
	/** Leads by name, email or phone through Nexor's search (GET /leads?search=, not yet documented). */
	async searchLeads(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return { results: (await choices(this, 'leads', filter)).map((c) => ({ name: c.name, value: c.value })) };
	},
	async searchWorkflows(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return asSearchResult(await choices(this, 'workflows'), filter);
	},
	async searchCampaigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return asSearchResult(await choices(this, 'campaigns'), filter);
	},
	async searchConversionTypes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return asSearchResult(await choices(this, 'conversion-types'), filter);
	},
	async searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return asSearchResult(await choices(this, 'tags', filter));
	},
};
