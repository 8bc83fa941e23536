// What the loopback benchmarks (run.mjs, heartbeat.mjs) share: a throwaway database migrated and seeded through
// dist/cli, server child processes with their output in files, CPU accounting from /proc, percentiles, dev-login.
// Importing this module creates a scratch folder, removed on exit, and stops the children on exit and on signals.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { parseArgs } from 'node:util';
import { summarize } from './profile-summary.mjs';

export const API_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET_RATIO = 0.5;

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** An integer command-line option within bounds, or exit with a message. */
/**
 * The options every bench takes, plus its own, checked; the run is bounded so it always ends by itself.
 * Returns the parsed args and the checked numbers.
 */
export function benchOptions(own, maxConnections) {
  const { values: args } = parseArgs({
    options: {
      db: { type: 'string', default: process.env.BENCH_DB ?? 'sqlite' },
      duration: { type: 'string', default: '6' },
      rounds: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '20' },
      'log-level': { type: 'string', default: 'warn' },
      json: { type: 'string' },
      profile: { type: 'boolean', default: false },
      ...own,
    },
  });
  if (!['sqlite', 'mariadb'].includes(args.db)) fail(`--db must be sqlite or mariadb, got ${args.db}`);
  return {
    args,
    duration: integerOption(args, 'duration', 1, 60),
    rounds: integerOption(args, 'rounds', 1, 10),
    warmup: integerOption(args, 'warmup', 0, 30),
    connections: integerOption(args, 'connections', 1, maxConnections),
    logLevel: args['log-level'],
  };
}

export function integerOption(args, name, min, max) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min || value > max) fail(`--${name} must be an integer from ${min} to ${max}, got ${args[name]}`);
  return value;
}

export const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function describeMachine() {
  return `node ${process.version}; ${cpus().length} cores (${cpus()[0]?.model.trim()}); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

// ---- children -------------------------------------------------------------------------------------------------

const children = new Set();
export const scratch = mkdtempSync(join(tmpdir(), 'qmfz-bench-'));

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs a dist/cli step to completion. */
export function runStep(script, env) {
  return new Promise((resolveStep, reject) => {
    const child = spawn(process.execPath, [script], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveStep(out.trim()) : reject(new Error(`${script} exited with ${code}\n${out}`))));
  });
}

/**
 * Starts a server process (cwd apps/api) and waits for its health route; its output goes to a log file so that
 * printing costs the load generator nothing. `preload` modules are passed to `node --import`; `ipc` opens a
 * message channel to the child (the preload hooks talk over it).
 */
export async function startServer(name, script, env, { preload = [], ipc = false, health = name === 'api' ? '/api/health' : '/health' } = {}) {
  const logFile = join(scratch, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...preload.flatMap((p) => ['--import', p]), script], {
    cwd: API_DIR,
    env,
    stdio: ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
  });
  closeSync(fd);
  children.add(child);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
    children.delete(child);
  });
  const server = { name, child, logFile, url: `http://127.0.0.1:${env.PORT}`, log: () => readFileSync(logFile, 'utf8') };
  for (let i = 0; i < 300; i++) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} during start:\n${server.log()}`);
    try {
      if ((await fetch(server.url + health)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not answer ${health} within 30 s:\n${server.log()}`);
}

