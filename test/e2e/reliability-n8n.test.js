// @ts-check
'use strict';
/**
 * Issue 5, real n8n (2.41.1 on Node 24, 1.123.81 on Node 20): the bad-input catalogue and the fault
 * matrix through the packed Nexor node, installed like a community package, against the Nexor
 * sandbox. Few `n8n execute` runs, many cases each:
 *
 * - catalogue: two executions. Update Lead's cases: item values reach the node through expressions
 *   (a Code node builds the items, expanding 1 MB strings and 10,000-key objects inside n8n); each
 *   credential case gets its own credential and Nexor node in the same workflow. The other
 *   operations' cases: one Nexor node per operation (its parameters as operationParameters maps
 *   them), Requests in Parallel 1, the nodes one after another, so their requests reach the sandbox
 *   in case order.
 * - fault matrix: one execution. Each case has its own Nexor node (so one case's 429 can't pace
 *   another's retries) with Requests in Parallel 1 and Timeout 2 s: its tries and their gaps in the
 *   sandbox journal are checked against core's policy. One more node gets every case as one item
 *   each, in parallel, for "N items in, N out, in order, each tied to its item".
 *
 * Everything n8n printed (run JSON, logs of every command) and its database files are searched for
 * the API key. Records its suites for docs/RELIABILITY.md.
 *
 *   npm run build && npx jest test/e2e/reliability-n8n.test.js --selectProjects e2e
 */
const fs = require('node:fs');
const path = require('node:path');
const core = require('../../core');
const { startSandbox, SANDBOX_API_KEY, generatedLeadId } = require('../sandbox/server.js');
const { createN8nHome } = require('./harness/n8n.js');
const { packPackage } = require('./harness/pack.js');
const {
	codeNode,
	companyFromItem,
	inputParameters,
	nexorNode: nexor,
	nodeOutput: outputOf,
	operationParameters,
	workflow,
} = require('../support/workflows.js');
const {
	expandValue,
	expectationFor,
	operationOf,
	returnedOf,
	rawCatalogue,
	loadFaults,
	judge,
	describeExpected,
	describeObserved,
	abbreviate,
} = require('../reliability/catalogue.js');
const { sandboxOptions, catalogueFor, recordPlatformRun } = require('../reliability/platform-suite.js');

jest.setTimeout(30 * 60 * 1000);

const FIELDS = core.LEAD_FIELDS.map((/** @type {{ name: string }} */ f) => f.name);
const MAIN_CREDENTIAL = { id: 'nexorRelMain001', name: 'Nexor sandbox (reliability)' };
const CREDENTIAL_PREFIX = 'Nexor API credential: ';
const FAULTS = loadFaults();
const TIMEOUT_MS = FAULTS.timeoutSeconds * 1000;
/** Extra time a retry may take beyond core's decision: n8n's own work between two requests. */
const SLACK_MS = 1000;
/** A gap may look shorter than the wait by clock granularity and request transit. */
const EARLY_MS = 50;
/** Lead IDs of the bulk run: the fault case's lead shifted by this many (its own rules, its own leads). */
const BULK_OFFSET = 0x100;
/**
 * Each fault case's node uses its own key (an account of its own), because the node keeps one rate
 * gate per account for the whole n8n process: with one key, the pace the 429 cases teach would carry
 * into the later cases' retries, and each case checks core's waits on their own. The Bulk node keeps
 * the main credential: its cases share one gate on purpose.
 */
const FAULT_KEYS = FAULTS.cases.map((/** @type {any} */ _c, /** @type {number} */ k) => `nxr_live_fault_case_${String(k).padStart(3, '0')}_0123456789abcdef`);
/** @param {number} k */
const faultCredential = (k) => ({ id: `nexorRelF${String(k).padStart(6, '0')}`, name: `Nexor fault case ${k}` });
const LINES = /** @type {const} */ ([
	['2', 'n8n 2.41.1 (Node 24)'],
	['1', 'n8n 1.123.81 (Node 20)'],
]);

