// Loopback benchmark of tip submission (POST /api/tips): the built API against a bare node:http + driver server
// doing the same work per submission (bench/tips-baseline.mjs), with the SQL statements of both counted at their
// drivers (bench/query-count-hook.mjs, preloaded into each) and the rows each one wrote checked after every run.
//
//   node bench/tips.mjs [--db sqlite|mariadb] [--duration 6] [--rounds 2] [--warmup 2] [--connections 20]
//                       [--scenario fresh|linked|retry] [--pool 2000] [--log-level warn] [--json results.json] [--profile]
//
// Builds nothing: run `pnpm --filter @qmfz/contracts build && pnpm --filter @qmfz/api build` first. Creates a
// throwaway database like run.mjs and starts both servers with the same fresh keys (JWT_SECRET, DATA_KEYS,
// BLIND_INDEX_KEY) and RATE_LIMIT_SCALE=1000000, so that the per-user and per-IP limits still run on every request
// but never refuse. One resident per connection signs in (dev-login) and stores one tip; `--pool` tips, each naming
// one "known" phone number, are stored through the API as the earlier reports that linking finds. Each submission is
// a named tip (name and phone typed: two fields encrypted, one blind index) naming two suspect identifiers, a phone
// number and a bank card (each encrypted, indexed, masked, locked and looked up), with a fresh idempotency key:
//
//   fresh   both identifiers never reported before: the link lookup finds nothing.
//   linked  a known phone number (round-robin over the pool) and a new card: the tip joins the phone's group
//           (the group root is read FOR UPDATE on MariaDB, then the tip's group_id is updated).
//   retry   each resident re-sends the tip it stored: the idempotency lookup answers 200 with the stored receipt.
//
// Before measuring, each scenario's submissions go to both servers and must store equivalent rows (compared column
// by column, ciphertexts decrypted), and each server must answer the other's submission as a retry with the other's
// reply byte for byte (same idempotency hash, request hash, receipt code and stored time). After every run (warm-ups
// included) the rows written are counted against the 201 replies. Exits non-zero on any non-2xx, unexpected status,
// socket error, row count that does not add up, or difference between the statements both servers send per
// request; a ratio below target does not.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { luhnValid, normalizeReceiptCode } from '@qmfz/contracts';
import { CryptoService } from '../dist/crypto/crypto.service.js';
import { loadConfig } from '../dist/config/config.js';
import { receiptHash } from '../dist/tips/receipt-code.js';
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
  integerOption,
  measureInterleaved,
  printTable,
  problems,
  queryCounts,
  queryDelta,
  runBench,
  runStep,
  sampleSummary,
  serverEnv,
  signIn,
  startMeasuredServer,
  TARGET_RATIO,
} from './common.mjs';

const { args, duration: DURATION, rounds: ROUNDS, warmup: WARMUP, connections: RESIDENTS, logLevel: LOG_LEVEL } = benchOptions(
  { scenario: { type: 'string' }, pool: { type: 'string', default: '2000' } },
  100,
);
if (args.scenario && !['fresh', 'linked', 'retry'].includes(args.scenario)) fail(`--scenario must be fresh, linked or retry, got ${args.scenario}`);
const POOL = integerOption(args, 'pool', 1, 100_000);

const PATH = '/api/tips';
const RUN_TAG = randomBytes(6).toString('base64url');
const DESCRIPTION = '对方自称电商平台客服，以刷单返利为名让我先垫付货款，前两单返了佣金，第三单起以卡单为由要求继续转账，共转账三次后失联。';
const OCCURRED_AT = new Date(Date.now() - 3 * 24 * 3600_000).toISOString();

// ---- submissions ------------------------------------------------------------------------------------------------

let serial = 0;
const digits = (n, width) => String(n).padStart(width, '0');
/** A 16-digit card number passing the Luhn check, distinct for every n. */
function cardNumber(n) {
  const body = `622202${digits(n, 9)}`;
  for (let check = 0; check <= 9; check++) if (luhnValid(body + check)) return body + check;
  throw new Error('unreachable');
}
const freshPhone = (n) => `139${digits(n, 8)}`;
const poolPhone = (k) => `137${digits(k, 8)}`;
const newKey = () => `bench${RUN_TAG}_${digits(serial, 10)}`;

