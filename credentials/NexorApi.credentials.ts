import type {
	IAuthenticateGeneric,
	Icon,
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
				"The address of Nexor's API. Keep the default unless you are pointing the node at a test server. It must start with https:// (plain http:// only for a server on this machine, such as the Nexor sandbox).",
		},
	];

	// Outer whitespace from a paste is trimmed here too, as core's checkApiKey does for the credential test.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey.trim()}}',
			},
		},
	};

	// "Test" is the Nexor node's nexorApiTest (testedBy), not a declarative request: it applies core's
	// Base URL and key checks before sending, never follows a redirect, and passes only on Nexor's
	// own answer to GET /tags (nodes/Nexor/shared/credential-test.ts).
}
