import { RETRY_POLICY, backoffMs, classifyFailure, interpretFailure, nexorMessage, retryAfterMs, retryDelayMs } from '../../../core';

const LEAK_MARKER = ['nxr', 'live', 'marker', 'for', 'tests'].join('_');
const base = { attempt: 1, now: Date.parse('2026-11-27T12:00:00Z'), random: 0.5, secret: LEAK_MARKER };

describe('interpretFailure', () => {
	it('401 is an auth failure that says where to find a valid key, never retried', () => {
		const { error, retryInMs } = interpretFailure({
			...base,
			status: 401,
			body: { error: 'Invalid API key', message: 'The provided API key is not valid' },
		});
		expect(error.kind).toBe('auth');
		expect(error.retryable).toBe(false);
		expect(retryInMs).toBeUndefined();
		expect(error.message).toBe('Nexor rejected the API key');
		expect(error.fix).toContain('Integrations');
		expect(error.nexorMessage).toBe('The provided API key is not valid');
	});

	it('404 names the lead that does not exist', () => {
		const { error } = interpretFailure({
			...base,
			status: 404,
			leadId: '123e4567-e89b-12d3-a456-426614174000',
			body: { error: 'Not found', message: 'Lead not found or does not belong to your account' },
		});
		expect(error.kind).toBe('not_found');
		expect(error.message).toBe('No lead with ID 123e4567-e89b-12d3-a456-426614174000 exists in this Nexor account');
	});

	it.each([
		[{ error: 'Validation error', message: 'email: must be a valid email' }, 'email: must be a valid email'],
		[{ error: 'email is invalid' }, 'email is invalid'],
		[JSON.stringify({ error: 'Validation error', message: 'from text' }), 'from text'],
		['', undefined],
		[undefined, undefined],
	])('400 carries Nexor’s own message from %p', (body, said) => {
		const { error, retryInMs } = interpretFailure({ ...base, status: 400, body });
		expect(error.kind).toBe('validation');
		expect(retryInMs).toBeUndefined();
		expect(error.nexorMessage).toBe(said);
		expect(error.message).toBe(said ? `Nexor rejected the update: ${said}` : 'Nexor rejected the update (HTTP 400)');
	});

	it('429 honours Retry-After in seconds', () => {
		const { error, retryInMs } = interpretFailure({ ...base, status: 429, headers: { 'Retry-After': '3' } });
		expect(error.kind).toBe('rate_limited');
		expect(retryInMs).toBe(3000);
	});

	it('429 honours Retry-After as an HTTP date', () => {
		const headers = { 'retry-after': new Date(base.now + 7000).toUTCString() };
		expect(interpretFailure({ ...base, status: 429, headers }).retryInMs).toBe(7000);
	});

	it('a huge Retry-After is clamped', () => {
		const { retryInMs } = interpretFailure({ ...base, status: 429, headers: { 'retry-after': '86400' } });
		expect(retryInMs).toBe(RETRY_POLICY.maxRetryAfterMs);
	});

	it('429 without Retry-After backs off exponentially with jitter', () => {
		const first = interpretFailure({ ...base, status: 429, random: 0 }).retryInMs;
		const second = interpretFailure({ ...base, attempt: 2, status: 429, random: 0 }).retryInMs;
		expect(first).toBe(RETRY_POLICY.baseDelayMs / 2);
		expect(second).toBe(RETRY_POLICY.baseDelayMs);
	});

	it.each([500, 502, 503, 504])('%i is retried, then reported with the number of tries', (status) => {
		expect(interpretFailure({ ...base, status }).retryInMs).toBeGreaterThan(0);
		const last = interpretFailure({ ...base, status, attempt: RETRY_POLICY.maxAttempts });
		expect(last.retryInMs).toBeUndefined();
		expect(last.error.kind).toBe('server');
		expect(last.error.fix).toContain(`after ${RETRY_POLICY.maxAttempts} tries`);
	});

	it('501 is never retried', () => {
		expect(interpretFailure({ ...base, status: 501 }).retryInMs).toBeUndefined();
	});

	it('network errors are retried, except an address that does not resolve', () => {
		expect(interpretFailure({ ...base, network: { code: 'ECONNRESET' } }).retryInMs).toBeGreaterThan(0);
		const dns = interpretFailure({ ...base, network: { code: 'ENOTFOUND' } });
		expect(dns.retryInMs).toBeUndefined();
		expect(dns.error.fix).toContain('Base URL');
	});

	it('an HTML error page gives no Nexor message and no markup', () => {
		const { error } = interpretFailure({ ...base, status: 502, body: '<html><body>Bad gateway</body></html>' });
		expect(error.nexorMessage).toBeUndefined();
		expect(error.message).not.toContain('<');
	});

	it('the key never survives into a message', () => {
		const { error } = interpretFailure({ ...base, status: 400, body: { message: `bad key ${LEAK_MARKER} here` } });
		expect(JSON.stringify({ m: error.message, d: error.nexorMessage, f: error.fix })).not.toContain(LEAK_MARKER);
	});
});

