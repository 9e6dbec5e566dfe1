// @ts-check
'use strict';
/**
 * Issue 5's reliability suite: loads the bad-input catalogue (bad-inputs.json) and the fault matrix
 * (faults.json), expands their compact values (1 MB strings, 10,000 keys, deep nesting), and judges
 * what a platform did against what the catalogue expects. Used by core's test
 * (test/unit/reliability-core.test.js), real n8n (test/e2e/reliability-n8n.test.js) and the Zapier
 * action (zapier/test/reliability.test.js). Plain CommonJS without Node built-ins, so `expandValue`
 * can also run inside an n8n Code node (its source is embedded there).
 */

const badInputs = require('./bad-inputs.json');
const faults = require('./faults.json');

/** @typedef {'core' | 'n8n' | 'zapier'} Platform */

/**
 * @typedef {object} ExpectedError
 * @property {string} field       core's NexorInputError.field
 * @property {string} message     the exact message core gives
 * @property {string} fixIncludes a phrase the fix (n8n: description) must contain
 * @property {string} [code]      'nothing_to_update' for the soft stop
 *
 * @typedef {object} ExpectedRequest
 * @property {string} path        below the base URL, e.g. /leads/<id>
 * @property {string} [body]      the exact bytes sent (none for a GET)
 * @property {string} [method]    other operations than Update Lead (which PUTs): POST, GET, PUT, DELETE
 * @property {Record<string, string>} [query]  other operations: the query, in order
 *
 * @typedef {{ error: ExpectedError } | ExpectedRequest} Expected
 *
 * @typedef {object} CatalogueCase
 * @property {string} id
 * @property {string} category
 * @property {string} name
 * @property {Platform[]} platforms
 * @property {string} [operation]  core's operation, "resource:name" as OPERATIONS[resource][name]
 *   ("lead:create", "tag:delete" …); absent: "lead:update"
 * @property {any} input           platform-neutral input: Update Lead's as test/vectors/update-lead.json,
 *   the other operations' as test/vectors/operations.json
 * @property {{ apiKey?: any, baseUrl?: any }} [connection]
 * @property {any} expect
 * @property {Record<string, any>} [expectOn]      per platform line ("n8n1", "n8n2", "zapier"): what it must do instead, when the platform itself changes the input first
 * @property {Record<string, string>} [expectOnWhy] and why
 * @property {string} [note]
 *
 * @typedef {object} Context  what the placeholders stand for
 * @property {string} key       {{KEY}}: the sandbox's API key
 * @property {string} base      {{BASE}}: the sandbox's base URL
 * @property {string} hostPort  {{HOSTPORT}}: 127.0.0.1:<port>
 */

/**
 * Expands the catalogue's compact values. Self-contained (no outer references): n8n's Code node runs
 * its source to build items, so the values travel as a few bytes, not as megabytes of workflow JSON.
 *   {"$repeat": s, "times": n}  s repeated n times      {"$concat": [...]}  the parts joined as text
 *   {"$keys": n}     {k0: 0, …, k<n-1>: n-1}             {"$entries": n}     [{key: "k0", value: "0"}, …]
 *   {"$array": n}    [1, 1, …] (n items)                 {"$nest": n}        {x: {x: … 1}} n objects deep
 *   {"$nestText": n} '{"a":[[…]]}' nested n lists deep    {"$numberOf": s}    Number(s), e.g. NaN
 *   {"$quote": s}    s quoted as messages quote values: JSON, cut at 40 characters with "…"
 *   {"$json": v}     v expanded, then as JSON text (an expected body too big to write out)
 * Strings get {{KEY}}, {{BASE}} and {{HOSTPORT}} filled in from `places`.
 * @param {any} value
 * @param {{ places?: Record<string, string>, keepNumberOf?: boolean }} [options]
 * @returns {any}
 */
