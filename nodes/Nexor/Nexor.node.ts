import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import {
	NexorInputError,
	SharedBackoff,
	buildUpdateRequest,
	checkApiKey,
	mapWithConcurrency,
	normalizeBaseUrl,
	redactSecret,
} from '../../core';
import { leadUpdateDescription, readLeadUpdateInput } from './resources/lead/update';
import { Connection, sendLeadUpdate } from './shared/transport';

const DEFAULT_CONCURRENCY = 10;
const DEFAULT_TIMEOUT_SECONDS = 30;

export class Nexor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexor',
		name: 'nexor',
		icon: { light: 'file:../../icons/nexor.svg', dark: 'file:../../icons/nexor.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Update leads in Nexor, the AI sales platform',
		defaults: { name: 'Nexor' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexorApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Lead', value: 'lead' }],
				default: 'lead',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['lead'] } },
				options: [
					{
						name: 'Update',
						value: 'update',
						action: 'Update a lead',
						description:
							"Change an existing lead's fields, clear chosen fields, and merge metadata. Blank values are skipped.",
					},
				],
				default: 'update',
			},
			...leadUpdateDescription,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Requests in Parallel',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 20 },
						default: DEFAULT_CONCURRENCY,
						description:
							'How many leads to update at the same time. When Nexor asks to slow down, every request waits.',
					},
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeoutSeconds',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 300 },
						default: DEFAULT_TIMEOUT_SECONDS,
						description: 'How long to wait for Nexor to answer one request before trying again',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();
		const credentials = await this.getCredentials('nexorApi');
		const rawKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;

		// A bad credential is reported on every item, so "Continue" still yields one output per item.
		let connection: Connection | undefined;
		let setupError: NexorInputError | undefined;
		try {
			connection = {
				apiKey: checkApiKey(rawKey),
				baseUrl: normalizeBaseUrl(credentials.baseUrl),
				timeoutMs: Number(options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
				backoff: new SharedBackoff(),
			};
		} catch (error) {
			setupError = error as NexorInputError;
		}
		const secret = rawKey.trim();

		const results = await mapWithConcurrency(
			items.length,
			Number(options.concurrency ?? DEFAULT_CONCURRENCY),
			async (itemIndex): Promise<INodeExecutionData> => {
				let leadId: unknown;
				try {
					if (setupError || !connection) {
						throw new NodeOperationError(node, `Nexor API credential: ${setupError?.message}`, {
							description: setupError?.fix,
							itemIndex,
						});
					}
					const input = readLeadUpdateInput(this, itemIndex);
					leadId = input.leadId;
					let request;
					try {
						request = buildUpdateRequest(input);
					} catch (error) {
						const invalid = error as NexorInputError;
						throw new NodeOperationError(node, redactSecret(invalid.message, secret), {
							description: invalid.fix,
							itemIndex,
						});
					}
					const lead = await sendLeadUpdate(this, request, connection, itemIndex);
					return { json: lead as IDataObject, pairedItem: { item: itemIndex } };
				} catch (error) {
					if (!this.continueOnFail()) {
						if (error instanceof NodeApiError) {
							throw new NodeApiError(node, error as unknown as JsonObject, { itemIndex });
						}
						throw new NodeOperationError(node, error as Error, { itemIndex });
					}
					const failed = error as NodeApiError | NodeOperationError;
					// n8n routes an item to the error output only when its json holds `error` alone (1.x also
					// allows `message`), so what a person needs sits inside `error`, as the HTTP Request node does.
					return {
						json: redactSecret(
							{
								error: {
									message: failed.message,
									description: failed.description ?? null,
									httpCode: failed instanceof NodeApiError ? failed.httpCode : null,
									leadId: typeof leadId === 'string' ? leadId : null,
								},
							},
							secret,
						),
						pairedItem: { item: itemIndex },
					};
				}
			},
		);
		return [results];
	}
}
