// @ts-check
'use strict';
/**
 * `npm start [-- --reset]`: the playground. Builds this package, starts the Nexor sandbox on
 * 127.0.0.1:4010 and a real n8n 2.41.1 on 127.0.0.1:5678 with the packed package installed, an
 * owner account, a Nexor credential pointing at the sandbox and the example workflows; prints the
 * URL, the login and what to try first; Ctrl-C stops n8n and the sandbox.
 *
 *   NEXOR_PLAYGROUND_DIR            user folder (default <runtime cache>/playground, i.e.
 *                                   ~/.cache/n8n-nodes-nexor/playground); kept between starts
 *   NEXOR_PLAYGROUND_PORT           n8n's port (default 5678)
 *   NEXOR_PLAYGROUND_SANDBOX_PORT   the sandbox's port (default 4010)
 *   --reset                         delete the user folder first (owner, executions, your own workflows)
 */

const fs = require('node:fs');
const path = require('node:path');
const { runtimePaths } = require('../runtimes/install.js');
const { SEED_LEADS } = require('../sandbox/server.js');
const {
	startPlayground,
	secs,
	CREDENTIAL,
	DEFAULT_N8N_PORT,
	DEFAULT_SANDBOX_PORT,
	N8N_VERSION,
} = require('./playground.js');

const USAGE = `Usage: npm start [-- --reset]

Starts n8n ${N8N_VERSION} with this package installed, next to the Nexor sandbox, until Ctrl-C.
  --reset   delete the playground's n8n user folder first (owner, executions, your own workflows)

Environment: NEXOR_PLAYGROUND_DIR (user folder), NEXOR_PLAYGROUND_PORT (n8n, default ${DEFAULT_N8N_PORT}),
NEXOR_PLAYGROUND_SANDBOX_PORT (sandbox, default ${DEFAULT_SANDBOX_PORT}).
`;

/** @param {string} name @param {number} fallback */
function portFromEnv(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > 65535)
		throw new Error(`${name} must be a port number, got "${raw}"`);
	return n;
}

async function main() {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		process.stdout.write(USAGE);
		return;
	}
	const unknown = args.filter((a) => a !== '--reset');
	if (unknown.length > 0) {
		process.stderr.write(`playground: unknown argument ${unknown[0]}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const userFolder =
		process.env.NEXOR_PLAYGROUND_DIR || path.join(runtimePaths().cache, 'playground');
	const n8nPort = portFromEnv('NEXOR_PLAYGROUND_PORT', DEFAULT_N8N_PORT);
	const sandboxPort = portFromEnv('NEXOR_PLAYGROUND_SANDBOX_PORT', DEFAULT_SANDBOX_PORT);
	if (args.includes('--reset')) {
		process.stderr.write(`» --reset: deleting ${userFolder}\n`);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	const firstStart = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));

	/** @type {Awaited<ReturnType<typeof startPlayground>> | undefined} */
	let pg;
	let stopping = false;
	/** @param {string} why */
	const shutdown = async (why) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${why}: stopping n8n and the sandbox…\n`);
		if (pg) await pg.stop();
		process.stdout.write('Stopped: n8n and the sandbox are no longer running.\n');
	};
	let signals = 0;
	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		signals += 1;
		if (signals > 1) {
			// the 'exit' hook of test/support/process.js still kills n8n's process group
			process.stdout.write(`Second ${signal}: exiting now.\n`);
			process.exit(130);
		}
		if (!pg) {
			// still starting: startPlayground cleans up when its current step fails
			process.stdout.write(`\n${signal}: stopping…\n`);
			process.exit(130);
		}
		void shutdown(signal).then(() => process.exit(0));
	};
	for (const s of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP']))
		process.on(s, onSignal);

	process.stderr.write(
		`Nexor playground: user folder ${userFolder}${firstStart ? ' (new)' : ' (reused)'}\n`,
	);
	pg = await startPlayground({ userFolder, n8nPort, sandboxPort });
	const { url, owner, sandbox, workflows, timings } = pg;

	const lead = SEED_LEADS[0];
	const lines = [
		'',
		`Nexor playground is ready in ${secs(timings.total)}: n8n ${N8N_VERSION} with this package installed from its packed tarball.`,
		'',
		`  Open      ${url}`,
		`  Log in    ${owner.email}  /  ${owner.password}` +
			(pg.login.ok ? '' : `\n            (${pg.login.note})`),
		`  Sandbox   ${sandbox.baseUrl}  (a fake Nexor, in memory: its leads are reset at every start)`,
		`  Key       ${sandbox.apiKey}  (in the credential "${CREDENTIAL.name}")`,
		'',
		'  Example workflows (from examples/; also under Overview → Workflows):',
		...workflows.map((w) => `    ${url}/workflow/${w.id}   ${w.name}`),
		'',
		'Try first:',
		'  1. Open example 1 and click "Execute workflow"; double-click "Update lead from form" to see',
		'     the parameters and the updated lead it returned.',
		'  2. Run example 2: four rows update their leads, the row with an unknown lead ID leaves on the',
		'     error output and reaches "Notify sales ops".',
		'  3. Run example 3: Fields to Clear = Campaign ID takes María out of her campaign.',
		'  4. Add the node yourself: in any workflow click +, search "Nexor", pick "Update a lead",',
		`     choose the credential "${CREDENTIAL.name}" and use a seeded lead ID, e.g. ${lead.id}`,
		`     (${lead.first_name} ${lead.last_name}).`,
		`  5. See exactly what the node sent: ${sandbox.origin}/__sandbox/journal`,
		`     and a lead as stored now: ${sandbox.origin}/__sandbox/leads/${lead.id}`,
		'',
		`Other seeded leads: ${SEED_LEADS.slice(1)
			.map((l) => `${l.id} (${l.first_name})`)
			.join(', ')}.`,
		'Your workflows and changes to the examples are kept between starts; `npm start -- --reset` starts over.',
		`n8n's log: ${pg.logFile}`,
		'Press Ctrl-C to stop n8n and the sandbox.',
		'',
	];
	process.stdout.write(lines.join('\n'));

	const ended = await Promise.race([
		pg.n8nExited.then(
			(r) => `n8n exited unexpectedly (${r.signal || `exit ${r.code}`}); see ${pg && pg.logFile}`,
		),
		sandbox.closed.then((reason) =>
			reason === 'max-lifetime' ? 'the sandbox reached its 8-hour lifetime' : '',
		),
	]);
	if (ended && !stopping) {
		await shutdown(ended);
		process.exitCode = ended.startsWith('n8n exited') ? 1 : 0;
	}
}

main().catch((e) => {
	process.stderr.write(`\nplayground: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exitCode = 1;
});
