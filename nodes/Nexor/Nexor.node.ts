import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import {
	operationDescriptions,
	operationParameters,
	resourceDescription,
	route,
	subtitleByOperation,
} from './resources';
import { optionsDescription } from './shared/descriptions';
import { nexorApiTest } from './shared/credential-test';
import { listSearch, loadOptions } from './shared/lists';

export class Nexor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexor',
		name: 'nexor',
		icon: { light: 'file:../../icons/nexor.svg', dark: 'file:../../icons/nexor.dark.svg' },
		group: ['output'],
		version: 1,
		// The action a person reads ("Update lead"), not the raw values ("update: lead").
		subtitle: `={{ (${JSON.stringify(subtitleByOperation)})[$parameter["resource"] + ":" + $parameter["operation"]] }}`,
		description: 'Leads, tags, conversions, messages and meetings in Nexor, the AI sales platform: create, find, update, enrol, hand over to a human',
		defaults: { name: 'Nexor' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexorApi', required: true, testedBy: 'nexorApiTest' }],
		properties: [resourceDescription, ...operationDescriptions, ...operationParameters, optionsDescription],
	};

	// The credential's "Test" (see shared/credential-test.ts): core's checks, no redirects, Nexor's answer only.
	methods = { credentialTest: { nexorApiTest }, loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
