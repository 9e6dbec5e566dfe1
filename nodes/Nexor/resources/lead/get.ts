/** Lead → Get (`GET /leads/{id}`), with Simplify. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { GetLeadInput, SIMPLE_LEAD_FIELDS } from '../../../../core';
import { LOCATOR_VALUE, leadLocator } from '../../shared/locators';

const showFor = { show: { resource: ['lead'], operation: ['get'] } };
const simplifyHelp = `Whether to return only the ten fields used most (${SIMPLE_LEAD_FIELDS.join(', ')}) instead of the whole lead with its workflow run and AI-extracted variables`;

export const leadGetDescription: INodeProperties[] = [
	leadLocator(showFor, 'The lead to get'),
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: simplifyHelp,
		displayOptions: showFor,
	},
];

export function readLeadGetInput(context: IExecuteFunctions, itemIndex: number): GetLeadInput {
	return {
		leadId: context.getNodeParameter('leadId', itemIndex, '', LOCATOR_VALUE),
		simplify: context.getNodeParameter('simplify', itemIndex, true),
	};
}
