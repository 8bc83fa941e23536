// The baseline tip submission (POST /api/tips) is measured against: bare node:http + the same driver doing the work
// of TipsService.submit and TipsRepository.insertSubmission per request, in the same order — verify the access
// token (jose, key imported once) and load the caller's active memberships (the AuthGuard's query); hit the in-memory
// rate limiter twice (per user, per IP: RATE_LIMIT_SCALE lifts the limits as on the API); parse the JSON body and
// check it with the API's own `parseTipSubmission` (which normalises the identifiers with `normalizeIdentifier`);
// derive the idempotency hash, request hash and receipt code; look the idempotency hash up (a retry answers 200 with
// the stored receipt); encrypt description, reporter name and phone and each identifier (AES-256-GCM, the API's
// CryptoService), compute the blind indexes and masks; then, on MariaDB, take one named lock per identifier, run the
// transaction inserting the tip, linking it to the tips sharing an identifier, inserting the identifiers and the first
// event, and release the locks. The SQL is the text the API's TypeORM repositories send (copied from the driver log;
// the bench compares both servers' statements per request); no framework, no ORM, no logging.
//
// Reused from the built API (dist/), as heartbeat-baseline.mjs does: config loading (the same keys), CryptoService,
// ids, the request parser, identifier indexes and masks, receipt codes, ReporterContacts, the first event, lock names
// and the rate limiter — the application's own work, so that only the framework and the ORM differ; the column lists
// come from the entities' TypeORM metadata, as TypeORM's own statements do. Paths the bench never takes (a unit,
// images, a WeChat phone code) answer 500 BENCH_UNSUPPORTED, so the bench fails rather than compare unlike work.
//
// Environment: the API's own (PORT, HOST, JWT_SECRET, DATABASE_URL or SQLITE_PATH, DATA_KEYS, BLIND_INDEX_KEY,
// RATE_LIMIT_SCALE). Started by bench/tips.mjs; `GET /health` answers once the database is open.
import { createServer } from 'node:http';
import { createApiPool, openApiSqlite, sqliteDate, sqliteTime } from './api-drivers.mjs';
import { getMetadataArgsStorage } from 'typeorm';
import { formatReceiptCode, TIP_UPLOAD } from '@qmfz/contracts';
import { AppException } from '../dist/common/app-exception.js';
import { isUniqueViolation } from '../dist/common/db-errors.js';
import { newId } from '../dist/common/ids.js';
import { loadConfig } from '../dist/config/config.js';
import { CryptoService } from '../dist/crypto/crypto.service.js';
import { TipEntity, TipEventEntity, TipIdentifierEntity } from '../dist/database/entities/index.js';
import { MemoryRateLimiter } from '../dist/rate-limit/rate-limiter.js';
import { identifierIndex } from '../dist/tips/identifier-index.js';
import { maskIdentifier } from '../dist/tips/masking.js';
import { idempotencyHash, receiptCodeFor, receiptHash } from '../dist/tips/receipt-code.js';
import { ReporterContacts } from '../dist/tips/reporter-contact.js';
import { newTipEvent } from '../dist/tips/tip-events.js';
import { canonicalSubmission, parseTipSubmission } from '../dist/tips/tip-request.js';
import { identifierLockName, LOCK_WAIT_SECONDS } from '../dist/tips/tips.repository.js';
import { HttpError, importAccessKey, send, verifiedCaller } from './baseline-http.mjs';

const config = loadConfig(process.env);
const key = await importAccessKey(config.auth.jwtSecret);
const crypto = new CryptoService(config);
// Its WeChat client is only asked for a phone code, which the bench never sends.
const contacts = new ReporterContacts(crypto, null);
const limiter = new MemoryRateLimiter();

