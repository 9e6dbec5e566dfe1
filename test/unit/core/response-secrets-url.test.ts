import {
	NexorApiError,
	NexorInputError,
	checkApiKey,
	normalizeBaseUrl,
	readLead,
	redactSecret,
} from '../../../core';

const lead = { id: '123e4567-e89b-12d3-a456-426614174000', first_name: 'Carlos' };

describe('readLead', () => {
	it('unwraps { success, lead }', () => {
		expect(readLead({ success: true, lead })).toEqual(lead);
	});
	it('accepts a bare lead', () => {
		expect(readLead(lead)).toEqual(lead);
	});
	it('parses raw JSON text', () => {
		expect(readLead(JSON.stringify({ success: true, lead }))).toEqual(lead);
	});
	it.each([
		['<html>oops</html>', 'HTML'],
		['{"success":true,"lead":', 'not valid JSON'],
		['', 'empty'],
		[{ ok: true }, 'did not contain'],
		[[lead], 'not a JSON object'],
		[{ success: false }, 'did not succeed'],
	])('refuses %p as an unexpected response', (body, words) => {
		expect(() => readLead(body, 200)).toThrow(NexorApiError);
		expect(() => readLead(body, 200)).toThrow(words);
	});
});

describe('redactSecret', () => {
	it('removes the key at any depth, in keys and values, and leaves the original alone', () => {
		const key = 'nxr_live_abc123';
		const original = { a: `x ${key} y`, list: [key, { deep: key }], [key]: 1 };
		const clean = redactSecret(original, key);
		expect(JSON.stringify(clean)).not.toContain(key);
		expect(original.a).toContain(key);
	});
	it('copes with cycles', () => {
		const a: Record<string, unknown> = { text: 'k' };
		a.self = a;
		expect(() => redactSecret(a, 'k')).not.toThrow();
	});
});

describe('checkApiKey', () => {
	it('trims outer whitespace', () => {
		expect(checkApiKey('  nxr_live_abc \n')).toBe('nxr_live_abc');
	});
	it.each([
		['', 'empty'],
		['nxr_live_a\nb', 'line break'],
		['nxr_live_a b', 'space'],
		['nxr_live_ä', 'not plain'],
		[undefined, 'empty'],
	])('refuses %p', (key, words) => {
		expect(() => checkApiKey(key)).toThrow(NexorInputError);
		expect(() => checkApiKey(key)).toThrow(words);
	});
});

describe('normalizeBaseUrl', () => {
	it('strips trailing slashes and keeps the path', () => {
		expect(normalizeBaseUrl(' https://api.getnexor.ai/api/public/// ')).toBe('https://api.getnexor.ai/api/public');
		expect(normalizeBaseUrl('http://127.0.0.1:4010/api/public')).toBe('http://127.0.0.1:4010/api/public');
	});
	it.each(['', '/api/public', 'ftp://x.example/api', 'api.getnexor.ai', 'https://x.example/api?k=1'])(
		'refuses %p',
		(url) => {
			expect(() => normalizeBaseUrl(url)).toThrow(NexorInputError);
		},
	);
});