function expandValue(value, options) {
	const opts = options || {};
	const places = opts.places || {};
	/** @param {string} text */
	const fill = (text) => text.replace(/\{\{([A-Z]+)\}\}/g, (all, name) => (name in places ? places[name] : all));
	/** @param {any} v @returns {any} */
	const walk = (v) => {
		if (typeof v === 'string') return fill(v);
		if (v === null || typeof v !== 'object') return v;
		if (Array.isArray(v)) return v.map(walk);
		if ('$repeat' in v) return String(walk(v.$repeat)).repeat(v.times);
		if ('$concat' in v) return v.$concat.map(walk).join('');
		if ('$json' in v) return JSON.stringify(walk(v.$json));
		if ('$keys' in v) {
			/** @type {Record<string, number>} */
			const out = {};
			for (let i = 0; i < v.$keys; i++) out[`k${i}`] = i;
			return out;
		}
		if ('$entries' in v) return Array.from({ length: v.$entries }, (_, i) => ({ key: `k${i}`, value: String(i) }));
		if ('$array' in v) return Array.from({ length: v.$array }, () => 1);
		if ('$nest' in v) {
			/** @type {any} */
			let out = 1;
			for (let i = 0; i < v.$nest; i++) out = { x: out };
			return out;
		}
		if ('$nestText' in v) return `{"a":${'['.repeat(v.$nestText)}${']'.repeat(v.$nestText)}}`;
		if ('$numberOf' in v) return opts.keepNumberOf ? v : Number(v.$numberOf);
		if ('$quote' in v) {
			const chars = Array.from(String(walk(v.$quote)));
			return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join(''));
		}
		/** @type {Record<string, any>} */
		const out = {};
		for (const [k, item] of Object.entries(v)) {
			// A "__proto__" key stays an own key, as JSON.parse leaves it. Only then defineProperty:
			// n8n's Code node sandbox ignores it (its items would come out empty).
			if (k === '__proto__')
				Object.defineProperty(out, k, { value: walk(item), enumerable: true, writable: true, configurable: true });
			else out[k] = walk(item);
		}
		return out;
	};
	return walk(value);
}

/** @param {Context} ctx */
function places(ctx) {
	return { KEY: ctx.key, BASE: ctx.base, HOSTPORT: ctx.hostPort };
}

/**
 * The catalogue with every value expanded for one sandbox.
 * @param {Context} ctx
 * @returns {Array<CatalogueCase & { input: any, connection: { apiKey: string, baseUrl: string }, expect: any, custom: boolean }>}
 */
function loadCatalogue(ctx) {
	const p = places(ctx);
	return /** @type {CatalogueCase[]} */ (badInputs.cases).map((c) => {
		const connection = c.connection || {};
		return {
			...c,
			input: expandValue(c.input, { places: p }),
			connection: {
				apiKey: expandValue(connection.apiKey === undefined ? '{{KEY}}' : connection.apiKey, { places: p }),
				baseUrl: expandValue(connection.baseUrl === undefined ? '{{BASE}}' : connection.baseUrl, { places: p }),
			},
			custom: c.connection !== undefined,
			expect: expandValue(c.expect, { places: p }),
			...(c.expectOn ? { expectOn: expandValue(c.expectOn, { places: p }) } : {}),
		};
	});
}

/**
 * What a case must give on one platform line, and why when it differs from the catalogue's outcome.
 * @param {{ expect: any, expectOn?: Record<string, any>, expectOnWhy?: Record<string, string> }} c  an expanded case
 * @param {string} line  "n8n1", "n8n2", "zapier", "core"
 * @returns {{ expect: any, why?: string }}
 */
function expectationFor(c, line) {
	if (c.expectOn && c.expectOn[line]) return { expect: c.expectOn[line], why: c.expectOnWhy?.[line] };
	return { expect: c.expect };
}

/** The raw catalogue (values not expanded), e.g. to ship inputs to n8n compactly. */
function rawCatalogue() {
	return /** @type {CatalogueCase[]} */ (badInputs.cases);
}

/**
 * The core operation a case runs, "resource:name".
 * @param {{ operation?: string }} c
 */
function operationOf(c) {
	return c.operation || 'lead:update';
}

/** Lead IDs 0…leadCount-1 of the sandbox's generated leads cover every case. */
const LEAD_COUNT = /** @type {number} */ (badInputs.leadCount);

/**
 * @param {string} caseId
 * @param {string} name
 */
function label(caseId, name) {
	return `${caseId}: ${name}`;
}

// ---- judging -----------------------------------------------------------------------------------

/**
 * What a platform did with one case, normalised.
 * @typedef {object} Observed
 * @property {'error' | 'request' | 'crash'} kind
 * @property {string} [message]      the error's message, as the platform shows it
 * @property {string} [fix]          the fix (n8n: description; Zapier: the message's second part)
 * @property {string} [field]        core only
 * @property {string} [code]         core only: NexorInputError.code
 * @property {string} [errorType]    Zapier: HaltedError, AppError:InvalidData/400 …; n8n: NodeOperationError …
 * @property {number} requests       requests the sandbox journaled for the case
 * @property {string} [method]       of the (single) request
 * @property {string} [path]         of the (single) request, with its query
 * @property {string} [body]         of the (single) request
 * @property {string} [leadId]       id of the lead the platform returned
 * @property {string} [returned]     what the platform returned, in words (other operations than Update Lead)
 */

