/**
 * Issue 5: properties of core beyond test/unit/core/properties.test.ts (which covers
 * buildUpdateRequest on messy input, blank values, one interpretFailure call with a fixed key, and
 * readLead on fc.anything). Here: responses as raw bytes and cut-off JSON, the whole retry sequence,
 * messages that stay one bounded line of well-formed text without any key, redaction at any depth,
 * the API key, Base URL and Lead ID checks as security boundaries, metadata bounds, and
 * runItems (the rate gate has its own tests).
 */
import fc from 'fast-check';
import {
	API_KEY_MAX_LENGTH,
	LEAD_FIELDS,
	METADATA_LIMITS,
	NexorApiError,
	NexorInputError,
	RETRY_POLICY,
	backoffMs,
	buildUpdateRequest,
	checkApiKey,
	checkLeadId,
	interpretFailure,
	isUuid,
	StopSignal,
	runItems,
	nexorMessage,
	normalizeBaseUrl,
	readLead,
	redactSecret,
} from '../../core';

const decoder = new TextDecoder('utf-8', { fatal: false });
const LEAD_ID = '123e4567-e89b-12d3-a456-426614174000';
const LEAD_RESPONSE = JSON.stringify({
	success: true,
	lead: {
		id: LEAD_ID,
		first_name: 'Carlos',
		company: 'Acme',
		metadata: { edad: 35 },
	},
});

/** Keys shaped like Nexor's: nxr_live_ and 16–48 letters and digits. */
const apiKey = fc.stringMatching(/^[A-Za-z0-9]{16,48}$/).map((tail) => `nxr_live_${tail}`);

/** Text with the key dropped in at a random place, maybe several times, maybe among spaces. */
const withKey = (key: string) =>
	fc
		.tuple(fc.string({ maxLength: 400 }), fc.string({ maxLength: 400 }), fc.constantFrom('', ' ', '\n', '"', '<b>'))
		.map(([before, after, glue]) => `${before}${glue}${key}${glue}${after}`);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function expectReadable(text: string | undefined, key?: string): void {
	if (text === undefined) return;
	expect(text).not.toMatch(/[\r\n]/);
	expect(Array.from(text).length).toBeLessThanOrEqual(301);
	expect(LONE_SURROGATE.test(text)).toBe(false);
	if (key) expect(text).not.toContain(key);
}

describe('reading a response', () => {
	it('any bytes, decoded as UTF-8, give a lead or an unexpected-response NexorApiError', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 2000 }),
				fc.option(fc.integer({ min: 200, max: 299 }), { nil: undefined }),
				(bytes, status) => {
					const text = decoder.decode(bytes);
					try {
						const lead = readLead(text, status);
						expect(typeof lead.id).toBe('string');
						expect(lead.id).not.toBe('');
					} catch (error) {
						expect(error).toBeInstanceOf(NexorApiError);
						const failure = error as NexorApiError;
						expect(failure.kind).toBe('unexpected_response');
						expect(failure.retryable).toBe(false);
						expect(failure.status).toBe(status);
						expect(failure.message.startsWith('Nexor sent an unexpected response: ')).toBe(true);
						expect(failure.fix.length).toBeGreaterThan(20);
						expectReadable(failure.message);
					}
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('a response cut off anywhere is refused as not valid JSON (or empty), never half-read', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: LEAD_RESPONSE.length - 1 }), (cut) => {
				const text = LEAD_RESPONSE.slice(0, cut);
				expect(() => readLead(text, 200)).toThrow(
					text.trim() === '' ? 'the body was empty' : 'text that is not valid JSON',
				);
			}),
			{ numRuns: 300 },
		);
	});

	it('with the requested ID, a lead is returned only when it is that lead (any case)', () => {
		fc.assert(
			fc.property(fc.uuid(), fc.uuid(), fc.boolean(), fc.boolean(), (asked, answered, same, upper) => {
				const id = same ? (upper ? asked.toUpperCase() : asked) : answered;
				const body = { success: true, lead: { id, first_name: 'Carlos' } };
				if (id.toLowerCase() === asked.toLowerCase()) {
					expect(readLead(body, 200, asked).id).toBe(id);
				} else {
					expect(() => readLead(body, 200, asked)).toThrow(`it returned lead ${id} instead of ${asked}`);
				}
			}),
		);
	});
});

