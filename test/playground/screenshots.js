// @ts-check
'use strict';
/**
 * `npm run screenshots [-- --out DIR] [-- --url URL]`: a browser test that also takes the README's
 * screenshots. Drives Debian's Chromium (playwright-core, no browser download) through the
 * playground's n8n editor and writes PNGs (default docs/images/):
 *
 *   nodes-panel-search.png     the nodes panel after searching "Nexor"   (fails if the node isn't found)
 *   nodes-panel-actions.png    the Nexor node's actions ("Update a lead")
 *   credential-test.png        the Nexor API credential after a successful test (fails if the test fails)
 *   node-panel.png             example 1's Nexor node: Update Fields, Fields to Clear, Metadata, with data
 *   execution-result.png       example 2 executed: 4 rows updated, 1 on the error output
 *   execution-error-item.png   the bad row's error item as "Notify sales ops" receives it
 *
 * Without --url it starts its own playground (fresh temp user folder, free ports, its own sandbox,
 * so it runs beside `npm start`) and stops it afterwards. With --url it uses a running playground
 * (`npm start`) and logs in as its owner. Chromium: `apt-get install -y chromium` (or set
 * CHROMIUM_PATH). Exit code 0 only when every check passed.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('../e2e/harness/pack.js');
const { startPlayground, freePort, secs, OWNER, CREDENTIAL } = require('./playground.js');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const VIEWPORT = { width: 1440, height: 900 };
const FORM = { id: 'nexorExample0001', node: 'Update lead from form' };
const BULK = { id: 'nexorExample0002', node: 'Update leads' };
const CLEAR = { id: 'nexorExample0003' };

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ out: string, url: string | null, build: boolean }} */
	const a = { out: path.join(ROOT, 'docs', 'images'), url: null, build: true };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--out') a.out = path.resolve(argv[++i] || '');
		else if (arg === '--url') a.url = (argv[++i] || '').replace(/\/+$/, '');
		else if (arg === '--no-build') a.build = false;
		else throw new Error(`unknown argument ${arg} (use --out DIR, --url URL, --no-build)`);
	}
	return a;
}

