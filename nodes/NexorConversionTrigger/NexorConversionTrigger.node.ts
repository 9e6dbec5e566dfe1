import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { ConversionCheckpoint, NexorApiError, conversionPollCall, newConversions } from '../../core';
import { sendSingleCall } from '../Nexor/shared/single-call';
import { toNodeApiError } from '../Nexor/shared/transport';
import { nexorApiTest } from '../Nexor/shared/credential-test';
import { listSearch } from '../Nexor/shared/lists';
import { locator } from '../Nexor/shared/locators';

/**
 * Emits each new Nexor conversion once, on n8n's poll schedule. Core decides which pages to read
 * (newest first) and which conversions are new; the checkpoint (in the workflow's static data) moves
 * only when the poll succeeded and its conversions are handed to n8n, so a 429 or 5xx that outlasts
 * the retries loses nothing and repeats nothing: the next poll picks up from the same place.
 */
export class NexorConversionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexor Conversion Trigger',
		name: 'nexorConversionTrigger',
		icon: { light: 'file:../../icons/nexor.svg', dark: 'file:../../icons/nexor.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New conversion',
		description: 'Starts the workflow for each new conversion recorded in Nexor (a booking, a sale)',
		defaults: { name: 'Nexor Conversion Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexorApi', required: true, testedBy: 'nexorApiTest' }],
		properties: [
			{
				displayName:
					'Checks Nexor on the schedule below. The first check after activation only notes where to start; every conversion recorded after it starts the workflow once, oldest first.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			locator({
				name: 'conversionTypeId',
				displayName: 'Conversion Type',
				what: 'conversion type',
				searchListMethod: 'searchConversionTypes',
				description: 'Only conversions of this type. Empty: every type.',
				displayOptions: {},
			}),
		],
	};

	// The same credential test as the Nexor node (shared/credential-test.ts).
	methods = { credentialTest: { nexorApiTest }, listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const memory = this.getWorkflowStaticData('node');
		const checkpoint = (memory.checkpoint ?? {}) as ConversionCheckpoint;
		const manual = this.getMode() === 'manual';
		let events: IDataObject[];
		try {
			const type = this.getNodeParameter('conversionTypeId', '', { extractValue: true });
			events = (await sendSingleCall(this, conversionPollCall(checkpoint, type))) as IDataObject[];
		} catch (error) {
			if (error instanceof NexorApiError) throw toNodeApiError(this, error, 0, '');
			throw new NodeOperationError(this.getNode(), error as Error);
		}
		// Polls can overlap (a slow one still reading when the next starts): judge against the checkpoint
		// as it is now, so what the other poll handed on isn't handed on again.
		const now = (memory.checkpoint ?? {}) as ConversionCheckpoint;
		const { emit, checkpoint: next } = newConversions(events, now, manual ? 'manual' : 'poll');
		// Moved only here, after a successful read: n8n saves it when these items are emitted.
		if (!manual) memory.checkpoint = next as IDataObject;
		if (emit.length === 0) return null;
		return [this.helpers.returnJsonArray(emit as IDataObject[])];
	}
}
