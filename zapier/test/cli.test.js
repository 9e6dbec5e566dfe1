'use strict';
/**
 * The Zapier CLI (`zapier-platform` 19.1.0, under Node 24, offline, no account) on the built app:
 * `validate --without-style` and the README's local `invoke` recipe (a `.env` with NEXOR_BASE_URL
 * and authData_api_key) against the sandbox.
 *
 * invoke reads `.env` from its working directory with override, so it runs in a scratch copy of
 * the app (package.json and index.js copied, dist and node_modules linked) where the test writes
 * its own `.env`; a developer's zapier/.env is never touched or read.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ZAPIER_DIR, assertBuilt, useSandbox } = require('./helpers.js');
const { runZapierCli } = require('../scripts/zapier-cli.js');

const LEAD_ID = '123e4567-e89b-12d3-a456-426614174000';

// Each CLI call starts oclif under Node 24: ~4 s, more on a busy machine.
jest.setTimeout(60000);

const sandbox = useSandbox({ leads: [{ id: LEAD_ID, first_name: 'Carlos' }] });
/** @type {string} */
let appCopy;

beforeAll(async () => {
	assertBuilt();
	appCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-zapier-invoke-'));
	for (const file of ['package.json', 'index.js']) fs.copyFileSync(path.join(ZAPIER_DIR, file), path.join(appCopy, file));
	for (const link of ['dist', 'node_modules']) fs.symlinkSync(path.join(ZAPIER_DIR, link), path.join(appCopy, link));
	fs.writeFileSync(
		path.join(appCopy, '.env'),
		`NEXOR_BASE_URL=${sandbox.baseUrl}\nauthData_api_key=${sandbox.apiKey}\n`,
	);
});
afterAll(async () => {
	if (appCopy) fs.rmSync(appCopy, { recursive: true, force: true });
});

/** Env for the CLI without anything that could redirect the app or leak a real key. */
function cleanEnv() {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key === 'NEXOR_BASE_URL' || key.startsWith('authData_')) continue;
		env[key] = value;
	}
	return env;
}

/** @param {string[]} args */
async function cli(args) {
	const result = await runZapierCli(args, { cwd: appCopy, env: cleanEnv() });
	if (result.code !== 0) {
		throw new Error(`zapier-platform ${args.join(' ')} → exit ${result.code}\n${result.stdout}\n${result.stderr}`);
	}
	return result;
}

describe('zapier-platform CLI, offline', () => {
	it('validate --without-style: structurally sound', async () => {
		// --skip-build: the app under test is the built one (`npm run validate` rebuilds first).
		const result = await runZapierCli(['validate', '--without-style', '--skip-build'], { env: cleanEnv() });
		expect(result.stdout + result.stderr).toContain('No structural errors found during validation routine.');
		expect(result.code).toBe(0);
	});

	it('invoke auth test', async () => {
		const { stdout } = await cli(['invoke', 'auth', 'test']);
		expect(JSON.parse(stdout)).toEqual({ key_ending: sandbox.apiKey.slice(-4) });
		expect(sandbox.journal().map((/** @type {any} */ e) => [e.method, e.path, e.headers['x-api-key']])).toEqual([
			['GET', '/api/public/tags', 'valid'],
		]);
	});

	it('invoke create update_lead --non-interactive -i …', async () => {
		sandbox.clearJournal();
		// Zapier passes "36" as text: Metadata Number Keys is how a Zap sends it as a number.
		const input = {
			lead_id: LEAD_ID,
			company: 'Acme',
			clear_fields: ['phone'],
			metadata: { edad: '36' },
			metadata_number_keys: ['edad'],
		};
		const { stdout } = await cli(['invoke', 'create', 'update_lead', '--non-interactive', '-i', JSON.stringify(input)]);
		expect(JSON.parse(stdout)).toMatchObject({ id: LEAD_ID, company: 'Acme', phone: null, metadata: { edad: 36 } });
		const journal = sandbox.journal();
		expect(journal).toHaveLength(1);
		expect(journal[0].body).toBe('{"phone":null,"company":"Acme","metadata":{"edad":36}}');
		expect(stdout).not.toContain(sandbox.apiKey);
	});
});
