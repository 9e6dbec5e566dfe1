// @ts-check
/**
 * Packs this repository the way `npm publish` would, so e2e tests install exactly what users get.
 * Needs a fresh `npm run build` (npm test runs it first).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');

/** @returns {string} the path of the packed .tgz, in a fresh temp folder */
function packPackage() {
	const node = path.join(ROOT, 'dist/nodes/Nexor/Nexor.node.js');
	if (!fs.existsSync(node)) throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-pack-'));
	process.once('exit', () => fs.rmSync(out, { recursive: true, force: true }));
	const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(json);
	return path.join(out, path.basename(filename));
}

module.exports = { packPackage, ROOT };
