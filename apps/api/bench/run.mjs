// Loopback benchmark: the built API (dist/) against a bare node:http + driver baseline doing the same work.
//
//   node bench/run.mjs [--db sqlite|mariadb] [--duration 6] [--rounds 2] [--warmup 2] [--connections 20]
//                      [--log-level warn] [--only read|write] [--json results.json] [--profile]
//                      [--api-entry dist/main.js]
//
// Builds nothing: run `pnpm --filter @qmfz/api build` first (the root `npm run bench` does). Creates a throwaway
// database (SQLite temp file, or a MariaDB schema on BENCH_MARIADB_URL, default mariadb://root@127.0.0.1:3306),
// migrates and seeds it through dist/cli, starts the API and the baseline as child processes on loopback,
// signs in through /api/auth/dev-login, warms both up, then runs autocannon against each, interleaved.
// Exits non-zero only on errors: a failed start, a response mismatch, or any non-2xx/socket error during a run.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { summarize } from './profile-summary.mjs';

const API_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 0.5;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.BENCH_DB ?? 'sqlite' },
    duration: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '20' },
    'log-level': { type: 'string', default: 'warn' },
    only: { type: 'string' },
    json: { type: 'string' },
    profile: { type: 'boolean', default: false },
    // Another build of the API to measure (an experiment), relative to apps/api.
    'api-entry': { type: 'string', default: 'dist/main.js' },
  },
});
function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
function count(name, min, max) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min || value > max) fail(`--${name} must be an integer from ${min} to ${max}, got ${args[name]}`);
  return value;
}
if (!['sqlite', 'mariadb'].includes(args.db)) fail(`--db must be sqlite or mariadb, got ${args.db}`);
if (args.only && !['read', 'write'].includes(args.only)) fail(`--only must be read or write, got ${args.only}`);
// Bounded so a run always ends by itself: at most 2 scenarios × 2 servers × (warm-up + rounds × duration).
const DURATION = count('duration', 1, 60);
const ROUNDS = count('rounds', 1, 10);
const WARMUP = count('warmup', 0, 30);
const CONNECTIONS = count('connections', 1, 200);
const LOG_LEVEL = args['log-level'];

// ---- children -------------------------------------------------------------------------------------------------

const children = new Set();
const scratch = mkdtempSync(join(tmpdir(), 'qmfz-bench-'));

function freePort() {
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
function runStep(script, env) {
  return new Promise((resolveStep, reject) => {
    const child = spawn(process.execPath, [script], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveStep(out.trim()) : reject(new Error(`${script} exited with ${code}\n${out}`))));
  });
}

/** Starts a server process; its output goes to a log file so that printing costs the load generator nothing. */
async function startServer(name, script, env) {
  const logFile = join(scratch, `${name}.log`);
  const profileFile = join(API_DIR, 'bench', 'profiles', `${args.db}-${args.only ?? 'all'}-${name}.cpuprofile`);
  if (args.profile) mkdirSync(dirname(profileFile), { recursive: true });
  const fd = openSync(logFile, 'w');
  const flags = args.profile ? ['--import', './bench/profile-hook.mjs'] : [];
  const child = spawn(process.execPath, [...flags, script], {
    cwd: API_DIR,
    env: args.profile ? { ...env, BENCH_PROFILE_FILE: profileFile } : env,
    stdio: args.profile ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
  });
  closeSync(fd);
  children.add(child);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
    children.delete(child);
  });
  const server = { name, child, logFile, profileFile, url: `http://127.0.0.1:${env.PORT}`, log: () => readFileSync(logFile, 'utf8') };
  const health = name === 'api' ? '/api/health' : '/health';
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

let dropDatabase = async () => {};

async function cleanup() {
  await stopChildren();
  await dropDatabase();
  dropDatabase = async () => {};
}

