// @ts-check
'use strict';
/**
 * One typing rule, one sentence: core's HELP.metadataTyping appears word for word in the n8n node's
 * help, in README and in zapier/README.md (the Zapier action's help is checked in
 * zapier/test/update-lead.test.js). JavaScript, not TypeScript: reading the READMEs needs Node's fs,
 * which n8n's lint forbids in .ts files.
 */
const fs = require('node:fs');
const path = require('node:path');
const core = require('../../core');
const { leadUpdateDescription } = require('../../nodes/Nexor/resources/lead/update');

const ROOT = path.resolve(__dirname, '../..');
const read = (/** @type {string} */ file) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('the metadata typing rule is one sentence everywhere', () => {
	const rule = core.HELP.metadataTyping;

	it('is one sentence that names the digits that used to decide the type', () => {
		expect(rule.split(/\.\s/)).toHaveLength(1);
		expect(rule).toContain('"02139"');
	});

	it('appears in the n8n node: Metadata and each entry\'s Type', () => {
		/** @type {any} */
		const metadata = leadUpdateDescription.find((p) => p.name === 'metadataFields');
		expect(metadata.description).toContain(rule);
		const type = metadata.options[0].values.find((/** @type {any} */ v) => v.name === 'type');
		expect(type.description).toContain(rule);
		expect(type.default).toBe('auto');
		expect(type.options.find((/** @type {any} */ o) => o.value === 'auto').name).toBe('As Mapped (Default)');
		const value = metadata.options[0].values.find((/** @type {any} */ v) => v.name === 'value');
		expect(value.displayOptions).toEqual({ hide: { type: ['null'] } });
	});

	it('appears in README and zapier/README.md', () => {
		expect(read('README.md')).toContain(rule);
		expect(read('zapier/README.md')).toContain(rule);
	});

	it('README documents When a Mapped Value Is Empty on both platforms', () => {
		/** @type {any} */
		const option = leadUpdateDescription.find((p) => p.name === 'emptyValues');
		expect(option).toMatchObject({ displayName: 'When a Mapped Value Is Empty', default: 'skip', description: core.HELP.emptyValues });
		expect(option.options.map((/** @type {any} */ o) => [o.name, o.value])).toEqual([
			['Skip It', 'skip'],
			['Clear the Field', 'clear'],
		]);
		expect(read('README.md').match(/When a Mapped Value Is Empty/g)?.length).toBeGreaterThanOrEqual(3);
		expect(read('zapier/README.md')).toContain('| When a Mapped Value Is Empty |');
	});
});
