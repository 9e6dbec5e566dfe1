/** The Lead resource: its operations, and the Operation parameter that lists them. */
import type { INodeProperties } from 'n8n-workflow';
import { updateLead } from '../../../../core';
import type { NodeOperation } from '../../shared/execute';
import { leadUpdateDescription, readLeadUpdateInput } from './update';

// Typed loosely here: each operation keeps its own input and result types inside its module.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const leadOperations: Record<string, NodeOperation<any, any>> = {
	update: {
		core: updateLead,
		description: leadUpdateDescription,
		readInput: readLeadUpdateInput,
		leadIdOf: (input) => input.leadId,
	},
};

export const leadOperationDescription: INodeProperties = {
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
};
