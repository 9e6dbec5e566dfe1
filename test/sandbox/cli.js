'use strict';
/**
 * `npm run sandbox -- [--port N] [--latency MS] [--rate R] [--burst B] [--retry-after FORMAT]
 *                    [--lead-count N] [--list-shape S] [--lead-shape S] [--duplicates D]
 *                    [--webhook-url URL] [--max-lifetime-minutes M]`
 * Starts the Nexor sandbox on 127.0.0.1, prints how to reach it, serves until Ctrl-C / SIGTERM,
 * and stops by itself after the max lifetime (default 8 hours).
 */

const { startSandbox, SEED_LEADS, SEED_WORKFLOWS, SEED_TAGS, LIMITS, generatedLeadId } = require('./server.js');

const DEFAULT_LIFETIME_MINUTES = 8 * 60;

const USAGE = `Usage: npm run sandbox -- [options]

  --port N                   port on 127.0.0.1 (default 0 = a free random port)
  --latency MS               delay added before every answer (0..${LIMITS.maxLatencyMs})
  --rate R                   rate limit: tokens refilled per second (enables the limiter)
  --burst B                  rate limit: bucket size (default: R rounded up, at least 1)
  --retry-after FORMAT       429 Retry-After as seconds | http-date | none (default seconds)
  --lead-count N             add N generated leads (IDs from generatedLeadId(i))
  --list-shape S             GET /leads, /workflows, /campaigns as named | data | array | unknown
  --lead-shape S             GET /leads/{id} as new | old (the two documented shapes)
  --duplicates D             POST /leads with a known email/phone: upsert | create (default upsert)
  --webhook-url URL          send webhook events (meeting.cancelled) to this http URL on 127.0.0.1/localhost
  --max-lifetime-minutes M   stop by itself after M minutes (default ${DEFAULT_LIFETIME_MINUTES})
  --help                     show this text
`;

/**
 * @param {string[]} argv
 * @returns {{ help: true } | { help: false, port: number, latency: number | undefined,
 *   rate: number | undefined, burst: number | undefined, retryAfter: string | undefined,
 *   leadCount: number, lifetimeMinutes: number, listShape: string | undefined,
 *   leadShape: string | undefined, duplicates: string | undefined, webhookUrl: string | undefined }}
 */
