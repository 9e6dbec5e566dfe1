/**
 * Lead → Find by email or phone (`GET /leads?search=`, referenced by Nexor but not yet documented):
 * core matches exactly on our side; no match is no output, not an error.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { FindLeadInput } from '../../../../core';

const showFor = { show: { resource: ['lead'], operation: ['find'] } };

export const leadFindDescription: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		default: 'email',
		options: [
			{ name: 'Email', value: 'email', description: 'The exact address, in any case' },
			{ name: 'Phone', value: 'phone', description: 'Every digit the same; spaces, dashes and + are ignored' },
		],
		displayOptions: showFor,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The email address of the lead to find. Every lead with exactly this address (any case) is returned; none is no output, not an error.',
		displayOptions: { show: { ...showFor.show, findBy: ['email'] } },
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		placeholder: 'e.g. +56912345678',
		default: '',
		description: 'The phone number of the lead to find, with the country code as Nexor stores it. Every lead whose number has the same digits is returned; none is no output, not an error.',
		displayOptions: { show: { ...showFor.show, findBy: ['phone'] } },
	},
	{
		displayName: 'Output an Empty Item When None Match',
		name: 'emptyWhenNone',
		type: 'boolean',
		default: false,
		description:
			'Whether an input item with no matching lead gives one empty item, so the workflow goes on for it (for example to an IF node, then Create). Off: it gives no output. (n8n\'s Always Output Data only helps when no input item matched at all.)',
		displayOptions: showFor,
	},
];

export function readLeadFindInput(context: IExecuteFunctions, itemIndex: number): FindLeadInput {
	const by = context.getNodeParameter('findBy', itemIndex, 'email');
	const emptyWhenNone = context.getNodeParameter('emptyWhenNone', itemIndex, false);
	return by === 'phone'
		? { phone: context.getNodeParameter('phone', itemIndex, ''), emptyWhenNone }
		: { email: context.getNodeParameter('email', itemIndex, ''), emptyWhenNone };
}
