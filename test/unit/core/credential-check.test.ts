/**
 * core/credential-check.ts: what the connection test sends (only after the Base URL and key passed
 * the same checks as Update Lead) and how it reads the answer (only Nexor's tag list passes).
 */
import {
	CREDENTIAL_CHECK_PATH,
	credentialCheckMessage,
	judgeCredentialCheck,
	judgeCredentialCheckNetwork,
	prepareCredentialCheck,
} from '../../../core/credential-check';
import { normalizeBaseUrl } from '../../../core/base-url';
import { NexorInputError } from '../../../core/errors';
import { checkApiKey } from '../../../core/secrets';

// The sandbox's own key (test/sandbox), valid nowhere else.
const SANDBOX = 'nxr_live_sandbox_key_0123456789abcdef';
const TAGS = JSON.stringify({ data: [{ id: 't1', name: 'VIP', slug: 'vip', description: null }] });

function inputError(input: { baseUrl: unknown; apiKey: unknown }): NexorInputError {
	try {
		prepareCredentialCheck(input);
	} catch (error) {
		expect(error).toBeInstanceOf(NexorInputError);
		return error as NexorInputError;
	}
	throw new Error('accepted');
}

describe('prepareCredentialCheck', () => {
	it('builds GET <base>/tags with the trimmed key, never following redirects', () => {
		expect(prepareCredentialCheck({ baseUrl: ' http://127.0.0.1:4010/api/public/ ', apiKey: ` ${SANDBOX}\n` })).toEqual({
			method: 'GET',
			baseUrl: 'http://127.0.0.1:4010/api/public',
			url: 'http://127.0.0.1:4010/api/public/tags',
			apiKey: SANDBOX,
			headers: { 'X-API-Key': SANDBOX, Accept: 'application/json' },
			followRedirects: false,
		});
		expect(CREDENTIAL_CHECK_PATH).toBe('/tags');
	});

	it.each([
		['http://api.getnexor.ai@127.0.0.1:4010/api/public', 'contains a user name or password'],
		['http://api.getnexor.ai/api/public', 'uses http://'],
		['http://10.0.0.5/api/public', 'uses http://'],
		['https://api.getnexor.ai/api/public/tags', 'points at an endpoint'],
		['', 'The Base URL is empty'],
		[undefined, 'The Base URL is empty'],
	])('refuses the Base URL %p before anything is sent', (baseUrl, words) => {
		const error = inputError({ baseUrl, apiKey: SANDBOX });
		expect(error.field).toBe('base_url');
		expect(error.message).toContain(words);
		const text = credentialCheckMessage(error, SANDBOX);
		expect(text).toMatch(/^The Base URL/);
		expect(text).toContain(error.fix);
		expect(text).not.toMatch(/[\r\n]/);
	});

	it('refuses a bad key, and checks the Base URL first', () => {
		expect(inputError({ baseUrl: 'https://api.getnexor.ai/api/public', apiKey: 'nxr_live_a b' }).field).toBe('api_key');
		expect(inputError({ baseUrl: 'http://evil.example/api/public', apiKey: '' }).field).toBe('base_url');
	});

	it('accepts exactly what Update Lead accepts (same normalizeBaseUrl and checkApiKey)', () => {
		const samples = [
			'https://api.getnexor.ai/api/public',
			'http://localhost:4010/api/public/',
			'http://[::1]:4010/x',
			'http://10.0.0.5/api/public',
			'https://a@b.example/api',
			'https://api.getnexor.ai/api/public?x',
			'http://127.1/api',
		];
		for (const baseUrl of samples) {
			let node: string | undefined;
			try {
				node = normalizeBaseUrl(baseUrl);
				checkApiKey(SANDBOX);
			} catch {
				node = undefined;
			}
			let check: string | undefined;
			try {
				check = prepareCredentialCheck({ baseUrl, apiKey: SANDBOX }).baseUrl;
			} catch {
				check = undefined;
			}
			expect([baseUrl, check]).toEqual([baseUrl, node]);
		}
	});
});