// Module-private in tips.service.ts, tip-attachments.service.ts and tips.controller.ts (TIP_RATE_LIMITS), so copied.
const REQUEST_HASH_NAMESPACE = 'tip-request';
const UPLOADER_NAMESPACE = 'tip-uploader';
const UNCLAIMED_UPLOAD_MS = TIP_UPLOAD.unclaimedHours * 3600_000;
const SUBMIT_PER_USER = { name: 'tip-submit-user', limit: 10, windowSeconds: 3600 };
const SUBMIT_PER_IP = { name: 'tip-submit-ip', limit: 60, windowSeconds: 3600 };
const PHONE_REFUSAL = { field: 'reporter.phoneCode', message: '仅支持中国大陆手机号' };
const DEADLOCK_RETRIES = 5; // as tips.repository.ts

// ---- SQL: the text TypeORM sends for the API's repository calls -------------------------------------------------

/** An entity's columns in the order TypeORM lists them in its INSERT and SELECT statements (declaration order). */
function columnsOf(entity) {
  return getMetadataArgsStorage()
    .columns.filter((c) => c.target === entity)
    .map((c) => ({ property: c.propertyName, column: c.options.name ?? c.propertyName }));
}
const TIP = columnsOf(TipEntity);
const IDENTIFIER = columnsOf(TipIdentifierEntity);
const EVENT = columnsOf(TipEventEntity);
const valuesOf = (columns, row) => columns.map((c) => row[c.property]);

/**
 * The statements, quoted for the dialect. On SQLite TypeORM writes numbers into an INSERT's text instead of binding
 * them (`inlineNumbers`), and dates as UTC text; on MySQL it binds everything and passes Dates to mysql2.
 */
function statements(q, { inlineNumbers, lockRows }) {
  const id = (name) => q + name + q;
  const insert = (table, columns, rows) => {
    const params = [];
    const tuples = rows.map((row) => {
      const slots = valuesOf(columns, row).map((v) => (inlineNumbers && typeof v === 'number' ? String(v) : (params.push(v), '?')));
      return `(${slots.join(', ')})`;
    });
    return { sql: `INSERT INTO ${id(table)}(${columns.map((c) => id(c.column)).join(', ')}) VALUES ${tuples.join(', ')}`, params };
  };
  const marks = (n) => Array.from({ length: n }, () => '?').join(', ');
  return {
    // MembershipsRepository.findActiveForActor (the guard, every authenticated request)
    activeMemberships: 'SELECT m.unit_id, u.kind, m.role FROM memberships m INNER JOIN units u ON u.id = m.unit_id WHERE m.user_id = ? AND m.status = ? AND m.township_id = ?',
    // TipsRepository.findSubmission (plain SQL there)
    tipByIdempotencyHash: 'SELECT status, request_hash, created_at FROM tips WHERE idempotency_hash = ?',
    // TipsRepository.transactionHolding: one statement per lock, in sorted order
    lock: 'SELECT GET_LOCK(?, ?) AS got',
    // manager.insert(TipEntity | TipIdentifierEntity | TipEventEntity, …)
    insertTip: (tip) => insert('tips', TIP, [tip]),
    insertIdentifiers: (rows) => insert('tip_identifiers', IDENTIFIER, rows),
    insertEvent: (event) => insert('tip_events', EVENT, [event]),
    // TipsRepository.link and currentRoots (plain SQL there, whitespace included)
    linkedGroups: (n) => `SELECT t.group_id AS group_id FROM tip_identifiers i JOIN tips t ON t.id = i.tip_id\n       WHERE i.township_id = ? AND i.value_index IN (${marks(n)})`,
    groupRoots: (n) => `SELECT id, group_id FROM tips WHERE township_id = ? AND id IN (${marks(n)})${lockRows ? ' FOR UPDATE' : ''}`,
    // the query builder's UPDATE in TipsRepository.link
    mergeGroups: (n) => `UPDATE ${id('tips')} SET ${id('group_id')} = ? WHERE ${id('township_id')} = ? AND ${id('group_id')} IN (${marks(n)})`,
  };
}