function parseArgs(argv) {
	/** @type {Record<string, string>} */
	const values = {};
	const known = [
		'port',
		'latency',
		'rate',
		'burst',
		'retry-after',
		'lead-count',
		'list-shape',
		'lead-shape',
		'duplicates',
		'webhook-url',
		'max-lifetime-minutes',
	];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') return { help: true };
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!m || !known.includes(m[1])) throw new Error(`unknown argument ${arg}`);
		let value = m[2];
		if (value === undefined) {
			value = argv[i + 1];
			i += 1;
		}
		if (value === undefined) throw new Error(`--${m[1]} needs a value`);
		values[m[1]] = value;
	}
	/**
	 * @param {string} name
	 * @param {number} min
	 * @param {number} max
	 * @param {boolean} integer
	 */
	const num = (name, min, max, integer) => {
		if (values[name] === undefined) return undefined;
		const n = Number(values[name]);
		if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
			throw new Error(
				`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`,
			);
		}
		return n;
	};
	const retryAfter = values['retry-after'];
	if (retryAfter !== undefined && !['seconds', 'http-date', 'none'].includes(retryAfter)) {
		throw new Error('--retry-after must be seconds, http-date or none');
	}
	/**
	 * @param {string} name
	 * @param {string[]} choices
	 */
	const oneOf = (name, choices) => {
		const value = values[name];
		if (value !== undefined && !choices.includes(value)) throw new Error(`--${name} must be one of ${choices.join(', ')}`);
		return value;
	};
	const listShape = oneOf('list-shape', ['named', 'data', 'array', 'unknown']);
	const leadShape = oneOf('lead-shape', ['new', 'old']);
	const duplicates = oneOf('duplicates', ['upsert', 'create']);
	const rate = num('rate', Number.MIN_VALUE, 1e6, false);
	const burst = num('burst', 1, 1e6, true);
	if ((burst !== undefined || retryAfter !== undefined) && rate === undefined) {
		throw new Error('--burst and --retry-after need --rate');
	}
	const lifetimeMinutes = num(
		'max-lifetime-minutes',
		Number.MIN_VALUE,
		LIMITS.maxLifetimeMs / 60_000,
		false,
	);
	return {
		help: false,
		port: num('port', 0, 65535, true) || 0,
		latency: num('latency', 0, LIMITS.maxLatencyMs, false),
		rate,
		burst,
		retryAfter,
		leadCount: num('lead-count', 0, LIMITS.maxLeadCount, true) || 0,
		lifetimeMinutes: lifetimeMinutes === undefined ? DEFAULT_LIFETIME_MINUTES : lifetimeMinutes,
		listShape,
		leadShape,
		duplicates,
		webhookUrl: values['webhook-url'],
	};
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(
			`sandbox: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
		);
		process.exitCode = 2;
		return;
	}
	if (args.help) {
		process.stdout.write(USAGE);
		return;
	}
	/** @type {import('./server.js').Faults} */
	const faults = {};
	if (args.latency !== undefined) faults.latencyMs = args.latency;
	if (args.rate !== undefined) {
		faults.rateLimit = {
			ratePerSec: args.rate,
			burst: args.burst === undefined ? Math.max(1, Math.ceil(args.rate)) : args.burst,
			retryAfter: /** @type {import('./server.js').RetryAfterFormat} */ (
				args.retryAfter || 'seconds'
			),
		};
	}
	const lifetimeMs = Math.round(args.lifetimeMinutes * 60_000);
	const sandbox = await startSandbox({
		port: args.port,
		faults,
		leadCount: args.leadCount,
		maxLifetimeMs: Math.max(1, lifetimeMs),
		shapes: {
			.../** @type {{ list?: import('./server.js').ListShape }} */ (args.listShape ? { list: args.listShape } : {}),
			.../** @type {{ lead?: import('./server.js').LeadShape }} */ (args.leadShape ? { lead: args.leadShape } : {}),
		},
		duplicates: /** @type {'upsert' | 'create'} */ (args.duplicates || 'upsert'),
		webhook: args.webhookUrl === undefined ? null : { url: args.webhookUrl },
	});
	const stopsAt = new Date(Date.now() + lifetimeMs).toISOString();
	const lines = [
		'Nexor sandbox is running (fake data, 127.0.0.1 only).',
		'',
		`  Base URL     ${sandbox.baseUrl}`,
		`  API key      ${sandbox.apiKey}   (the sandbox's own fake key; send it as X-API-Key)`,
		`  Control API  ${sandbox.origin}/__sandbox  (journal, faults, rules, shapes, reset, stats, webhooks)`,
		'',
		'  Seeded leads:',
		...SEED_LEADS.map(
			(l) => `    ${l.id}  ${[l.first_name, l.last_name].filter(Boolean).join(' ')}`,
		),
	];
	if (args.leadCount > 0) {
		lines.push(
			`    + ${args.leadCount} generated leads: ${generatedLeadId(0)} … ${generatedLeadId(args.leadCount - 1)}`,
		);
	}
	const shapes = sandbox.getShapes();
	lines.push(
		`  Campaign IDs: ${sandbox.campaignIds.join(', ')}`,
		'  Workflows:',
		...SEED_WORKFLOWS.map(
			(w) => `    ${w.id}  ${w.name}${w.is_active ? '' : ' (paused)'}: ${w.statuses.map((st) => st.key).join(', ')}`,
		),
		`  Tag IDs: ${SEED_TAGS.map((t) => `${t.id} (${t.name})`).join(', ')}`,
		'',
		`Shapes: lists ${shapes.list}, GET /leads/{id} ${shapes.lead}; POST /leads duplicates: ${args.duplicates || 'upsert'}.`,
		`Webhooks: ${
			args.webhookUrl === undefined
				? 'no target (POST /__sandbox/webhooks sets one; POST /__sandbox/webhooks/deliver sends an event)'
				: `events go to ${args.webhookUrl}`
		}.`,
		`Faults: latency ${args.latency || 0} ms; rate limit ${
			args.rate === undefined
				? 'off'
				: `${args.rate}/s, burst ${faults.rateLimit && faults.rateLimit.burst}, Retry-After ${args.retryAfter || 'seconds'}`
		}.`,
		`Stops by itself at ${stopsAt} (after ${args.lifetimeMinutes} min). Press Ctrl-C to stop now.`,
		'',
	);
	process.stdout.write(lines.join('\n'));

	let signals = 0;
	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		signals += 1;
		if (signals > 1) {
			process.stdout.write(`Second ${signal}: exiting now.\n`);
			process.exit(1);
		}
		process.stdout.write(`\n${signal} received, stopping the sandbox…\n`);
		void sandbox.close();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	const reason = await sandbox.closed;
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	process.stdout.write(
		reason === 'max-lifetime'
			? `Sandbox reached its max lifetime (${args.lifetimeMinutes} min) and stopped.\n`
			: 'Sandbox stopped.\n',
	);
	process.exitCode = 0;
}

main().catch((error) => {
	process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
