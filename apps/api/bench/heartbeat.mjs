// Loopback benchmark of the viewing heartbeat (POST /api/viewing/campaigns/:id/heartbeats): the built API against
// a bare node:http server doing the same verification (bench/heartbeat-baseline.mjs), and the number of SQL
// statements the API sends per heartbeat, counted at the drivers (bench/query-count-hook.mjs).
//
//   node bench/heartbeat.mjs [--db sqlite|mariadb] [--duration 6] [--rounds 2] [--warmup 2] [--connections 20]
//                            [--scenario chain|anchor] [--log-level warn] [--json results.json] [--profile]
//
// Builds nothing: run `pnpm --filter @qmfz/api build` first. Creates a throwaway database like run.mjs, starts the
// API with the query counter preloaded, and sets up over HTTP what a township would: the township admin (dev-login)
// adds a 3-hour external video and a campaign requiring the staff of 白土乡财政办; one staff user per connection
// signs in and starts a viewing session. Then autocannon drives each connection as one viewer:
//
//   chain   every heartbeat carries the token of the previous reply and the player's clock, with the position
//           advancing at 1× real time: each one is accepted, adds coverage and is re-signed (what a player does,
//           only back to back instead of every 12 s). Sessions are restarted between runs before the 120 s
//           checkpoint would come due, so no heartbeat in a run is one that writes.
//   anchor  every heartbeat re-sends the session's first token at position 0: the verifier's first-heartbeat path
//           (no coverage), still with both token checks and a fresh signature.
//
// Both servers get the same heartbeats, interleaved per round; before measuring, one heartbeat of each kind goes to
// both and the replies must be byte-for-byte identical. After the runs, the SQL of one request of each other kind
// is counted (token refresh, session start, checkpoint and completing heartbeats, check-in): figures for the sizing
// in docs/performance.md, and proof that the counter sees the heartbeat route write when a checkpoint is due.
// Exits non-zero on any non-2xx, socket error, rejected heartbeat or SQL statement during a measured run (warm-ups
// included); a ratio below target does not.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  benchOptions,
  cpuDelta,
  cpuSnapshot,
  createDatabase,
  describeMachine,
  fail,
  findPid,
  finishBench,
  fmt,
  freePort,
  measureInterleaved,
  printTable,
  problems,
  queryCounts,
  queryDelta,
  runBench,
  runStep,
  serverEnv,
  signIn,
  startMeasuredServer,
  TARGET_RATIO,
} from './common.mjs';

// Up to 100 viewers: more than 29 wait out the dev-login rate limit.
const { args, duration: DURATION, rounds: ROUNDS, warmup: WARMUP, connections: VIEWERS, logLevel: LOG_LEVEL } = benchOptions({ scenario: { type: 'string' } }, 100);
if (args.scenario && !['chain', 'anchor'].includes(args.scenario)) fail(`--scenario must be chain or anchor, got ${args.scenario}`);

const VIDEO_SECONDS = 3 * 3600;
const STAFF_UNIT = '白土乡财政办';
/** The API checkpoints 120 s after a session's start at the latest; a session is restarted well before that. */
const SESSION_USE_MS = 120_000 - 15_000;

// ---- HTTP set-up ----------------------------------------------------------------------------------------------

