import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class NexorApi implements ICredentialType {
	name = 'nexorApi';

	displayName = 'Nexor API';

	icon: Icon = { light: 'file:../icons/nexor.svg', dark: 'file:../icons/nexor.dark.svg' };

	documentationUrl = 'https://docs.getnexor.ai/docs/en/api/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Your Nexor API key. In the Nexor dashboard, click your profile at the bottom left, open Integrations and copy the key. It starts with nxr_live_.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.getnexor.ai/api/public',
			description:
				"The address of Nexor's API. Keep the default unless you are pointing the node at a test server.",
		},
	];

	// Outer whitespace from a paste is trimmed here too, so the test and the node send the same header.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey.trim()}}',
			},
		},
	};

	// Nexor has no "who am I" endpoint; listing tags is the cheapest documented read.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/tags',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Nexor rejected the API key. Copy it again from the Nexor dashboard (your profile at the bottom left → Integrations); it starts with nxr_live_.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Nexor could not be found at this Base URL. Use https://api.getnexor.ai/api/public unless Nexor gave you another address.',
				},
			},
		],
	};
}
