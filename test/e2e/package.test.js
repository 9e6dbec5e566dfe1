// @ts-check
/**
 * The published package: only built code, README, LICENSE and package.json go in, no runtime
 * dependencies, and n8n's community scanner passes on the source and on the unpacked tarball.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { packPackage, ROOT } = require('./harness/pack.js');

jest.setTimeout(5 * 60 * 1000);

/** @param {string} dir @param {'source'|'tarball'} kind */
function scan(dir, kind) {
	const out = execFileSync(process.execPath, [path.join(__dirname, 'harness/scan.mjs'), dir, kind], {
		cwd: ROOT,
		encoding: 'utf8',
		// jest sets NODE_ENV=test, which makes eslint-plugin-n8n-nodes-base treat every file as a trigger node.
		env: { ...process.env, NODE_ENV: 'production' },
	});
	return JSON.parse(out);
}

describe('the published package', () => {
	/** @type {string} */
	let unpacked;
	/** @type {string[]} */
	let files;

	beforeAll(() => {
		const tgz = packPackage();
		unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'nexor-unpacked-'));
		execFileSync('tar', ['-xzf', tgz, '-C', unpacked, '--strip-components=1']);
		files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
			.trim()
			.split('\n')
			.map((f) => f.replace(/^package\//, ''));
	});

	it('holds only dist/ code, README, LICENSE and package.json', () => {
		const outside = files.filter((f) => !/^dist\/(core|credentials|icons|nodes)\//.test(f));
		expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(files).toEqual(expect.arrayContaining(['dist/nodes/Nexor/Nexor.node.js', 'dist/credentials/NexorApi.credentials.js', 'dist/core/index.js']));
	});

	it('declares no runtime dependencies and points n8n at files that exist', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
		expect(pkg.dependencies).toBeUndefined();
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(fs.existsSync(path.join(unpacked, file))).toBe(true);
		}
	});

	it('passes the community scanner on the source', () => {
		const result = scan(ROOT, 'source');
		expect(result.details ?? '').toBe('');
		expect(result.passed).toBe(true);
	});

	it('passes the community scanner on the unpacked tarball', () => {
		const result = scan(unpacked, 'tarball');
		expect(result.details ?? '').toBe('');
		expect(result.passed).toBe(true);
	});
});
