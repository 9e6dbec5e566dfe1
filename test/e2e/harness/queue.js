// @ts-check
'use strict';
/**
 * n8n in queue mode, started by the tests themselves from Debian's packages: a private Redis
 * (`redis-server`, no persistence) and a private PostgreSQL 15 cluster (initdb into a temp dir), both
 * on free loopback ports, then an n8n main (`n8n start`) and workers (`n8n worker`) with
 * EXECUTIONS_MODE=queue, one N8N_ENCRYPTION_KEY, each in its own user folder (createN8nHome) with the
 * packed package extracted into its .n8n/nodes, as n8n installs community packages.
 *
 * Everything stops by itself:
 * - `stop()` shuts it all down in order (workers, main, `redis-cli shutdown nosave`,
 *   `pg_ctl stop -m fast`) and removes every temp folder;
 * - every long-running child runs under coreutils `timeout` (a hard lifetime), in its own process
 *   group, killed with the test process on exit;
 * - a detached reaper (a few lines of sh) watches the test process: if it disappears without
 *   cleaning up (killed, crashed), the reaper kills whatever still runs with its working directory
 *   inside our temp folders and removes them. It ends itself after the lifetime too.
 *
 * Nothing here knows the API key; callers scan the logs, Redis and a pg_dump for it.
 */

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createN8nHome, request } = require('./n8n.js');
const { freePort, sleep, start, runOk, waitFor } = require('../../support/process.js');

/**
 * PostgreSQL's programs: NEXOR_PG_BIN, else Debian's 15 (this machine's), else the newest Debian/Ubuntu
 * version installed (an Ubuntu CI runner's apt gives 16).
 */
const PG_BIN = (() => {
	if (process.env.NEXOR_PG_BIN) return process.env.NEXOR_PG_BIN;
	const base = '/usr/lib/postgresql';
	if (fs.existsSync(path.join(base, '15/bin/initdb'))) return path.join(base, '15/bin');
	/** @type {string[]} */
	let versions = [];
	try {
		versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb')));
	} catch {
		/* none */
	}
	versions.sort((a, b) => Number(b) - Number(a));
	return path.join(base, versions[0] || '15', 'bin');
})();
/** Hard lifetime of every process started here (seconds): the suite is far shorter. */
const LIFETIME_S = 45 * 60;

/** @param {string} cmd @returns {string | null} its path, or null when not installed */
function which(cmd) {
	for (const dir of (process.env.PATH || '/usr/bin:/bin').split(path.delimiter).concat(['/usr/sbin', '/usr/bin'])) {
		const p = path.join(dir, cmd);
		try {
			fs.accessSync(p, fs.constants.X_OK);
			return p;
		} catch {
			/* next */
		}
	}
	return null;
}

/**
 * What queue mode needs from the machine, or why it can't run here.
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
function queuePrerequisites() {
	const missing = [];
	if (!which('redis-server') || !which('redis-cli')) missing.push('redis-server (apt-get install -y redis-server)');
	if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) missing.push(`PostgreSQL 15 in ${PG_BIN} (apt-get install -y postgresql)`);
	if (!which('timeout')) missing.push('coreutils timeout');
	if (missing.length) return { ok: false, reason: `not installed: ${missing.join(', ')}` };
	return { ok: true };
}

/**
 * A short command; resolves with its stdout, rejects with its output on a non-zero exit.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, input?: string }} [o]
 * @returns {Promise<string>}
 */
async function run(cmd, args, o = {}) {
	return (await runOk(cmd, args, { timeoutMs: 60000, ...o })).stdout;
}

/**
 * A long-running child under `timeout` (hard lifetime), in its own process group, output to a file.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logFile: string, asUser?: string }} o
 */
function daemon(cmd, args, o) {
	const argv = ['-k', '10', '-s', 'TERM', String(LIFETIME_S), cmd, ...args];
	const [bin, full] = o.asUser ? ['runuser', ['-u', o.asUser, '--', 'timeout', ...argv]] : ['timeout', argv];
	const proc = start(bin, full, { cwd: o.cwd, env: o.env, logFile: o.logFile, group: true });
	return {
		get exited() {
			return proc.exited;
		},
		/** SIGTERM to its group, SIGKILL after `graceMs`. */
		stop: (graceMs = 10000) => proc.stop(graceMs),
		log: () => readText(o.logFile),
	};
}

