// The baseline the API is measured against: bare node:http + the same driver + jose, doing the same work per
// request as the API (verify the HS256 access token, load the caller's active memberships, run the route's SQL
// with the same text the API's TypeORM repositories issue, build the same JSON). No framework, no ORM, no logging.
//
// Environment (the API's own names): PORT, DATABASE_URL (mysql:// or mariadb://; unset = SQLite at SQLITE_PATH),
// JWT_SECRET. Started by bench/run.mjs; `GET /health` answers once the database is open.
import { randomBytes, randomFillSync } from 'node:crypto';
import { createServer } from 'node:http';
import { monotonicFactory } from 'ulid';
import { openDatabase } from './baseline-db.mjs';
import { HttpError, importAccessKey, send, verifiedCaller } from './baseline-http.mjs';

// As the API's TokenService: the HMAC key imported once.
const key = await importAccessKey(process.env.JWT_SECRET);
const db = await openDatabase(process.env);

// As the API's newId(): ULIDs drawing on CSPRNG bytes pooled 4 KiB at a time.
const pool = Buffer.alloc(4096);
let offset = pool.length;
const newId = monotonicFactory(() => {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++] / 256;
});

// Same constants as @qmfz/contracts (LIMITS, INVITE_ALPHABET): copied so the baseline imports nothing of ours.
const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const INVITE_CODE_LENGTH = 8;
const INVITE_DEFAULT_HOURS = 72;
const INVITE_MAX_HOURS = 24 * 30;
const ROLES = ['staff', 'unit_admin', 'police', 'township_admin'];
const UNIT_ADMIN_GRANTS = ['staff', 'police'];
const UNBIASED_LIMIT = 256 - (256 % INVITE_ALPHABET.length);
const CODE_ATTEMPTS = 5;



/** The guard's work: bearer token → verified claims → active memberships. */
async function authenticate(req) {
  const caller = await verifiedCaller(req, key);
  return { ...caller, memberships: await db.activeMemberships(caller.userId, caller.townshipId) };
}

async function me(actor) {
  const [user, township, memberships] = await Promise.all([
    db.userById(actor.userId),
    db.townshipById(actor.townshipId),
    db.membershipsWithUnits(actor.userId, actor.townshipId),
  ]);
  if (!user || !township) throw new HttpError(401, 'AUTH_TOKEN_INVALID');
  return {
    id: user.id,
    displayName: user.displayName,
    phoneMasked: user.phoneMasked,
    township: { id: township.id, code: township.code, name: township.name },
    memberships: memberships.map((m) => ({
      id: m.id,
      unitId: m.unitId,
      unitName: m.unitName,
      unitKind: m.unitKind,
      role: m.role,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

/** Same draw as the API: crypto bytes, dropping those that would bias the alphabet. */
function inviteCode() {
  let code = '';
  while (code.length < INVITE_CODE_LENGTH) {
    for (const byte of randomBytes(INVITE_CODE_LENGTH * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      code += INVITE_ALPHABET[byte % INVITE_ALPHABET.length];
      if (code.length === INVITE_CODE_LENGTH) break;
    }
  }
  return code;
}

/** What the API's DTO validation checks on this body: an object with optional role and validHours, nothing else. */
function parseInviteBody(raw) {
  let body;
  try {
    body = raw.length ? JSON.parse(raw) : {};
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'VALIDATION_FAILED');
  for (const key of Object.keys(body)) if (key !== 'role' && key !== 'validHours') throw new HttpError(400, 'VALIDATION_FAILED');
  if (body.role !== undefined && !ROLES.includes(body.role)) throw new HttpError(400, 'VALIDATION_FAILED');
  const hours = body.validHours;
  if (hours !== undefined && (!Number.isInteger(hours) || hours < 1 || hours > INVITE_MAX_HOURS)) throw new HttpError(400, 'VALIDATION_FAILED');
  return { role: body.role ?? 'staff', validHours: hours ?? INVITE_DEFAULT_HOURS };
}

const isTownshipAdmin = (actor) => actor.memberships.some((m) => m.role === 'township_admin');
const canAdministerUnit = (actor, unitId) => isTownshipAdmin(actor) || actor.memberships.some((m) => m.unitId === unitId && m.role === 'unit_admin');
const roleFitsUnit = (role, kind) =>
  role === 'police' ? kind === 'police_station' : role === 'township_admin' ? kind === 'township_office' : true;
const mayGrantRole = (actor, unit, role) =>
  roleFitsUnit(role, unit.kind) && (isTownshipAdmin(actor) || (canAdministerUnit(actor, unit.id) && UNIT_ADMIN_GRANTS.includes(role)));

/** The API's checks in the API's order: the unit in the caller's township, admin of it, a role it may grant. */
async function createInvite(actor, unitId, rawBody) {
  const request = parseInviteBody(rawBody);
  const unit = await db.unitInTownship(actor.townshipId, unitId);
  if (!unit) throw new HttpError(404, 'UNIT_NOT_FOUND');
  if (!canAdministerUnit(actor, unit.id)) throw new HttpError(403, 'FORBIDDEN');
  if (!roleFitsUnit(request.role, unit.kind)) throw new HttpError(400, 'ROLE_NOT_ALLOWED_FOR_UNIT');
  if (!mayGrantRole(actor, unit, request.role)) throw new HttpError(403, 'FORBIDDEN');
  const now = new Date();
  for (let attempt = 1; ; attempt++) {
    const invite = {
      id: newId(),
      townshipId: unit.townshipId,
      unitId: unit.id,
      code: inviteCode(),
      role: request.role,
      expiresAt: new Date(now.getTime() + request.validHours * 3600_000),
      revokedAt: null,
      createdBy: actor.userId,
      createdAt: now,
    };
    try {
      await db.insertInvite(invite);
    } catch (error) {
      if (!db.isUniqueViolation(error) || attempt === CODE_ATTEMPTS) throw error;
      continue;
    }
    return {
      id: invite.id,
      unitId: invite.unitId,
      code: invite.code,
      role: invite.role,
      expiresAt: invite.expiresAt.toISOString(),
      revokedAt: null,
      createdAt: invite.createdAt.toISOString(),
    };
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const INVITES_PATH = /^\/api\/units\/([0-9A-HJKMNP-TV-Z]{26})\/invites$/;

async function route(req, res) {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path === '/api/me') return send(res, 200, await me(await authenticate(req)));
  const invites = req.method === 'POST' ? INVITES_PATH.exec(path) : null;
  if (invites) {
    const actor = await authenticate(req);
    return send(res, 201, await createInvite(actor, invites[1], await readBody(req)));
  }
  if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
  throw new HttpError(404, 'NOT_FOUND');
}

const server = createServer((req, res) => {
  route(req, res).catch((error) => {
    if (error instanceof HttpError) return send(res, error.status, { code: error.code });
    console.error(error);
    send(res, 500, { code: 'INTERNAL' });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1', () => {
  console.log(`baseline listening on ${process.env.PORT} (${db.kind})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => db.close().finally(() => process.exit(0))));
}