describe('interpreting failures', () => {
	const status = fc.oneof(
		fc.integer({ min: 100, max: 599 }),
		fc.constantFrom(400, 401, 403, 404, 429, 500, 501, 502, 503, 504),
	);
	const retryAfter = fc.oneof(
		fc.constant(undefined),
		fc.integer({ min: 0, max: 100_000 }).map(String),
		fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => n.toFixed(2)),
		fc
			.date({
				min: new Date('2000-01-01'),
				max: new Date('2100-01-01'),
				noInvalidDate: true,
			})
			.map((d) => d.toUTCString()),
		fc.string({ maxLength: 30 }),
		fc.constantFrom('-1', '1e3', 'Infinity', ' 12 ', '99999999999999999999999'),
	);
	const network = fc.constantFrom(
		'ECONNRESET',
		'ETIMEDOUT',
		'ECONNREFUSED',
		'ENOTFOUND',
		'EAI_FAIL',
		'EPIPE',
		'socket hang up',
		'',
	);

	it('the whole retry sequence ends within the policy: at most 5 tries, every wait bounded', () => {
		fc.assert(
			fc.property(
				fc.option(status, { nil: undefined }),
				retryAfter,
				network,
				fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), {
					minLength: 10,
					maxLength: 10,
				}),
				(code, after, net, randoms) => {
					const now = Date.parse('2026-11-27T12:00:00Z');
					const headers = after === undefined ? {} : { 'Retry-After': after };
					let tries = 0;
					let waited = 0;
					let retryable: boolean | undefined;
					for (let attempt = 1; attempt <= 10; attempt++) {
						tries = attempt;
						const { error, retryInMs } = interpretFailure({
							status: code,
							headers,
							body: { error: 'x' },
							network: code === undefined ? { code: net || undefined } : undefined,
							attempt,
							now,
							random: randoms[attempt - 1],
						});
						retryable = error.retryable;
						if (retryInMs === undefined) break;
						expect(Number.isFinite(retryInMs)).toBe(true);
						expect(retryInMs).toBeGreaterThanOrEqual(0);
						expect(retryInMs).toBeLessThanOrEqual(RETRY_POLICY.maxRetryAfterMs);
						if (code === undefined || after === undefined) {
							// No Retry-After (or no answer at all): core's own backoff for this attempt.
							expect(retryInMs).toBeGreaterThanOrEqual(backoffMs(attempt, 0));
							expect(retryInMs).toBeLessThanOrEqual(backoffMs(attempt, 1));
						}
						waited += retryInMs;
					}
					expect(tries).toBeLessThanOrEqual(RETRY_POLICY.maxAttempts);
					if (retryable) expect(tries).toBe(RETRY_POLICY.maxAttempts);
					else expect(tries).toBe(1);
					expect(waited).toBeLessThanOrEqual((RETRY_POLICY.maxAttempts - 1) * RETRY_POLICY.maxRetryAfterMs);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('Retry-After in whole seconds is honoured exactly, up to the cap', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(429, 500, 502, 503, 504),
				fc.integer({ min: 0, max: 1_000_000 }),
				fc.integer({ min: 1, max: 4 }),
				(code, seconds, attempt) => {
					const { retryInMs } = interpretFailure({
						status: code,
						headers: { 'retry-after': String(seconds) },
						attempt,
						now: 0,
						random: 0.5,
					});
					expect(retryInMs).toBe(Math.min(seconds * 1000, RETRY_POLICY.maxRetryAfterMs));
				},
			),
		);
	});

	it('what a person reads is one bounded line of well-formed text, without the key, whatever Nexor sent', () => {
		const keyAndEcho = apiKey.chain((key) => fc.tuple(fc.constant(key), withKey(key)));
		fc.assert(
			fc.property(
				keyAndEcho,
				fc.option(status, { nil: undefined }),
				fc.integer({ min: 1, max: 6 }),
				fc.nat(3),
				fc.string({ unit: 'binary', maxLength: 600 }),
				([key, echo], code, attempt, shape, noise) => {
					const bodies: unknown[] = [
						{ error: 'Validation error', message: `${noise} ${echo}` },
						`<html><body><pre>X-API-Key: ${key}</pre>${noise}</body></html>`,
						{ error: { message: echo } },
						`${noise}${echo}`,
					];
					const { error } = interpretFailure({
						status: code,
						headers: { 'retry-after': echo },
						body: bodies[shape],
						network: code === undefined ? { code: 'ECONNRESET', message: echo } : undefined,
						attempt,
						now: 0,
						random: 0.5,
						secret: key,
						leadId: LEAD_ID,
					});
					expect(error.message.length).toBeGreaterThan(0);
					expect(error.fix.length).toBeGreaterThan(0);
					expectReadable(error.message, key);
					expectReadable(error.nexorMessage, key);
					expect(error.fix).not.toContain(key);
					expectReadable(nexorMessage(bodies[shape], key), key);
				},
			),
			{ numRuns: 1000 },
		);
	});
});