/** The fields TipsService reads from a stored tip (TypeORM hydrates the whole entity). */
const mapStoredTip = (row, date) => row && { status: row.status, requestHash: row.request_hash, createdAt: date(row.created_at) };

// ---- drivers ------------------------------------------------------------------------------------------------------


/**
 * better-sqlite3 on the API's file with the API's pragmas. One connection: transactions and the queries outside
 * them take turns, as the API's `takeTurnsOnTheOneConnection` makes them (without its AsyncLocalStorage: nothing
 * here nests). Statements are prepared once per text, as TypeORM's statement cache does.
 */
function openSqlite(path) {
  const db = openApiSqlite(path);
  const prepared = new Map();
  const statement = (sql) => prepared.get(sql) ?? prepared.set(sql, db.prepare(sql)).get(sql);
  const bind = (params) => params.map((v) => (v instanceof Date ? sqliteTime(v) : v));
  const tx = {
    all: async (sql, params = []) => statement(sql).all(...bind(params)),
    run: async (sql, params = []) => statement(sql).run(...bind(params)),
  };
  let queue = Promise.resolve();
  const inTurn = (work) => {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    kind: 'better-sqlite3',
    sql: statements('"', { inlineNumbers: true, lockRows: false }),
    date: sqliteDate,
    all: (sql, params) => inTurn(() => tx.all(sql, params)),
    /** SQLite runs one transaction at a time: no named locks (TipsRepository skips them too). */
    transactionHolding: (_locks, work) =>
      inTurn(async () => {
        await tx.run('BEGIN TRANSACTION');
        try {
          await work(tx);
          await tx.run('COMMIT');
        } catch (error) {
          await tx.run('ROLLBACK');
          throw error;
        }
      }),
    close: async () => db.close(),
  };
}

/** A mysql2 pool with the options the API's data source gives TypeORM's mysql driver, pinned to UTC. */
async function openMysql(url) {
  const pool = createApiPool(url);
  const sql = statements('`', { inlineNumbers: false, lockRows: true });
  // TypeORM's mysql driver sends text-protocol queries (client-side placeholders), not prepared statements.
  const on = (connection) => ({
    all: async (text, params) => (await connection.query(text, params))[0],
    run: async (text, params) => (await connection.query(text, params))[0],
  });
  await pool.query('SELECT 1');
  return {
    kind: 'mysql2',
    sql,
    date: (value) => value,
    all: async (text, params) => (await pool.query(text, params))[0],
    /**
     * As TipsRepository.transactionHolding: the named locks one by one on a connection of its own, then the
     * transaction, then RELEASE_ALL_LOCKS before the connection goes back to the pool.
     */
    async transactionHolding(locks, work) {
      const connection = await pool.getConnection();
      try {
        for (const lock of locks) {
          const [[row]] = await connection.query(sql.lock, [lock, LOCK_WAIT_SECONDS]);
          if (Number(row?.got) !== 1) throw new HttpError(503, 'TIP_BUSY');
        }
        await connection.query('START TRANSACTION');
        try {
          await work(on(connection));
          await connection.query('COMMIT');
        } catch (error) {
          await connection.query('ROLLBACK');
          throw error;
        }
      } finally {
        const release = locks.length ? connection.query('SELECT RELEASE_ALL_LOCKS()') : Promise.resolve();
        await release.finally(() => connection.release());
      }
    },
    close: () => pool.end(),
  };
}

const db = config.database.url ? await openMysql(config.database.url) : openSqlite(config.database.sqlitePath);
const { sql } = db;

// ---- TipsRepository ---------------------------------------------------------------------------------------------

async function findSubmission(hash) {
  return mapStoredTip((await db.all(sql.tipByIdempotencyHash, [hash]))[0], db.date);
}

