// @ts-check
'use strict';
/**
 * Child processes for the tests and tools (the n8n harness, the playground, queue mode, the
 * benchmarks, the runtime installer, the Zapier CLI): start one and collect its output, run one to
 * the end, stop a process group, find a free port, and the environment children get.
 *
 * A child started with `group: true` runs in a process group of its own (n8n starts task runners):
 * a timeout or stop() reaches the whole group, what it leaves behind is killed once it has ended,
 * and every such group still running is killed when this process exits, or on Ctrl-C / SIGTERM
 * unless the program handles that signal itself (the playground stops n8n in order).
 *
 * Node built-ins only; runs on Node 20.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/**
 * The caller's variables that reach a child started with passEnv(): no proxies, no npm_config_*
 * (we may run under `npm test`), no N8N_* or DB_* variables of a developer's own n8n.
 */
const PASS_ENV = Object.freeze([
	'PATH',
	'LANG',
	'LC_ALL',
	'LC_CTYPE',
	'TZ',
	'USER',
	'LOGNAME',
	'SHELL',
	'TERM',
	'TMPDIR',
]);

/**
 * @typedef {object} Result
 * @property {number | null} code      exit code (null when killed)
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout           '' when it went to a log file or to ours
 * @property {string} stderr
 * @property {string} output           stdout and stderr as they arrived
 * @property {number} ms               wall time
 */

/**
 * @typedef {object} StartOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]        default: this process's environment
 * @property {string} [input]                 written to stdin (otherwise stdin is /dev/null)
 * @property {string} [stdoutFile]            stdout goes to this file (created 0600), read back into
 *   `stdout` once the process has closed: n8n ends with process.exit(), which loses a pipe's pending
 *   writes, never a file's
 * @property {string} [logFile]               stdout and stderr appended to this file, not collected
 * @property {boolean} [inherit]              stdout and stderr go to ours, not collected
 * @property {boolean} [group]                a process group of its own (see the top of this file)
 * @property {number} [timeoutMs]             SIGKILL (to its group) after this long; `timedOut` set
 */

/**
 * @typedef {object} Proc
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<Result>} done     rejects only when the command can't be started
 * @property {Result | null} exited     the result once it has closed
 * @property {(graceMs?: number, o?: { waitForGroup?: boolean }) => Promise<void>} stop
 *   SIGTERM to its group, SIGKILL after graceMs (default 10 s), resolved once closed;
 *   waitForGroup: also until nothing of its group is left (at most 10 s more)
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The PASS_ENV variables of this process, then `extra` (a null value removes a variable).
 * @param {Record<string, string | null | undefined>} [extra]
 * @returns {Record<string, string>}
 */
function passEnv(extra = {}) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const k of PASS_ENV) {
		const v = process.env[k];
		if (v !== undefined) env[k] = v;
	}
	for (const [k, v] of Object.entries(extra)) {
		if (v === null) delete env[k];
		else if (v !== undefined) env[k] = v;
	}
	return env;
}

/** @returns {Promise<number>} a port free on 127.0.0.1 right now */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * @param {number} port
 * @returns {Promise<boolean>} whether 127.0.0.1:port can be bound right now
 */
function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/**
 * A signal to the child's process group (to the child alone when it has none).
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
function killGroup(child, signal) {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * Waits until no process of the child's group is left, killing the group after 5 s; gives up after
 * 10 s.
 * @param {import('node:child_process').ChildProcess} child
 */
async function groupGone(child) {
	if (!child.pid) return;
	const started = Date.now();
	for (;;) {
		try {
			process.kill(-child.pid, 0);
		} catch {
			return; // ESRCH: the whole group is gone
		}
		if (Date.now() - started > 10000) return;
		if (Date.now() - started > 5000) killGroup(child, 'SIGKILL');
		await sleep(100);
	}
}

/** Marks this module's signal listeners (see killLiveOnExit). */
const TOOLKIT = Symbol.for('n8n-nodes-nexor/test/support/process');
/** @type {Set<import('node:child_process').ChildProcess>} */
const live = new Set();
let hooksSet = false;

function killLiveOnExit() {
	if (hooksSet) return;
	hooksSet = true;
	const killAll = () => {
		for (const c of live) killGroup(c, 'SIGKILL');
	};
	process.on('exit', killAll);
	// Ctrl-C reaches only our own process group, not the detached ones.
	for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
		/** @type {NodeJS.SignalsListener & { [TOOLKIT]?: true }} */
		const onSignal = () => {
			// A program with its own handler stops its children itself (and the 'exit' hook is still
			// there). Otherwise every copy of this module (jest loads one per test file) kills its own,
			// and the last one lets the signal end the process.
			if (process.listeners(sig).some((l) => !(/** @type {any} */ (l)[TOOLKIT]))) return;
			process.off(sig, onSignal);
			killAll();
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		};
		onSignal[TOOLKIT] = true;
		process.on(sig, onSignal);
	}
}

/**
 * Polls `check` until it returns something truthy, and returns that.
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {{ timeoutMs: number, what: string, intervalMs?: number, giveUpIf?: () => string | null | undefined }} o
 *   giveUpIf: a reason to stop waiting at once (e.g. the process exited)
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(check, o) {
	const until = Date.now() + o.timeoutMs;
	for (;;) {
		const why = o.giveUpIf && o.giveUpIf();
		if (why) throw new Error(`${why} while waiting for ${o.what}`);
		const value = await check();
		if (value) return /** @type {NonNullable<T>} */ (value);
		if (Date.now() > until) throw new Error(`timed out after ${o.timeoutMs} ms waiting for ${o.what}`);
		await sleep(o.intervalMs ?? 100);
	}
}