/** A fresh database and a way to look rows up directly (the bench needs unit ids that no API route lists yet). */
async function createDatabase() {
  if (args.db === 'sqlite') {
    const path = join(scratch, 'bench.sqlite');
    return {
      env: { SQLITE_PATH: path },
      label: 'better-sqlite3',
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
  dropDatabase = async () => {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.end();
  };
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const [[version]] = await connection.query('SELECT VERSION() AS v');
  return {
    env: { DATABASE_URL: url.toString() },
    label: `mysql2 → MariaDB ${version.v.split('-')[0]}`,
    unitIdByName: async (unitName) => (await connection.query(`SELECT id FROM \`${name}\`.units WHERE name = ?`, [unitName]))[0][0]?.id,
  };
}

// ---- CPU accounting -------------------------------------------------------------------------------------------
// req/s on a shared 2-core machine moves with whatever else runs; CPU time per request of each server process
// barely does. Both are reported, with how much of the machine other processes took during each run.

const TICK_MS = 10; // USER_HZ is 100 on Linux

function processTicks(pid) {
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

function findPid(names) {
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
function cpuSnapshot(target, dbPid) {
  return { server: processTicks(target.child.pid), db: dbPid ? processTicks(dbPid) : 0, self: processTicks(process.pid), machine: machineTicks() };
}

function cpuDelta(before, after) {
  const d = (k) => after[k] - before[k];
  const machineBusy = after.machine.busy - before.machine.busy;
  const machineTotal = after.machine.total - before.machine.total;
  const ours = d('server') + d('db') + d('self');
  return { serverMs: d('server') * TICK_MS, dbMs: d('db') * TICK_MS, otherShare: machineTotal ? Math.max(0, machineBusy - ours) / machineTotal : 0 };
}

// ---- load -----------------------------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One bounded autocannon run; returns req/s, its own latencies and every non-2xx it saw. */
function load(target, scenario, seconds, dbPid) {
  const before = cpuSnapshot(target, dbPid);
  return new Promise((resolveRun, reject) => {
    const latencies = [];
    const failures = new Map();
    const instance = autocannon(
      {
        url: target.url + scenario.path,
        method: scenario.method,
        headers: scenario.headers,
        body: scenario.body,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            onResponse: (status, body) => {
              if (status >= 300 && failures.size < 5 && !failures.has(status)) failures.set(status, String(body).slice(0, 300));
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolveRun({ result, latencies, failures, cpu: cpuDelta(before, cpuSnapshot(target, dbPid)) })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

function problems(target, scenario, { result, failures }) {
  const found = [];
  if (result.non2xx) {
    const codes = Object.entries(result.statusCodeStats).filter(([code]) => !code.startsWith('2'));
    found.push(`${result.non2xx} non-2xx (${codes.map(([code, s]) => `${code}×${s.count}`).join(', ')})`);
    for (const [status, body] of failures) found.push(`  ${status}: ${body}`);
  }
  if (result.errors) found.push(`${result.errors} socket errors`);
  if (result.timeouts) found.push(`${result.timeouts} timeouts`);
  return found.map((p) => `${scenario.name} on ${target.name}: ${p}`);
}

// ---- main -----------------------------------------------------------------------------------------------------

async function signIn(api, body) {
  const response = await fetch(`${api.url}/api/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`dev-login ${JSON.stringify(body)} → ${response.status} ${text}`);
  return JSON.parse(text).accessToken;
}

async function call(target, scenario) {
  const response = await fetch(target.url + scenario.path, { method: scenario.method, headers: scenario.headers, body: scenario.body });
  return { status: response.status, body: await response.text() };
}

/** Both servers must answer the same request the same way before their speed is compared. */
async function checkSameWork(api, baseline, scenario) {
  const [a, b] = await Promise.all([call(api, scenario), call(baseline, scenario)]);
  if (a.status === 404 && scenario.optional) return false;
  if (a.status !== scenario.status || b.status !== scenario.status) {
    throw new Error(`${scenario.name}: expected ${scenario.status}, API answered ${a.status} ${a.body}, baseline ${b.status} ${b.body}`);
  }
  const view = scenario.comparable ?? ((x) => x);
  const same = JSON.stringify(view(JSON.parse(a.body))) === JSON.stringify(view(JSON.parse(b.body)));
  if (!same) throw new Error(`${scenario.name}: API and baseline answer differently\n  API:      ${a.body}\n  baseline: ${b.body}`);
  return true;
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function main() {
  const started = Date.now();
  const database = await createDatabase();
  const jwtSecret = randomBytes(32).toString('hex');
  // Nothing from the caller's environment that would point the servers elsewhere or change their mode.
  const { DATABASE_URL, SQLITE_PATH, REDIS_URL, WEB_ROOT, PORT, LOG_LEVEL: _l, NODE_ENV, APP_ENV, ...inherited } = process.env;
  const env = {
    ...inherited,
    ...database.env,
    // development only so that /api/auth/dev-login can hand out tokens; nothing on the measured routes depends on it
    // (NODE_ENV stays unset: the API refuses NODE_ENV=production without APP_ENV=production).
    APP_ENV: 'development',
    DEV_LOGIN: 'true',
    HOST: '127.0.0.1',
    JWT_SECRET: jwtSecret,
    ACCESS_TOKEN_TTL: '3600',
    LOG_LEVEL: LOG_LEVEL,
  };
  console.log(`bench: ${args.db} (${database.label}); node ${process.version}; ${cpus().length} cores (${cpus()[0]?.model.trim()}); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`bench: API LOG_LEVEL=${LOG_LEVEL}; autocannon ${CONNECTIONS} connections, ${WARMUP} s warm-up, ${ROUNDS}×${DURATION} s per server and scenario, interleaved; autocannon runs in this process and shares the cores`);
  console.log(`bench: ${await runStep('dist/cli/migrate.js', env)}`.split('\n')[0]);
  console.log(`bench: ${await runStep('dist/cli/seed.js', env)}`);

  const [apiPort, basePort] = await Promise.all([freePort(), freePort()]);
  const api = await startServer('api', args['api-entry'], { ...env, PORT: String(apiPort) });
  const baseline = await startServer('baseline', 'bench/baseline-server.mjs', { ...env, PORT: String(basePort) });
  const targets = [api, baseline];

  // The seeded unit admin of 白土司法所 (one active membership): reads /me and creates invites for the unit.
  const unitId = await database.unitIdByName('白土司法所');
  if (!unitId) throw new Error('seeded unit 白土司法所 not found');
  const token = await signIn(api, { role: 'unit_admin', unitId, name: '李所长' });
  const auth = { authorization: `Bearer ${token}` };
  let scenarios = [
    { name: 'read  GET /api/me', key: 'read', method: 'GET', path: '/api/me', headers: auth, status: 200 },
    {
      name: 'write POST /api/units/:id/invites',
      key: 'write',
      method: 'POST',
      path: `/api/units/${unitId}/invites`,
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
      status: 201,
      // A new invite each time: same fields, same fixed values, fresh id and code.
      comparable: (invite) => ({ keys: Object.keys(invite), unitId: invite.unitId, role: invite.role, revokedAt: invite.revokedAt, code: /^[2-9A-HJKMNP-Z]{8}$/.test(invite.code) }),
      optional: true,
    },
  ];
  if (args.only) scenarios = scenarios.filter((s) => s.key === args.only);
  const skipped = [];
  for (const scenario of [...scenarios]) {
    if (!(await checkSameWork(api, baseline, scenario))) {
      skipped.push(scenario);
      scenarios = scenarios.filter((s) => s !== scenario);
    }
  }
  for (const s of skipped) console.log(`bench: SKIPPED ${s.name.trim()}: the API answers 404 (route not built yet)`);

  const dbPid = args.db === 'mariadb' ? findPid(['mariadbd', 'mysqld']) : null;
  const errors = [];
  for (const scenario of WARMUP ? scenarios : []) {
    for (const target of targets) errors.push(...problems(target, scenario, await load(target, scenario, WARMUP, dbPid)));
  }
  const samples = new Map(); // `${scenario.key}:${target.name}` → sums over the rounds
  if (args.profile) for (const target of targets) target.child.send('profile:start');
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of scenarios) {
      // Alternate who goes first, so drift (thermal, WAL growth, table growth) does not always favour one side.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const run = await load(target, scenario, DURATION, dbPid);
        errors.push(...problems(target, scenario, run));
        const key = `${scenario.key}:${target.name}`;
        const sample = samples.get(key) ?? { requests: 0, seconds: 0, latencies: [], serverMs: 0, dbMs: 0, otherShare: 0, runs: 0 };
        sample.requests += run.result.requests.total;
        sample.seconds += run.result.duration;
        for (const l of run.latencies) sample.latencies.push(l);
        sample.serverMs += run.cpu.serverMs;
        sample.dbMs += run.cpu.dbMs;
        sample.otherShare += run.cpu.otherShare;
        sample.runs++;
        samples.set(key, sample);
        const total = run.result.requests.total || 1;
        console.log(
          `  round ${round + 1}  ${scenario.name.padEnd(34)} ${target.name.padEnd(8)} ${fmt(run.result.requests.total / run.result.duration).padStart(6)} req/s` +
            `  p99 ${String(run.result.latency.p99).padStart(3)} ms  ${fmt((1000 * run.cpu.serverMs) / total).padStart(4)} µs CPU/req` +
            (dbPid ? ` (+${fmt((1000 * run.cpu.dbMs) / total)} µs in MariaDB)` : '') +
            `  other processes ${fmt(run.cpu.otherShare * 100)} % of the machine`,
        );
      }
    }
  }

  const rows = scenarios.map((scenario) => {
    const [a, b] = targets.map((t) => {
      const s = samples.get(`${scenario.key}:${t.name}`);
      s.latencies.sort((x, y) => x - y);
      return {
        rps: s.requests / s.seconds,
        p50: percentile(s.latencies, 50),
        p99: percentile(s.latencies, 99),
        cpuPerRequestUs: (1000 * s.serverMs) / s.requests,
        dbCpuPerRequestUs: dbPid ? (1000 * s.dbMs) / s.requests : null,
        otherShare: s.otherShare / s.runs,
      };
    });
    return { scenario: scenario.name, driver: database.label, api: a, baseline: b, ratio: a.rps / b.rps, cpuRatio: b.cpuPerRequestUs / a.cpuPerRequestUs };
  });
  printTable(rows);
  const busy = Math.max(...rows.flatMap((r) => [r.api.otherShare, r.baseline.otherShare]));
  if (busy > 0.1) {
    console.log(
      `bench: WARNING other processes used up to ${fmt(busy * 100)} % of the machine during the runs: req/s and p99 are unreliable;` +
        ' CPU µs/req is the steadier figure. Rerun on a quiet machine for numbers to quote.',
    );
  }
  if (args.profile) await printProfiles(targets, scenarios);
  if (skipped.length) console.log(`(skipped: ${skipped.map((s) => s.name.trim()).join(', ')})`);
  if (args.json) {
    const report = { db: args.db, driver: database.label, node: process.version, cores: cpus().length, logLevel: LOG_LEVEL, connections: CONNECTIONS, duration: DURATION, rounds: ROUNDS, rows, skipped: skipped.map((s) => s.name.trim()), errors };
    writeFileSync(args.json, JSON.stringify(report, null, 2));
  }
  const apiLog = api.log().trim();
  if (apiLog.split('\n').length > 1) console.log(`bench: API output (${apiLog.split('\n').length} lines), last lines:\n${apiLog.split('\n').slice(-5).join('\n')}`);
  console.log(`bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (errors.length) {
    console.error(`\nbench: ${errors.length} error(s) during the runs:\n  ${errors.join('\n  ')}`);
    return 1;
  }
  return 0;
}

async function printProfiles(targets, scenarios) {
  console.log(`\nCPU profiles over the measured runs (${scenarios.map((s) => s.key).join(' + ')}; the profiler itself slows both servers):`);
  for (const target of targets) {
    const written = new Promise((resolveWritten) => target.child.on('message', (m) => m === 'profile:written' && resolveWritten()));
    target.child.send('profile:stop');
    await written;
    console.log(`${target.name} (${target.profileFile}, opens in Chrome DevTools):\n${summarize(JSON.parse(readFileSync(target.profileFile, 'utf8')))}`);
  }
}

function printTable(rows) {
  const header = ['scenario', 'driver', 'req/s', 'p99 ms', 'baseline req/s', 'baseline p99', 'ratio', 'CPU µs/req API / baseline', 'CPU ratio'];
  const body = rows.map((r) => [
    r.scenario,
    r.driver,
    fmt(r.api.rps),
    fmt(r.api.p99),
    fmt(r.baseline.rps),
    fmt(r.baseline.p99),
    `${fmt(r.ratio * 100)} % ${r.ratio >= TARGET_RATIO ? '(target met)' : '(BELOW target)'}`,
    `${fmt(r.api.cpuPerRequestUs)} / ${fmt(r.baseline.cpuPerRequestUs)}`,
    `${fmt(r.cpuRatio * 100)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const numeric = new Set([2, 3, 4, 5, 7, 8]);
  const line = (cells) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
  console.log(
    `ratio = API req/s ÷ baseline req/s (target ≥ ${TARGET_RATIO * 100} %); p99 over all measured rounds; CPU ratio = baseline ÷ API CPU time` +
      ' per request of the server process, which other load on the machine disturbs far less than req/s.',
  );
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`bench: ${error.stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(code);
