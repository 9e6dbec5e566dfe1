'use strict';
/**
 * The built build.zip, unzipped into a temp folder and run the way Zapier runs it: a fresh Node
 * process loads the zip's own `zapierwrapper.js` (which the CLI copies from core's
 * include/zapierwrapper.js: `handler = zapier.createAppHandler(<dir>/index.js)`) and calls
 * `handler(event)` with the Lambda event shape core's create-lambda-handler reads
 * ({command: 'execute', method, bundle, environment}). Nothing from the repository is on the
 * module path: if the zip lacked core (the bundled ../core) or a dependency, this would fail.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { BUILD_ZIP, DIST_APP, ZAPIER_DIR, assertBuilt, useSandbox, unzip } = require('./helpers.js');
const { cliNode } = require('../scripts/zapier-cli.js');
const { run } = require('../../test/support/process.js');

const ZIP_HINT = 'run `npm --prefix zapier run zip` from the repository root (after `npm --prefix zapier run build`)';
const LEAD_ID = '123e4567-e89b-12d3-a456-426614174000';

jest.setTimeout(60000);

const sandbox = useSandbox({ leads: [{ id: LEAD_ID, first_name: 'Carlos' }] });
/** @type {string} */
let dir;
/** @type {string[]} */
let names;

beforeAll(async () => {
	assertBuilt();
	if (!fs.existsSync(BUILD_ZIP)) throw new Error(`zapier/build/build.zip is missing: ${ZIP_HINT}.`);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-zapier-zip-'));
	names = unzip(BUILD_ZIP, dir);
});
afterAll(async () => {
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `handler(event)` for each event in a new Node process (Node 24, as the CLI's build
 * self-test does; Zapier runs CLI 19 apps on Node 22+) and returns what it printed.
 * @param {object[]} events
 */
async function runInFreshNode(events) {
	const nodeBin = await cliNode();
	const script = `
		const { handler } = require(${JSON.stringify(path.join(dir, 'zapierwrapper.js'))});
		const events = JSON.parse(process.argv[1]);
		(async () => {
			console.log('CORE ' + require.resolve('zapier-platform-core', { paths: [process.cwd()] }));
			for (const event of events) {
				try {
					const out = await handler(event, {});
					console.log('RESULT ' + JSON.stringify(out.results));
				} catch (error) {
					console.log('ERROR ' + JSON.stringify({ name: error.name, message: error.message }));
				}
			}
		})();`;
	// A clean environment: no NODE_PATH/NODE_OPTIONS from jest, no NEXOR_BASE_URL (it comes in the
	// event's `environment`, as `zapier-platform env:set` values do).
	const env = { PATH: process.env.PATH || '/usr/bin:/bin', HOME: os.tmpdir() };
	return run(nodeBin, ['-e', script, JSON.stringify(events)], { cwd: dir, env, timeoutMs: 30000 });
}

describe('build/build.zip', () => {
	it('holds the entry points, the bundled app and core, and nothing from outside zapier/', () => {
		for (const name of ['zapierwrapper.js', 'index.js', 'dist/app.js', 'definition.json', 'package.json']) {
			expect(names).toContain(name);
		}
		expect(names).toContain('node_modules/zapier-platform-core/index.js');
		expect(names.filter((n) => !n.startsWith('node_modules/')).sort()).toEqual(
			['definition.json', 'dist/app.js', 'index.js', 'package.json', 'zapierwrapper.js'],
		);
		expect(names.some((n) => n.includes('..') || n.startsWith('/'))).toBe(false);
		// Dev tooling contributes package.json files only (the CLI zips every package.json), never code.
		const devCode = names.filter((n) => /^node_modules\/(zapier-platform-cli|typescript|esbuild)\/.*\.js$/.test(n));
		expect(devCode).toEqual([]);
	});

	it('is built from the current dist/app.js', () => {
		const inZip = fs.readFileSync(path.join(dir, 'dist', 'app.js'), 'utf8');
		if (inZip !== fs.readFileSync(DIST_APP, 'utf8')) {
			throw new Error(`build.zip holds an older dist/app.js than zapier/dist: ${ZIP_HINT}.`);
		}
		const definition = JSON.parse(fs.readFileSync(path.join(dir, 'definition.json'), 'utf8'));
		const pkg = JSON.parse(fs.readFileSync(path.join(ZAPIER_DIR, 'package.json'), 'utf8'));
		expect(definition.version).toBe(pkg.version);
		expect(definition.platformVersion).toBe(pkg.dependencies['zapier-platform-core']);
		expect(Object.keys(definition.creates)).toEqual([
			'create_lead',
			'update_lead',
			'add_lead_tags',
			'set_lead_tags',
			'set_lead_status',
			'add_lead_to_workflow',
			'stop_ai_automation',
			'resume_ai_automation',
			'create_tag',
			'record_conversion',
			'send_message',
			'log_meeting',
			'cancel_meeting',
		]);
		expect(Object.keys(definition.searches)).toEqual(['find_lead']);
		expect(Object.keys(definition.triggers)).toEqual([
			'new_conversion',
			'lead_list',
			'workflow_list',
			'campaign_list',
			'tag_list',
			'conversion_type_list',
		]);
		// Record Conversion's type fields come from a function: the definition marks it as one.
		expect(definition.creates.record_conversion.operation.inputFields.some((/** @type {any} */ f) => typeof f === 'string' && f.startsWith('$func$'))).toBe(true);
		expect(definition.searchOrCreates.find_lead).toMatchObject({ search: 'find_lead', create: 'create_lead' });
		expect(definition.authentication.type).toBe('custom');
	});

	it('runs Update Lead from its own zapierwrapper.js handler in a fresh Node process', async () => {
		const { apiKey, baseUrl } = sandbox;
		const event = (/** @type {object} */ inputData) => ({
			command: 'execute',
			method: 'creates.update_lead.operation.perform',
			bundle: { authData: { api_key: apiKey }, inputData },
			environment: { NEXOR_BASE_URL: baseUrl },
			logToStdout: true,
			detailedLogToStdout: true,
		});
		const { code, stdout, stderr } = await runInFreshNode([
			event({ lead_id: LEAD_ID, company: 'Zip Corp', clear_fields: ['phone'], metadata: { edad: '36' }, metadata_number_keys: ['edad'] }),
			event({ lead_id: LEAD_ID, company: '' }),
			event({ lead_id: '00000000-0000-4000-8000-000000000000', company: 'Zip Corp' }),
		]);
		expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

		// zapier-platform-core came from the zip, not from zapier/node_modules.
		const corePath = /^CORE (.*)$/m.exec(stdout)?.[1];
		expect(fs.realpathSync(String(corePath)).startsWith(fs.realpathSync(dir))).toBe(true);

		const journal = sandbox.journal();
		expect(journal).toHaveLength(2);
		expect(journal[0]).toMatchObject({ method: 'PUT', path: `/api/public/leads/${LEAD_ID}`, status: 200 });
		expect(journal[0].body).toBe('{"phone":null,"company":"Zip Corp","metadata":{"edad":36}}');
		expect(journal[0].headers['x-api-key']).toBe('valid');

		const results = stdout.split('\n').filter((l) => /^(RESULT|ERROR) /.test(l));
		expect(results).toHaveLength(3);
		const lead = JSON.parse(results[0].slice('RESULT '.length));
		expect(lead).toEqual(sandbox.getLead(LEAD_ID));
		expect(lead).toMatchObject({ id: LEAD_ID, company: 'Zip Corp', phone: null, metadata: { edad: 36 } });

		const halted = JSON.parse(results[1].slice('ERROR '.length));
		expect(halted.name).toBe('HaltedError');
		expect(halted.message).toMatch(/^No fields to update\. /);
		const notFound = JSON.parse(results[2].slice('ERROR '.length));
		expect(notFound.name).toBe('AppError');
		expect(JSON.parse(notFound.message)).toMatchObject({ code: 'NotFound', status: 404 });

		// Core's logger printed the HTTP exchanges (logToStdout); the key is in none of it.
		expect(stdout).toContain(`PUT ${baseUrl}/leads/${LEAD_ID}`);
		expect(stdout).not.toContain(apiKey);
	});
});
