import vectors from '../../vectors/operations.json';
import {
	NexorApiError,
	NexorInputError,
	OPERATIONS,
	readChoices,
	simplifyLead,
} from '../../../core';

type Case = {
	operation: string;
	name: string;
	input: unknown;
	expect: { method?: string; path?: string; query?: Record<string, string>; body?: string; error?: { kind: string; field: string } };
	platforms?: string[];
};

const cases = vectors.cases as Case[];

function operation(key: string) {
	const [resource, name] = key.split(':');
	const found = OPERATIONS[resource]?.[name];
	if (!found) throw new Error(`No operation ${key}`);
	return found;
}

describe('operation vectors through core', () => {
	it('covers every operation but Update Lead, with unique names', () => {
		const keys = new Set(cases.map((c) => c.operation));
		const all = Object.entries(OPERATIONS).flatMap(([r, ops]) => Object.keys(ops).map((n) => `${r}:${n}`));
		expect([...keys].sort()).toEqual(all.filter((k) => k !== 'lead:update').sort());
		const names = cases.map((c) => `${c.operation} ${c.name}`);
		expect(new Set(names).size).toBe(names.length);
	});

	it.each(cases.filter((c) => !c.platforms || c.platforms.includes('core')).map((c) => [`${c.operation}: ${c.name}`, c] as const))('%s', (_n, c) => {
		const op = operation(c.operation);
		if (c.expect.error) {
			let thrown: unknown;
			try {
				op.prepare(c.input);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(NexorInputError);
			expect((thrown as NexorInputError).field).toBe(c.expect.error.field);
			// The message names the input and the fix says what to do.
			expect((thrown as NexorInputError).fix.length).toBeGreaterThan(10);
			return;
		}
		const call = op.prepare(c.input);
		expect(call.request.method).toBe(c.expect.method);
		expect(call.request.path).toBe(c.expect.path);
		expect(call.request.query).toEqual(c.expect.query);
		expect(call.request.body === undefined ? undefined : JSON.stringify(call.request.body)).toBe(c.expect.body);
	});
});

const L = '123e4567-e89b-12d3-a456-426614174000';
const W = 'c0000000-0000-4000-8000-000000000001';

describe('reading answers', () => {
	const find = (input: unknown, body: unknown) => {
		const call = OPERATIONS.lead.find.prepare(input);
		return call.read({ status: 200, body }) as Array<{ id: string }>;
	};
	const leads = [
		{ id: 'a', email: 'CARLOS@example.com', phone: '+56 9 1234 5678' },
		{ id: 'b', email: 'carlos@example.co', phone: '+1 912345678' },
		{ id: 'c', email: null, phone: '56912345678' },
	];

	it('Find matches email exactly, ignoring case, in any documented wrapper', () => {
		for (const body of [{ leads }, { data: leads }, leads, JSON.stringify({ leads })]) {
			expect(find({ email: 'carlos@example.com' }, body).map((l) => l.id)).toEqual(['a']);
		}
	});

	it('Find matches phone on every digit', () => {
		expect(find({ phone: '+56912345678' }, { leads }).map((l) => l.id)).toEqual(['a', 'c']);
	});

	it('Find answers nothing, not an error, when none match', () => {
		expect(find({ email: 'nobody@example.com' }, { leads })).toEqual([]);
		expect(find({ email: 'nobody@example.com' }, { leads: [] })).toEqual([]);
	});

	it('Find refuses an unknown shape instead of returning a wrong or empty result', () => {
		for (const body of [{ results: leads }, { leads: 'x' }, {}, '<html>', [{ email: 'carlos@example.com' }]]) {
			expect(() => find({ email: 'carlos@example.com' }, body)).toThrow(NexorApiError);
		}
		expect(() => find({ email: 'carlos@example.com' }, { results: leads })).toThrow(/shape this integration doesn't know/);
	});

	it('Get reads both documented shapes and Simplify gives the ten fields', () => {
		const newShape = {
			success: true,
			lead: {
				id: L, first_name: 'Carlos', last_name: 'Lopez', email: 'c@example.com', phone: '+1', source: 'api', company: 'Stark', title: null,
				active_workflow_run: { workflow: { name: 'Sales Pipeline' }, current_status: { key: 'contacted' } },
			},
			variables: { edad: { value: 35 } },
		};
		const oldShape = { ...newShape.lead, active_workflow_run: undefined, workflow: { name: 'Sales Pipeline' }, currentStatus: { key: 'contacted' } };
		const get = (simplify: boolean, body: unknown) => OPERATIONS.lead.get.prepare({ leadId: L, simplify }).read({ status: 200, body });
		const simple = { id: L, first_name: 'Carlos', last_name: 'Lopez', email: 'c@example.com', phone: '+1', company: 'Stark', title: null, source: 'api', status: 'contacted', workflow: 'Sales Pipeline' };
		expect(get(true, newShape)).toEqual(simple);
		expect(get(true, oldShape)).toEqual(simple);
		expect(Object.keys(simplifyLead({ id: L }))).toHaveLength(10);
		expect(get(false, newShape)).toMatchObject({ id: L, variables: { edad: { value: 35 } } });
		// An answer about another lead is never passed off as this one.
		expect(() => get(false, { success: true, lead: { id: W } })).toThrow(NexorApiError);
	});

	it('already_stopped and already_running are successes with the flag always present', () => {
		const stop = OPERATIONS.lead.stopAutomation.prepare({ leadId: L, workflowId: W });
		expect(stop.read({ status: 200, body: { success: true, already_stopped: true, workflow_run_id: 'r' } })).toEqual({ lead_id: L, workflow_id: W, already_stopped: true, workflow_run_id: 'r' });
		expect(stop.read({ status: 200, body: { success: true, workflow_run_id: 'r', cadence_paused: true, tasks_cancelled: 2 } })).toMatchObject({ already_stopped: false, tasks_cancelled: 2 });
		const resume = OPERATIONS.lead.resumeAutomation.prepare({ leadId: L, workflowId: W });
		expect(resume.read({ status: 200, body: { success: true, already_running: true } })).toMatchObject({ already_running: true });
	});

	it('a 404 on stop names the lead and the workflow', () => {
		const stop = OPERATIONS.lead.stopAutomation.prepare({ leadId: L, workflowId: W });
		expect(stop.failureWords.notFound?.message).toContain(W);
		expect(stop.idempotent).toBe(true);
	});

	it('creates are not blindly retried; reads and sets are', () => {
		expect(OPERATIONS.lead.create.prepare({ fields: { first_name: 'A' } }).idempotent).toBe(false);
		expect(OPERATIONS.lead.addToWorkflow.prepare({ leadId: L, workflowId: W }).idempotent).toBe(false);
		expect(OPERATIONS.tag.create.prepare({ name: 'VIP' }).idempotent).toBe(false);
		expect(OPERATIONS.lead.setTags.prepare({ leadId: L, tags: 'VIP' }).idempotent).toBe(true);
	});

	it('rows for one email or phone share a lead key, so Nexor sees them in order', () => {
		const key = (fields: Record<string, unknown>) => OPERATIONS.lead.create.prepare({ fields: { first_name: 'A', ...fields } }).leadKey;
		expect(key({ email: 'Ana@Example.com' })).toBe(key({ email: 'ana@example.com', phone: '+1 555' }));
		expect(key({ phone: '+56 9 1234 5678' })).toBe(key({ phone: '+56912345678' }));
		expect(key({})).toBeUndefined();
		expect(OPERATIONS.lead.setTags.prepare({ leadBy: 'email', email: 'Ana@Example.com', tags: 'x' }).leadKey).toBe('email:ana@example.com');
	});

	it('Create returns the lead and its workflow run', () => {
		const create = OPERATIONS.lead.create.prepare({ fields: { first_name: 'A' }, workflowId: W });
		expect(create.read({ status: 201, body: { success: true, lead: { id: L, first_name: 'A' }, workflow_run: { id: 'r' } } })).toEqual({ id: L, first_name: 'A', workflow_run: { id: 'r' } });
		expect(() => create.read({ status: 201, body: { success: true } })).toThrow(NexorApiError);
	});

	it('Get Many tags cuts the list at Limit; Return All keeps it whole', () => {
		const data = Array.from({ length: 7 }, (_, i) => ({ id: String(i), name: `t${i}` }));
		expect((OPERATIONS.tag.getMany.prepare({ limit: 3 }).read({ status: 200, body: { data } }) as unknown[]).length).toBe(3);
		expect((OPERATIONS.tag.getMany.prepare({ returnAll: true }).read({ status: 200, body: { data } }) as unknown[]).length).toBe(7);
	});

	it('dropdown lists accept a named key, data or a bare array, sorted by name', () => {
		const workflows = [{ id: 'w2', name: 'Premium' }, { id: 'w1', name: 'Outreach', is_active: false }];
		for (const body of [{ workflows }, { data: workflows }, workflows]) {
			expect(readChoices('workflows', body)).toEqual([
				{ name: 'Outreach', value: 'w1', description: 'Inactive' },
				{ name: 'Premium', value: 'w2' },
			]);
		}
		expect(() => readChoices('campaigns', { results: [] })).toThrow(/shape this integration doesn't know/);
		expect(readChoices('leads', { leads: [{ id: L, first_name: 'Carlos', last_name: 'Lopez', email: 'c@example.com' }] })).toEqual([
			{ name: 'Carlos Lopez (c@example.com)', value: L },
		]);
	});
});

describe('Find for a per-item find-or-create', () => {
	it('gives one empty result for no match only when asked, and the matches otherwise', () => {
		const read = (emptyWhenNone: unknown, leads: unknown[]) =>
			OPERATIONS.lead.find.prepare({ email: 'ana@example.com', emptyWhenNone }).read({ status: 200, body: { leads } });
		expect(read(true, [])).toEqual([{}]);
		expect(read(false, [])).toEqual([]);
		expect(read(undefined, [{ id: 'x', email: 'other@example.com' }])).toEqual([]);
		expect(read(true, [{ id: 'a', email: 'ANA@example.com' }])).toEqual([{ id: 'a', email: 'ANA@example.com' }]);
	});
});
