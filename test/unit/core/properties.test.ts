import fc from 'fast-check';
import {
	LEAD_FIELDS,
	NexorApiError,
	NexorInputError,
	UpdateLeadInput,
	buildUpdateRequest,
	findLeadField,
	hasControlCharacter,
	interpretFailure,
	isUuid,
	readLead,
} from '../../../core';

const FIELD_NAMES = LEAD_FIELDS.map((f) => f.name);
const REFUSED = ['__proto__', 'constructor', 'prototype'];

const messy = fc.oneof(
	fc.constant(''),
	fc.constant('   '),
	fc.constant(undefined),
	fc.constant(null),
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constantFrom('carlos@example.com', '123e4567-e89b-12d3-a456-426614174001', ' +56987654321 '),
	fc.array(fc.string(), { maxLength: 2 }),
	fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

const leadId = fc.oneof(fc.uuid(), fc.uuid().map((u) => ` ${u}\n`), messy);
const entries = fc.array(
	fc.record(
		{
			key: fc.oneof(fc.string(), fc.constantFrom(...REFUSED, ' a ', '')),
			value: messy,
			type: fc.constantFrom(undefined, 'auto', 'text', 'number', 'boolean', 'json', 'null', 'bogus'),
		},
		{ requiredKeys: ['key'] },
	),
	{ maxLength: 5 },
);
const input: fc.Arbitrary<UpdateLeadInput> = fc.record(
	{
		leadId,
		fields: fc.dictionary(fc.constantFrom(...FIELD_NAMES), messy, { maxKeys: 8 }),
		clear: fc.oneof(fc.subarray([...FIELD_NAMES, 'nickname']), fc.constant('phone, email'), messy),
		metadata: fc.oneof(
			entries.map((e) => ({ entries: e })),
			fc.oneof(fc.json(), fc.object(), messy).map((json) => ({ json })),
		),
		metadataNumberKeys: fc.oneof(fc.constant(undefined), fc.array(fc.constantFrom('a', ' a ', 'edad', ''), { maxLength: 3 }), messy),
		metadataBooleanKeys: fc.oneof(fc.constant(undefined), fc.array(fc.constantFrom('a', 'vip', ''), { maxLength: 2 }), messy),
		emptyValues: fc.constantFrom(undefined, 'skip', 'clear', 'other') as fc.Arbitrary<UpdateLeadInput['emptyValues']>,
	},
	{ requiredKeys: ['leadId'] },
);

function walk(value: unknown, visit: (v: unknown, key?: string) => void, key?: string): void {
	visit(value, key);
	if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) walk(v, visit, k);
	}
}

