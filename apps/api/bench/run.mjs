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
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import {
  API_DIR,
  cpuDelta,
  cpuSnapshot,
  createDatabase,
  describeMachine,
  fail,
  findPid,
  fmt,
  freePort,
  benchOptions,
  percentile,
  printTable,
  problems as runProblems,
  runBench,
  runStep,
  serverEnv,
  signIn,
  startServer as startProcess,
  TARGET_RATIO,
} from './common.mjs';
import { summarize } from './profile-summary.mjs';

const { args, duration: DURATION, rounds: ROUNDS, warmup: WARMUP, connections: CONNECTIONS, logLevel: LOG_LEVEL } = benchOptions(
  {
    only: { type: 'string' },
    // Another build of the API to measure (an experiment), relative to apps/api.
    'api-entry': { type: 'string', default: 'dist/main.js' },
  },
  200,
);
if (args.only && !['read', 'write'].includes(args.only)) fail(`--only must be read or write, got ${args.only}`);

// ---- children -------------------------------------------------------------------------------------------------

/** Starts a server process; with --profile, preloaded with the CPU profiler and an IPC channel to drive it. */
async function startServer(name, script, env) {
  const profileFile = join(API_DIR, 'bench', 'profiles', `${args.db}-${args.only ?? 'all'}-${name}.cpuprofile`);
  if (args.profile) mkdirSync(dirname(profileFile), { recursive: true });
  const server = await startProcess(name, script, args.profile ? { ...env, BENCH_PROFILE_FILE: profileFile } : env, {
    preload: args.profile ? ['./bench/profile-hook.mjs'] : [],
    ipc: args.profile,
  });
  server.profileFile = profileFile;
  return server;
}

// ---- load -----------------------------------------------------------------------------------------------------

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

function problems(target, scenario, run) {
  return runProblems(target.name, scenario.name, run);
}

// ---- main -----------------------------------------------------------------------------------------------------

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


async function main() {
  const started = Date.now();
  const database = await createDatabase(args.db);
  const jwtSecret = randomBytes(32).toString('hex');
  // Nothing from the caller's environment that would point the servers elsewhere or change their mode.
  const env = serverEnv(database, jwtSecret, LOG_LEVEL);
  console.log(`bench: ${args.db} (${database.label}); ${describeMachine()}`);
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
  printResults(rows);
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

function printResults(rows) {
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
  printTable(header, body, new Set([2, 3, 4, 5, 7, 8]), `ratio = API req/s ÷ baseline req/s (target ≥ ${TARGET_RATIO * 100} %); p99 over all measured rounds; CPU ratio = baseline ÷ API CPU time` +
      ' per request of the server process, which other load on the machine disturbs far less than req/s.');
}

await runBench(main);