describe('keeping the key out', () => {
	const json = fc.letrec((tie) => ({
		value: fc.oneof(
			{ depthSize: 'small' },
			fc.string(),
			fc.integer(),
			fc.boolean(),
			fc.constant(null),
			fc.array(tie('value'), { maxLength: 4 }),
			fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
		),
	})).value;

	it('redactSecret removes a real-shaped key from every string and key at any depth, and nothing else', () => {
		fc.assert(
			fc.property(apiKey, json, fc.array(fc.string(), { maxLength: 5 }), (key, value, spots) => {
				// Plant the key in strings and keys at several depths.
				const planted = {
					value,
					spots: spots.map((s) => `${s}${key}${s}`),
					[`k-${key}`]: { deeper: [key, { [key]: `${key}${key}` }] },
				};
				const out = redactSecret(planted, key);
				expect(JSON.stringify(out)).not.toContain(key);
				// Without the key, the value comes back as it was.
				expect(redactSecret(value, key)).toEqual(JSON.stringify(value).includes(key) ? expect.anything() : value);
			}),
		);
	});

	it('checkApiKey returns a trimmed key of printable ASCII within the length limit, or names the problem without echoing it', () => {
		const raw = fc.oneof(
			fc.string({ maxLength: 60 }),
			fc.string({ unit: 'binary', maxLength: 60 }),
			apiKey.map((k) => ` ${k}\r\n`),
			apiKey.chain((k) => fc.constantFrom(`${k}\nX-Other: 1`, `Bearer ${k}`, `${k}\u200b`, `${k}\u00a0`, k.repeat(40))),
		);
		fc.assert(
			fc.property(raw, (input) => {
				let key: string;
				try {
					key = checkApiKey(input);
				} catch (error) {
					expect(error).toBeInstanceOf(NexorInputError);
					const e = error as NexorInputError;
					expect(e.field).toBe('api_key');
					const trimmed = input.trim();
					if (trimmed.length >= 8) expect(`${e.message} ${e.fix}`).not.toContain(trimmed);
					return;
				}
				expect(key).toBe(input.trim());
				expect(key.length).toBeGreaterThan(0);
				expect(key.length).toBeLessThanOrEqual(API_KEY_MAX_LENGTH);
				expect(key).toMatch(/^[\x21-\x7e]+$/);
			}),
			{ numRuns: 1000 },
		);
	});
});