describe('judgeCredentialCheck', () => {
	it('passes only on Nexor’s tag list (raw text or parsed), an empty list included', () => {
		expect(judgeCredentialCheck({ status: 200, body: TAGS })).toMatchObject({ ok: true });
		expect(judgeCredentialCheck({ status: 200, body: JSON.parse(TAGS) })).toMatchObject({ ok: true });
		expect(judgeCredentialCheck({ status: 200, body: '{"data":[]}' })).toMatchObject({ ok: true });
	});

	it.each([
		['an HTML page', '<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>', 'a web page (HTML)'],
		['an empty body', '', 'an empty answer'],
		['no body', undefined, 'an empty answer'],
		['plain text', 'OK', 'text that is not JSON'],
		['JSON without data', '{"ok":true}', "JSON that is not Nexor's list of tags"],
		['data that is not a list', '{"data":{"id":1}}', "JSON that is not Nexor's list of tags"],
		['a JSON list', '[]', "JSON that is not Nexor's list of tags"],
		['JSON null', 'null', "JSON that is not Nexor's list of tags"],
	])('refuses a 2xx with %s', (_name, body, words) => {
		const html = body !== undefined && body.startsWith('<');
		const verdict = judgeCredentialCheck({ status: 200, headers: { 'content-type': html ? 'text/html' : 'application/json' }, body });
		expect(verdict).toMatchObject({ ok: false, problem: 'not_nexor', status: 200 });
		const text = credentialCheckMessage(verdict);
		expect(text).toContain(`The Base URL answered HTTP 200 with ${words} instead of Nexor's answer`);
		expect(text).toContain('https://api.getnexor.ai/api/public');
	});

	it('401 and 403: the key was rejected, and where to get a good one', () => {
		for (const status of [401, 403]) {
			const verdict = judgeCredentialCheck({
				status,
				body: '{"error":"Invalid API key","message":"The provided API key is not valid"}',
			});
			expect(verdict).toMatchObject({ ok: false, problem: 'auth', status });
			expect(credentialCheckMessage(verdict)).toMatch(/^Nexor rejected the API key \(HTTP 40[13]\)\. Copy the key again/);
			expect(credentialCheckMessage(verdict)).toContain('Integrations');
		}
	});

	it('404: Nexor is not at this Base URL (never "no lead")', () => {
		const verdict = judgeCredentialCheck({
			status: 404,
			body: '{"error":"Not found","message":"Lead not found or does not belong to your account"}',
		});
		expect(verdict).toMatchObject({ ok: false, problem: 'not_found', status: 404 });
		const text = credentialCheckMessage(verdict);
		expect(text).toMatch(/^Nexor could not be found at this Base URL/);
		expect(text).toContain('https://api.getnexor.ai/api/public');
		expect(text).not.toMatch(/no lead|lead not found|lead ID/i);
	});

	it.each([301, 302, 303, 307, 308])('%i: a redirect is reported, not followed, and the key is not in the message', (status) => {
		const verdict = judgeCredentialCheck(
			{ status, headers: { Location: [`http://127.0.0.1:9/steal?k=${SANDBOX}`] }, body: '' },
			SANDBOX,
		);
		expect(verdict).toMatchObject({ ok: false, problem: 'redirect', status });
		const text = credentialCheckMessage(verdict, SANDBOX);
		expect(text).toContain(`redirect (HTTP ${status}) to "http://127.0.0.1:9/steal?k=[redacted]"`);
		expect(text).toContain('the API key was not sent there');
		expect(text).not.toContain(SANDBOX);
	});

	it('429, 5xx and other 4xx have their own words; Nexor’s reason is quoted without the key', () => {
		expect(credentialCheckMessage(judgeCredentialCheck({ status: 429, body: '' }))).toMatch(/too many requests/);
		expect(credentialCheckMessage(judgeCredentialCheck({ status: 503, body: '<html>' }))).toMatch(
			/^Nexor is temporarily unavailable \(HTTP 503\)/,
		);
		const rejected = judgeCredentialCheck(
			{ status: 400, body: JSON.stringify({ error: 'Bad', message: `no such key ${SANDBOX}` }) },
			SANDBOX,
		);
		expect(rejected).toMatchObject({ ok: false, problem: 'rejected', status: 400 });
		expect(credentialCheckMessage(rejected, SANDBOX)).toContain('(HTTP 400): no such key [redacted]');
		expect(judgeCredentialCheck({ status: 0 })).toMatchObject({ ok: false, problem: 'not_nexor' });
	});
});

describe('judgeCredentialCheckNetwork', () => {
	it.each([
		['ENOTFOUND', false, "The Base URL's host name could not be found (ENOTFOUND)"],
		['ECONNREFUSED', false, 'Could not reach Nexor at this Base URL (ECONNREFUSED)'],
		['ECONNRESET', true, 'Nexor did not answer in time at this Base URL (ETIMEDOUT)'],
		['ECONNABORTED', false, 'Nexor did not answer in time at this Base URL (ECONNABORTED)'],
		['CERT_HAS_EXPIRED', false, "The Base URL's HTTPS certificate could not be verified (CERT_HAS_EXPIRED)"],
		[undefined, false, 'Could not reach Nexor at this Base URL (no response)'],
		['weird code with spaces', false, 'Could not reach Nexor at this Base URL (no response)'],
	])('%p (timed out: %p)', (code, timedOut, words) => {
		const verdict = judgeCredentialCheckNetwork({ code, timedOut });
		expect(verdict).toMatchObject({ ok: false, problem: 'network' });
		expect(credentialCheckMessage(verdict)).toMatch(new RegExp(`^${words.replace(/[()]/g, '\\$&')}\\. `));
	});
});