/** The body of a named tip, as the mini-program sends it (the phone typed with spaces, the card in groups). */
function tipBody(resident, key, phone, card) {
  return JSON.stringify({
    idempotencyKey: key,
    fraudType: 'order_brushing',
    identifiers: [
      { kind: 'phone', value: `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` },
      { kind: 'bank_card', value: card.replace(/(\d{4})(?=\d)/g, '$1 ') },
    ],
    description: DESCRIPTION,
    lossYuan: 3000,
    occurredAt: OCCURRED_AT,
    attachmentIds: [],
    reporter: { mode: 'named', name: resident.name, phone: resident.phone },
    consent: true,
  });
}

const freshBody = (resident) => (serial++, tipBody(resident, newKey(), freshPhone(serial), cardNumber(serial)));
const linkedBody = (resident) => (serial++, tipBody(resident, newKey(), poolPhone(serial % POOL), cardNumber(serial)));

/** What each submission must write: rows per 201 reply (the retry writes none). */
const SCENARIOS = [
  { key: 'fresh', status: 201, body: freshBody, rows: { identifiers: 2, events: 1, linked: 0 } },
  { key: 'linked', status: 201, body: linkedBody, rows: { identifiers: 2, events: 1, linked: 1 } },
  { key: 'retry', status: 200, body: (resident) => resident.storedBody, rows: null },
];

// ---- HTTP set-up ------------------------------------------------------------------------------------------------

async function post(target, resident, body) {
  const response = await fetch(target.url + PATH, { method: 'POST', headers: resident.headers, body });
  return { status: response.status, text: await response.text() };
}

async function postExpecting(target, resident, body, status) {
  const reply = await post(target, resident, body);
  if (reply.status !== status) throw new Error(`POST ${PATH} on ${target.name} → ${reply.status} ${reply.text} (expected ${status})`);
  return reply;
}

/** One resident per connection, each with a stored tip; then the pool of earlier reports naming the known phones. */
async function setUp(api) {
  const residents = [];
  for (let i = 1; i <= RESIDENTS; i++) {
    const accessToken = await signIn(api, { name: `压测居民${i}` });
    const resident = { name: `压测居民${i}`, phone: `138 0013 ${digits(i, 4)}`, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' } };
    resident.storedBody = freshBody(resident);
    await postExpecting(api, resident, resident.storedBody, 201);
    residents.push(resident);
  }
  let next = 0;
  const worker = async () => {
    while (next < POOL) {
      const k = next++;
      serial++;
      await postExpecting(api, residents[k % residents.length], tipBody(residents[k % residents.length], newKey(), poolPhone(k), cardNumber(serial)), 201);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESIDENTS, 20) }, worker));
  return { residents };
}

// ---- rows ---------------------------------------------------------------------------------------------------------

async function lastTipId(database) {
  return (await database.rows('SELECT MAX(id) AS last FROM tips'))[0].last ?? '';
}

/** Rows of the tips created after `after` (ULIDs sort by time; the runs follow each other), in one snapshot. */
async function rowsSince(database, after) {
  const [row] = await database.rows(
    'SELECT (SELECT COUNT(*) FROM tips WHERE id > ?) AS tips,' +
      ' (SELECT COUNT(*) FROM tips WHERE id > ? AND group_id <> id) AS linked,' +
      " (SELECT COUNT(*) FROM tips WHERE id > ? AND reporter_mode = 'named') AS named," +
      ' (SELECT COUNT(*) FROM tip_identifiers WHERE tip_id > ?) AS identifiers,' +
      ' (SELECT COUNT(*) FROM tip_events WHERE tip_id > ?) AS events',
    Array(5).fill(after),
  );
  return Object.fromEntries(Object.entries(row).map(([k, n]) => [k, Number(n)]));
}

/** Waits until the server has finished the submissions in flight when autocannon stopped (its SQL stops). */
async function settle(target) {
  const total = (c) => c.counts.read + c.counts.write + c.counts.other;
  let last = total(await queryCounts(target));
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = total(await queryCounts(target));
    if (now === last) return;
    last = now;
  }
}

/** The rows a run wrote must be those of its 201 replies (plus at most one in flight per connection at the end). */
function rowProblems(targetName, scenario, rows, created) {
  const found = [];
  const expect = (what, actual, wanted) => actual !== wanted && found.push(`${what} ${actual}, expected ${wanted}`);
  if (!scenario.rows) expect('tips', rows.tips, 0);
  else {
    if (rows.tips < created || rows.tips > created + RESIDENTS) found.push(`tips ${rows.tips} for ${created} replies of 201`);
    expect('identifiers', rows.identifiers, scenario.rows.identifiers * rows.tips);
    expect('events', rows.events, scenario.rows.events * rows.tips);
    expect('linked tips', rows.linked, scenario.rows.linked * rows.tips);
    expect('named tips', rows.named, rows.tips);
  }
  return found.map((p) => `${scenario.key} on ${targetName}: rows written: ${p}`);
}

