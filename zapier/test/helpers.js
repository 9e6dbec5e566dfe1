'use strict';
/**
 * Shared pieces of the Zapier app's tests. Plain CommonJS: `.js` files are outside the root
 * n8n lint's rule set, `.ts` would be linted with n8n Cloud rules (node built-ins forbidden).
 * The tests load the BUILT app (zapier/dist/app.js through zapier/index.js), never the sources.
 * useSandbox, useRecorder and captureAppOutput register jest hooks: call them at a test file's top
 * level (or in a describe block), not inside a test.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ZAPIER_DIR = path.resolve(__dirname, '..');
const REPO_DIR = path.resolve(ZAPIER_DIR, '..');
const DIST_APP = path.join(ZAPIER_DIR, 'dist', 'app.js');
const BUILD_ZIP = path.join(ZAPIER_DIR, 'build', 'build.zip');
const VECTORS_FILE = path.join(REPO_DIR, 'test', 'vectors', 'update-lead.json');
const BUILD_HINT = 'run `npm --prefix zapier ci && npm --prefix zapier run build` from the repository root';

/** Newest mtime among the files dist/app.js is built from. */
function newestSource() {
	/** @type {{ file: string, mtimeMs: number }} */
	let newest = { file: '', mtimeMs: 0 };
	const visit = (/** @type {string} */ dir, /** @type {RegExp} */ pattern) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) visit(file, pattern);
			else if (pattern.test(entry.name)) {
				const { mtimeMs } = fs.statSync(file);
				if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
			}
		}
	};
	visit(path.join(ZAPIER_DIR, 'src'), /\.cts$/);
	visit(path.join(REPO_DIR, 'core'), /\.ts$/);
	return newest;
}

/** Throws a readable error unless dist/app.js exists and is newer than its sources. */
function assertBuilt() {
	if (!fs.existsSync(path.join(ZAPIER_DIR, 'node_modules', 'zapier-platform-core'))) {
		throw new Error(`zapier/node_modules is missing: ${BUILD_HINT}.`);
	}
	if (!fs.existsSync(DIST_APP)) {
		throw new Error(`zapier/dist/app.js is missing: ${BUILD_HINT}.`);
	}
	const newest = newestSource();
	if (newest.mtimeMs > fs.statSync(DIST_APP).mtimeMs + 1) {
		throw new Error(
			`zapier/dist/app.js is older than ${path.relative(REPO_DIR, newest.file)}: ${BUILD_HINT}.`,
		);
	}
}

/** The built app and zapier-platform-core, both from zapier/ (the versions the zip ships). */
function loadBuiltApp() {
	assertBuilt();
	const zapier = require(path.join(ZAPIER_DIR, 'node_modules', 'zapier-platform-core'));
	const App = require(ZAPIER_DIR);
	return { zapier, App };
}

/**
 * Core, bundled on the fly with the app's own esbuild, so tests can compare the app's messages
 * with what core says for the same input (core is TypeScript; these tests are plain JS).
 */
