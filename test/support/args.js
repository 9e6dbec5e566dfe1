// @ts-check
'use strict';
/**
 * Command-line flags of the tools (npm run bench, bench:queue): `--name value` or `--name=value`
 * for the named values, bare `--name` for the booleans, `--help`/`-h` prints the usage and exits.
 * Anything else is an error that says to try --help.
 */

/**
 * @param {string[]} argv
 * @param {{ usage: string, values: string[], booleans?: string[] }} spec
 */
function parseFlags(argv, spec) {
	/** @type {Record<string, string>} */
	const values = {};
	/** @type {Set<string>} */
	const flags = new Set();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			process.stdout.write(spec.usage.endsWith('\n') ? spec.usage : `${spec.usage}\n`);
			process.exit(0);
		}
		const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
		if (m && m[2] === undefined && (spec.booleans || []).includes(m[1])) {
			flags.add(m[1]);
			continue;
		}
		if (!m || !spec.values.includes(m[1])) throw new Error(`unknown argument ${arg} (try --help)`);
		const value = m[2] ?? argv[++i];
		if (value === undefined) throw new Error(`${arg} needs a value`);
		values[m[1]] = value;
	}
	/**
	 * A number flag within [min, max], or `fallback` when not given.
	 * @template {number | undefined} F
	 * @param {string} name @param {F} fallback @param {number} min @param {number} max
	 * @returns {number | F}
	 */
	const num = (name, fallback, min, max) => {
		if (values[name] === undefined) return fallback;
		const v = Number(values[name]);
		if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number in [${min}, ${max}]`);
		return v;
	};
	return { values, flags, num };
}

module.exports = { parseFlags };
