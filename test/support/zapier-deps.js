#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Installs zapier/'s own dependencies (zapier/ is a separate npm project, which the root `npm ci`
 * does not install) on first use, the way test/runtimes/install.js installs the n8n runtimes:
 * `npm --prefix zapier ci --no-audit --no-fund`, then a stamp in zapier/node_modules holding a hash
 * of zapier/package.json, zapier/package-lock.json and the command. Later runs skip the install
 * while the stamp matches; a changed lockfile (or a deleted node_modules) installs again.
 *
 *   node test/support/zapier-deps.js            install only if missing or out of date (npm test,
 *                                               zapier:build, zapier:zip, zapier:validate, test:zapier)
 *   node test/support/zapier-deps.js --force    always install (npm run zapier:install, .ci/run)
 *
 * Node built-ins only; runs on Node 20.
 */

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ZAPIER_DIR = path.resolve(__dirname, '..', '..', 'zapier');
const NODE_MODULES = path.join(ZAPIER_DIR, 'node_modules');
const STAMP = path.join(NODE_MODULES, '.nexor-deps-installed');
const ARGS = ['--prefix', ZAPIER_DIR, 'ci', '--no-audit', '--no-fund'];
// Part of the stamp: bump it when the install step changes so every checkout installs again.
const RECIPE = 'npm-ci/1';

/** @param {string} msg */
function say(msg) {
	process.stderr.write(`[zapier-deps] ${msg}\n`);
}

function wantedStamp() {
	const h = crypto.createHash('sha256');
	h.update(`${RECIPE}\n`);
	for (const f of ['package.json', 'package-lock.json']) {
		h.update(`${f}\n`);
		h.update(fs.readFileSync(path.join(ZAPIER_DIR, f)));
	}
	return h.digest('hex');
}

/** @returns {string | null} why an install is needed, null when zapier/node_modules is current */
function staleReason() {
	if (!fs.existsSync(NODE_MODULES)) return 'zapier/node_modules is missing';
	let stamp = '';
	try {
		stamp = fs.readFileSync(STAMP, 'utf8').trim();
	} catch {
		// Installed before this script existed (or by hand): adopt it, stamped, when every package
		// the lockfile pins is there at its pinned version, rather than wiping a working install.
		const off = offLockfile();
		if (off) return `zapier/node_modules is not stamped and differs from the lockfile (${off})`;
		fs.writeFileSync(STAMP, `${wantedStamp()}\n`);
		return null;
	}
	if (stamp !== wantedStamp()) return 'zapier/package-lock.json or package.json changed since the last install';
	return null;
}

/** @returns {string | null} the first package of zapier/package-lock.json missing or at another version */
function offLockfile() {
	/** @type {{ packages?: Record<string, { version?: string, optional?: boolean, link?: boolean }> }} */
	const lock = JSON.parse(fs.readFileSync(path.join(ZAPIER_DIR, 'package-lock.json'), 'utf8'));
	for (const [where, pin] of Object.entries(lock.packages || {})) {
		if (!where || pin.link) continue;
		/** @type {{ version?: string }} */
		let installed;
		try {
			installed = JSON.parse(fs.readFileSync(path.join(ZAPIER_DIR, where, 'package.json'), 'utf8'));
		} catch {
			if (pin.optional) continue; // another platform's binary (esbuild, fsevents)
			return `${where} missing`;
		}
		// npm cleans versions when it writes the lockfile (json-metaschema's package.json says "v1.3.0")
		const version = String(installed.version).trim().replace(/^[=v]+/, '');
		if (version !== pin.version) return `${where} is ${installed.version}, the lockfile pins ${pin.version}`;
	}
	return null;
}

function main() {
	const force = process.argv.includes('--force');
	const why = force ? 'asked to (--force)' : staleReason();
	if (!why) return 0;
	say(`installing zapier/'s dependencies: ${why}`);
	say(`$ npm ${ARGS.join(' ')}`);
	const started = Date.now();
	const r = spawnSync('npm', ARGS, { stdio: 'inherit' });
	if (r.error) {
		say(`could not run npm: ${r.error.message}`);
		return 1;
	}
	if (r.status !== 0) {
		say(`npm ci in zapier/ failed (${r.signal || `exit ${r.status}`}); nothing stamped, the next run tries again`);
		return r.status || 1;
	}
	fs.writeFileSync(STAMP, `${wantedStamp()}\n`);
	say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return 0;
}

process.exitCode = main();
