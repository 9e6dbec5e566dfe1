import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { isPlainObject } from '../../core/index';
import { responseError, secretOf } from './errors.cjs';
import { send } from './transport.cjs';

/**
 * Nexor has no /me endpoint, so nothing names the account. The label shows the key's last four
 * characters (like a card number) so two connections can be told apart; never more of the key.
 */
export function keyEnding(authData: Record<string, unknown> | undefined): string {
	const key = secretOf(authData);
	return key !== undefined && key.length >= 16 ? key.slice(-4) : '';
}

/** "Test connection": the cheapest read-only call Nexor documents. */
async function test(z: ZObject, bundle: Bundle): Promise<{ key_ending: string }> {
	const response = await send(z, bundle, { method: 'GET', path: '/tags', tags: { authTest: true } });
	let parsed: unknown;
	try {
		parsed = JSON.parse(response.content);
	} catch {
		parsed = undefined;
	}
	// A 2xx that isn't Nexor's JSON (a captive portal, a wrong Base URL) must not pass as a valid key.
	if (!isPlainObject(parsed)) throw responseError(z, response, { secret: secretOf(bundle.authData), authTest: true });
	return { key_ending: keyEnding(bundle.authData) };
}

/** `bundle.inputData` holds what `test` returned. */
async function connectionLabel(_z: ZObject, bundle: Bundle): Promise<string> {
	const ending = bundle.inputData?.key_ending;
	return typeof ending === 'string' && ending !== '' ? `Nexor (key ending …${ending})` : 'Nexor';
}

const authentication: Authentication = {
	type: 'custom',
	fields: [
		{
			key: 'api_key',
			label: 'API Key',
			type: 'password',
			required: true,
			helpText:
				'Your Nexor API key. In the Nexor dashboard, click your profile at the bottom left and open **Integrations** to copy it. It starts with `nxr_live_`. [How Nexor API keys work](https://docs.getnexor.ai/docs/en/api/authentication).',
		},
	],
	test,
	connectionLabel,
};

export default authentication;