async function stopChildren() {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise((resolveStop) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolveStop();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

let dropDatabase = async () => {};

/** Stops the servers and drops the MariaDB schema; the scratch folder goes on exit. */
export async function cleanup() {
  await stopChildren();
  await dropDatabase();
  dropDatabase = async () => {};
}

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---- database -------------------------------------------------------------------------------------------------

/**
 * A fresh database ('sqlite': a temp file; 'mariadb': a schema on BENCH_MARIADB_URL, dropped by cleanup()) and
 * ways to look rows up directly (the benches need unit ids that no API route lists, and check what was written):
 * `rows(sql, params)` runs a portable SELECT (no identifier quoting, `?` placeholders) and returns the rows.
 */
export async function createDatabase(kind) {
  if (kind === 'sqlite') {
    const path = join(scratch, 'bench.sqlite');
    return {
      env: { SQLITE_PATH: path },
      label: 'better-sqlite3',
      rows: async (sql, params = []) => {
        const db = new Database(path, { readonly: true });
        try {
          return db.prepare(sql).all(...params);
        } finally {
          db.close();
        }
      },
      unitIdByName: async (name) => {
        const db = new Database(path, { readonly: true });
        try {
          return db.prepare('SELECT id FROM units WHERE name = ?').get(name)?.id;
        } finally {
          db.close();
        }
      },
    };
  }
  const admin = new URL(process.env.BENCH_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306');
  const name = `qmfz_bench_${randomBytes(4).toString('hex')}`;
  const connection = await createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
  });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  // A second connection, on the schema itself, for the benches' own checks (`rows`).
  const schema = await createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password), database: name, timezone: 'Z' });
  dropDatabase = async () => {
    await schema.end();
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.end();
  };
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const [[version]] = await connection.query('SELECT VERSION() AS v');
  return {
    env: { DATABASE_URL: url.toString() },
    label: `mysql2 → MariaDB ${version.v.split('-')[0]}`,
    rows: async (sql, params = []) => (await schema.query(sql, params))[0],
    unitIdByName: async (unitName) => (await connection.query(`SELECT id FROM \`${name}\`.units WHERE name = ?`, [unitName]))[0][0]?.id,
  };
}

/** The servers' environment: the database, a fresh secret, dev-login on; nothing inherited that points elsewhere. */
export function serverEnv(database, jwtSecret, logLevel) {
  const { DATABASE_URL, SQLITE_PATH, REDIS_URL, WEB_ROOT, PORT, LOG_LEVEL, NODE_ENV, APP_ENV, ...inherited } = process.env;
  return {
    ...inherited,
    ...database.env,
    // development only so that /api/auth/dev-login can hand out tokens; nothing on the measured routes depends on it
    // (NODE_ENV stays unset: the API refuses NODE_ENV=production without APP_ENV=production).
    APP_ENV: 'development',
    DEV_LOGIN: 'true',
    HOST: '127.0.0.1',
    JWT_SECRET: jwtSecret,
    ACCESS_TOKEN_TTL: '3600',
    LOG_LEVEL: logLevel,
  };
}

// ---- CPU accounting -------------------------------------------------------------------------------------------
// req/s on a shared 2-core machine moves with whatever else runs; CPU time per request of each server process
// barely does. Both are reported, with how much of the machine other processes took during each run.

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function processTicks(pid) {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function machineTicks() {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const idle = values[3] + (values[4] ?? 0);
    return { busy: values.reduce((a, b) => a + b, 0) - idle, total: values.reduce((a, b) => a + b, 0) };
  } catch {
    return { busy: 0, total: 0 };
  }
}

export function findPid(names) {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
      } catch {
        // gone
      }
    }
  } catch {
    // no procfs
  }
  return null;
}

/** Ticks of the server, the database server, this load generator and the whole machine. */
export function cpuSnapshot(target, dbPid) {
  return { server: processTicks(target.child.pid), db: dbPid ? processTicks(dbPid) : 0, self: processTicks(process.pid), machine: machineTicks() };
}

export function cpuDelta(before, after) {
  const d = (k) => after[k] - before[k];
  const machineBusy = after.machine.busy - before.machine.busy;
  const machineTotal = after.machine.total - before.machine.total;
  const ours = d('server') + d('db') + d('self');
  return { serverMs: d('server') * TICK_MS, dbMs: d('db') * TICK_MS, otherShare: machineTotal ? Math.max(0, machineBusy - ours) / machineTotal : 0 };
}

// ---- HTTP -----------------------------------------------------------------------------------------------------

/** The access token of a dev-login user; waits out the sign-in rate limit (30 a minute per IP) when a bench needs more. */
export async function signIn(api, body) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${api.url}/api/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 429 && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000 * (Number(response.headers.get('retry-after')) || 10)));
      continue;
    }
    if (!response.ok) throw new Error(`dev-login ${JSON.stringify(body)} → ${response.status} ${text}`);
    return JSON.parse(text).accessToken;
  }
}