describe('buildUpdateRequest properties', () => {
	it('returns a rule-abiding body or throws a NexorInputError, nothing else', () => {
		fc.assert(
			fc.property(input, (candidate) => {
				let request;
				try {
					request = buildUpdateRequest(candidate);
				} catch (error) {
					expect(error).toBeInstanceOf(NexorInputError);
					expect((error as NexorInputError).message).not.toBe('');
					expect((error as NexorInputError).fix).not.toBe('');
					return;
				}
				expect(request.method).toBe('PUT');
				expect(isUuid(request.leadId)).toBe(true);
				expect(request.path).toBe(`/leads/${request.leadId}`);
				const keys = Object.keys(request.body);
				expect(keys.length).toBeGreaterThan(0);
				// Canonical order: catalogue order, then metadata.
				const order = [...FIELD_NAMES, 'metadata'];
				expect([...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(keys);
				for (const field of LEAD_FIELDS) {
					const value = request.body[field.name];
					if (value === undefined) continue;
					if (value === null) {
						expect(field.nullable).toBe(true);
					} else {
						expect(typeof value).toBe('string');
						expect(value.trim()).toBe(value);
						expect(value).not.toBe('');
					}
				}
				walk(request.body, (v, k) => {
					expect(v).not.toBeUndefined();
					if (k !== undefined) expect(REFUSED).not.toContain(k);
				});
				if (request.body.metadata) {
					for (const [k, v] of Object.entries(request.body.metadata)) {
						expect(k.trim()).toBe(k);
						expect(k).not.toBe('');
						expect(v).not.toBe('');
					}
				}
				// What is sent survives JSON unchanged.
				expect(JSON.parse(JSON.stringify(request.body))).toEqual(request.body);
			}),
			{ numRuns: 1500 },
		);
	});

	it('a blank value (including null) never changes data unless Clear the Field is chosen', () => {
		fc.assert(
			fc.property(
				fc.uuid(),
				fc.constantFrom(...FIELD_NAMES),
				fc.constantFrom('', ' ', '\t\n', undefined, null),
				fc.constantFrom(undefined, 'skip' as const),
				(id, name, blank, emptyValues) => {
					const request = buildUpdateRequest({
						leadId: id,
						fields: { [name]: blank, company: 'Acme' },
						metadata: { entries: [{ key: 'estado_lead', value: blank }, { key: 'k', value: 'v' }] },
						emptyValues,
					});
					if (name !== 'company') expect(request.body).not.toHaveProperty(name);
					expect(request.body.metadata).toEqual({ k: 'v' });
				},
			),
		);
	});

	it('with Clear the Field, a mapped blank is null for nullable fields; First Name, Source and unmapped fields are left alone', () => {
		fc.assert(
			fc.property(
				fc.uuid(),
				fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.constantFrom('', ' ', undefined, null, 'example'), {
					minKeys: 1,
				}),
				(id, drawn) => {
					// 'example' stands for a valid value of that field (an address for Email, a UUID for Campaign ID).
					const fields = Object.fromEntries(
						Object.entries(drawn).map(([name, v]) => [name, v === 'example' ? findLeadField(name)?.example : v]),
					);
					let body;
					try {
						body = buildUpdateRequest({ leadId: id, fields, emptyValues: 'clear' }).body;
					} catch (error) {
						// Only when nothing is left: every mapped field blank and not clearable.
						expect((error as NexorInputError).code).toBe('nothing_to_update');
						return;
					}
					for (const field of LEAD_FIELDS) {
						const mapped = field.name in fields;
						const value = fields[field.name];
						const blank = value === undefined || value === null || String(value).trim() === '';
						if (!mapped || (blank && !field.nullable)) expect(body).not.toHaveProperty(field.name);
						else if (blank) expect(body[field.name]).toBeNull();
						else expect(body[field.name]).toBe(String(value).trim());
					}
				},
			),
		);
	});

	it('a metadata value keeps the type it arrives with (As Mapped), whatever its digits', () => {
		const plain = fc.string({ maxLength: 30 }).filter((s) => s.trim() !== '' && !hasControlCharacter(s));
		fc.assert(
			fc.property(
				fc.oneof(
					plain,
					fc.integer().map(String),
					fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
					fc.double({ noNaN: true, noDefaultInfinity: true }),
					fc.boolean(),
					fc.constantFrom('true', 'false', '02139', '1e+21', '1e-7', '56987654321'),
				),
				fc.constantFrom(undefined, 'auto'),
				(value, type) => {
					const sent = buildUpdateRequest({
						leadId: '123e4567-e89b-12d3-a456-426614174000',
						metadata: { entries: [{ key: 'k', value, type }] },
					}).body.metadata?.k;
					expect(typeof sent).toBe(typeof value);
					expect(sent).toBe(typeof value === 'string' ? value.trim() : value);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('a metadata key with a line break, a tab or an invisible character inside is refused, naming it', () => {
		const INVISIBLE = ['\u200b', '\u200d', '\ufeff', '\u2060'];
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() === s && s !== ''),
				fc.constantFrom('\n', '\r\n', '\t', '\u2028', ...INVISIBLE),
				fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() === s && s !== ''),
				fc.boolean(),
				(left, bad, right, asJson) => {
					const key = `${left}${bad}${right}`;
					const metadata = asJson ? { json: { [key]: 'x' } } : { entries: [{ key, value: 'x' }] };
					let caught: unknown;
					try {
						buildUpdateRequest({ leadId: '123e4567-e89b-12d3-a456-426614174000', metadata });
					} catch (error) {
						caught = error;
					}
					expect(caught).toBeInstanceOf(NexorInputError);
					const e = caught as NexorInputError;
					expect(e.field).toBe('metadata');
					if (INVISIBLE.includes(bad)) {
						const code = `U+${bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
						// Named, unless an earlier problem (a reserved key, a control character) came first.
						if (!/control character|reserved|line break|a tab/.test(e.message)) expect(e.message).toContain(code);
					}
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe('failure properties', () => {
	const secret = 'nxr_live_PROPERTYKEY';
	it('any status, headers and body give a bounded wait and a non-empty message without the key', () => {
		fc.assert(
			fc.property(
				fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
				fc.dictionary(fc.constantFrom('retry-after', 'Retry-After', 'x'), fc.oneof(fc.string(), fc.constant(secret))),
				fc.oneof(fc.string(), fc.json(), fc.anything(), fc.constant({ message: `key ${secret}` })),
				fc.integer({ min: 1, max: 10 }),
				fc.double({ min: 0, max: 0.999, noNaN: true }),
				(status, headers, body, attempt, random) => {
					const { error, retryInMs } = interpretFailure({
						status,
						headers,
						body,
						attempt,
						random,
						now: Date.now(),
						secret,
						network: status === undefined ? { code: 'ECONNRESET' } : undefined,
					});
					expect(error).toBeInstanceOf(NexorApiError);
					expect(error.message.length).toBeGreaterThan(0);
					const shown = JSON.stringify([error.message, error.fix, error.nexorMessage]);
					expect(shown).not.toContain(secret);
					if (retryInMs !== undefined) {
						expect(retryInMs).toBeGreaterThanOrEqual(0);
						expect(retryInMs).toBeLessThanOrEqual(60_000);
					}
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('reading any bytes as a response gives a lead or a NexorApiError', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.json(), fc.anything()), (body) => {
				try {
					const lead = readLead(body);
					expect(typeof lead.id).toBe('string');
				} catch (error) {
					expect(error).toBeInstanceOf(NexorApiError);
				}
			}),
		);
	});
});
