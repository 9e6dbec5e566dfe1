'use strict';
/**
 * Shared pieces of the Zapier app's tests. Plain CommonJS: `.js` files are outside the root
 * n8n lint's rule set, `.ts` would be linted with n8n Cloud rules (node built-ins forbidden).
 * The tests load the BUILT app (zapier/dist/app.js through zapier/index.js), never the sources.
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

/** @returns {{ cases: any[] }} */
function loadVectors() {
	return JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8'));
}

/** Cases Zapier can deliver: no `platforms`, or `platforms` naming zapier. */
function zapierCases() {
	return loadVectors().cases.filter((c) => !c.platforms || c.platforms.includes('zapier'));
}

/**
 * A vector's platform-neutral input as Zapier's `bundle.inputData`: lead fields under their own
 * keys, Fields to Clear as given (a list field yields an array), metadata entries as the dict
 * Zapier's key/value field produces (a later duplicate key overwrites the value in place, like
 * core's "last value wins, in the first key's place").
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
	if ('metadataTyping' in input) data.metadata_types = input.metadataTyping;
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
	ZAPIER_DIR,
	REPO_DIR,
	DIST_APP,
	BUILD_ZIP,
	BUILD_HINT,
	assertBuilt,
	loadBuiltApp,
	loadCore,
	sandboxModule,
	zapierCases,
	toInputData,
	vectorLeadIds,
	appErrorOf,
	caught,
	unzip,
};