/** @type {string} */
let tarball;
beforeAll(() => {
	tarball = packPackage();
});

// ---- workflow building --------------------------------------------------------------------------

/**
 * A Code node that emits `items`, expanding the catalogue's compact values inside n8n (so a 1 MB
 * string travels as a dozen bytes of workflow JSON). `$numberOf` stays: the node's expressions turn
 * it into Number(…) as a user's `{{ Number($json.x) }}` would.
 * @param {string} name
 * @param {unknown[]} items
 */
const itemsNode = (name, items) =>
	codeNode(
		name,
		`const expandValue = ${expandValue.toString()};\n` +
			`return ${JSON.stringify(items)}.map((json) => ({ json: expandValue(json, { keepNumberOf: true }) }));`,
	);

/**
 * The Nexor node on `credential`, every item (lead or error) on its regular output.
 * @param {string} name
 * @param {Record<string, unknown>} parameters
 * @param {{ id: string, name: string }} credential
 */
const nexorNode = (name, parameters, credential) =>
	nexor(name, parameters, { credential, onError: 'continueRegularOutput' });

/**
 * The catalogue's workflow: the plain cases as items of one Nexor node (every input through
 * expressions); each credential case its own credential and node.
 * @param {ReturnType<typeof catalogueFor>['cases']} cases
 */
function catalogueWorkflow(cases) {
	const raw = new Map(rawCatalogue().map((c) => [c.id, c]));
	const update = cases.filter((c) => operationOf(c) === 'lead:update');
	const plain = update.filter((c) => !c.custom && c.platforms.includes('n8n'));
	const custom = update.filter((c) => c.custom && c.platforms.includes('n8n'));
	const slots = Math.max(
		...plain.map((c) => (Array.isArray(c.input.metadata?.entries) ? c.input.metadata.entries.length : 0)),
	);
	const parameters = inputParameters({ fields: FIELDS, entrySlots: slots });
	const chains = [
		[
			itemsNode(
				'Items',
				plain.map((c) => ({ id: c.id, input: raw.get(c.id)?.input })),
			),
			nexorNode('Nexor', parameters, MAIN_CREDENTIAL),
		],
		...custom.map((c, k) => [
			itemsNode(`Items ${c.id}`, [{ id: c.id, input: raw.get(c.id)?.input }]),
			nexorNode(`Nexor ${c.id}`, parameters, { id: `nexorRel${String(k).padStart(7, '0')}`, name: `Nexor ${c.id}` }),
		]),
	];
	return { workflow: workflow('wfRelCatalogue1', chains), plain };
}

/** @param {string} key  "lead:create" */
const operationNode = (key) => `Nexor ${key.replace(':', ' ')}`;

/**
 * The other operations' cases (the catalogue's `operation`): per operation, its cases as items of a
 * Code node → a Nexor node for that operation, every input through expressions (operationParameters),
 * Requests in Parallel 1; the chains one after another. So the sandbox journal holds their requests
 * in case order, and an item that got an answer from Nexor owns the next request.
 * @param {ReturnType<typeof catalogueFor>['cases']} cases
 */
function operationsWorkflow(cases) {
	const raw = new Map(rawCatalogue().map((c) => [c.id, c]));
	const other = cases.filter((c) => operationOf(c) !== 'lead:update' && c.platforms.includes('n8n'));
	const keys = [...new Set(other.map((c) => operationOf(c)))];
	/** @param {string} key */
	const casesOf = (key) => other.filter((c) => operationOf(c) === key);
	const chains = keys.map((key) => {
		const mine = casesOf(key);
		const entrySlots = Math.max(0, ...mine.map((c) => c.input.metadata?.entries?.length ?? 0));
		return [
			itemsNode(
				`Items ${key.replace(':', ' ')}`,
				mine.map((c) => ({ id: c.id, input: raw.get(c.id)?.input })),
			),
			nexor(operationNode(key), operationParameters(key, { entrySlots, options: { concurrency: 1 } }), {
				credential: MAIN_CREDENTIAL,
				onError: 'continueRegularOutput',
				// The next chain starts from this node's output: an operation that found nothing must not end the run.
				alwaysOutputData: true,
			}),
		];
	});
	return { workflow: workflow('wfRelCatalogOps1', chains, { serial: true }), keys, casesOf };
}