/**
 * A path and its query, apart: "/leads?search=a%40b.co" → { path: "/leads", query: [["search", "a@b.co"]] }.
 * @param {string | undefined} target
 */
function splitTarget(target) {
	const text = target === undefined ? '' : String(target);
	const at = text.indexOf('?');
	if (at === -1) return { path: text, query: /** @type {string[][]} */ ([]) };
	return { path: text.slice(0, at), query: [...new URLSearchParams(text.slice(at + 1))] };
}

/**
 * The lead a request below /leads/<id> acts on; undefined for /leads, /leads/tags, /tags ….
 * @param {string} path
 */
function leadInPath(path) {
	const m = /^\/leads\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\/|$)/.exec(path);
	return m ? m[1] : undefined;
}

/**
 * What a platform returned for another operation than Update Lead, in words for the report, and the
 * lead it names (`lead_id`, or a lead's `id`). The noun is the operation's resource (lead, tag,
 * conversion, message, meeting); a message is named by its message_id (a call by its call_id), the
 * others by their `id` (a lead's result may only carry lead_id).
 * @param {unknown[]} values  the result: one object, or a list's entries
 * @param {string} operation  "resource:name"
 * @returns {{ leadId: string | undefined, returned: string }}
 */
function returnedOf(values, operation) {
	const first = /** @type {any} */ (values[0]) || {};
	const noun = operation.split(':')[0];
	const id =
		noun === 'lead' ? (first.lead_id ?? first.id) : noun === 'message' ? (first.message_id ?? first.call_id) : first.id;
	const leadId = first.lead_id ?? (noun === 'lead' ? first.id : undefined);
	if (values.length === 0) return { leadId, returned: 'nothing' };
	if (values.length === 1) return { leadId, returned: `${noun} ${id}` };
	return { leadId, returned: `${values.length} ${noun}s${id === undefined ? '' : `, the first ${id}`}` };
}

/**
 * The lead a request of another operation than Update Lead names: below /leads/<id>; else its body's
 * `lead_id` (Set Tags, Record Conversion, Send Message); else its `lead_id` filter (Get Many
 * Conversions). Undefined when it names none (Create Lead, Create Tag, Cancel Meeting …).
 * @param {{ path: string, body?: string, query?: Record<string, string> }} expected  an expanded `expect`
 * @returns {string | undefined}
 */
function leadOfRequest(expected) {
	const inPath = leadInPath(expected.path);
	if (inPath !== undefined) return inPath;
	if (typeof expected.body === 'string') {
		try {
			const body = JSON.parse(expected.body);
			if (body && typeof body.lead_id === 'string') return body.lead_id;
		} catch {
			/* not JSON: names no lead */
		}
	}
	return expected.query?.lead_id;
}

/** @param {Record<string, string> | undefined} query */
function queryText(query) {
	return query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
}

/**
 * @param {any} expected  an expanded `expect`
 * @param {Observed} observed
 * @param {{ messagePrefix?: string, errorType?: string, basePath?: string, checkRequests?: boolean }} [platform]
 *   messagePrefix: n8n prefixes credential problems with "Nexor API credential: ";
 *   errorType: the platform-native error class the case must give; basePath: '/api/public';
 *   checkRequests: false for core, which sends nothing.
 * @returns {string[]} problems; empty when the platform did what the catalogue expects
 */