/** @param {string} file */
function readText(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/**
 * An HTTP request (webhook calls, health checks): the harness's, with a 120 s timeout by default.
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, timeoutMs?: number }} [o]
 */
const httpRequest = (url, o = {}) => request(url, { timeoutMs: 120000, ...o });

/**
 * Kills what still runs inside `roots` (by working directory) and removes them once `watchPid` is
 * gone, or after the lifetime: a PostgreSQL cluster there is stopped with `pg_ctl stop -m immediate`
 * first (so it removes its shared memory), everything else is killed. Started detached with `/` as
 * its own directory.
 * @param {number} watchPid
 * @param {string} rootsFile  one folder per line, appended to as folders are made
 */
function startReaper(watchPid, rootsFile) {
	const script = `
deadline=$(( $(date +%s) + ${LIFETIME_S} ))
while kill -0 ${watchPid} 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 2; done
[ -f "$1" ] || exit 0
while read -r root; do
  [ -n "$root" ] && [ -d "$root" ] || continue
  # PostgreSQL first, by pg_ctl: killed outright it would leave its shared memory segment behind
  if [ -f "$root/pg/data/postmaster.pid" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- timeout 20 "$2/pg_ctl" -D "$root/pg/data" stop -m immediate -w -t 15
    else timeout 20 "$2/pg_ctl" -D "$root/pg/data" stop -m immediate -w -t 15; fi
  fi >/dev/null 2>&1
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
    case "$cwd" in "$root"|"$root"/*) kill -KILL "\${p#/proc/}" 2>/dev/null ;; esac
  done
done < "$1"
sleep 1
while read -r root; do [ -n "$root" ] && rm -rf "$root"; done < "$1"
rm -f "$1"
`;
	const child = spawn('sh', ['-c', script, 'nexor-queue-reaper', rootsFile, PG_BIN], {
		cwd: '/',
		stdio: 'ignore',
		detached: true,
	});
	child.unref();
	return child;
}

/**
 * A private Redis on a free loopback port: no RDB snapshots, no AOF, data only in memory.
 * @param {string} dir  its working folder (log, MONITOR capture)
 */
async function startRedis(dir) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const server = daemon(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'],
		{ cwd: dir, logFile },
	);
	const cli = (/** @type {string[]} */ args, o = {}) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], o);
	for (let i = 0; ; i++) {
		try {
			if ((await cli(['ping'], { timeoutMs: 2000 })).trim() === 'PONG') break;
		} catch (e) {
			if (server.exited || i > 100) throw new Error(`redis-server did not start: ${/** @type {Error} */ (e).message}\n${server.log()}`);
		}
		await sleep(100);
	}
	// Every command any client sends, with its arguments (job payloads included), for the key scan.
	const monitorFile = path.join(dir, 'monitor.log');
	const monitor = daemon('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'monitor'], { cwd: dir, logFile: monitorFile });

	return {
		port,
		logFile,
		monitorFile,
		cli,
		/**
		 * Every key with its type and every value (strings, hashes, lists, sets, sorted sets, streams),
		 * as text, from one Lua script.
		 * @returns {Promise<string>}
		 */
		async dumpAll() {
			const lua = `
local out = {}
local function add(v) if type(v) == 'table' then for _, x in ipairs(v) do add(x) end elseif v ~= nil then table.insert(out, tostring(v)) end end
for _, k in ipairs(redis.call('KEYS', '*')) do
  local t = redis.call('TYPE', k).ok
  add('KEY ' .. k .. ' ' .. t)
  if t == 'string' then add(redis.call('GET', k))
  elseif t == 'hash' then add(redis.call('HGETALL', k))
  elseif t == 'list' then add(redis.call('LRANGE', k, 0, -1))
  elseif t == 'set' then add(redis.call('SMEMBERS', k))
  elseif t == 'zset' then add(redis.call('ZRANGE', k, 0, -1, 'WITHSCORES'))
  elseif t == 'stream' then add(redis.call('XRANGE', k, '-', '+'))
  end
end
return out`;
			return await cli(['--raw', 'EVAL', lua, '0']);
		},
		/** The MONITOR capture so far. */
		monitorLog: () => readText(monitorFile),
		log: () => server.log(),
		async stop() {
			try {
				await cli(['shutdown', 'nosave'], { timeoutMs: 10000 });
			} catch {
				/* the connection closes as it shuts down */
			}
			await server.stop(5000);
			await monitor.stop(2000);
		},
	};
}

/**
 * A private PostgreSQL 15 cluster on a free loopback port, trust authentication, fsync off (a
 * throw-away test database). PostgreSQL refuses to run as root: as root, it runs as `postgres`.
 * @param {string} dir  its folder (made traversable and handed to `postgres`)
 */