async function post(api, path, accessToken, body) {
  const response = await fetch(api.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function postOk(api, path, accessToken, body, status) {
  const reply = await post(api, path, accessToken, body);
  if (reply.status !== status) throw new Error(`POST ${path} → ${reply.status} ${reply.text}`);
  return JSON.parse(reply.text);
}

async function getOk(api, path, accessToken) {
  const response = await fetch(api.url + path, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!response.ok) throw new Error(`GET ${path} → ${response.status} ${await response.text()}`);
  return response.json();
}

/** One person watching: their access token, the current session and the player's clock. */
class Viewer {
  constructor(name, accessToken) {
    this.name = name;
    this.accessToken = accessToken;
    this.headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  }

  async startSession(api, campaignId) {
    const session = await postOk(api, `/api/viewing/campaigns/${campaignId}/sessions`, this.accessToken, {}, 201);
    this.anchorToken = session.sessionToken;
    this.token = session.sessionToken;
    this.sessionStart = performance.now();
    this.clientMs = -1;
    this.anchor = JSON.stringify({ sessionToken: this.anchorToken, position: 0, clientTimeMs: 1000, event: 'tick' });
  }

  sessionAgeMs() {
    return performance.now() - this.sessionStart;
  }

  /** The next heartbeat of a player at 1× speed: its clock strictly increasing, the position following it. */
  chainBody(event = 'tick') {
    this.clientMs = Math.max(this.clientMs + 1, Math.floor(performance.now() - this.sessionStart));
    return JSON.stringify({ sessionToken: this.token, position: this.clientMs / 1000, clientTimeMs: this.clientMs, event });
  }
}

async function setUp(api, database) {
  const admin = await signIn(api, { role: 'township_admin', name: '平安办管理员' });
  const video = await postOk(api, '/api/videos/external', admin, { title: '压测视频', url: 'https://video.example.cn/bench.mp4', durationSeconds: VIDEO_SECONDS }, 201);
  const unitId = await database.unitIdByName(STAFF_UNIT);
  if (!unitId) throw new Error(`seeded unit ${STAFF_UNIT} not found`);
  const deadline = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
  const campaign = await postOk(api, '/api/campaigns', admin, { title: '压测任务', videoId: video.id, deadline, unitIds: [unitId], roles: ['staff'], headsFirst: false }, 201);
  const path = `/api/viewing/campaigns/${campaign.id}/heartbeats`;
  const viewers = [];
  for (let i = 1; i <= VIEWERS; i++) {
    const accessToken = await signIn(api, { role: 'staff', unitId, name: `压测干事${i}` });
    const viewer = new Viewer(`压测干事${i}`, accessToken);
    await viewer.startSession(api, campaign.id);
    viewers.push(viewer);
  }
  return { admin, unitId, campaignId: campaign.id, path, viewers };
}

/** Restarts the sessions that could reach their 120 s checkpoint during the next run. */
async function renewSessions(api, setup, seconds) {
  for (const viewer of setup.viewers) {
    if (viewer.sessionAgeMs() + seconds * 1000 >= SESSION_USE_MS) await viewer.startSession(api, setup.campaignId);
  }
}

// ---- load -----------------------------------------------------------------------------------------------------

const SCENARIOS = [
  { key: 'chain', body: (viewer) => viewer.chainBody(), chained: true },
  { key: 'anchor', body: (viewer) => viewer.anchor, chained: false },
];

/** One bounded autocannon run, each connection one viewer; returns req/s, latencies and whatever went wrong. */
function load(target, setup, scenario, seconds, dbPid) {
  const before = cpuSnapshot(target, dbPid);
  return new Promise((resolveRun, reject) => {
    const latencies = [];
    const failures = new Map();
    const rejected = new Map();
    let next = 0;
    const instance = autocannon(
      {
        url: target.url + setup.path,
        method: 'POST',
        connections: setup.viewers.length,
        duration: seconds,
        timeout: 10,
        setupClient: (client) => {
          const viewer = setup.viewers[next++ % setup.viewers.length];
          client.setRequests([
            {
              method: 'POST',
              path: setup.path,
              headers: viewer.headers,
              setupRequest: (request) => ({ ...request, body: scenario.body(viewer) }),
              onResponse: (status, body) => {
                if (status !== 200) {
                  if (failures.size < 5 && !failures.has(status)) failures.set(status, String(body).slice(0, 300));
                  return;
                }
                const reply = JSON.parse(body);
                if (reply.rejected !== null) rejected.set(reply.rejected, (rejected.get(reply.rejected) ?? 0) + 1);
                if (scenario.chained) viewer.token = reply.sessionToken;
              },
            },
          ]);
        },
      },
      (error, result) => (error ? reject(error) : resolveRun({ result, latencies, failures, rejected, cpu: cpuDelta(before, cpuSnapshot(target, dbPid)) })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

/** A measured run on the API also counts the SQL it sent; sessions are renewed before, outside the count. */
async function measure(api, target, setup, scenario, seconds, dbPid) {
  await renewSessions(api, setup, seconds);
  const before = target === api ? await queryCounts(api) : null;
  const run = await load(target, setup, scenario, seconds, dbPid);
  run.queries = before ? queryDelta(before, await queryCounts(api)) : null;
  const found = problems(target.name, scenario.key, run);
  for (const [reason, n] of run.rejected) found.push(`${scenario.key} on ${target.name}: ${n} heartbeats rejected as ${reason}`);
  const sql = run.queries ? Object.values(run.queries.counts).reduce((a, b) => a + b, 0) : 0;
  if (sql) found.push(`${scenario.key} on ${target.name}: ${sql} SQL statements during the run: ${JSON.stringify(run.queries.statements)}`);
  run.errors = found;
  return run;
}

// ---- checks ---------------------------------------------------------------------------------------------------

/** The same heartbeat to both servers must get the same reply, new token included. */
async function checkSameWork(api, baseline, setup) {
  const viewer = setup.viewers[0];
  for (const scenario of SCENARIOS) {
    const body = scenario.body(viewer);
    const [a, b] = await Promise.all([api, baseline].map((t) => post(t, setup.path, viewer.accessToken, JSON.parse(body))));
    if (a.status !== 200 || b.status !== 200 || a.text !== b.text) {
      throw new Error(`${scenario.key}: API and baseline answer differently\n  API:      ${a.status} ${a.text}\n  baseline: ${b.status} ${b.text}`);
    }
    const reply = JSON.parse(a.text);
    if (reply.rejected !== null) throw new Error(`${scenario.key}: the check heartbeat was rejected (${reply.rejected})`);
    if (scenario.chained) viewer.token = reply.sessionToken;
  }
}

/** The SQL one request sends, counted at the API's driver. */
async function counted(api, event, request) {
  const before = await queryCounts(api);
  await request();
  return { event, ...queryDelta(before, await queryCounts(api)) };
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * What the other viewing requests cost the database, for the sizing, and proof that the counter sees the
 * heartbeat route write when it should: a pause heartbeat due for a checkpoint, a completing heartbeat.
 */
async function eventCounts(api, setup) {
  const viewer = setup.viewers[0];
  const counts = [];
  const login = await fetch(`${api.url}/api/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'staff', unitId: setup.unitId, name: viewer.name }),
  }).then((r) => r.json());
  counts.push(await counted(api, 'access token refresh (POST /auth/refresh)', () => postOk(api, '/api/auth/refresh', login.accessToken, { refreshToken: login.refreshToken }, 200)));
  counts.push(await counted(api, 'my campaigns (GET /viewing/campaigns), 1 campaign', () => getOk(api, '/api/viewing/campaigns', viewer.accessToken)));
  counts.push(await counted(api, 'session start (POST …/sessions)', () => viewer.startSession(api, setup.campaignId)));
  counts.push(await counted(api, 'heartbeat, nothing due', async () => (viewer.token = (await postOk(api, setup.path, viewer.accessToken, JSON.parse(viewer.chainBody()), 200)).sessionToken)));
  await pause(3500); // past the 3 s minimum gap between event checkpoints
  counts.push(await counted(api, 'heartbeat, pause with new coverage: checkpoint', () => postOk(api, setup.path, viewer.accessToken, JSON.parse(viewer.chainBody('pause')), 200)));

  // A 3-second video: covered after 1.6 s of wall clock at most 2× speed, then 确认已观看.
  const video = await postOk(api, '/api/videos/external', setup.admin, { title: '压测短片', url: 'https://video.example.cn/short.mp4', durationSeconds: 3 }, 201);
  const deadline = new Date(Date.now() + 24 * 3600_000).toISOString();
  const campaign = await postOk(api, '/api/campaigns', setup.admin, { title: '压测短任务', videoId: video.id, deadline, unitIds: [setup.unitId], roles: ['staff'], headsFirst: false }, 201);
  const base = `/api/viewing/campaigns/${campaign.id}`;
  const session = await postOk(api, `${base}/sessions`, viewer.accessToken, {}, 201);
  const first = await postOk(api, `${base}/heartbeats`, viewer.accessToken, { sessionToken: session.sessionToken, position: 0, clientTimeMs: 100, event: 'play' }, 200);
  await pause(1600);
  const last = { sessionToken: first.sessionToken, position: 3, clientTimeMs: 1700, event: 'ended' };
  counts.push(await counted(api, 'heartbeat completing the video: checkpoint + completion', () => postOk(api, `${base}/heartbeats`, viewer.accessToken, last, 200)));
  counts.push(await counted(api, 'check-in (POST …/check-in)', () => postOk(api, `${base}/check-in`, viewer.accessToken, {}, 201)));
  return counts;
}

// ---- main -----------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const database = await createDatabase(args.db);
  const env = serverEnv(database, randomBytes(32).toString('hex'), LOG_LEVEL);
  console.log(`bench: heartbeats, ${args.db} (${database.label}); ${describeMachine()}`);
  console.log(
    `bench: API LOG_LEVEL=${LOG_LEVEL}; ${VIEWERS} connections = ${VIEWERS} viewers, ${WARMUP} s warm-up, ${ROUNDS}×${DURATION} s per server and scenario, interleaved;` +
      ' autocannon runs in this process and shares the cores',
  );
  console.log(`bench: ${await runStep('dist/cli/migrate.js', env)}`.split('\n')[0]);
  console.log(`bench: ${await runStep('dist/cli/seed.js', env)}`);

  const [apiPort, basePort] = await Promise.all([freePort(), freePort()]);
  const api = await startMeasuredServer('heartbeat', args, 'api', 'dist/main.js', { ...env, PORT: String(apiPort) }, { countQueries: true });
  const baseline = await startMeasuredServer('heartbeat', args, 'baseline', 'bench/heartbeat-baseline.mjs', { ...env, PORT: String(basePort) }, { countQueries: false });
  const targets = [api, baseline];

  const beforeSetUp = await queryCounts(api);
  const setup = await setUp(api, database);
  const setUpQueries = queryDelta(beforeSetUp, await queryCounts(api)).counts;
  console.log(
    `bench: set up a 3 h video, a campaign for the staff of ${STAFF_UNIT} and ${VIEWERS} viewers with a session each` +
      ` (the counter saw ${setUpQueries.read} reads, ${setUpQueries.write} writes, ${setUpQueries.other} other statements doing it)`,
  );
  await checkSameWork(api, baseline, setup);
  const scenarios = SCENARIOS.filter((s) => !args.scenario || s.key === args.scenario);

  const dbPid = args.db === 'mariadb' ? findPid(['mariadbd', 'mysqld']) : null;
  const { rows, errors } = await measureInterleaved({
    targets,
    scenarios,
    warmup: WARMUP,
    rounds: ROUNDS,
    duration: DURATION,
    profile: args.profile,
    dbPid,
    driver: database.label,
    measure: (target, scenario, seconds) => measure(api, target, setup, scenario, seconds, dbPid),
    describe: (run) => (run.queries ? `  SQL ${run.queries.counts.read} reads ${run.queries.counts.write} writes ${run.queries.counts.other} other` : ''),
  });

  const events = await eventCounts(api, setup);
  printResults(rows);
  console.log('\nSQL per request, other viewing requests (one each, after the runs):');
  for (const e of events) {
    const texts = Object.entries(e.statements).map(([sql, n]) => `${n > 1 ? `${n}× ` : ''}${sql.slice(0, 48)}`);
    console.log(`  ${e.event.padEnd(56)} ${String(e.counts.read).padStart(2)} reads ${String(e.counts.write).padStart(2)} writes ${String(e.counts.other).padStart(2)} other  ${texts.join(' | ')}`);
  }
  if (events.filter((e) => e.event.includes('checkpoint')).some((e) => e.counts.write < 1)) {
    errors.push('a heartbeat due for a checkpoint was not seen writing: the query counter is not counting');
  }
  if (args.json) {
    const report = { db: args.db, driver: database.label, node: process.version, cores: cpus().length, logLevel: LOG_LEVEL, connections: VIEWERS, duration: DURATION, rounds: ROUNDS, rows, events, errors };
    writeFileSync(args.json, JSON.stringify(report, null, 2));
  }
  return finishBench({ rows, api, started, errors });
}

function printResults(rows) {
  const perBeat = (q, n) => `${fmt(q.read / n, 2)} / ${fmt(q.write / n, 2)}`;
  const header = ['scenario', 'driver', 'req/s', 'p50', 'p99 ms', 'baseline req/s', 'p50', 'p99 ms', 'ratio', 'CPU µs/req API / baseline', 'CPU ratio', 'SQL reads / writes per heartbeat'];
  const body = rows.map((r) => [
    r.scenario,
    r.driver,
    fmt(r.api.rps),
    fmt(r.api.p50, 1),
    fmt(r.api.p99),
    fmt(r.baseline.rps),
    fmt(r.baseline.p50, 1),
    fmt(r.baseline.p99),
    `${fmt(r.ratio * 100)} % ${r.ratio >= TARGET_RATIO ? '(target met)' : '(BELOW target)'}`,
    `${fmt(r.api.cpuPerRequestUs)} / ${fmt(r.baseline.cpuPerRequestUs)}`,
    `${fmt(r.cpuRatio * 100)} %`,
    `${perBeat(r.api.queries, r.api.requests)} (${r.api.queries.read + r.api.queries.write + r.api.queries.other} in ${r.api.requests})`,
  ]);
  printTable(header, body, new Set([2, 3, 4, 5, 6, 7, 9, 10]), `ratio = API req/s ÷ baseline req/s (target ≥ ${TARGET_RATIO * 100} %); latencies over all measured rounds; CPU ratio = baseline ÷ API CPU time per` +
      ' request of the server process; SQL counted at the API\'s driver during the measured runs (warm-ups counted and checked too).');
}

await runBench(main);