describe('retry helpers', () => {
	it('reads Retry-After case-insensitively and ignores junk', () => {
		expect(retryAfterMs({ 'RETRY-AFTER': '2' }, 0)).toBe(2000);
		expect(retryAfterMs({ 'retry-after': 'soon' }, 0)).toBeUndefined();
		expect(retryAfterMs({}, 0)).toBeUndefined();
	});
	it('backoff grows and is capped', () => {
		expect(backoffMs(1, 1)).toBe(RETRY_POLICY.baseDelayMs);
		expect(backoffMs(30, 1)).toBe(RETRY_POLICY.maxBackoffMs);
	});
	it('nexorMessage prefers message over error', () => {
		expect(nexorMessage({ error: 'Not found', message: 'Lead not found' })).toBe('Lead not found');
	});
});

describe('classifyFailure and retryDelayMs', () => {
	const now = Date.parse('2026-11-27T12:00:00Z');
	it.each([['-1'], ['5, 10'], ['soon'], ['Fri, 27 Nov 2026 11:59:00 GMT']])(
		'Retry-After %p is no usable delay: the normal backoff applies, never "retry now"',
		(value) => {
			const error = classifyFailure({ status: 429, headers: { 'retry-after': value }, now });
			expect(error.retryAfterMs).toBeUndefined();
			expect(retryDelayMs(error, 1, 0)).toBe(RETRY_POLICY.baseDelayMs / 2);
			expect(retryAfterMs({ 'retry-after': value }, now)).toBeUndefined();
		},
	);

	it('classifies without an attempt number or a random draw', () => {
		const error = classifyFailure({ status: 429, headers: { 'retry-after': '3' }, now });
		expect(error.kind).toBe('rate_limited');
		expect(error.retryAfterMs).toBe(3000);
		expect(retryDelayMs(error, 4, 0.9)).toBe(3000);
	});

	it('408 is retried like a timeout', () => {
		const error = classifyFailure({ status: 408, now });
		expect(error.retryable).toBe(true);
		expect(error.message).toContain('408');
		expect(interpretFailure({ status: 408, attempt: 1, now, random: 0 }).retryInMs).toBeGreaterThan(0);
	});

	it('a redirect is never followed: an error that says the key was not passed on', () => {
		const error = classifyFailure({ status: 301, headers: { location: 'https://other.example/x' }, now });
		expect(error.retryable).toBe(false);
		expect(error.message).toBe("Nexor's address answered with a redirect (HTTP 301)");
		expect(error.fix).toContain('It pointed to https://other.example/x.');
		expect(error.fix).toContain('API key was not passed on');
	});

	it('a 404 says what it means for the operation: a lead, or the words the operation gives', () => {
		expect(classifyFailure({ status: 404, now, leadId: 'L' }).message).toBe('No lead with ID L exists in this Nexor account');
		const custom = { message: 'Nexor could not be found at this Base URL', fix: 'Check the Base URL.' };
		expect(classifyFailure({ status: 404, now, notFound: custom }).message).toBe(custom.message);
		expect(classifyFailure({ status: 404, now }).message).not.toContain('lead');
	});
});