function loadCore() {
	const esbuild = require(path.join(ZAPIER_DIR, 'node_modules', 'esbuild'));
	const result = esbuild.buildSync({
		entryPoints: [path.join(REPO_DIR, 'core', 'index.ts')],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		write: false,
		logLevel: 'silent',
	});
	// Loaded with require() (not vm/Module) so it runs in the caller's realm: under jest, core's
	// isPlainObject must see the test's objects as plain objects.
	const file = path.join(require('node:os').tmpdir(), `nexor-core-${process.pid}-${Date.now()}.cjs`);
	fs.writeFileSync(file, result.outputFiles[0].text);
	try {
		return require(file);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

function sandboxModule() {
	const file = path.join(REPO_DIR, 'test', 'sandbox', 'server.js');
	if (!fs.existsSync(file)) throw new Error('test/sandbox/server.js (the Nexor sandbox) is missing.');
	return require(file);
}

/**
 * Sets environment variables; `undefined` removes one.
 * @param {Record<string, string | undefined>} values
 */
function setEnv(values) {
	for (const [key, value] of Object.entries(values)) {
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}
}

/**
 * One Nexor sandbox for the whole suite, and the app pointed at it. beforeAll starts the sandbox with
 * `options` and sets NEXOR_BASE_URL to its base URL (and `env`, other variables the suite runs with);
 * afterAll puts those variables back as they were and closes the sandbox.
 * @param {import('../../test/sandbox/server.js').SandboxOptions} [options]
 * @param {{ env?: Record<string, string> }} [settings]
 * @returns {import('../../test/sandbox/server.js').Sandbox} the sandbox, filled in by beforeAll
 */
function useSandbox(options, settings = {}) {
	const { startSandbox } = sandboxModule();
	const sandbox = /** @type {import('../../test/sandbox/server.js').Sandbox} */ ({});
	/** @type {Record<string, string | undefined>} */
	let saved = {};
	beforeAll(async () => {
		Object.assign(sandbox, await startSandbox(options));
		const values = { NEXOR_BASE_URL: sandbox.baseUrl, ...settings.env };
		saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
		setEnv(values);
	});
	afterAll(async () => {
		setEnv(saved);
		if (sandbox.close) await sandbox.close();
	});
	return sandbox;
}

/**
 * A second, recording server for the suite (or the describe block it is called in), e.g. the host a
 * redirect points at: beforeAll starts it, beforeEach forgets what it recorded, afterAll closes it.
 * @returns {import('../../test/sandbox/server.js').Recorder} the recorder, filled in by beforeAll
 */
function useRecorder() {
	const { startRecorder } = sandboxModule();
	const recorder = /** @type {import('../../test/sandbox/server.js').Recorder} */ ({});
	beforeAll(async () => {
		Object.assign(recorder, await startRecorder());
	});
	beforeEach(() => recorder.clear());
	afterAll(async () => {
		if (recorder.close) await recorder.close();
	});
	return recorder;
}

/**
 * Everything the app prints while the suite runs, to search it for the API key. beforeAll sets
 * LOG_TO_STDOUT and DETAILED_LOG_TO_STDOUT (appTester then hands core's logger `logToStdout` /
 * `detailedLogToStdout`: every console line and every HTTP request/response, with method, URL,
 * headers and bodies, goes through console.log) and spies on console and process.stdout/stderr;
 * afterAll restores every mock and both variables.
 * @param {{ echo: boolean, depth: number }} how  echo: still write to the terminal; depth: how deep
 *   objects are shown (util.inspect)
 * @returns {string[]} the captured lines (a suite may add its own, e.g. the errors it caught)
 */
function captureAppOutput({ echo, depth }) {
	const util = require('node:util');
	/** @type {string[]} */
	const captured = [];
	const keep = (/** @type {unknown[]} */ args) =>
		captured.push(args.map((a) => (typeof a === 'string' ? a : util.inspect(a, { depth }))).join(' '));
	/** @type {Record<string, string | undefined>} */
	let saved = {};
	beforeAll(() => {
		saved = { LOG_TO_STDOUT: process.env.LOG_TO_STDOUT, DETAILED_LOG_TO_STDOUT: process.env.DETAILED_LOG_TO_STDOUT };
		setEnv({ LOG_TO_STDOUT: '1', DETAILED_LOG_TO_STDOUT: '1' });
		for (const method of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
			jest.spyOn(console, method).mockImplementation((...args) => keep(args));
		}
		for (const stream of [process.stdout, process.stderr]) {
			const write = stream.write.bind(stream);
			jest.spyOn(stream, 'write').mockImplementation((/** @type {any} */ chunk, /** @type {any[]} */ ...rest) => {
				keep([String(chunk)]);
				return echo ? write(chunk, ...rest) : true;
			});
		}
	});
	afterAll(() => {
		jest.restoreAllMocks();
		setEnv(saved);
	});
	return captured;
}

/**
 * Whether the sandbox declares a route for `method pattern` (a path under /api/public with `:name`
 * parameters), read from its route modules: the sandbox gains endpoints while the app's tests are
 * written, and a test of a real answer is skipped, named as waiting, until its route exists. (Asking
 * by pattern, not by request: PUT /leads/tags would match /leads/:id.) Tests of the request alone
 * need no route: they read it from the journal, which records unknown paths too.
 * @param {string} method
 * @param {string} pattern
 */
function sandboxHasRoute(method, pattern) {
	const dir = path.join(REPO_DIR, 'test', 'sandbox', 'routes');
	// Only the modules routes/index.js registers: a module being written may not be served yet.
	const index = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
	const registered = [...index.matchAll(/require\('\.\/([\w-]+\.js)'\)/g)].map((m) => m[1]);
	const shape = (/** @type {string} */ p) => p.replace(/:\w+/g, ':');
	return registered
		.flatMap((f) => require(path.join(dir, f)).routes || [])
		.some((/** @type {any} */ r) => r.method === method && shape(r.path) === shape(pattern));
}

/**
 * `it`, or `it.skip` with the missing route in its name: "… [waiting for the sandbox route POST /messages]".
 * @param {string} method
 * @param {string} pattern
 */
const withRoute = (method, pattern) =>
	sandboxHasRoute(method, pattern)
		? it
		: (/** @type {string} */ name, /** @type {any} */ fn) => it.skip(`${name} [waiting for the sandbox route ${method} ${pattern}]`, fn);

/** @returns {{ cases: any[] }} */
function loadVectors() {
	return JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8'));
}

/** Cases Zapier can deliver: no `platforms`, or `platforms` naming zapier. */
function zapierCases() {
	return loadVectors().cases.filter((c) => !c.platforms || c.platforms.includes('zapier'));
}

/**
 * A platform-neutral Update Lead input (a shared vector's, a catalogue case's) as Zapier's
 * `bundle.inputData`: lead fields under their own keys, Fields to Clear as given (a list field yields
 * an array), metadata entries as the dict Zapier's key/value field produces (a later duplicate key
 * overwrites the value in place, like core's "last value wins, in the first key's place"), then
 * Metadata Number Keys, Metadata True/False Keys and When a Mapped Value Is Empty under their keys.
 * @param {any} input
 */
function toInputData(input) {
	/** @type {Record<string, unknown>} */
	const data = {};
	if ('leadId' in input) data.lead_id = input.leadId;
	for (const [key, value] of Object.entries(input.fields || {})) data[key] = value;
	if ('clear' in input) data.clear_fields = input.clear;
	if (input.metadata !== undefined) {
		if (!Array.isArray(input.metadata.entries)) {
			throw new Error('only key/value metadata can reach Zapier (a dict field); mark this vector n8n-only');
		}
		/** @type {Record<string, unknown>} */
		const dict = {};
		for (const entry of input.metadata.entries) {
			if (entry.type !== undefined) throw new Error('Zapier dict entries have no per-entry type');
			// defineProperty: a key such as "__proto__" must become an own key, as JSON.parse makes it.
			Object.defineProperty(dict, entry.key, { value: entry.value, enumerable: true, writable: true, configurable: true });
		}
		data.metadata = dict;
	}
	if ('metadataNumberKeys' in input) data.metadata_number_keys = input.metadataNumberKeys;
	if ('metadataBooleanKeys' in input) data.metadata_boolean_keys = input.metadataBooleanKeys;
	if ('emptyValues' in input) data.empty_values = input.emptyValues;
	return data;
}

/** Every lead ID a vector case uses that is a UUID, lower-cased (the sandbox's form). */
function vectorLeadIds() {
	const ids = new Set();
	for (const c of zapierCases()) {
		const id = typeof c.input.leadId === 'string' ? c.input.leadId.trim().toLowerCase() : '';
		if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) ids.add(id);
	}
	return [...ids];
}

/**
 * `AppError` (z.errors.Error) carries `{message, code, status}` as JSON in its message.
 * @param {unknown} error
 */
function appErrorOf(error) {
	const e = /** @type {Error} */ (error);
	if (!e || e.name !== 'AppError') throw new Error(`expected an AppError, got ${e && e.name}: ${e && e.message}`);
	return JSON.parse(e.message);
}

/**
 * Any error the app throws as Zapier sees it: its class (an AppError with its code and status) and
 * its text, and a ThrottledError's delay (null: none given, Zapier's default). Anything else is a crash.
 * @param {any} error
 * @returns {{ errorType: string, text: string, delay?: number | null }}
 */
function zapierError(error) {
	const name = error && error.name;
	if (name === 'AppError') {
		const body = appErrorOf(error);
		return { errorType: `AppError:${body.code}/${body.status}`, text: body.message };
	}
	if (name === 'ThrottledError') {
		const body = JSON.parse(error.message);
		return { errorType: 'ThrottledError', text: body.message, delay: body.delay ?? null };
	}
	if (name === 'HaltedError' || name === 'ExpiredAuthError') return { errorType: name, text: error.message };
	return { errorType: `crash:${name}`, text: String(error && error.stack) };
}

/** @param {() => Promise<unknown>} fn */
async function caught(fn) {
	try {
		await fn();
	} catch (error) {
		return /** @type {Error} */ (error);
	}
	throw new Error('expected a rejection, but it resolved');
}

/**
 * Minimal unzip with Node built-ins (stored and deflated entries; that is all the CLI's archiver
 * writes). Symlink entries are recreated as symlinks.
 * @param {string} zipFile
 * @param {string} dest
 * @returns {string[]} the entry names
 */
function unzip(zipFile, dest) {
	const buf = fs.readFileSync(zipFile);
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw new Error(`${zipFile} is not a zip file`);
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const names = [];
	for (let n = 0; n < count; n++) {
		if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
		const method = buf.readUInt16LE(p + 10);
		const compressedSize = buf.readUInt32LE(p + 20);
		const nameLength = buf.readUInt16LE(p + 28);
		const extraLength = buf.readUInt16LE(p + 30);
		const commentLength = buf.readUInt16LE(p + 32);
		const externalAttributes = buf.readUInt32LE(p + 38);
		const localOffset = buf.readUInt32LE(p + 42);
		const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
		p += 46 + nameLength + extraLength + commentLength;

		const localNameLength = buf.readUInt16LE(localOffset + 26);
		const localExtraLength = buf.readUInt16LE(localOffset + 28);
		const start = localOffset + 30 + localNameLength + localExtraLength;
		const raw = buf.subarray(start, start + compressedSize);
		const data = method === 0 ? raw : method === 8 ? zlib.inflateRawSync(raw) : null;
		if (data === null) throw new Error(`${name}: unsupported compression method ${method}`);

		const target = path.resolve(dest, name);
		if (!target.startsWith(path.resolve(dest) + path.sep)) throw new Error(`${name}: escapes the folder`);
		names.push(name);
		if (name.endsWith('/')) {
			fs.mkdirSync(target, { recursive: true });
			continue;
		}
		fs.mkdirSync(path.dirname(target), { recursive: true });
		const mode = externalAttributes >>> 16;
		if ((mode & 0o170000) === 0o120000) fs.symlinkSync(data.toString('utf8'), target);
		else fs.writeFileSync(target, data);
	}
	return names;
}

module.exports = {
	// the built app and core
	ZAPIER_DIR,
	REPO_DIR,
	DIST_APP,
	BUILD_ZIP,
	BUILD_HINT,
	assertBuilt,
	loadBuiltApp,
	loadCore,
	// the sandbox and the suite's environment
	sandboxModule,
	setEnv,
	useSandbox,
	useRecorder,
	sandboxHasRoute,
	withRoute,
	captureAppOutput,
	// inputs
	zapierCases,
	vectorLeadIds,
	toInputData,
	// what the app threw
	caught,
	appErrorOf,
	zapierError,
	// build.zip
	unzip,
};
