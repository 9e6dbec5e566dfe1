// @ts-check
'use strict';
/**
 * n8n workflows for the e2e suites, the benchmark and the volume run, and reading what their nodes
 * put out. The usual shape: Manual Trigger "Start" → Code node "Items" emitting the items → the node
 * under test ("Nexor"). Parameters go in as literals or as expressions (`={{ … }}`); node settings
 * such as onError go beside them.
 *
 *   itemsWorkflow('wfX', [{ leadId, company }], nexorNode('Nexor', companyFromItem(), { onError }))
 *   workflow('wfY', [[codeNode('Items A', itemsA), nexorNode('Nexor A', …)], [codeNode('Items B', …), …]])
 *   const [updated, failed] = nodeOutputs(result.run, 'Nexor');
 *
 * Plain CommonJS, Node built-ins only: the benchmark and the volume run load it outside jest.
 */

const NEXOR_TYPE = 'n8n-nodes-nexor.nexor';
/** Room between two nodes of a chain and between two chains, in canvas units. */
const STEP_X = 220;
const STEP_Y = 120;

/**
 * @typedef {object} NodeSpec  a node without its id and position (the workflow sets both)
 * @property {string} name
 * @property {string} type
 * @property {number} typeVersion
 * @property {Record<string, unknown>} parameters
 */

/**
 * @param {string} name
 * @param {string} type
 * @param {number} typeVersion
 * @param {Record<string, unknown>} parameters
 * @param {Record<string, unknown>} [settings]  anything else of the node: credentials, onError, …
 * @returns {NodeSpec & Record<string, unknown>}
 */
function node(name, type, typeVersion, parameters, settings = {}) {
	return { name, type, typeVersion, parameters, ...settings };
}

/**
 * A Code node emitting items: an array is emitted as it is (each element one item's json); a string
 * is the node's JavaScript (e.g. to build many items inside n8n).
 * @param {string} name
 * @param {unknown[] | string} items
 */
function codeNode(name, items) {
	const jsCode =
		typeof items === 'string'
			? items
			: `return ${JSON.stringify(items.map((json) => ({ json })))};`;
	return node(name, 'n8n-nodes-base.code', 2, { jsCode });
}

/**
 * The Nexor node, Lead → Update unless `parameters` say otherwise.
 * @param {string} name
 * @param {Record<string, unknown>} parameters
 * @param {{ credential?: { id: string, name: string }, onError?: string } & Record<string, unknown>} [settings]
 *   credential: its Nexor API credential; onError and any other node setting as n8n stores it
 */
function nexorNode(name, parameters, settings = {}) {
	const { credential, ...rest } = settings;
	return node(
		name,
		NEXOR_TYPE,
		1,
		{ resource: 'lead', operation: 'update', ...parameters },
		{ ...(credential ? { credentials: { nexorApi: credential } } : {}), ...rest },
	);
}

/**
 * Lead ID and Company from the item's `leadId` and `company`.
 * @param {Record<string, unknown>} [options]  the node's Options (Requests in Parallel, Timeout, …)
 */
function companyFromItem(options) {
	return {
		leadId: '={{ $json.leadId }}',
		updateFields: { company: '={{ $json.company }}' },
		...(options === undefined ? {} : { options }),
	};
}

/**
 * An n8n expression giving the item value at `expr`, revived: item JSON can hold none of these, so
 * the vectors and the catalogue write {"$date": iso} for a JavaScript Date, {"$luxon": iso} for a
 * Luxon DateTime and {"$numberOf": text} for Number(text) (what `{{ $now }}`, `{{ new Date(…) }}` or
 * `{{ Number($json.x) }}` give in a user's workflow). Anything else comes through as it is.
 * @param {string} expr
 */
const revived = (expr) =>
	`={{ (v => v && v.$date ? new Date(v.$date) : v && v.$luxon ? DateTime.fromISO(v.$luxon).toUTC() : ` +
	`v && v.$numberOf !== undefined ? Number(v.$numberOf) : v)(${expr}) }}`;

/**
 * Every Update Lead input read from the item's `input` through expressions, as a user maps item
 * data: leadId, fields (those named), clear, emptyValues, metadata as json or as entries (k slots).
 * @param {{ fields: string[], entrySlots: number, options?: Record<string, unknown> }} o
 */