function judge(expected, observed, platform = {}) {
	/** @type {string[]} */
	const problems = [];
	const checkRequests = platform.checkRequests !== false;
	if (expected.error) {
		const e = expected.error;
		if (observed.kind !== 'error') {
			problems.push(
				`expected an error, got ${observed.kind}${observed.body ? ` (sent ${abbreviate(observed.body)})` : ''}`,
			);
		} else {
			const message = (platform.messagePrefix || '') + e.message;
			if (observed.message !== message) problems.push(`message ${show(observed.message)}, expected ${show(message)}`);
			if (!observed.fix || !observed.fix.includes(e.fixIncludes)) {
				problems.push(`fix ${show(observed.fix)} does not mention ${show(e.fixIncludes)}`);
			}
			if (observed.field !== undefined && observed.field !== e.field)
				problems.push(`field ${observed.field}, expected ${e.field}`);
			if (observed.code !== undefined && observed.code !== (e.code || 'invalid'))
				problems.push(`code ${observed.code}, expected ${e.code || 'invalid'}`);
			if (platform.errorType && observed.errorType !== platform.errorType) {
				problems.push(`error type ${observed.errorType}, expected ${platform.errorType}`);
			}
		}
		if (checkRequests && observed.requests !== 0)
			problems.push(`${observed.requests} request(s) reached the sandbox, expected none`);
		return problems;
	}
	if (observed.kind !== 'request') {
		problems.push(`expected a request, got ${observed.kind}: ${show(observed.message)}`);
		return problems;
	}
	const path = (platform.basePath || '') + expected.path;
	if (expected.method === undefined) {
		// Update Lead: a PUT, its whole path, its body.
		if (observed.method !== undefined && observed.method !== 'PUT')
			problems.push(`method ${show(observed.method)}, expected "PUT"`);
		if (observed.path !== path) problems.push(`path ${show(observed.path)}, expected ${show(path)}`);
		if (observed.body !== expected.body)
			problems.push(`body ${abbreviate(observed.body)}, expected ${abbreviate(expected.body)}`);
	} else {
		// Another operation: its method, its path, its query (in order), its body or none.
		if (observed.method !== expected.method)
			problems.push(`method ${show(observed.method)}, expected ${show(expected.method)}`);
		const target = splitTarget(observed.path);
		if (target.path !== path) problems.push(`path ${show(target.path)}, expected ${show(path)}`);
		const query = Object.entries(expected.query || {});
		if (JSON.stringify(target.query) !== JSON.stringify(query))
			problems.push(`query ${safeJson(target.query)}, expected ${safeJson(query)}`);
		const body = observed.body === '' ? undefined : observed.body;
		if (body !== expected.body) problems.push(`body ${abbreviate(body)}, expected ${abbreviate(expected.body)}`);
	}
	if (checkRequests) {
		if (observed.requests !== 1) problems.push(`${observed.requests} requests, expected exactly 1`);
		// The lead the platform returned is the one asked for (a request that names no lead: nothing to compare).
		const id = expected.method === undefined ? expected.path.split('/').pop() : leadOfRequest(expected);
		if (id !== undefined && String(observed.leadId).toLowerCase() !== id.toLowerCase())
			problems.push(`returned lead ${observed.leadId}, expected ${id}`);
	}
	return problems;
}

// ---- display -----------------------------------------------------------------------------------

/**
 * Text for a table cell: control characters visible, long values cut.
 * @param {unknown} value
 * @param {number} [max]
 */
function abbreviate(value, max = 90) {
	if (value === undefined) return 'nothing';
	const text = typeof value === 'string' ? visible(value) : safeJson(value);
	const chars = Array.from(text);
	if (chars.length <= max) return text;
	return `${chars.slice(0, max).join('')}… (${chars.length.toLocaleString('en-US')} characters)`;
}

/**
 * Invisible and control characters written out (\n, \t, \u0000, \u200b …); everything else as is.
 * @param {string} text
 */
