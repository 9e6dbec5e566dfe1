/** Parameters every Nexor operation shares. */
import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_TIMEOUT_SECONDS = 30;

export const optionsDescription: INodeProperties = {
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
				'How many leads to work on at the same time, for the whole run (an expression here is read from the first item). Items for the same lead always run one after another, in order. When Nexor asks to slow down, every request waits.',
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
};