/** The tip first (a racing retry fails on its unique hash before writing more), linking, identifiers, the event. */
async function insertSubmission(rows) {
  const locks = [...new Set(rows.identifiers.map((i) => identifierLockName(i.valueIndex)))].sort();
  await retryOnDeadlock(() =>
    db.transactionHolding(locks, async (tx) => {
      const tip = sql.insertTip(rows.tip);
      await tx.run(tip.sql, tip.params);
      await link(tx, rows.tip, rows.identifiers.map((i) => i.valueIndex));
      if (rows.identifiers.length) {
        const identifiers = sql.insertIdentifiers(rows.identifiers);
        await tx.run(identifiers.sql, identifiers.params);
      }
      const event = sql.insertEvent(rows.event);
      await tx.run(event.sql, event.params);
    }),
  );
}

/** Joins the group of the tips sharing an identifier; merges several into the earliest (TipsRepository.link). */
async function link(tx, tip, indexes) {
  if (!indexes.length) return;
  const rows = await tx.all(sql.linkedGroups(indexes.length), [tip.townshipId, ...indexes]);
  if (!rows.length) return;
  const roots = await currentRoots(tx, tip.townshipId, rows.map((row) => row.group_id));
  const [earliest, ...later] = [...new Set([tip.id, ...roots])].sort();
  if (!later.length) return;
  await tx.run(sql.mergeGroups(later.length), [earliest, tip.townshipId, ...later]);
}

async function currentRoots(tx, townshipId, groupIds) {
  const roots = new Set();
  const seen = new Set();
  let pending = [...new Set(groupIds)];
  while (pending.length) {
    pending.forEach((id) => seen.add(id));
    const rows = await tx.all(sql.groupRoots(pending.length), [townshipId, ...pending.sort()]);
    const found = new Map(rows.map((row) => [row.id, row.group_id]));
    const next = [];
    for (const id of pending) {
      const group = found.get(id) ?? id;
      if (group === id) roots.add(id);
      else if (!seen.has(group)) next.push(group);
    }
    pending = next;
  }
  return [...roots];
}

async function retryOnDeadlock(work) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_RETRIES || (error?.errno !== 1213 && error?.errno !== 1205)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

// ---- TipsService --------------------------------------------------------------------------------------------------

async function submit(actor, body) {
  const now = new Date();
  const submission = parseTipSubmission(body, now);
  const idempotency = idempotencyHash(crypto, actor.userId, submission.idempotencyKey);
  const requestHash = crypto.blindIndex(REQUEST_HASH_NAMESPACE, canonicalSubmission(submission));
  const receiptCode = receiptCodeFor(crypto, actor.userId, submission.idempotencyKey);

  const earlier = await findSubmission(idempotency);
  if (earlier) return { receipt: replay(earlier, requestHash, receiptCode), created: false };
  try {
    const tip = await store(actor, submission, { idempotency, requestHash, receiptCode }, now);
    return { receipt: { receiptCode: formatReceiptCode(receiptCode), status: tip.status, createdAt: now.toISOString() }, created: true };
  } catch (error) {
    const raced = error instanceof AppException || isUniqueViolation(error);
    const winner = raced ? await findSubmission(idempotency) : null;
    if (!winner) throw error;
    return { receipt: replay(winner, requestHash, receiptCode), created: false };
  }
}

function replay(tip, requestHash, receiptCode) {
  if (tip.requestHash !== null && tip.requestHash !== requestHash) throw new HttpError(409, 'TIP_IDEMPOTENCY_CONFLICT');
  return { receiptCode: formatReceiptCode(receiptCode), status: tip.status, createdAt: tip.createdAt.toISOString() };
}

async function store(actor, submission, keys, now) {
  // Computed by the API before it knows whether there are uploads to claim.
  const uploads = { ids: submission.attachmentIds, uploaderHash: crypto.blindIndex(UPLOADER_NAMESPACE, actor.userId), uploadedAfter: new Date(now.getTime() - UNCLAIMED_UPLOAD_MS) };
  if (submission.unitId || uploads.ids.length) throw new HttpError(500, 'BENCH_UNSUPPORTED');
  const reporter = await reporterColumns(submission.reporter);
  const tip = newTip(actor, submission, reporter, keys, now);
  await insertSubmission({
    tip,
    identifiers: identifierRows(tip, submission),
    attachments: uploads,
    event: newTipEvent(tip, 'status', now, { status: 'received' }),
  });
  return tip;
}