/**
 * The fault matrix's workflow: each case's items through a Nexor node of its own (its own key),
 * Requests in Parallel 1; then every case but the revoked key at once, as one item each, through
 * "Bulk" (the main credential, Requests in Parallel 5), on leads shifted by BULK_OFFSET.
 */
function faultWorkflow() {
	/** @type {any[]} */
	const cases = FAULTS.cases;
	const parameters = companyFromItem({ concurrency: 1, timeoutSeconds: FAULTS.timeoutSeconds });
	/** @type {any[]} */
	const bulkItems = [];
	const chains = cases.map((f, k) => {
		const leads = f.leads || [f.lead];
		leads.forEach((/** @type {string} */ lead, /** @type {number} */ i) => {
			// A rejected key ends every remaining item of a run (the breaker), so the case that revokes
			// the key runs on its own node only, not in the every-fault-at-once node.
			if (!f.revokedFrom)
				bulkItems.push({ leadId: shiftLead(lead, BULK_OFFSET), company: `Bulk ${f.id} ${i}`, faultId: f.id, index: i });
		});
		const items = leads.map((/** @type {string} */ lead, /** @type {number} */ i) => ({
			leadId: lead,
			company: `Fault ${f.id} ${i}`,
		}));
		return [itemsNode(`Items ${f.id}`, items), nexorNode(`Fault ${f.id}`, parameters, faultCredential(k))];
	});
	chains.push([
		itemsNode('Items bulk', bulkItems),
		nexorNode('Bulk', companyFromItem({ timeoutSeconds: FAULTS.timeoutSeconds }), MAIN_CREDENTIAL),
	]);
	return { workflow: workflow('wfRelFaults0001', chains), bulkItems };
}

/**
 * Scans n8n's database files for a secret (the run data n8n stored, the encrypted credentials).
 * @param {string} n8nDir
 * @param {string[]} secrets
 */
function scanDatabase(n8nDir, secrets) {
	let bytes = 0;
	let found = 0;
	for (const file of fs.readdirSync(n8nDir)) {
		if (!file.startsWith('database.sqlite')) continue;
		const buffer = fs.readFileSync(path.join(n8nDir, file));
		bytes += buffer.length;
		for (const secret of secrets) {
			const needle = Buffer.from(secret, 'utf8');
			for (let at = buffer.indexOf(needle); at !== -1; at = buffer.indexOf(needle, at + 1)) found++;
		}
	}
	return { bytes, found };
}

/** @param {string} lead @param {number} offset */
function shiftLead(lead, offset) {
	return generatedLeadId(parseInt(lead.slice(-12), 16) + offset);
}

/**
 * [min, max] ms of one gap between two tries, as core decides it.
 * @param {string} wait  e.g. "retry-after:1", "backoff:2", "timeout+backoff:3", "retry-after-date:2"
 */
function window(wait) {
	const [kind, n] = wait.split(':');
	const k = Number(n);
	if (kind === 'retry-after') return [k * 1000 - EARLY_MS, k * 1000 + SLACK_MS];
	if (kind === 'retry-after-date') return [k * 1000 - EARLY_MS, (k + 1) * 1000 + SLACK_MS];
	const backoff = [core.backoffMs(k, 0), core.backoffMs(k, 0.999999)];
	if (kind === 'backoff') return [backoff[0] - EARLY_MS, backoff[1] + SLACK_MS];
	if (kind === 'timeout+backoff') return [TIMEOUT_MS + backoff[0] - EARLY_MS, TIMEOUT_MS + backoff[1] + SLACK_MS];
	throw new Error(`unknown wait ${wait}`);
}