function inputParameters(o) {
	return {
		resource: 'lead',
		operation: 'update',
		leadId: '={{ $json.input.leadId }}',
		updateFields: Object.fromEntries(o.fields.map((f) => [f, revived(`$json.input.fields?.${f}`)])),
		fieldsToClear: '={{ $json.input.clear }}',
		emptyValues: "={{ $json.input.emptyValues ?? 'skip' }}",
		metadataInput: "={{ $json.input.metadata && 'json' in $json.input.metadata ? 'json' : 'fields' }}",
		metadataJson: '={{ $json.input.metadata?.json }}',
		metadataFields: {
			entry: Array.from({ length: o.entrySlots }, (_, k) => ({
				key: `={{ $json.input.metadata?.entries?.[${k}]?.key }}`,
				value: revived(`$json.input.metadata?.entries?.[${k}]?.value`),
				type: `={{ $json.input.metadata?.entries?.[${k}]?.type ?? 'auto' }}`,
			})),
		},
		options: o.options ?? {},
	};
}

/**
 * A resource locator given By ID from an expression (what a user mapping an ID gets).
 * @param {string} expr
 */
const byId = (expr) => ({ __rl: true, mode: 'id', value: `={{ ${expr} }}` });

/** @type {Record<string, (o: { entrySlots: number }) => Record<string, unknown>>} */
const OPERATION_PARAMETERS = {
	'lead:create': (o) => ({
		firstName: '={{ $json.input.fields?.first_name }}',
		additionalFields: Object.fromEntries(
			['last_name', 'email', 'phone', 'company', 'title', 'source'].map((f) => [f, revived(`$json.input.fields?.${f}`)]),
		),
		campaignId: byId('$json.input.fields?.campaign_id'),
		workflowId: byId('$json.input.workflowId'),
		firstMessage: Object.fromEntries(
			['channel', 'content', 'subject', 'senderId'].map((f) => [f, `={{ $json.input.firstMessage?.${f} }}`]),
		),
		metadataInput: "={{ $json.input.metadata && 'json' in $json.input.metadata ? 'json' : 'fields' }}",
		metadataJson: '={{ $json.input.metadata?.json }}',
		metadataFields: {
			entry: Array.from({ length: o.entrySlots }, (_, k) => ({
				key: `={{ $json.input.metadata?.entries?.[${k}]?.key }}`,
				value: revived(`$json.input.metadata?.entries?.[${k}]?.value`),
				type: `={{ $json.input.metadata?.entries?.[${k}]?.type ?? 'auto' }}`,
			})),
		},
	}),
	'lead:get': () => ({ leadId: byId('$json.input.leadId'), simplify: '={{ $json.input.simplify ?? false }}' }),
	'lead:find': () => ({
		findBy: "={{ $json.input.email !== undefined && $json.input.email !== null && $json.input.email !== '' ? 'email' : 'phone' }}",
		email: '={{ $json.input.email }}',
		phone: '={{ $json.input.phone }}',
	}),
	'lead:setStatus': () => ({
		leadId: byId('$json.input.leadId'),
		statusKey: '={{ $json.input.statusKey }}',
		reason: '={{ $json.input.reason }}',
		workflowId: byId('$json.input.workflowId'),
	}),
	'lead:addToWorkflow': () => ({
		leadId: byId('$json.input.leadId'),
		workflowId: byId('$json.input.workflowId'),
		reason: '={{ $json.input.reason }}',
		actorId: '={{ $json.input.actorId }}',
	}),
	'lead:stopAutomation': () => ({ leadId: byId('$json.input.leadId'), workflowId: byId('$json.input.workflowId') }),
	'lead:resumeAutomation': () => ({
		leadId: byId('$json.input.leadId'),
		workflowId: byId('$json.input.workflowId'),
		resumeCadence: '={{ $json.input.resumeCadence ?? false }}',
	}),
	'lead:getAutomationStatus': () => ({ leadId: byId('$json.input.leadId'), workflowId: byId('$json.input.workflowId') }),
	'lead:getHistory': () => ({ leadId: byId('$json.input.leadId') }),
	'lead:getMeetings': () => ({ leadId: byId('$json.input.leadId'), statuses: '={{ $json.input.statuses ?? [] }}' }),
	'lead:getTags': () => ({ leadId: byId('$json.input.leadId') }),
	'lead:addTags': () => ({ leadId: byId('$json.input.leadId'), tagIds: '={{ $json.input.tagIds }}' }),
	'lead:setTags': () => ({
		leadBy: "={{ $json.input.leadBy ?? 'id' }}",
		leadId: byId('$json.input.leadId'),
		email: '={{ $json.input.email }}',
		tags: '={{ $json.input.tags }}',
		removeAllTags: '={{ $json.input.removeAllTags ?? false }}',
	}),
	'tag:getMany': () => ({
		search: '={{ $json.input.search }}',
		returnAll: '={{ $json.input.returnAll ?? false }}',
		limit: '={{ $json.input.limit ?? 50 }}',
	}),
	'tag:create': () => ({
		name: '={{ $json.input.name }}',
		additionalFields: { slug: '={{ $json.input.slug }}', description: '={{ $json.input.description }}' },
	}),
	'tag:delete': () => ({ tagId: byId('$json.input.tagId') }),
	'conversion:record': (o) => ({
		conversionTypeId: byId('$json.input.conversionTypeId'),
		leadId: byId('$json.input.leadId'),
		amount: '={{ $json.input.amount }}',
		conversionFields: {
			field: Array.from({ length: o.entrySlots }, (_, k) => ({
				key: `={{ $json.input.fields?.entries?.[${k}]?.key }}`,
				value: `={{ $json.input.fields?.entries?.[${k}]?.value }}`,
				type: `={{ $json.input.fields?.entries?.[${k}]?.type ?? 'auto' }}`,
			})),
		},
		additionalFields: Object.fromEntries(
			['currency', 'convertedAt', 'workflowRunId', 'notes'].map((f) => [f, `={{ $json.input.${f} }}`]),
		),
	}),
	'conversion:getMany': () => ({
		returnAll: '={{ $json.input.returnAll ?? false }}',
		limit: '={{ $json.input.limit ?? 50 }}',
		filters: Object.fromEntries(
			['leadId', 'workflowId', 'conversionTypeId', 'workflowRunId'].map((f) => [f, `={{ $json.input.${f} }}`]),
		),
	}),
	'message:send': () => ({
		leadId: byId('$json.input.leadId'),
		workflowId: byId('$json.input.workflowId'),
		channel: '={{ $json.input.channel }}',
		...Object.fromEntries(['content', 'templateId', 'components', 'subject', 'html', 'beginMessage'].map((f) => [f, `={{ $json.input.${f} }}`])),
	}),
	'meeting:log': () => ({
		leadBy: "={{ $json.input.leadBy ?? 'email' }}",
		leadEmail: '={{ $json.input.leadEmail }}',
		leadId: byId('$json.input.leadId'),
		title: '={{ $json.input.title }}',
		startsAt: '={{ $json.input.startsAt }}',
		durationMinutes: '={{ $json.input.durationMinutes }}',
		additionalFields: Object.fromEntries(
			[
				'endsAt',
				'timezone',
				'meetingUrl',
				'locationType',
				'locationDetails',
				'description',
				'hostEmail',
				'attendeeName',
				'attendeeEmail',
				'attendeePhone',
				'provider',
				'externalEventId',
				'status',
			].map((f) => [f, `={{ $json.input.${f} }}`]),
		),
	}),
	'meeting:cancel': () => ({ meetingId: '={{ $json.input.meetingId }}', reason: '={{ $json.input.reason }}' }),
};