function visible(text) {
	/** @type {Record<string, string>} */
	const named = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
	return text.replace(
		/[\u0000-\u001f\u007f-\u009f\u00a0\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g,
		(c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** @param {unknown} value */
function safeJson(value) {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** @param {unknown} value */
function show(value) {
	return value === undefined ? 'nothing' : `"${abbreviate(value, 160)}"`;
}

/**
 * The expected outcome in words, for the report.
 * @param {any} expected  an expanded `expect`
 * @param {{ messagePrefix?: string, errorType?: string, basePath?: string, platform: string }} how
 */
function describeExpected(expected, how) {
	if (expected.error) {
		const type = how.errorType ? `${how.errorType}: ` : '';
		const sent = how.platform === 'core' ? '' : '; no request';
		return `${type}"${abbreviate((how.messagePrefix || '') + expected.error.message, 160)}" (fix mentions "${expected.error.fixIncludes}")${sent}`;
	}
	const body = expected.body === undefined && expected.method !== undefined ? '(no body)' : abbreviate(expected.body);
	return `${expected.method || 'PUT'} ${how.basePath || ''}${expected.path}${queryText(expected.query)} ${body}`;
}

/** @param {Observed} observed @param {string} platform */
function describeObserved(observed, platform) {
	const sent =
		platform === 'core' ? '' : observed.requests === 0 ? '; no request' : `; ${observed.requests} request(s)`;
	if (observed.kind === 'error') {
		const type = observed.errorType ? `${observed.errorType}: ` : '';
		return `${type}"${abbreviate(observed.message, 160)}"${sent}`;
	}
	if (observed.kind === 'request') {
		const body = observed.body === '' || (observed.body === undefined && observed.method !== undefined) ? '(no body)' : abbreviate(observed.body);
		const returned = platform === 'core' ? '' : ` → ${observed.returned ?? `lead ${observed.leadId}`}`;
		return `${observed.method || 'PUT'} ${observed.path} ${body}${returned}`;
	}
	return `crashed: ${abbreviate(observed.message, 160)}${sent}`;
}

/**
 * The input of a case in one line, for the report.
 * @param {CatalogueCase} c  a raw (unexpanded) case
 */
function describeInput(c) {
	/** @param {any} v @returns {string} */
	const compact = (v) => {
		if (v && typeof v === 'object' && !Array.isArray(v)) {
			if ('$repeat' in v) return `"${v.$repeat}"×${Number(v.times).toLocaleString('en-US')}`;
			if ('$keys' in v) return `{${Number(v.$keys).toLocaleString('en-US')} keys}`;
			if ('$entries' in v) return `[${Number(v.$entries).toLocaleString('en-US')} entries]`;
			if ('$array' in v) return `[${Number(v.$array).toLocaleString('en-US')} items]`;
			if ('$nest' in v) return `{${v.$nest} levels deep}`;
			if ('$nestText' in v) return `'{"a":[[…]]}' (${Number(v.$nestText).toLocaleString('en-US')} levels)`;
			if ('$numberOf' in v) return `Number(${JSON.stringify(v.$numberOf)}) = ${Number(v.$numberOf)}`;
			return `{${Object.entries(v)
				.map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`)
				.join(', ')}}`;
		}
		if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
		return typeof v === 'string' ? `"${abbreviate(v, 70)}"` : abbreviate(safeJson(v), 70);
	};
	const parts = [];
	const input = c.input;
	if (c.operation !== undefined) {
		// Another operation: its name, then its inputs as core names them (fields one by one).
		parts.push(c.operation);
		for (const [k, v] of Object.entries(input)) {
			if (k === 'fields' && v && typeof v === 'object') for (const [f, x] of Object.entries(v)) parts.push(`${f} ${compact(x)}`);
			else parts.push(`${k} ${compact(v)}`);
		}
		return parts.join(' · ');
	}
	if ('leadId' in input) parts.push(`lead_id ${compact(input.leadId)}`);
	for (const [k, v] of Object.entries(input.fields || {})) parts.push(`${k} ${compact(v)}`);
	if (input.clear !== undefined) parts.push(`clear ${compact(input.clear)}`);
	if (input.metadata !== undefined) {
		if ('json' in input.metadata) parts.push(`metadata JSON ${compact(input.metadata.json)}`);
		else parts.push(`metadata ${compact(input.metadata.entries)}`);
	}
	if (c.connection?.apiKey !== undefined) parts.push(`API key ${compact(c.connection.apiKey)}`);
	if (c.connection?.baseUrl !== undefined) parts.push(`Base URL ${compact(c.connection.baseUrl)}`);
	return parts.join(' · ');
}

// ---- secret hygiene ----------------------------------------------------------------------------

/**
 * Every text that counts as "the API key" for a run: the sandbox's key, and each catalogue credential
 * value that holds a key (trimmed; at most its first 256 characters, enough to recognise a 1 MB one).
 * @param {string} key  the sandbox's API key
 * @param {Array<{ connection: { apiKey: unknown } }>} cases  expanded catalogue cases
 * @returns {string[]}
 */
function secretTexts(key, cases) {
	const out = new Set([key]);
	for (const c of cases) {
		const value = c.connection.apiKey;
		if (typeof value !== 'string') continue;
		const trimmed = value.trim().slice(0, 256);
		if (trimmed.length >= 16) out.add(trimmed);
	}
	return [...out];
}

/**
 * Occurrences of any of `secrets` in `text`.
 * @param {string} text
 * @param {string[]} secrets
 */
function countSecrets(text, secrets) {
	let found = 0;
	for (const secret of secrets) found += text.split(secret).length - 1;
	return found;
}

/** The fault matrix (faults.json). */
function loadFaults() {
	return faults;
}

module.exports = {
	expandValue,
	loadCatalogue,
	expectationFor,
	operationOf,
	splitTarget,
	returnedOf,
	rawCatalogue,
	loadFaults,
	LEAD_COUNT,
	secretTexts,
	countSecrets,
	judge,
	label,
	abbreviate,
	describeExpected,
	describeObserved,
	describeInput,
};