/**
 * What an n8n item must look like for a fault case's expectation.
 * @param {any} item  the output item
 * @param {number} index  its input index
 * @param {string} lead
 * @param {{ outcome: string, message?: string, httpCode?: string | null, descriptionIncludes?: string }} want
 * @param {string} company
 */
function judgeFaultItem(item, index, lead, want, company) {
	/** @type {string[]} */
	const problems = [];
	if (!item) return ['no output item'];
	if (item.pairedItem?.item !== index) problems.push(`paired with item ${item.pairedItem?.item}, expected ${index}`);
	const json = item.json || {};
	if (want.outcome === 'lead') {
		if (json.error) problems.push(`error "${json.error.message}", expected the lead`);
		else {
			if (String(json.id).toLowerCase() !== lead) problems.push(`lead ${json.id}, expected ${lead}`);
			if (json.company !== company)
				problems.push(`company ${JSON.stringify(json.company)}, expected ${JSON.stringify(company)}`);
		}
		return problems;
	}
	if (!json.error) return [...problems, `returned lead ${json.id}, expected an error`];
	if (json.error.message !== want.message) problems.push(`message "${json.error.message}", expected "${want.message}"`);
	if ((json.error.httpCode ?? null) !== want.httpCode)
		problems.push(`httpCode ${json.error.httpCode}, expected ${want.httpCode}`);
	if (!String(json.error.description).includes(String(want.descriptionIncludes))) {
		problems.push(
			`description "${abbreviate(json.error.description, 120)}" does not mention "${want.descriptionIncludes}"`,
		);
	}
	if (json.error.leadId !== lead) problems.push(`error tied to lead ${json.error.leadId}, expected ${lead}`);
	return problems;
}

/** @param {any} item */
function showItem(item) {
	if (!item) return 'no item';
	const json = item.json || {};
	if (json.error) return `error "${abbreviate(json.error.message, 140)}" (httpCode ${json.error.httpCode ?? 'none'})`;
	return `lead ${json.id}`;
}

// ---- the suites -----------------------------------------------------------------------------------