async function startPostgres(dir) {
	const asRoot = process.getuid?.() === 0;
	const user = asRoot ? 'postgres' : undefined;
	fs.mkdirSync(dir, { recursive: true });
	const data = path.join(dir, 'data');
	const sock = path.join(dir, 'sock');
	fs.mkdirSync(sock);
	if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const as = (/** @type {string} */ bin, /** @type {string[]} */ args) =>
		user ? run('runuser', ['-u', user, '--', path.join(PG_BIN, bin), ...args], { cwd: dir }) : run(path.join(PG_BIN, bin), args, { cwd: dir });
	await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (asRoot) execFileSync('chown', ['postgres:postgres', logFile]);
	const server = daemon(
		path.join(PG_BIN, 'postgres'),
		['-D', data, '-p', String(port), '-k', sock, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		{ cwd: dir, logFile, asUser: user },
	);
	const client = (/** @type {string} */ bin, /** @type {string[]} */ args, o = {}) =>
		run(path.join(PG_BIN, bin), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', ...args], o);
	for (let i = 0; ; i++) {
		try {
			await client('pg_isready', ['-q'], { timeoutMs: 3000 });
			break;
		} catch (e) {
			if (server.exited || i > 300) throw new Error(`postgres did not start: ${/** @type {Error} */ (e).message}\n${readText(logFile)}`);
		}
		await sleep(100);
	}
	return {
		port,
		logFile,
		/** @param {string} name */
		createDatabase: (name) => client('psql', ['-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-c', `create database "${name}"`]),
		/**
		 * Rows of a query as JSON objects (one `json_agg`, so any column types survive).
		 * @param {string} db @param {string} sql
		 * @returns {Promise<any[]>}
		 */
		async query(db, sql) {
			const out = await client('psql', ['-v', 'ON_ERROR_STOP=1', '-d', db, '-At', '-c', `select coalesce(json_agg(q), '[]'::json) from (${sql}) q`], {
				timeoutMs: 120000,
			});
			return JSON.parse(out);
		},
		/** `pg_dump` of a whole database, data included, as SQL text. @param {string} db */
		dump: (db) => client('pg_dump', ['-d', db, '--no-owner'], { timeoutMs: 120000 }),
		log: () => readText(logFile),
		async stop() {
			try {
				await as('pg_ctl', ['-D', data, 'stop', '-m', 'fast', '-w', '-t', '30']);
			} catch {
				/* not running: the daemon's stop below settles it */
			}
			await server.stop(5000);
		},
	};
}

/**
 * @typedef {object} QueueWorker
 * @property {string} name
 * @property {import('./n8n.js').N8nHome} home
 * @property {number} healthPort
 * @property {() => string} log
 * @property {() => Promise<void>} stop
 * @property {() => Set<string>} executionIds  ids of executions this worker started (from its log)
 */

/**
 * Redis + PostgreSQL, then main and workers as asked. Call `stop()` in afterAll.
 * @param {{ line: '1' | '2', tgz: string, workers: number, concurrency?: number, env?: Record<string, string> }} opts
 */
async function startQueueCluster(opts) {
	const prereq = queuePrerequisites();
	if (!prereq.ok) throw new Error(`queue mode can't run here: ${prereq.reason}`);
	const started = Date.now();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), `nexor-queue${opts.line}-`));
	fs.chmodSync(root, 0o711); // postgres (another user) must reach its folder inside
	const rootsFile = path.join(os.tmpdir(), `${path.basename(root)}.roots`);
	fs.writeFileSync(rootsFile, `${root}\n`);
	const reaper = startReaper(process.pid, rootsFile);
	/** @param {string} dir */
	const track = (dir) => fs.appendFileSync(rootsFile, `${dir}\n`);

	/** @type {string[]} */
	const timings = [];
	const mark = (/** @type {string} */ what) => timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);

	/** @type {Awaited<ReturnType<typeof startRedis>> | undefined} */
	let redis;
	/** @type {Awaited<ReturnType<typeof startPostgres>> | undefined} */
	let pg;
	/** @type {import('./n8n.js').N8nHome[]} */
	const homes = [];
	/** @type {QueueWorker[]} */
	const workers = [];
	/** @type {import('./n8n.js').N8nServer | undefined} */
	let main;
	/** @type {import('./n8n.js').N8nHome | undefined} */
	let mainHome;
	let stopped = false;
	/** Every log, read once everything has stopped (the folders are gone after stop()). */
	let finalLogs = '';
	const collectLogs = () =>
		[
			...homes.flatMap((h) => h.logs),
			...workers.map((w) => w.log()),
			redis ? redis.log() : '',
			redis ? redis.monitorLog() : '',
			pg ? pg.log() : '',
		].join('\n');

	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await Promise.all([...workers].map((w) => w.stop()));
		if (main) await main.stop();
		if (redis) await redis.stop();
		if (pg) await pg.stop();
		finalLogs = collectLogs();
		for (const h of homes) await h.cleanup();
		fs.rmSync(root, { recursive: true, force: true });
		fs.rmSync(rootsFile, { force: true });
		try {
			if (reaper.pid) process.kill(reaper.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	};

	try {
		[redis, pg] = await Promise.all([startRedis(path.join(root, 'redis')), startPostgres(path.join(root, 'pg'))]);
		await pg.createDatabase('n8n');
		mark('redis + postgres ready');

		/** @type {Record<string, string>} */
		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
			N8N_RUNNERS_ENABLED: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...(opts.env || {}),
		};

		/** @param {string} name */
		const newHome = async (name) => {
			const home = await createN8nHome({ line: opts.line, env: queueEnv });
			homes.push(home);
			track(home.dir);
			fs.writeFileSync(path.join(home.dir, 'ROLE'), `${name}\n`);
			return home;
		};

		mainHome = await newHome('main');
		await mainHome.installPackage(opts.tgz);
		// main first: it runs the migrations on the empty database; workers start once it is ready
		main = await mainHome.start({ readyTimeoutMs: 240000 });
		mark('main ready');

		const cluster = {
			line: opts.line,
			root,
			redis,
			pg,
			main,
			mainHome,
			workers,
			timings,
			/**
			 * Starts one more worker in its own user folder; `installPackage: false` leaves the package out.
			 * @param {{ name: string, installPackage?: boolean, concurrency?: number }} w
			 * @returns {Promise<QueueWorker>}
			 */
			async addWorker(w) {
				const home = await newHome(w.name);
				if (w.installPackage !== false) await home.installPackage(opts.tgz);
				const healthPort = await freePort();
				const logFile = path.join(home.dir, 'worker.log');
				const proc = daemon(home.runtime.nodeBin, [home.runtime.bin, 'worker', `--concurrency=${w.concurrency ?? opts.concurrency ?? 5}`], {
					cwd: home.dir,
					env: home.childEnv({
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(healthPort),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}),
					logFile,
				});
				try {
					await waitFor(
						async () => {
							if (!/n8n worker is now ready/.test(proc.log())) return false;
							try {
								return (await httpRequest(`http://127.0.0.1:${healthPort}/healthz/readiness`, { timeoutMs: 5000 })).status === 200;
							} catch {
								return false; // not listening yet
							}
						},
						{
							timeoutMs: 240000,
							intervalMs: 500,
							what: 'its readiness',
							giveUpIf: () => proc.exited && `it exited (${proc.exited.signal || `exit ${proc.exited.code}`})`,
						},
					);
				} catch (e) {
					throw new Error(`worker ${w.name}: ${/** @type {Error} */ (e).message}\n${proc.log()}`);
				}
				/** @type {QueueWorker} */
				const worker = {
					name: w.name,
					home,
					healthPort,
					log: proc.log,
					stop: async () => {
						await proc.stop();
						const i = workers.indexOf(worker);
						if (i >= 0) workers.splice(i, 1);
						home.logs.push(`$ n8n worker (${w.name})\n${proc.log()}`);
					},
					executionIds: () => new Set([...proc.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1])),
				};
				workers.push(worker);
				mark(`worker ${w.name} ready`);
				return worker;
			},
			/**
			 * Every log of every process (n8n main and workers, their CLI commands, Redis, Redis MONITOR,
			 * PostgreSQL) as one text; after stop(), as they were when everything had stopped.
			 */
			allLogs: () => (stopped ? finalLogs : collectLogs()),
			stop,
		};

		await Promise.all(Array.from({ length: opts.workers }, (_, i) => cluster.addWorker({ name: `worker${i + 1}` })));
		return cluster;
	} catch (e) {
		await stop();
		throw e;
	}
}

/** @typedef {Awaited<ReturnType<typeof startQueueCluster>>} QueueCluster */

module.exports = { startQueueCluster, queuePrerequisites, startRedis, startPostgres, httpRequest };
