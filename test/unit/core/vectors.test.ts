import vectors from '../../vectors/update-lead.json';
import { NexorInputError, UpdateLeadInput, buildUpdateRequest, canonicalBody } from '../../../core';

type Expect =
	| { path: string; body: string }
	| { error: { kind: string; field: string; code: string } };

/** Luxon's DateTime as core meets it: an object with toISO() (core imports no date library). */
class FakeDateTime {
	readonly isLuxonDateTime = true;
	constructor(private readonly iso: string) {}
	toISO(): string | null {
		return Number.isNaN(Date.parse(this.iso)) ? null : this.iso;
	}
}

/** {"$date": iso} → a Date, {"$luxon": iso} → a DateTime-like object; everything else as it is. */
function revive(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(revive);
	if (value === null || typeof value !== 'object') return value;
	const object = value as Record<string, unknown>;
	if (typeof object.$date === 'string') return new Date(object.$date);
	if (typeof object.$luxon === 'string') return new FakeDateTime(object.$luxon);
	return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, revive(v)]));
}

describe('update-lead vectors through core', () => {
	it('has at least 40 cases with unique names', () => {
		const names = vectors.cases.map((c) => c.name);
		expect(names.length).toBeGreaterThanOrEqual(40);
		expect(new Set(names).size).toBe(names.length);
	});

	it('names only n8n and zapier as platforms', () => {
		for (const c of vectors.cases as Array<{ platforms?: string[] }>) {
			for (const platform of c.platforms ?? []) expect(['n8n', 'zapier']).toContain(platform);
		}
	});

	it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
		const expected = testCase.expect as Expect;
		const run = () => buildUpdateRequest(revive(testCase.input) as UpdateLeadInput);
		if ('body' in expected) {
			const request = run();
			expect(request.method).toBe('PUT');
			expect(request.path).toBe(expected.path);
			expect(canonicalBody(request.body)).toBe(expected.body);
		} else {
			let caught: unknown;
			try {
				run();
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(NexorInputError);
			const error = caught as NexorInputError;
			expect({ kind: error.kind, field: error.field, code: error.code }).toEqual(expected.error);
			expect(error.message.length).toBeGreaterThan(10);
			expect(error.fix.length).toBeGreaterThan(10);
		}
	});
});