describe('the Base URL sends the key only to the host it shows', () => {
	const piece = fc.constantFrom(
		'http://',
		'https://',
		'HTTP://',
		'ftp://',
		'//',
		'javascript:',
		'',
		'api.getnexor.ai',
		'127.0.0.1',
		'[::1]',
		'[1:2:3]',
		'[fe80::1%eth0]',
		'[::ffff:127.0.0.1]',
		'127.1',
		'010.0.0.1',
		'0x7f.0.0.1',
		'256.1.1.1',
		'evil.example',
		'ехаmple.com',
		'user:pass@',
		'api.getnexor.ai@',
		':8080',
		':0',
		':99999',
		':abc',
		'/api/public',
		'/api/../admin',
		'/./x',
		'/leads',
		'/leads/1',
		'/tags',
		'/',
		'//',
		'\\',
		'@',
		'?q=1',
		'#frag',
		' ',
		'%2e%2e',
		'%40',
		'\t',
		'\n',
	);
	const url = fc.oneof(
		fc.array(piece, { maxLength: 7 }).map((parts) => parts.join('')),
		fc.string({ maxLength: 40 }),
	);

	it('accepts only plain http(s) addresses, and what it returns is stable and parses to that same host', () => {
		fc.assert(
			fc.property(url, (input) => {
				let base: string;
				try {
					base = normalizeBaseUrl(input);
				} catch (error) {
					expect(error).toBeInstanceOf(NexorInputError);
					expect((error as NexorInputError).field).toBe('base_url');
					return;
				}
				expect(base).toMatch(/^https?:\/\/[^/@?#\s\\]+(\/[^?#\s\\]*)?$/);
				expect(base.endsWith('/')).toBe(false);
				expect(normalizeBaseUrl(base)).toBe(base);
				const parsed = new URL(`${base}/leads/${LEAD_ID}`);
				expect(parsed.username).toBe('');
				expect(parsed.password).toBe('');
				const authority = base
					.replace(/^https?:\/\//, '')
					.split('/')[0]
					.toLowerCase();
				// WHATWG URL drops default ports; the host the client connects to is the one shown.
				expect([parsed.host, `${parsed.host}:${parsed.protocol === 'https:' ? 443 : 80}`]).toContain(authority);
				// Exactly the shown path, then the endpoint: nothing resolved away ("..", "%2e%2e") or re-encoded.
				const shownPath = base.replace(/^https?:\/\/[^/]+/, '');
				expect(parsed.pathname).toBe(`${shownPath}/leads/${LEAD_ID}`);
			}),
			{ numRuns: 2000 },
		);
	});
});

describe('the Lead ID stays one path segment', () => {
	const hostile = fc.constantFrom(
		'/',
		'?',
		'#',
		'%2f',
		'%2e',
		'..',
		'\\',
		'\u0000',
		'\u200b',
		'\r\n',
		' ',
		'١',
		'０',
		'е',
		'{',
		'}',
		'%',
	);
	it('only a plain UUID (after trimming) passes, and it needs no URL encoding', () => {
		fc.assert(
			fc.property(
				fc.uuid(),
				fc.array(hostile, { maxLength: 3 }),
				fc.array(hostile, { maxLength: 3 }),
				fc.nat(36),
				(uuid, before, after, at) => {
					const input = `${before.join('')}${uuid.slice(0, at)}${after.join('')}${uuid.slice(at)}`;
					let id: string;
					try {
						id = checkLeadId(input);
					} catch (error) {
						expect(error).toBeInstanceOf(NexorInputError);
						expect(isUuid(input.trim())).toBe(false);
						return;
					}
					expect(isUuid(id)).toBe(true);
					expect(id).toBe(input.trim());
					expect(encodeURIComponent(id)).toBe(id);
				},
			),
			{ numRuns: 2000 },
		);
	});
});

describe('bounded input errors', () => {
	const huge = fc.oneof(
		fc.string({ minLength: 2000, maxLength: 20_000 }),
		fc.string({ unit: 'binary', minLength: 1000, maxLength: 5000 }),
		fc.integer({ min: 2000, max: 50_000 }).map((n) => 'x\n'.repeat(n)),
	);
	it('a message about any input, however large, is one line of at most 300 characters', () => {
		fc.assert(
			fc.property(
				huge,
				fc.constantFrom(
					...LEAD_FIELDS.map((f) => f.name),
					'leadId',
					'clear',
					'metaKey',
					'metaValue',
					'metaJson',
					'fieldName',
				),
				(big, where) => {
					const input: Parameters<typeof buildUpdateRequest>[0] = {
						leadId: LEAD_ID,
						fields: { company: 'Acme' },
					};
					if (where === 'leadId') input.leadId = big;
					else if (where === 'clear') input.clear = [big];
					else if (where === 'metaKey') input.metadata = { entries: [{ key: big, value: 'x' }] };
					else if (where === 'metaValue')
						input.metadata = {
							entries: [{ key: 'k', value: big, type: 'number' }],
						};
					else if (where === 'metaJson') input.metadata = { json: big };
					else if (where === 'fieldName') input.fields = { [big]: 'x' };
					else input.fields = { [where]: big };
					try {
						buildUpdateRequest(input);
					} catch (error) {
						expect(error).toBeInstanceOf(NexorInputError);
						const e = error as NexorInputError;
						expectReadable(e.message);
						expect(e.fix.length).toBeLessThanOrEqual(300);
					}
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe('metadata that is sent stays within every bound', () => {
	const json = fc.letrec((tie) => ({
		value: fc.oneof(
			{ depthSize: 'medium', maxDepth: 14 },
			fc.string({ maxLength: 20 }),
			fc.double({ noNaN: true, noDefaultInfinity: true }),
			fc.boolean(),
			fc.constant(null),
			fc.array(tie('value'), { maxLength: 6 }),
			fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a\u0000', '__proto__', 'k')), tie('value'), {
				maxKeys: 6,
			}),
		),
	})).value;

	/** C0 except tab, LF and CR; DEL; C1 (the characters core refuses in keys). */
	const isControl = (text: string) =>
		Array.from(text).some((c) => {
			const code = c.charCodeAt(0);
			return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
		});

	function measure(value: unknown, depth = 0): { depth: number; nested: number; badKey: boolean } {
		if (value === null || typeof value !== 'object') return { depth, nested: 0, badKey: false };
		const children = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
		let out = { depth, nested: children.length, badKey: false };
		for (const [k, v] of children) {
			const inner = measure(v, depth + 1);
			out = {
				depth: Math.max(out.depth, inner.depth),
				nested: out.nested + inner.nested,
				badKey: out.badKey || inner.badKey || isControl(k) || k === '__proto__',
			};
		}
		return out;
	}

	it('depth ≤ 10, nested values ≤ 10,000, no reserved or control-character keys at any level', () => {
		fc.assert(
			fc.property(
				fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), json, {
					maxKeys: 5,
				}),
				(object) => {
					let body;
					try {
						body = buildUpdateRequest({
							leadId: LEAD_ID,
							metadata: { json: object },
						}).body;
					} catch (error) {
						expect(error).toBeInstanceOf(NexorInputError);
						return;
					}
					if (!body.metadata) return;
					let nested = 0;
					for (const value of Object.values(body.metadata)) {
						const m = measure(value);
						expect(m.depth).toBeLessThanOrEqual(METADATA_LIMITS.depth);
						expect(m.badKey).toBe(false);
						nested += m.nested;
					}
					expect(nested).toBeLessThanOrEqual(METADATA_LIMITS.nestedValues);
					expect(Object.keys(body.metadata).length).toBeLessThanOrEqual(METADATA_LIMITS.keys);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('Number turns any finite number written in decimal back into that number; As Mapped keeps the text', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
				const text = String(n);
				const sent = (type: string) =>
					buildUpdateRequest({
						leadId: LEAD_ID,
						metadata: { entries: [{ key: 'n', value: text, type }] },
					}).body.metadata?.n;
				expect(sent('number')).toBe(Number(text));
				// A value's type never depends on its digits: text stays text unless Number is asked for.
				expect(sent('auto')).toBe(text);
			}),
		);
	});

	it('Number refuses hexadecimal, binary, octal and other non-decimal spellings', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(16, 2, 8), (n, radix) => {
				const prefix = { 16: '0x', 2: '0b', 8: '0o' }[radix];
				const text = `${prefix}${n.toString(radix)}`;
				expect(() =>
					buildUpdateRequest({
						leadId: LEAD_ID,
						metadata: {
							entries: [{ key: 'n', value: text, type: 'number' }],
						},
					}),
				).toThrow('which is not a number');
			}),
		);
	});
});

describe('runItems', () => {
	it('runs each index once, keeps input order, never exceeds the limit, and never runs two items of one lead at once, in input order', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 60 }),
				fc.integer({ min: -2, max: 25 }),
				fc.array(fc.nat(5), { minLength: 60, maxLength: 60 }),
				fc.array(fc.option(fc.integer({ min: 0, max: 6 })), { minLength: 60, maxLength: 60 }),
				async (count, limit, ticks, leads) => {
					let inFlight = 0;
					let peak = 0;
					const seen: number[] = [];
					const leadBusy = new Set<number>();
					const started = new Map<number, number[]>();
					const report = await runItems({
						count,
						concurrency: limit,
						stopOnError: false,
						stop: new StopSignal(),
						leadKeyOf: (index) => (leads[index] === null ? undefined : `lead-${leads[index]}`),
						run: async (index) => {
							const lead = leads[index];
							if (lead !== null) {
								expect(leadBusy.has(lead)).toBe(false);
								leadBusy.add(lead);
								started.set(lead, [...(started.get(lead) ?? []), index]);
							}
							inFlight++;
							peak = Math.max(peak, inFlight);
							seen.push(index);
							for (let t = 0; t < ticks[index]; t++) await Promise.resolve();
							inFlight--;
							if (lead !== null) leadBusy.delete(lead);
							return index * 2;
						},
					});
					expect(report.outcomes).toEqual(Array.from({ length: count }, (_, i) => ({ ok: true, value: i * 2 })));
					expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
					expect(peak).toBeLessThanOrEqual(Math.max(1, Math.floor(limit) || 1));
					for (const order of started.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
				},
			),
			{ numRuns: 300 },
		);
	});
});