/** What went wrong in one autocannon run: non-2xx (with the first body of each status), socket errors, timeouts. */
export function problems(targetName, scenarioName, { result, failures }) {
  const found = [];
  if (result.non2xx) {
    const codes = Object.entries(result.statusCodeStats).filter(([code]) => !code.startsWith('2'));
    found.push(`${result.non2xx} non-2xx (${codes.map(([code, s]) => `${code}×${s.count}`).join(', ')})`);
    for (const [status, body] of failures) found.push(`  ${status}: ${body}`);
  }
  if (result.errors) found.push(`${result.errors} socket errors`);
  if (result.timeouts) found.push(`${result.timeouts} timeouts`);
  return found.map((p) => `${scenarioName} on ${targetName}: ${p}`);
}

/** Prints rows as a table: the columns whose index is in `numeric` right-aligned, then the footnote. */
export function printTable(header, body, numeric, footnote) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
  console.log(footnote);
}

/** Runs a bench's main(), always cleans up, and exits with its code (1 when it threw). */
export async function runBench(main) {
  let code = 1;
  try {
    code = await main();
  } catch (error) {
    console.error(`bench: ${error.stack ?? error}`);
  } finally {
    await cleanup();
  }
  process.exit(code);
}

// ---- IPC with the preloaded hooks ------------------------------------------------------------------------------

