import fc from 'fast-check';
import {
	LEAD_FIELDS,
	NexorApiError,
	NexorInputError,
	UpdateLeadInput,
	buildUpdateRequest,
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
		metadataTyping: fc.constantFrom(undefined, 'auto', 'text', 'other'),
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

	it('a blank value never changes data', () => {
		fc.assert(
			fc.property(
				fc.uuid(),
				fc.constantFrom(...FIELD_NAMES),
				fc.constantFrom('', ' ', '\t\n', undefined),
				(id, name, blank) => {
					const request = buildUpdateRequest({ leadId: id, fields: { [name]: blank, company: 'Acme' } });
					if (name !== 'company') expect(request.body).not.toHaveProperty(name);
				},
			),
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