describe.each(LINES)('line %s (%s)', (line, platform) => {
	/** @type {any} */
	let sandbox;
	/** @type {import('./harness/n8n.js').N8nHome} */
	let home;
	/** @type {ReturnType<typeof catalogueFor>['cases']} */
	let CASES = [];
	/** @type {string[]} */
	let secrets = [];
	const order = line === '2' ? 2 : 3;
	const lineTag = line === '2' ? 'n8n2' : 'n8n1';
	/** @type {import('../reliability/report.js').Row[]} */
	let catalogueRows = [];
	/** @type {import('../reliability/report.js').Row[]} */
	let faultRows = [];
	/** @type {string[]} */
	const faultNotes = [];
	/** @type {ReturnType<typeof catalogueWorkflow>} */
	let catalogue;
	/** @type {ReturnType<typeof operationsWorkflow>} */
	let operations;
	/** @type {ReturnType<typeof faultWorkflow>} */
	let faultMatrix;

	beforeAll(async () => {
		sandbox = await startSandbox({ ...sandboxOptions(60 * 60 * 1000), apiKeys: FAULT_KEYS });
		({ cases: CASES, secrets } = catalogueFor(sandbox));
		secrets = [...secrets, ...FAULT_KEYS];
		home = await createN8nHome({ line: /** @type {'1' | '2'} */ (line) });
		await home.installPackage(tarball);
		const custom = CASES.filter((c) => c.custom && c.platforms.includes('n8n'));
		await home.importCredentials([
			{ ...MAIN_CREDENTIAL, type: 'nexorApi', data: { apiKey: SANDBOX_API_KEY, baseUrl: sandbox.baseUrl } },
			...custom.map((c, k) => ({
				id: `nexorRel${String(k).padStart(7, '0')}`,
				name: `Nexor ${c.id}`,
				type: 'nexorApi',
				data: { apiKey: c.connection.apiKey, baseUrl: c.connection.baseUrl },
			})),
			...FAULT_KEYS.map((apiKey, k) => ({ ...faultCredential(k), type: 'nexorApi', data: { apiKey, baseUrl: sandbox.baseUrl } })),
		]);
		catalogue = catalogueWorkflow(CASES);
		operations = operationsWorkflow(CASES);
		faultMatrix = faultWorkflow();
		await home.importWorkflows([catalogue.workflow, operations.workflow, faultMatrix.workflow]);
	});

	afterAll(async () => {
		if (home && CASES.length) {
			recordPlatformRun(secrets, {
				platform,
				test: 'test/e2e/reliability-n8n.test.js',
				runtime: `${home.runtime.version} on ${home.runtime.nodeBin}`,
				catalogue: { suite: `catalogue-${order}-${lineTag}`, order, rows: catalogueRows },
				faults: { suite: `faults-${order - 1}-${lineTag}`, order: order - 1, rows: faultRows, notes: faultNotes },
				searched: {
					sources: ["n8n's run JSON", 'stdout and stderr of every n8n command', "n8n's database files"],
					text: home.logs.join('\n'),
					elsewhere: scanDatabase(home.n8nDir, secrets),
					roundTo: 1e6,
				},
			});
			await home.cleanup();
		}
		if (sandbox) await sandbox.close();
	});

	it('the catalogue: an exact request, or an error naming the field and the fix and no request', async () => {
		sandbox.reset();
		const { plain } = catalogue;
		const result = await home.execute('wfRelCatalogue1', { timeoutMs: 600000 });
		expect(result.run).not.toBeNull();
		const journal = sandbox.journal();
		const main = outputOf(result.run, 'Nexor') || [];

		/** @type {string[]} */
		const failures = [];
		// N items in, N out, in order.
		if (main.length !== plain.length) failures.push(`Nexor: ${plain.length} items in, ${main.length} out`);
		main.forEach((item, i) => {
			if (item.pairedItem?.item !== i) failures.push(`Nexor output ${i} is paired with item ${item.pairedItem?.item}`);
		});
		const expectedRequests = CASES.filter(
			(c) => operationOf(c) === 'lead:update' && c.platforms.includes('n8n') && !expectationFor(c, lineTag).expect.error,
		).length;
		if (journal.length !== expectedRequests)
			failures.push(
				`${journal.length} requests reached the sandbox, expected ${expectedRequests} (one per case that is fine)`,
			);
		for (const entry of journal)
			if (entry.headers['x-api-key'] !== 'valid')
				failures.push(`${entry.path} went out with a ${entry.headers['x-api-key']} key`);

		// The other operations, in a run of their own on a fresh sandbox.
		sandbox.reset();
		const other = await home.execute('wfRelCatalogOps1', { timeoutMs: 600000 });
		expect(other.run).not.toBeNull();
		const otherJournal = sandbox.journal();
		/** @type {Map<string, import('../reliability/catalogue.js').Observed>} */
		const otherObserved = new Map();
		let next = 0;
		let otherExpected = 0;
		for (const key of operations.keys) {
			const mine = operations.casesOf(key);
			const out = outputOf(other.run, operationNode(key)) || [];
			const unpaired = out.filter((i) => !(i.pairedItem?.item >= 0 && i.pairedItem.item < mine.length));
			if (unpaired.length) failures.push(`${operationNode(key)}: ${unpaired.length} output item(s) paired with no input item`);
			mine.forEach((c, index) => {
				if (!expectationFor(c, lineTag).expect.error) otherExpected++;
				// A list operation gives one item per entry; anything else one item, the result or its error.
				const items = out.filter((i) => i.pairedItem?.item === index);
				const first = items[0];
				const error = first?.json?.error;
				if (error && items.length !== 1) failures.push(`${c.id}: an error and ${items.length - 1} more item(s)`);
				// An item that got an answer from Nexor (a result, or an error with its HTTP code) owns the next request.
				const answered = first !== undefined && (!error || (error.httpCode !== null && error.httpCode !== undefined));
				const entry = answered ? otherJournal[next++] : undefined;
				const requests = entry ? 1 : 0;
				if (!first)
					otherObserved.set(c.id, {
						kind: 'crash',
						message: `no output item (run: ${other.run?.data?.resultData?.error?.message})`,
						requests,
					});
				else if (error) {
					const httpCode = error.httpCode !== null && error.httpCode !== undefined ? ` [httpCode ${error.httpCode}]` : '';
					otherObserved.set(c.id, { kind: 'error', message: `${error.message}${httpCode}`, fix: error.description ?? '', requests });
				} else
					otherObserved.set(c.id, {
						kind: 'request',
						requests,
						method: entry?.method,
						path: entry?.path,
						body: entry?.body,
						...returnedOf(
							items.map((i) => i.json),
							key,
						),
					});
			});
		}
		if (otherJournal.length !== otherExpected || next !== otherJournal.length)
			failures.push(
				`${otherJournal.length} requests of the other operations reached the sandbox, expected ${otherExpected} (one per case that is fine); their items account for ${next}`,
			);
		for (const entry of otherJournal)
			if (entry.headers['x-api-key'] !== 'valid')
				failures.push(`${entry.path} went out with a ${entry.headers['x-api-key']} key`);

		catalogueRows = CASES.map((c) => {
			if (!c.platforms.includes('n8n'))
				return { id: c.id, expected: '', observed: `n/a: ${c.note || 'not deliverable in n8n'}`, ok: true, na: true };
			if (operationOf(c) !== 'lead:update') {
				const observed = /** @type {import('../reliability/catalogue.js').Observed} */ (otherObserved.get(c.id));
				const how = { basePath: '/api/public' };
				const { expect: want, why } = expectationFor(c, lineTag);
				const problems = judge(want, observed, how);
				if (problems.length) failures.push(`${c.id}: ${problems.join('; ')}`);
				return {
					id: c.id,
					expected: `${describeExpected(want, { ...how, platform: 'n8n' })}${why ? ` (on this line: ${why})` : ''}`,
					observed: describeObserved(observed, 'n8n'),
					ok: problems.length === 0,
					...(problems.length ? { problems } : {}),
				};
			}
			const item = c.custom ? (outputOf(result.run, `Nexor ${c.id}`) || [])[0] : main[plain.indexOf(c)];
			const leadId = typeof c.input.leadId === 'string' ? c.input.leadId.trim() : '';
			const mine = journal.filter((/** @type {any} */ e) => {
				let p = e.path;
				try {
					p = decodeURIComponent(p);
				} catch {
					/* keep it raw */
				}
				return leadId.length >= 8 && p.toLowerCase().includes(leadId.toLowerCase());
			});
			/** @type {import('../reliability/catalogue.js').Observed} */
			let observed;
			if (!item)
				observed = {
					kind: 'crash',
					message: `no output item (run: ${result.run?.data?.resultData?.error?.message})`,
					requests: mine.length,
				};
			else if (item.json?.error) {
				observed = {
					kind: 'error',
					message: item.json.error.message,
					fix: item.json.error.description ?? '',
					requests: mine.length,
				};
				if (
					item.json.error.httpCode !== null &&
					item.json.error.httpCode !== undefined &&
					expectationFor(c, lineTag).expect.error
				) {
					observed.message += ` [httpCode ${item.json.error.httpCode}]`;
				}
			} else
				observed = {
					kind: 'request',
					requests: mine.length,
					path: mine[0]?.path,
					body: mine[0]?.body,
					leadId: item.json?.id,
				};
			const how = { basePath: '/api/public', messagePrefix: c.custom ? CREDENTIAL_PREFIX : '' };
			const { expect: want, why } = expectationFor(c, lineTag);
			const problems = judge(want, observed, how);
			if (problems.length) failures.push(`${c.id}: ${problems.join('; ')}`);
			return {
				id: c.id,
				expected: `${describeExpected(want, { ...how, platform: 'n8n' })}${why ? ` (on this line: ${why})` : ''}`,
				observed: describeObserved(observed, 'n8n'),
				ok: problems.length === 0,
				...(problems.length ? { problems } : {}),
			};
		});
		expect(failures).toEqual([]);
	});

	it('the fault matrix: every item accounted for, tries and waits as core decides, and the run ends', async () => {
		sandbox.reset();
		const places = { KEY: SANDBOX_API_KEY };
		/** @type {any[]} */
		const cases = FAULTS.cases;
		const { bulkItems } = faultMatrix;
		cases.forEach((f, k) => {
			const leads = f.leads || [f.lead];
			leads.forEach((/** @type {string} */ lead, /** @type {number} */ i) => {
				const rules = f.leads ? f.rules.filter((/** @type {any} */ r) => r.match.leadId === lead) : f.rules;
				for (const rule of rules)
					sandbox.addRule(
						expandValue({ ...rule, match: { ...(rule.match || {}), leadId: lead } }, { places: { KEY: FAULT_KEYS[k] } }),
					);
				const bulkLead = shiftLead(lead, BULK_OFFSET);
				for (const rule of rules)
					sandbox.addRule(expandValue({ ...rule, match: { ...(rule.match || {}), leadId: bulkLead } }, { places }));
			});
		});
		const result = await home.execute('wfRelFaults0001', { timeoutMs: 900000 });
		expect(result.run).not.toBeNull();
		faultNotes.push(`The execution took ${(result.ms / 1000).toFixed(1)} s (n8n exit code ${result.code}).`);
		const journal = sandbox.journal();
		/** @param {string} lead */
		const triesOf = (lead) => journal.filter((/** @type {any} */ e) => e.path.toLowerCase().includes(lead));

		/** @type {string[]} */
		const failures = [];
		faultRows = cases.map((f) => {
			const out = outputOf(result.run, `Fault ${f.id}`);
			/** @type {string[]} */
			const problems = [];
			const leads = f.leads || [f.lead];
			if (!out) problems.push('the node did not run');
			else if (out.length !== leads.length) problems.push(`${leads.length} items in, ${out.length} out`);
			/** @type {string[]} */
			const shown = [];
			leads.forEach((/** @type {string} */ lead, /** @type {number} */ i) => {
				const tries = triesOf(lead);
				const revoked = f.leads && i >= f.revokedFrom;
				// After the first 401 the breaker ends the remaining items with the same error, unsent.
				const unsent = revoked && i > f.revokedFrom;
				const want = f.leads
					? revoked
						? unsent
							? { ...f.n8n, outcome: 'error', waits: [], descriptionIncludes: 'This item was not sent', tries: 0 }
							: { ...f.n8n, outcome: 'error', waits: [] }
						: { outcome: 'lead', waits: [] }
					: f.n8n;
				const item = out ? out[i] : undefined;
				problems.push(
					...judgeFaultItem(item, i, lead, want, `Fault ${f.id} ${i}`).map((p) =>
						f.leads ? `item ${i + 1}: ${p}` : p,
					),
				);
				const gaps = tries
					.slice(1)
					.map((/** @type {any} */ e, /** @type {number} */ k) => Math.round(e.at - tries[k].at));
				const wantTries = want.tries ?? want.waits.length + 1;
				if (tries.length !== wantTries) problems.push(`${tries.length} tries, expected ${wantTries}`);
				want.waits.forEach((/** @type {string} */ w, /** @type {number} */ k) => {
					if (gaps[k] === undefined) return;
					const [min, max] = window(w);
					if (gaps[k] < min || gaps[k] > max)
						problems.push(`gap ${k + 1} was ${gaps[k]} ms, core's ${w} allows ${min}–${max} ms`);
				});
				shown.push(
					`${showItem(item)} after ${tries.length} ${tries.length === 1 ? 'try' : 'tries'}${gaps.length ? ` (gaps ${gaps.join(', ')} ms)` : ''}`,
				);
			});
			const want = f.n8n;
			const waits = (want.waits || []).map((/** @type {string} */ w) => {
				const [min, max] = window(w);
				return `${w} = ${min}–${max} ms`;
			});
			const expected = f.leads
				? `items 1–${f.revokedFrom}: the lead, 1 try each; item ${f.revokedFrom + 1}: error "${want.message}" (httpCode ${want.httpCode}), 1 try; items ${f.revokedFrom + 2}–${f.leads.length}: the same error, "This item was not sent", no request`
				: want.outcome === 'lead'
					? `the lead after ${want.waits.length + 1} tries (${waits.join('; ')})`
					: `error "${want.message}" (httpCode ${want.httpCode ?? 'none'}, description mentions "${want.descriptionIncludes}") after ${want.waits.length + 1} ${want.waits.length ? 'tries' : 'try'}${waits.length ? ` (${waits.join('; ')})` : ''}`;
			if (problems.length) failures.push(`${f.id}: ${problems.join('; ')}`);
			return {
				id: f.id,
				expected,
				observed: shown.join(' · '),
				ok: problems.length === 0,
				...(problems.length ? { problems } : {}),
			};
		});

		// The bulk node: every case at once, in parallel.
		const bulk = outputOf(result.run, 'Bulk');
		/** @type {string[]} */
		const bulkProblems = [];
		if (!bulk) bulkProblems.push('the node did not run');
		else if (bulk.length !== bulkItems.length) bulkProblems.push(`${bulkItems.length} items in, ${bulk.length} out`);
		let maxTries = 0;
		bulkItems.forEach((b, i) => {
			const f = cases.find((c) => c.id === b.faultId);
			const revoked = f.leads && b.index >= f.revokedFrom;
			const base = f.leads ? (revoked ? { ...f.n8n, outcome: 'error' } : { outcome: 'lead' }) : f.n8n;
			// The expected message names this run's lead where it names one.
			const original = f.leads ? f.leads[b.index] : f.lead;
			const want = base.message ? { ...base, message: base.message.split(original).join(b.leadId) } : base;
			const p = judgeFaultItem(bulk?.[i], i, b.leadId, want, b.company);
			const tries = triesOf(b.leadId).length;
			maxTries = Math.max(maxTries, tries);
			// Bounded: core's tries, plus the gate's own uncharged 429 retries when Nexor slows down.
			const bound = core.RETRY_POLICY.maxAttempts + (core.PACING_POLICY?.maxUnchargedRetries ?? 0);
			if (tries < 1 || tries > bound) p.push(`${tries} tries, expected 1–${bound}`);
			bulkProblems.push(...p.map((x) => `item ${i} (${b.faultId}): ${x}`));
		});
		const bulkRow = {
			id: 'bulk-all-faults',
			expected: `${bulkItems.length} items with every fault above at once but the revoked key, which ends a whole run (Requests in Parallel 5): ${bulkItems.length} out, in order, each the lead or its error as above, each after a bounded number of tries`,
			observed: `${bulk?.length ?? 0} out; ${bulk?.filter((/** @type {any} */ i) => !i.json?.error).length ?? 0} leads, ${bulk?.filter((/** @type {any} */ i) => i.json?.error).length ?? 0} errors; at most ${maxTries} tries for one item`,
			ok: bulkProblems.length === 0,
			...(bulkProblems.length ? { problems: bulkProblems } : {}),
		};
		faultRows.push(bulkRow);
		const bulkTimes = bulkItems.flatMap((b) => triesOf(b.leadId).map((/** @type {any} */ e) => e.at));
		if (bulkTimes.length) {
			faultNotes.push(
				`The bulk node (every case at once, Requests in Parallel 5) took ${((Math.max(...bulkTimes) - Math.min(...bulkTimes)) / 1000).toFixed(1)} s from its first request to its last, ${bulkTimes.length} requests in all.`,
			);
		}
		if (bulkProblems.length) failures.push(...bulkProblems);
		// The run ends (it printed its result rather than hanging until the harness timeout).
		expect(result.timedOut).toBe(false);
		expect(failures).toEqual([]);
	});
});