/** The SQL statements a server sent since it started, from bench/query-count-hook.mjs over its IPC channel. */
export function queryCounts(server) {
  return new Promise((resolveCounts, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server.name} did not report its query counts (is query-count-hook.mjs preloaded?)`)), 5000);
    const onMessage = (message) => {
      if (message?.type !== 'queries') return;
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolveCounts(message);
    };
    server.child.on('message', onMessage);
    server.child.send('queries:get');
  });
}

/** What was sent between two `queryCounts`: totals by kind and the statements (first 100 characters) sent. */
export function queryDelta(before, after) {
  const counts = Object.fromEntries(Object.keys(after.counts).map((k) => [k, after.counts[k] - before.counts[k]]));
  const statements = Object.entries(after.statements)
    .map(([sql, n]) => [sql, n - (before.statements[sql] ?? 0)])
    .filter(([, n]) => n > 0);
  return { counts, statements: Object.fromEntries(statements) };
}

/** Stops the CPU profilers started with 'profile:start' (bench/profile-hook.mjs) and prints each summary. */
export async function printProfiles(targets) {
  console.log('\nCPU profiles over the measured runs (the profiler itself slows both servers):');
  for (const target of targets) {
    const written = new Promise((resolveWritten) => target.child.on('message', (m) => m === 'profile:written' && resolveWritten()));
    target.child.send('profile:stop');
    await written;
    console.log(`${target.name} (${target.profileFile}):\n${summarize(JSON.parse(readFileSync(target.profileFile, 'utf8')))}`);
  }
}

// ---- measured runs: API and baseline, interleaved ------------------------------------------------------------

/**
 * A server process to measure (cwd apps/api): with `countQueries` the query counter is preloaded (an IPC channel is
 * opened for it), with `profile` the CPU profiler, writing to bench/profiles/<bench>-<db>-<name>.cpuprofile.
 */
export async function startMeasuredServer(bench, { db, profile }, name, script, env, { countQueries }) {
  const profileFile = join(API_DIR, 'bench', 'profiles', `${bench}-${db}-${name}.cpuprofile`);
  if (profile) mkdirSync(dirname(profileFile), { recursive: true });
  const preload = [...(countQueries ? ['./bench/query-count-hook.mjs'] : []), ...(profile ? ['./bench/profile-hook.mjs'] : [])];
  const server = await startServer(name, script, profile ? { ...env, BENCH_PROFILE_FILE: profileFile } : env, { preload, ipc: preload.length > 0 });
  server.profileFile = profileFile;
  return server;
}

function emptySample() {
  return { requests: 0, seconds: 0, latencies: [], serverMs: 0, dbMs: 0, otherShare: 0, runs: 0, queries: { read: 0, write: 0, other: 0 }, statements: {} };
}

function addRun(sample, run) {
  sample.requests += run.result.requests.total;
  sample.seconds += run.result.duration;
  for (const l of run.latencies) sample.latencies.push(l);
  sample.serverMs += run.cpu.serverMs;
  sample.dbMs += run.cpu.dbMs;
  sample.otherShare += run.cpu.otherShare;
  sample.runs++;
  if (!run.queries) return;
  for (const [k, n] of Object.entries(run.queries.counts)) sample.queries[k] += n;
  for (const [sql, n] of Object.entries(run.queries.statements)) sample.statements[sql] = (sample.statements[sql] ?? 0) + n;
}

/** One server's figures over all measured rounds of a scenario. */
export function sampleSummary(sample, dbPid) {
  sample.latencies.sort((x, y) => x - y);
  return {
    requests: sample.requests,
    rps: sample.requests / sample.seconds,
    p50: percentile(sample.latencies, 50),
    p99: percentile(sample.latencies, 99),
    cpuPerRequestUs: (1000 * sample.serverMs) / sample.requests,
    dbCpuPerRequestUs: dbPid ? (1000 * sample.dbMs) / sample.requests : null,
    otherShare: sample.otherShare / sample.runs,
    queries: sample.queries,
    statements: sample.statements,
  };
}

/**
 * Warm-ups, then `rounds` rounds of every scenario on every target, the target that goes first alternating per
 * round; prints a line per run (`describe(run)` adds the bench's own figures) and the CPU profiles with --profile.
 * `measure(target, scenario, seconds)` returns { result, latencies, cpu, queries?, errors }. Then one row per
 * scenario comparing the first target (the API) with the second (the baseline), each summarised by `summarizeSample`.
 */
export async function measureInterleaved({ targets, scenarios, warmup, rounds, duration, profile, dbPid, driver, measure, describe, summarizeSample = sampleSummary }) {
  const errors = [];
  for (const scenario of warmup ? scenarios : []) {
    for (const target of targets) errors.push(...(await measure(target, scenario, warmup)).errors);
  }
  const samples = new Map();
  if (profile) for (const target of targets) target.child.send('profile:start');
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const run = await measure(target, scenario, duration);
        errors.push(...run.errors);
        const key = `${scenario.key}:${target.name}`;
        if (!samples.has(key)) samples.set(key, emptySample());
        addRun(samples.get(key), run);
        const total = run.result.requests.total || 1;
        console.log(
          `  round ${round + 1}  ${scenario.key.padEnd(6)} ${target.name.padEnd(8)} ${fmt(total / run.result.duration).padStart(6)} req/s` +
            `  p50 ${String(run.result.latency.p50).padStart(3)} ms  p99 ${String(run.result.latency.p99).padStart(3)} ms` +
            `  ${fmt((1000 * run.cpu.serverMs) / total).padStart(4)} µs CPU/req` +
            (dbPid ? ` (+${fmt((1000 * run.cpu.dbMs) / total)} µs in MariaDB)` : '') +
            describe(run) +
            `  other processes ${fmt(run.cpu.otherShare * 100)} % of the machine`,
        );
      }
    }
  }
  if (profile) await printProfiles(targets);
  const rows = scenarios.map((scenario) => {
    const [a, b] = targets.map((t) => summarizeSample(samples.get(`${scenario.key}:${t.name}`), dbPid));
    return { scenario: scenario.key, driver, api: a, baseline: b, ratio: a.rps / b.rps, cpuRatio: b.cpuPerRequestUs / a.cpuPerRequestUs };
  });
  return { rows, errors };
}

/** The end of a bench: a warning when the machine was busy, the API's last output, the errors; the exit code. */
export function finishBench({ rows, api, started, errors }) {
  const busy = Math.max(...rows.flatMap((r) => [r.api.otherShare, r.baseline.otherShare]));
  if (busy > 0.1) {
    console.log(`bench: WARNING other processes used up to ${fmt(busy * 100)} % of the machine during the runs: req/s and p99 are unreliable; CPU µs/req is steadier.`);
  }
  const apiLog = api.log().trim().split('\n');
  if (apiLog.length > 2) console.log(`bench: API output (${apiLog.length} lines), last lines:\n${apiLog.slice(-5).join('\n')}`);
  console.log(`bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (errors.length) {
    console.error(`\nbench: ${errors.length} error(s):\n  ${errors.join('\n  ')}`);
    return 1;
  }
  return 0;
}