/**
 * The node's parameters for an operation ("lead:create") with every input read from the item's
 * `input` (a vector's core input) through expressions, as a user maps item data.
 * @param {string} key
 * @param {{ entrySlots?: number, options?: Record<string, unknown> }} [o]
 */
function operationParameters(key, o = {}) {
	const [resource, operation] = key.split(':');
	const build = OPERATION_PARAMETERS[key];
	if (!build) throw new Error(`No parameters for ${key}`);
	return { resource, operation, ...build({ entrySlots: o.entrySlots ?? 0 }), options: o.options ?? {} };
}

/**
 * @param {string} to
 */
const link = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });

/**
 * A workflow: a trigger (Manual Trigger "Start" unless given), then `chains`, each a list of nodes
 * connected in order. Chains start side by side from the trigger and run top to bottom (n8n's v1
 * order follows the canvas), or with `serial: true` one after another (each chain's first node
 * follows the previous chain's last). Node ids and positions are set here.
 * @template {string | undefined} Id
 * @param {Id} id  undefined for a workflow created through REST (JSON leaves it out)
 * @param {Array<Array<NodeSpec & Record<string, unknown>>>} chains
 * @param {{ name?: string, serial?: boolean, trigger?: NodeSpec & Record<string, unknown> }} [o]
 */