/** @param {string} msg */
const say = (msg) => process.stdout.write(`${msg}\n`);

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	}
	/** @type {typeof import('playwright-core')} */
	const { chromium } = require('playwright-core');
	fs.mkdirSync(args.out, { recursive: true });
	const t0 = Date.now();

	/** @type {Awaited<ReturnType<typeof startPlayground>> | null} */
	let pg = null;
	/** @type {string | null} */
	let tmp = null;
	let baseUrl = args.url;
	if (!baseUrl) {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-screenshots-'));
		pg = await startPlayground({
			userFolder: tmp,
			n8nPort: await freePort(),
			sandboxPort: await freePort(),
			build: args.build,
			say: (l) => say(l),
		});
		baseUrl = pg.url;
	}
	const sandbox = pg ? pg.sandbox : null;

	/** @type {{ name: string, ok: boolean, detail: string }[]} */
	const results = [];
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	try {
		const context = await browser.newContext({
			baseURL: baseUrl,
			viewport: VIEWPORT,
			locale: 'en-US',
		});
		context.setDefaultTimeout(30000);
		const page = await context.newPage();

		/**
		 * One check: runs `fn`, records pass/fail, never throws (later checks still run).
		 * @param {string} name
		 * @param {() => Promise<string | void>} fn
		 */
		const check = async (name, fn) => {
			const t = Date.now();
			try {
				const detail = (await fn()) || '';
				results.push({ name, ok: true, detail });
				say(`  ✓ ${name} (${secs(Date.now() - t)})${detail ? `: ${detail}` : ''}`);
			} catch (e) {
				const msg = /** @type {Error} */ (e).message.split('\n')[0];
				results.push({ name, ok: false, detail: msg });
				say(`  ✗ ${name}: ${msg}`);
				await page
					.screenshot({ path: path.join(args.out, `FAILED-${name.replace(/\W+/g, '-')}.png`) })
					.catch(() => {});
			}
		};
		/** @param {string} file */
		const shot = async (file) => {
			await page.screenshot({ path: path.join(args.out, file) });
			return file;
		};
		/** Opens a workflow in the editor and waits for its canvas. @param {string} id */
		const openWorkflow = async (id) => {
			await page.goto(`/workflow/${id}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor();
			await page.waitForTimeout(800); // the canvas fits the view after the nodes render
		};
		/** Runs the open workflow from the editor, waits for the success toast, closes it. */
		const executeWorkflow = async () => {
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			const toast = page
				.locator('.el-notification')
				.filter({ hasText: /executed successfully|problem|error|failed/i });
			await toast.first().waitFor({ timeout: 60000 });
			const text = (await toast.first().textContent()) || '';
			if (!/executed successfully/i.test(text))
				throw new Error(`execution did not succeed: ${text.trim()}`);
			await page
				.locator('.el-notification .el-notification__closeBtn')
				.first()
				.click()
				.catch(() => {});
			await page
				.locator('.el-notification')
				.first()
				.waitFor({ state: 'detached', timeout: 10000 })
				.catch(() => {});
		};
		/** @param {string} nodeName */
		const openNode = async (nodeName) => {
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
			await page.locator('[data-test-id="ndv"]').waitFor();
			await page.waitForTimeout(800);
		};

		say(
			`» Browser checks against ${baseUrl} (Chromium at ${CHROMIUM}), PNGs into ${path.relative(process.cwd(), args.out) || '.'}`,
		);

		await check('log in as the playground owner', async () => {
			const r = await page.request.post('/rest/login', {
				data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
			});
			if (r.status() !== 200)
				throw new Error(`POST /rest/login → ${r.status()} ${(await r.text()).slice(0, 200)}`);
			return OWNER.email;
		});

		await check('the nodes panel finds "Nexor"', async () => {
			await openWorkflow(CLEAR.id);
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			await page.locator('[data-test-id="node-creator-search-bar"]').waitFor();
			await page.keyboard.type('Nexor', { delay: 40 });
			const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Nexor$/ });
			try {
				await item.first().waitFor({ timeout: 20000 });
			} catch {
				const seen = await page
					.locator('[data-test-id="node-creator-item-name"]')
					.allTextContents();
				throw new Error(
					`searching "Nexor" in the nodes panel did not list the Nexor node (listed: ${JSON.stringify(seen)})`,
				);
			}
			await page.waitForTimeout(500);
			const files = [await shot('nodes-panel-search.png')];
			await item.first().click();
			await page.getByText('Update a lead', { exact: true }).first().waitFor();
			await page.waitForTimeout(500);
			files.push(await shot('nodes-panel-actions.png'));
			await page.keyboard.press('Escape');
			return files.join(', ');
		});

		await check('the Nexor API credential tests successfully', async () => {
			await page.goto('/home/credentials');
			const card = page.locator('[data-test-id="resources-list-item"]', {
				hasText: CREDENTIAL.name,
			});
			await card.first().waitFor();
			// opening a saved credential runs its test (GET /tags on the sandbox)
			const tested = page.waitForResponse(
				(r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST',
				{
					timeout: 30000,
				},
			);
			await card.first().click();
			const res = await tested;
			const body = await res.json().catch(() => null);
			const status = body && body.data ? body.data.status : null;
			if (status !== 'OK')
				throw new Error(`credential test failed: HTTP ${res.status()} ${JSON.stringify(body)}`);
			await page.locator('[data-test-id="credentials-config-container-test-success"]').waitFor();
			await page.waitForTimeout(500);
			const file = await shot('credential-test.png');
			await page.keyboard.press('Escape');
			return `${body.data.message} → ${file}`;
		});

		await check(
			'example 1 runs and its node panel shows Update Fields, Fields to Clear and Metadata',
			async () => {
				await openWorkflow(FORM.id);
				await executeWorkflow();
				// tall enough for the parameters from Lead ID to the last metadata entry
				await page.setViewportSize({ width: VIEWPORT.width, height: 1500 });
				await openNode(FORM.node);
				const ndv = page.locator('[data-test-id="ndv"]');
				for (const param of ['company', 'email', 'title', 'fieldsToClear', 'metadataInput']) {
					await ndv.locator(`[data-test-id="parameter-input-${param}"]`).first().waitFor();
				}
				const clear =
					(await ndv
						.locator('[data-test-id="parameter-input-fieldsToClear"]')
						.first()
						.textContent()) || '';
				if (!clear.includes('Phone'))
					throw new Error(`Fields to Clear shows "${clear.trim()}", expected Phone`);
				await ndv.locator('[data-test-id="fixed-collection-metadataFields"]').first().waitFor();
				const output = ndv.locator('[data-test-id="output-panel"]');
				await output.locator('[data-test-id="radio-button-json"]').first().click();
				await output.getByText('Wayne Enterprises').first().waitFor();
				await output.getByText('wants_demo').first().waitFor();
				await ndv
					.locator('[data-test-id="parameter-item"]', {
						has: page.locator('[data-test-id="parameter-input-leadId"]'),
					})
					.first()
					.evaluate((el) => el.scrollIntoView({ block: 'start' }));
				await page.waitForTimeout(500);
				const file = await shot('node-panel.png');
				await page.keyboard.press('Escape');
				await page.setViewportSize(VIEWPORT);
				if (sandbox) {
					const lead = sandbox.getLead('8f14e45f-ceea-467f-a0e6-1b2c3d4e5f02');
					if (!lead || lead.company !== 'Wayne Enterprises' || lead.phone !== null) {
						throw new Error(
							`the sandbox lead was not updated as expected: ${JSON.stringify(lead)}`,
						);
					}
				}
				return file;
			},
		);

		await check('example 2 runs: 4 rows updated, the bad row on the error output', async () => {
			await openWorkflow(BULK.id);
			await executeWorkflow();
			const labels = (await page.locator('[data-test-id="edge-label"]').allTextContents()).map(
				(t) => t.trim(),
			);
			for (const want of ['5 items', '4 items', '1 item']) {
				if (!labels.includes(want))
					throw new Error(`no edge labelled "${want}" (labels: ${JSON.stringify(labels)})`);
			}
			await page.waitForTimeout(500);
			const files = [await shot('execution-result.png')];
			await openNode('Notify sales ops');
			const ndv = page.locator('[data-test-id="ndv"]');
			await ndv
				.getByText(/Row 5 \(Pedro Rojas\) was not updated in Nexor/)
				.first()
				.waitFor();
			files.push(await shot('execution-error-item.png'));
			await page.keyboard.press('Escape');
			return files.join(', ');
		});
	} finally {
		await browser.close();
		if (pg) await pg.stop();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	}

	const failed = results.filter((r) => !r.ok);
	say(
		`\nbrowser: ${results.length - failed.length} passed, ${failed.length} failed (${secs(Date.now() - t0)})`,
	);
	if (failed.length > 0) process.exitCode = 1;
}

main().catch((e) => {
	process.stderr.write(`\nscreenshots: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exitCode = 1;
});