const isoOf = (value) => (value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`)).toISOString();

/** A stored tip as comparable values: ciphertexts decrypted, ids, times and per-submission hashes checked then dropped. */
async function storedTip(database, crypto, reply) {
  const { receiptCode, createdAt } = JSON.parse(reply.text);
  const [tip] = await database.rows('SELECT * FROM tips WHERE receipt_hash = ?', [receiptHash(crypto, normalizeReceiptCode(receiptCode))]);
  if (!tip) throw new Error(`no tip stored for receipt ${receiptCode}`);
  const identifiers = await database.rows('SELECT * FROM tip_identifiers WHERE tip_id = ? ORDER BY position', [tip.id]);
  const events = await database.rows('SELECT * FROM tip_events WHERE tip_id = ?', [tip.id]);
  const { id, receipt_hash, idempotency_hash, created_at, updated_at, occurred_at, description_cipher, reporter_name_cipher, reporter_phone_cipher, group_id, ...rest } = tip;
  return {
    tip: {
      ...rest,
      occurred_at: isoOf(occurred_at),
      createdAsReplied: isoOf(created_at) === createdAt && isoOf(updated_at) === createdAt,
      description: crypto.decrypt(description_cipher),
      reporterName: crypto.decrypt(reporter_name_cipher),
      reporterPhone: crypto.decrypt(reporter_phone_cipher),
      group: group_id === id ? 'own' : group_id,
    },
    identifiers: identifiers.map(({ id: _, tip_id, value_cipher, ...row }) => ({ ...row, ofTheTip: tip_id === id, value: crypto.decrypt(value_cipher) })),
    events: events.map(({ id: _, tip_id, created_at: at, ...row }) => ({ ...row, ofTheTip: tip_id === id, atCreation: isoOf(at) === createdAt })),
  };
}

/** Two stored tips of different suspects: everything that depends on the identifiers is compared with the body. */
function withoutSuspects(stored, body) {
  const typed = JSON.parse(body).identifiers.map((i) => i.value.normalize('NFKC').trim());
  const { request_hash, ...tip } = stored.tip;
  return {
    tip,
    identifiers: stored.identifiers.map(({ value, value_index, value_masked, ...row }, i) => ({ ...row, typedValue: value === typed[i], indexed: /^[0-9a-f]{64}$/.test(value_index) })),
    events: stored.events,
  };
}

// ---- checks -------------------------------------------------------------------------------------------------------

function sameOrThrow(what, a, b) {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  if (x !== y) throw new Error(`${what}: API and baseline differ\n  API:      ${x}\n  baseline: ${y}`);
}

/**
 * Each scenario once on both servers: equivalent rows, and each server answers the other's submission as a retry
 * with the other's reply, byte for byte. Linked: both submissions name the same phone and card, so both rows must
 * be identical but for ids, times, ciphertexts and the hashes of their idempotency keys.
 */
async function checkSameWork(api, baseline, setup, database, crypto) {
  const [resident] = setup.residents;
  const crossRetry = async (bodyA, replyA, bodyB, replyB) => {
    sameOrThrow('retry of the API\'s submission', replyA.text, (await postExpecting(baseline, resident, bodyA, 200)).text);
    sameOrThrow('retry of the baseline\'s submission', (await postExpecting(api, resident, bodyB, 200)).text, replyB.text);
  };

  const [freshA, freshB] = [freshBody(resident), freshBody(resident)];
  const [replyA, replyB] = [await postExpecting(api, resident, freshA, 201), await postExpecting(baseline, resident, freshB, 201)];
  await crossRetry(freshA, replyA, freshB, replyB);
  const [tipA, tipB] = [await storedTip(database, crypto, replyA), await storedTip(database, crypto, replyB)];
  if (tipA.tip.group !== 'own' || tipB.tip.group !== 'own') throw new Error('fresh: a tip naming new identifiers was linked');
  sameOrThrow('fresh: rows', withoutSuspects(tipA, freshA), withoutSuspects(tipB, freshB));

  const linked = linkedBody(resident);
  const linkedAgain = JSON.stringify({ ...JSON.parse(linked), idempotencyKey: (serial++, newKey()) });
  const [replyC, replyD] = [await postExpecting(api, resident, linked, 201), await postExpecting(baseline, resident, linkedAgain, 201)];
  await crossRetry(linked, replyC, linkedAgain, replyD);
  const [tipC, tipD] = [await storedTip(database, crypto, replyC), await storedTip(database, crypto, replyD)];
  if (tipC.tip.group === 'own') throw new Error('linked: a tip naming a known phone number was not linked');
  sameOrThrow('linked: rows', tipC, tipD);

  const [retryA, retryB] = [await postExpecting(api, resident, resident.storedBody, 200), await postExpecting(baseline, resident, resident.storedBody, 200)];
  sameOrThrow('retry: reply', retryA.text, retryB.text);
}

// ---- load ---------------------------------------------------------------------------------------------------------

/** One bounded autocannon run, each connection one resident; returns req/s, latencies and whatever went wrong. */
function load(target, setup, scenario, seconds, dbPid) {
  const before = cpuSnapshot(target, dbPid);
  return new Promise((resolveRun, reject) => {
    const latencies = [];
    const failures = new Map();
    const unexpected = new Map();
    let created = 0;
    let next = 0;
    const instance = autocannon(
      {
        url: target.url + PATH,
        method: 'POST',
        connections: setup.residents.length,
        duration: seconds,
        timeout: 10,
        setupClient: (client) => {
          const resident = setup.residents[next++ % setup.residents.length];
          client.setRequests([
            {
              method: 'POST',
              path: PATH,
              headers: resident.headers,
              setupRequest: (request) => ({ ...request, body: scenario.body(resident) }),
              onResponse: (status, body) => {
                if (status === 201) created++;
                if (status >= 300) {
                  if (failures.size < 5 && !failures.has(status)) failures.set(status, String(body).slice(0, 300));
                } else if (status !== scenario.status) unexpected.set(status, (unexpected.get(status) ?? 0) + 1);
              },
            },
          ]);
        },
      },
      (error, result) => (error ? reject(error) : resolveRun({ result, latencies, failures, unexpected, created, cpu: cpuDelta(before, cpuSnapshot(target, dbPid)) })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

/** A run with the target's SQL counted and the rows it wrote checked. */
async function measure(target, setup, scenario, seconds, dbPid, database) {
  const [lastId, queriesBefore] = [await lastTipId(database), await queryCounts(target)];
  const run = await load(target, setup, scenario, seconds, dbPid);
  await settle(target);
  run.queries = queryDelta(queriesBefore, await queryCounts(target));
  run.rows = await rowsSince(database, lastId);
  const found = problems(target.name, scenario.key, run);
  for (const [status, n] of run.unexpected) found.push(`${scenario.key} on ${target.name}: ${n} replies of ${status}, expected ${scenario.status}`);
  found.push(...rowProblems(target.name, scenario, run.rows, run.created));
  run.errors = found;
  return run;
}

// ---- main ---------------------------------------------------------------------------------------------------------

/**
 * The guard's membership query opens every request: counting it counts the requests the server started, those in
 * flight when a run ended included, so statements per request come out exact.
 */
const GUARD_QUERY = 'SELECT m.unit_id, u.kind, m.role FROM memberships m';

/** The shared summary, with statements per request the server started. */
function summary(sample, dbPid) {
  const base = sampleSummary(sample, dbPid);
  const started = Object.entries(sample.statements).find(([sql]) => sql.startsWith(GUARD_QUERY))?.[1] ?? sample.requests;
  const perRequest = (n) => n / started;
  return {
    ...base,
    sqlPerRequest: perRequest(sample.queries.read + sample.queries.write + sample.queries.other),
    statements: Object.fromEntries(Object.entries(sample.statements).map(([sql, n]) => [sql, perRequest(n)])),
  };
}

/** Sent less than once per 100 requests: not the route's but a background job's (the API's retention sweep). */
const BACKGROUND = 0.01;

/** Both servers must send the same statements per request (the text's first 100 characters), within 1 %. */
function statementProblems(row) {
  const found = [];
  for (const sql of new Set([...Object.keys(row.api.statements), ...Object.keys(row.baseline.statements)])) {
    const [a, b] = [row.api.statements[sql] ?? 0, row.baseline.statements[sql] ?? 0];
    if (Math.max(a, b) >= BACKGROUND && Math.abs(a - b) > 0.01 * Math.max(a, b)) found.push(`${row.scenario}: API ${fmt(a, 3)} vs baseline ${fmt(b, 3)} per request of: ${sql}`);
  }
  return found;
}

async function main() {
  const started = Date.now();
  const database = await createDatabase(args.db);
  const keys = { DATA_KEYS: `bench:${randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: randomBytes(32).toString('base64') };
  const env = { ...serverEnv(database, randomBytes(32).toString('hex'), LOG_LEVEL), ...keys, RATE_LIMIT_SCALE: '1000000' };
  const crypto = new CryptoService(loadConfig({ ...keys }));
  console.log(`bench: tip submissions, ${args.db} (${database.label}); ${describeMachine()}`);
  console.log(
    `bench: API LOG_LEVEL=${LOG_LEVEL}, RATE_LIMIT_SCALE=1000000; ${RESIDENTS} connections = ${RESIDENTS} residents, ${WARMUP} s warm-up, ${ROUNDS}×${DURATION} s per server and scenario,` +
      ' interleaved; autocannon runs in this process and shares the cores',
  );
  console.log(`bench: ${await runStep('dist/cli/migrate.js', env)}`.split('\n')[0]);
  console.log(`bench: ${await runStep('dist/cli/seed.js', env)}`);

  const [apiPort, basePort] = await Promise.all([freePort(), freePort()]);
  const api = await startMeasuredServer('tips', args, 'api', 'dist/main.js', { ...env, PORT: String(apiPort) }, { countQueries: true });
  const baseline = await startMeasuredServer('tips', args, 'baseline', 'bench/tips-baseline.mjs', { ...env, PORT: String(basePort) }, { countQueries: true });
  const targets = [api, baseline];

  const setupStarted = Date.now();
  const setup = await setUp(api);
  console.log(`bench: ${RESIDENTS} residents with a stored tip each and ${POOL} earlier tips naming ${POOL} known phone numbers, in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
  await checkSameWork(api, baseline, setup, database, crypto);
  console.log('bench: both servers store equivalent rows and answer each other\'s submissions as retries, byte for byte');
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
    measure: (target, scenario, seconds) => measure(target, setup, scenario, seconds, dbPid, database),
    describe: (run) => {
      const sql = run.queries.counts.read + run.queries.counts.write + run.queries.counts.other;
      const startedRequests = Object.entries(run.queries.statements).find(([text]) => text.startsWith(GUARD_QUERY))?.[1] || run.result.requests.total || 1;
      return `  SQL ${fmt(sql / startedRequests, 2)}/req  ${run.rows.tips} tips written`;
    },
    summarizeSample: summary,
  });
  for (const row of rows) errors.push(...statementProblems(row));
  printResults(rows, dbPid);
  console.log('\nSQL per request (API; the baseline sends the same, checked):');
  for (const row of rows) {
    const list = Object.entries(row.api.statements).filter(([, n]) => n >= BACKGROUND).map(([sql, n]) => `${Math.abs(n - 1) > 0.05 ? `${fmt(n, 2)}× ` : ''}${sql.slice(0, 40)}`);
    console.log(`  ${row.scenario.padEnd(6)} ${fmt(row.api.sqlPerRequest, 2)}: ${list.join(' | ')}`);
  }
  if (args.json) {
    const report = { db: args.db, driver: database.label, node: process.version, cores: cpus().length, logLevel: LOG_LEVEL, connections: RESIDENTS, duration: DURATION, rounds: ROUNDS, pool: POOL, rows, errors };
    writeFileSync(args.json, JSON.stringify(report, null, 2));
  }
  return finishBench({ rows, api, started, errors });
}

function printResults(rows, dbPid) {
  const header = ['scenario', 'driver', 'req/s', 'p50', 'p99 ms', 'baseline req/s', 'p50', 'p99 ms', 'ratio', 'CPU µs/req API / baseline', 'CPU ratio'];
  if (dbPid) header.push('MariaDB µs/req');
  header.push('SQL per request');
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
    ...(dbPid ? [`${fmt(r.api.dbCpuPerRequestUs)} / ${fmt(r.baseline.dbCpuPerRequestUs)}`] : []),
    `${fmt(r.api.sqlPerRequest, 2)} / ${fmt(r.baseline.sqlPerRequest, 2)}`,
  ]);
  printTable(header, body, new Set([2, 3, 4, 5, 6, 7, 9, 10, 11, 12]), `ratio = API req/s ÷ baseline req/s (target ≥ ${TARGET_RATIO * 100} %); latencies over all measured rounds; CPU ratio = baseline ÷ API CPU time per` +
      ' request of the server process; SQL statements per request counted at each server\'s driver (API / baseline).');
}

await runBench(main);
