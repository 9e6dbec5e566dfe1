import vectors from '../../vectors/update-lead.json';
import { NexorInputError, UpdateLeadInput, buildUpdateRequest, canonicalBody } from '../../../core';

type Expect =
	| { path: string; body: string }
	| { error: { kind: string; field: string; code: string } };

describe('update-lead vectors through core', () => {
	it('has at least 40 cases with unique names', () => {
		const names = vectors.cases.map((c) => c.name);
		expect(names.length).toBeGreaterThanOrEqual(40);
		expect(new Set(names).size).toBe(names.length);
	});

	it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
		const expected = testCase.expect as Expect;
		const run = () => buildUpdateRequest(testCase.input as UpdateLeadInput);
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