async function reporterColumns(reporter) {
  if (reporter.mode === 'anonymous') {
    return { reporterMode: 'anonymous', reporterNameCipher: null, reporterPhoneCipher: null, reporterPhoneIndex: null, reporterPhoneMasked: null };
  }
  if (reporter.phoneCode) throw new HttpError(500, 'BENCH_UNSUPPORTED'); // a WeChat phone code
  const phone = await contacts.sealPhone(reporter, PHONE_REFUSAL);
  return {
    reporterMode: 'named',
    reporterNameCipher: contacts.sealName(reporter.name),
    reporterPhoneCipher: phone.cipher,
    reporterPhoneIndex: phone.index,
    reporterPhoneMasked: phone.masked,
  };
}

function newTip(actor, submission, reporter, keys, now) {
  const id = newId(now);
  return {
    id,
    townshipId: actor.townshipId,
    fraudType: submission.fraudType,
    status: 'received',
    descriptionCipher: crypto.encrypt(submission.description),
    lossYuan: submission.lossYuan,
    occurredAt: submission.occurredAt,
    ...reporter,
    unitId: submission.unitId,
    assigneeId: null,
    labels: '[]',
    groupId: id,
    receiptHash: receiptHash(crypto, keys.receiptCode),
    idempotencyHash: keys.idempotency,
    requestHash: keys.requestHash,
    attachmentCount: submission.attachmentIds.length,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    identityPurgedAt: null,
  };
}

function identifierRows(tip, submission) {
  return submission.identifiers.map((identifier, position) => ({
    id: newId(),
    townshipId: tip.townshipId,
    tipId: tip.id,
    kind: identifier.kind,
    valueIndex: identifierIndex(crypto, identifier),
    valueCipher: crypto.encrypt(identifier.typed),
    valueMasked: maskIdentifier(identifier.kind, identifier.normalised),
    position,
  }));
}

// ---- HTTP ---------------------------------------------------------------------------------------------------------

/** The AuthGuard's work on a route without @IdentityOnly: verified claims, then the active memberships. */
async function authenticate(req) {
  const caller = await verifiedCaller(req, key);
  const memberships = (await db.all(sql.activeMemberships, [caller.userId, 'active', caller.townshipId])).map((row) => ({ unitId: row.unit_id, unitKind: row.kind, role: row.role }));
  return { ...caller, memberships };
}

/** RateLimitGuard, once per rule, with the API's scale. */
async function rateLimit(rule, client) {
  const result = await limiter.hit(`${rule.name}:${client}`, rule.limit * config.rateLimitScale, rule.windowSeconds);
  if (!result.allowed) throw new HttpError(429, 'RATE_LIMITED');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON');
  }
}

async function route(req, res) {
  const path = req.url.split('?')[0];
  if (req.method === 'POST' && path === '/api/tips') {
    const actor = await authenticate(req);
    await rateLimit(SUBMIT_PER_USER, `user:${actor.userId}`);
    await rateLimit(SUBMIT_PER_IP, `ip:${req.socket.remoteAddress}`);
    const { receipt, created } = await submit(actor, parseJson(await readBody(req)));
    return send(res, created ? 201 : 200, receipt);
  }
  if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
  throw new HttpError(404, 'NOT_FOUND');
}

const server = createServer((req, res) => {
  route(req, res).catch((error) => {
    if (error instanceof HttpError || error instanceof AppException) return send(res, error.status, { code: error.code });
    console.error(error);
    send(res, 500, { code: 'INTERNAL' });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(config.port, config.host, () => console.log(`tips baseline listening on ${config.port} (${db.kind})`));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => db.close().finally(() => process.exit(0))));