function workflow(id, chains, o = {}) {
	const trigger = o.trigger || node('Start', 'n8n-nodes-base.manualTrigger', 1, {});
	/** @type {any[]} */
	const nodes = [{ id: 'n0', ...trigger, position: [0, 0] }];
	/** @type {Record<string, { main: Array<Array<{ node: string, type: string, index: number }>> }>} */
	const connections = {};
	let previous = trigger.name;
	let x = 0;
	chains.forEach((chain, row) => {
		if (!o.serial) x = 0;
		chain.forEach((spec, i) => {
			x += STEP_X;
			nodes.push({ id: `n${nodes.length}`, ...spec, position: [x, o.serial ? 0 : row * STEP_Y] });
			const from = i === 0 ? (o.serial ? previous : trigger.name) : chain[i - 1].name;
			if (!connections[from]) connections[from] = { main: [[]] };
			connections[from].main[0].push(link(spec.name).main[0][0]);
		});
		previous = chain[chain.length - 1].name;
	});
	return {
		id,
		name: o.name ?? id,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Start → Items (a Code node emitting `items`, see codeNode) → `target`.
 * @param {string} id
 * @param {unknown[] | string} items
 * @param {NodeSpec & Record<string, unknown>} target
 */
function itemsWorkflow(id, items, target) {
	return workflow(id, [[codeNode('Items', items), target]]);
}

/**
 * Webhook (POST `path`, answers with the last node's items once the run ends) → Split Out
 * `body.leads` "Leads" → Nexor "Update lead" (company from each lead): a workflow created and
 * activated through REST (no id), called through its production URL.
 * @param {{ name: string, path: string, webhookId: string, responseData: 'allEntries' | 'noData',
 *   credential: { id: string, name: string } }} o
 */
function leadsWebhookWorkflow(o) {
	const trigger = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: o.path, responseMode: 'lastNode', responseData: o.responseData, options: {} },
		{ webhookId: o.webhookId },
	);
	const leads = node('Leads', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.leads', options: {} });
	return workflow(undefined, [[leads, nexorNode('Update lead', companyFromItem({}), { credential: o.credential })]], {
		name: o.name,
		trigger,
	});
}

// ---- reading a run -------------------------------------------------------------------------------

/**
 * A node's first run in an n8n run (IRun JSON): its executionTime, data, …; undefined when it did
 * not run.
 * @param {any} run
 * @param {string} name
 * @returns {any}
 */
const nodeRun = (run, name) => run?.data?.resultData?.runData?.[name]?.[0];

/**
 * Items of each output of a node's first run: [main, error?]; [] when the node did not run.
 * @param {any} run
 * @param {string} name
 * @returns {any[][]}
 */
function nodeOutputs(run, name) {
	const main = nodeRun(run, name)?.data?.main;
	return Array.isArray(main) ? main.map((/** @type {any[] | null} */ out) => out ?? []) : [];
}

/**
 * Items of one output of a node's first run; null when the node did not run.
 * @param {any} run
 * @param {string} name
 * @param {number} [output]
 * @returns {any[] | null}
 */
function nodeOutput(run, name, output = 0) {
	if (!run?.data?.resultData?.runData?.[name]) return null;
	return nodeOutputs(run, name)[output] ?? [];
}

/** The json of each item. @param {any[]} items */
const jsonOf = (items) => items.map((i) => i.json);

module.exports = {
	operationParameters,
	NEXOR_TYPE,
	node,
	codeNode,
	nexorNode,
	companyFromItem,
	revived,
	inputParameters,
	workflow,
	itemsWorkflow,
	leadsWebhookWorkflow,
	nodeRun,
	nodeOutputs,
	nodeOutput,
	jsonOf,
};
