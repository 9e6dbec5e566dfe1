/**
 * The router: every resource and its operations, as Pipedrive v2 lists them. Nexor.node.ts renders
 * the description from here and hands each execution to the chosen operation.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { executeOperation, NodeOperation } from '../shared/execute';
import { leadOperationDescription, leadOperations } from './lead';
import { tagOperationDescription, tagOperations } from './tag';
import { conversionOperationDescription, conversionOperations } from './conversion';
import { meetingOperationDescription, meetingOperations } from './meeting';
import { messageOperationDescription, messageOperations } from './message';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const resources: Record<string, Record<string, NodeOperation<any, any>>> = {
	lead: leadOperations,
	tag: tagOperations,
	conversion: conversionOperations,
	message: messageOperations,
	meeting: meetingOperations,
};

export const resourceDescription: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Conversion', value: 'conversion' },
		{ name: 'Lead', value: 'lead' },
		{ name: 'Meeting', value: 'meeting' },
		{ name: 'Message', value: 'message' },
		{ name: 'Tag', value: 'tag' },
	],
	default: 'lead',
};

export const operationDescriptions: INodeProperties[] = [
	leadOperationDescription,
	tagOperationDescription,
	conversionOperationDescription,
	messageOperationDescription,
	meetingOperationDescription,
];

/** Every operation's own parameters, in resource order. */
export const operationParameters: INodeProperties[] = Object.values(resources).flatMap((operations) =>
	Object.values(operations).flatMap((operation) => operation.description),
);

/** "Update lead" for each resource and operation: the subtitle under the node on the canvas. */
export const subtitleByOperation: Record<string, string> = Object.fromEntries(
	Object.entries(resources).flatMap(([resource, operations]) =>
		Object.entries(operations).map(([name, operation]) => [`${resource}:${name}`, operation.core.action]),
	),
);

export async function route(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Both are noDataExpression parameters: one value for every item.
	const resource = context.getNodeParameter('resource', 0, resourceDescription.default) as string;
	const fallback = operationDescriptions.find((d) => d.displayOptions?.show?.resource?.includes(resource))?.default;
	const name = context.getNodeParameter('operation', 0, fallback) as string;
	const operation = resources[resource]?.[name];
	if (!operation) {
		throw new NodeOperationError(context.getNode(), `The operation "${name}" of "${resource}" is not supported`, {
			description: 'Choose a Resource and an Operation from the lists.',
		});
	}
	return await executeOperation(context, operation);
}