/**
 * A command's output made readable: terminal control sequences and spinner frames (n8n-node build
 * draws one even without a terminal) removed, repeated lines collapsed.
 * @param {string} out
 */
function readable(out) {
	const lines = out
		.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '\n')
		.split(/\r?\n/)
		.map((l) => l.trimEnd())
		.filter((l) => l && !/^[◒◐◓◑]/.test(l));
	return lines.filter((l, i) => l !== lines[i - 1]).join('\n');
}

/**
 * "$ cmd args → exit 0 in 12 ms" (or the signal, or the timeout).
 * @param {string} cmd
 * @param {string[]} args
 * @param {Result} r
 * @param {number} [timeoutMs]
 */
function commandLine(cmd, args, r, timeoutMs) {
	const how = r.timedOut
		? `TIMEOUT after ${timeoutMs ?? r.ms} ms`
		: r.signal || `exit ${r.code}`;
	return `$ ${path.basename(cmd)} ${args.join(' ')}  → ${how} in ${r.ms} ms`;
}

/**
 * Starts a command (see StartOptions and Proc).
 * @param {string} cmd
 * @param {string[]} args
 * @param {StartOptions} [o]
 * @returns {Proc}
 */
function start(cmd, args, o = {}) {
	const started = Date.now();
	/** @type {number | undefined} */
	let fd;
	if (o.stdoutFile) fd = fs.openSync(o.stdoutFile, 'w', 0o600);
	else if (o.logFile) fd = fs.openSync(o.logFile, 'a', 0o644);
	/** @type {import('node:child_process').StdioOptions} */
	const stdio = [
		o.input === undefined ? 'ignore' : 'pipe',
		fd ?? (o.inherit ? 'inherit' : 'pipe'),
		o.logFile && !o.stdoutFile ? /** @type {number} */ (fd) : o.inherit ? 'inherit' : 'pipe',
	];
	/** @type {import('node:child_process').ChildProcess} */
	let child;
	try {
		child = spawn(cmd, args, { cwd: o.cwd, env: o.env || process.env, stdio, detached: !!o.group });
	} finally {
		if (fd !== undefined) fs.closeSync(fd); // the child has its own copy
	}
	if (o.group) {
		killLiveOnExit();
		live.add(child);
	}
	let stdout = '';
	let stderr = '';
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (d) => {
		stdout += d;
		output += d;
	});
	child.stderr?.setEncoding('utf8').on('data', (d) => {
		stderr += d;
		output += d;
	});
	if (o.input !== undefined) child.stdin?.end(o.input);

	let timedOut = false;
	const timer =
		o.timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					timedOut = true;
					killGroup(child, 'SIGKILL');
				}, o.timeoutMs);
	/** @type {NodeJS.Timeout | undefined} */
	let grace;
	if (o.group) {
		// a leftover task runner holding our pipes would delay 'close' until the timeout
		child.on('exit', () => {
			grace = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
			grace.unref();
		});
	}
	/** @type {Result | null} */
	let exited = null;
	/** @type {Promise<Result>} */
	const done = new Promise((resolve, reject) => {
		child.on('error', (err) => {
			clearTimeout(timer);
			live.delete(child);
			output += `\nspawn error: ${err.message}`;
			exited = { code: null, signal: null, timedOut, stdout, stderr, output, ms: Date.now() - started };
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			clearTimeout(grace);
			live.delete(child);
			if (o.group) killGroup(child, 'SIGKILL'); // anything it left in its group
			if (o.stdoutFile) {
				try {
					stdout = fs.readFileSync(o.stdoutFile, 'utf8');
				} catch (e) {
					stdout = `(could not read ${o.stdoutFile}: ${/** @type {Error} */ (e).message})`;
				}
				output = `${stdout}${output}`;
			}
			exited = { code, signal, timedOut, stdout, stderr, output, ms: Date.now() - started };
			resolve(exited);
		});
	});
	done.catch(() => {}); // a caller may only ever call stop()

	return {
		child,
		done,
		get exited() {
			return exited;
		},
		async stop(graceMs = 10000, so = {}) {
			if (!exited) {
				killGroup(child, 'SIGTERM');
				const hard = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
				await done.catch(() => {});
				clearTimeout(hard);
			}
			if (so.waitForGroup) await groupGone(child);
		},
	};
}

/**
 * Runs a command to the end; never rejects for a non-zero exit (see runOk).
 * @param {string} cmd
 * @param {string[]} args
 * @param {StartOptions} [o]
 * @returns {Promise<Result>}
 */
function run(cmd, args, o = {}) {
	return start(cmd, args, o).done;
}

/**
 * Runs a command to the end; throws unless it exits 0, with the end of its output.
 * @param {string} cmd
 * @param {string[]} args
 * @param {StartOptions} [o]
 * @returns {Promise<Result>}
 */
async function runOk(cmd, args, o = {}) {
	const r = await run(cmd, args, o);
	if (r.code === 0) return r;
	const how = r.timedOut ? `timeout after ${o.timeoutMs} ms` : r.signal || `exit ${r.code}`;
	const shown = readable(r.output).slice(-4000);
	const where = o.logFile ? ` (output in ${o.logFile})` : '';
	throw new Error(
		`\`${path.basename(cmd)} ${args.join(' ')}\` failed (${how})${where}${shown ? `:\n${shown}` : ''}`,
	);
}

module.exports = {
	PASS_ENV,
	passEnv,
	sleep,
	freePort,
	portIsFree,
	killGroup,
	waitFor,
	readable,
	commandLine,
	start,
	run,
	runOk,
};
