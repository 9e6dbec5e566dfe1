#!/usr/bin/env node
'use strict';
/**
 * Runs the Zapier CLI (`zapier-platform`, the v19 binary name; `zapier` no longer exists) from
 * zapier/node_modules under Node 24. The CLI refuses Node < 22 ("Requires node version >= v22")
 * although its `engines` says >=18.20, and this machine's Node is 20, so Node 24 comes from the
 * project's runtime installer (test/runtimes/install.js, a pinned npm package, cached).
 *
 *   node scripts/zapier-cli.js <zapier-platform arguments…>
 *   npm run zapier -- describe          npm run invoke -- auth test
 *
 * Every call gets DISABLE_ZAPIER_ANALYTICS=1 (each command would otherwise POST to zapier.com)
 * and NO_UPDATE_NOTIFIER=1 (`build` asks the registry whether a newer core exists). Node 24's
 * folder goes first on PATH so what the CLI spawns (`npm run _zapier-build`, the build self-test)
 * runs on it too.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { run } = require('../../test/support/process.js');

const APP_DIR = path.resolve(__dirname, '..');
const CLI = path.join(APP_DIR, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
const INSTALLER = path.join(APP_DIR, '..', 'test', 'runtimes', 'install.js');

/** @returns {Promise<string>} a Node >= 22 binary */
async function cliNode() {
	const { ensureRuntime } = require(INSTALLER);
	const { node24Bin } = await ensureRuntime('node24');
	return node24Bin;
}

/**
 * @param {string} nodeBin
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function cliEnv(nodeBin, extra = {}) {
	return {
		...process.env,
		DISABLE_ZAPIER_ANALYTICS: '1',
		NO_UPDATE_NOTIFIER: '1',
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		...extra,
	};
}

/**
 * Runs the CLI and collects its output (for tests).
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
async function runZapierCli(args, options = {}) {
	const nodeBin = await cliNode();
	return run(nodeBin, [CLI, ...args], {
		cwd: options.cwd || APP_DIR,
		env: cliEnv(nodeBin, options.env),
		timeoutMs: options.timeoutMs || 120000,
	});
}

async function main() {
	const nodeBin = await cliNode();
	const child = spawn(nodeBin, [CLI, ...process.argv.slice(2)], {
		cwd: APP_DIR,
		env: cliEnv(nodeBin),
		stdio: 'inherit',
	});
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
		process.on(signal, () => child.kill(signal));
	}
	child.on('close', (code, signal) => {
		process.exitCode = code === null ? 1 : code;
		if (signal) process.stderr.write(`zapier-platform ended by ${signal}\n`);
	});
}

module.exports = { runZapierCli, cliNode, CLI };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}
