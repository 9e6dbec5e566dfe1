/**
 * The Base URL rule: https, except plain http for a server on this machine (the sandbox), plus the
 * older refusals (user info, queries, endpoints…) that must still hold.
 */
import fc from 'fast-check';
import { normalizeBaseUrl } from '../../../core/base-url';
import { NexorInputError } from '../../../core/errors';

function refusal(url: string): NexorInputError {
	try {
		normalizeBaseUrl(url);
	} catch (error) {
		expect(error).toBeInstanceOf(NexorInputError);
		return error as NexorInputError;
	}
	throw new Error(`accepted ${url}`);
}

describe('https is required except for loopback hosts', () => {
	it.each([
		'http://api.getnexor.ai/api/public',
		'http://API.GETNEXOR.AI/api/public',
		'HTTP://api.getnexor.ai/api/public/',
		'http://10.0.0.5/api/public',
		'http://192.168.1.20:8080/api/public',
		'http://128.0.0.1/api/public',
		'http://localhost.example.com/api/public',
		'http://localhostx/api/public',
		'http://127.0.0.1.nip.io/api/public',
		'http://[::2]/api/public',
		'http://[::ffff:7f00:1]/api/public',
		'http://[fe80::1]:4010/api/public',
	])('refuses %p, naming the Base URL, the problem and the fix', (url) => {
		const error = refusal(url);
		expect(error.field).toBe('base_url');
		expect(error.label).toBe('Base URL');
		expect(error.message).toMatch(/^The Base URL ".*" uses http:\/\/, which would send your API key unencrypted$/);
		expect(error.fix).toContain('Use https:// instead');
		expect(error.fix).toContain('https://api.getnexor.ai/api/public');
		expect(error.fix).toContain('localhost, 127.0.0.1 or ::1');
	});

	it.each([
		['http://127.0.0.1:4010/api/public', 'http://127.0.0.1:4010/api/public'],
		['http://127.0.0.1/api/public/', 'http://127.0.0.1/api/public'],
		['http://127.1.2.3:80/api/public', 'http://127.1.2.3:80/api/public'],
		['http://127.255.255.254:5/x', 'http://127.255.255.254:5/x'],
		['http://localhost:4010/api/public', 'http://localhost:4010/api/public'],
		['HTTP://LOCALHOST:4010/api/public', 'http://LOCALHOST:4010/api/public'],
		['http://[::1]:4010/api/public', 'http://[::1]:4010/api/public'],
		['https://api.getnexor.ai/api/public', 'https://api.getnexor.ai/api/public'],
		['https://10.0.0.5/api/public', 'https://10.0.0.5/api/public'],
		['  https://staging.getnexor.ai:8443/api/public// ', 'https://staging.getnexor.ai:8443/api/public'],
	])('accepts %p', (url, normalized) => {
		expect(normalizeBaseUrl(url)).toBe(normalized);
	});

	it('keeps the older refusals, each with its own words (checked before the scheme)', () => {
		expect(refusal('http://api.getnexor.ai@127.0.0.1:4010/api/public').message).toContain(
			'contains a user name or password',
		);
		expect(refusal('https://api.getnexor.ai@evil.example/api/public').message).toContain(
			'contains a user name or password',
		);
		expect(refusal('http://127.1/api/public').message).toContain('is not a full http(s) address');
		expect(refusal('http://0x7f.0.0.1/api/public').message).toContain('is not a full http(s) address');
		expect(refusal('http://127.0.0.1:4010/api/public?x=1').message).toContain('is not a full http(s) address');
		expect(refusal('http://127.0.0.1:4010/api/public/tags').message).toContain('points at an endpoint');
		expect(refusal('ftp://127.0.0.1/api/public').message).toContain('is not a full http(s) address');
		expect(refusal('').message).toBe('The Base URL is empty');
		// Another spelling of ::1 is refused (over http it isn't taken for loopback; over https the URL
		// parser would show a different host than the one typed).
		expect(refusal('http://[0:0:0:0:0:0:0:1]/api/public').field).toBe('base_url');
		expect(refusal('https://[0:0:0:0:0:0:0:1]/api/public').message).toContain('is not a full http(s) address');
	});

	it('property: whatever is accepted over http is a loopback host as the URL parser reads it', () => {
		const host = fc.oneof(
			fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'api.getnexor.ai', '10.0.0.5', '[::2]', 'x.localhost'),
			fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
			fc.domain(),
		);
		const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
		fc.assert(
			fc.property(fc.constantFrom('http', 'HTTP', 'https'), host, port, (scheme, name, p) => {
				const raw = `${scheme}://${name}${p === undefined ? '' : `:${p}`}/api/public`;
				let base: string;
				try {
					base = normalizeBaseUrl(raw);
				} catch (error) {
					expect((error as NexorInputError).field).toBe('base_url');
					return;
				}
				const parsed = new URL(base);
				if (parsed.protocol === 'http:') {
					const loopback =
						parsed.hostname === 'localhost' || parsed.hostname === '[::1]' || /^127\./.test(parsed.hostname);
					expect(loopback).toBe(true);
				} else {
					expect(parsed.protocol).toBe('https:');
				}
			}),
			{ numRuns: 1000 },
		);
	});
});
