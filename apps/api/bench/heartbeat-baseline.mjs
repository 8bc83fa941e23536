// The baseline the heartbeat route is measured against: bare node:http doing the same work per heartbeat as the
// API — verify the HS256 access token with jose (key imported once, as TokenService does), check the route id and
// the body as the DTO does, verify the signed viewing token, run applyHeartbeat, decide whether a checkpoint is
// due, sign the next token, reply JSON. The verifier, the token codec and percentOf are the API's own built modules
// (dist/), so the viewing work is identical; no framework, no logging, no database.
//
// The API writes to the database on a rejected heartbeat and when a checkpoint is due; this server has no database,
// so it answers those with 500 BENCH_WOULD_WRITE and the bench fails: the load must stay on the path that writes
// nothing. Environment: PORT, HOST, JWT_SECRET. Started by bench/heartbeat.mjs; `GET /health` answers when ready.
import { createServer } from 'node:http';
import { HEARTBEAT_EVENTS, VIDEO_LIMITS } from '@qmfz/contracts';
import { checkpointDue, PLAYER_STATE } from '../dist/viewing/heartbeat-rules.js';
import { applyHeartbeat, coveredMs, isComplete } from '../dist/viewing/verifier.js';
import { percentOf } from '../dist/viewing/viewing-status.js';
import { ViewingTokenCodec } from '../dist/viewing/viewing-token.js';
import { HttpError, importAccessKey, send, verifiedCaller } from './baseline-http.mjs';

const key = await importAccessKey(process.env.JWT_SECRET);
const tokens = new ViewingTokenCodec(process.env.JWT_SECRET);

// As HeartbeatDto and ParseIdPipe.
const TOKEN_MAX = 4096;
const CLIENT_TIME_MAX_MS = 48 * 3600 * 1000;
const POSITION_MAX = VIDEO_LIMITS.durationMaxSeconds + 1;
const BODY_KEYS = new Set(['sessionToken', 'position', 'clientTimeMs', 'event']);
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// As viewing.service.ts (module-private there, so copied).



/** The guard's work on an @IdentityOnly route: bearer token → verified claims, no membership query. */
function authenticate(req) {
  return verifiedCaller(req, key);
}

const decimals = (n) => (String(n).split('.')[1] ?? '').length;

/** What the ValidationPipe checks on HeartbeatDto (whitelist, forbidNonWhitelisted). */
function parseHeartbeat(raw) {
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'VALIDATION_FAILED');
  for (const name of Object.keys(body)) if (!BODY_KEYS.has(name)) throw new HttpError(400, 'VALIDATION_FAILED');
  const { sessionToken, position, clientTimeMs, event } = body;
  const valid =
    typeof sessionToken === 'string' &&
    sessionToken.length <= TOKEN_MAX &&
    typeof position === 'number' &&
    Number.isFinite(position) &&
    decimals(position) <= 3 &&
    position >= 0 &&
    position <= POSITION_MAX &&
    Number.isInteger(clientTimeMs) &&
    clientTimeMs >= 0 &&
    clientTimeMs <= CLIENT_TIME_MAX_MS &&
    typeof event === 'string' &&
    HEARTBEAT_EVENTS.includes(event);
  if (!valid) throw new HttpError(400, 'VALIDATION_FAILED');
  return body;
}


/** ViewingService.heartbeat in the same order; every branch on which the API writes stops here instead. */
function heartbeat(actor, campaignId, body) {
  const now = Date.now();
  const claims = tokens.verify(body.sessionToken);
  if (!claims) throw new HttpError(400, 'VIEWING_SESSION_INVALID');
  if (claims.userId !== actor.userId || claims.townshipId !== actor.townshipId) throw new HttpError(500, 'BENCH_WOULD_WRITE');
  if (claims.campaignId !== campaignId) throw new HttpError(400, 'VIEWING_SESSION_MISMATCH');
  if (now > claims.expiresAtMs) throw new HttpError(500, 'BENCH_WOULD_WRITE');
  const positionMs = Math.round(body.position * 1000);
  if (positionMs > claims.durationMs + 1000) throw new HttpError(400, 'VIEWING_POSITION_INVALID');

  const verdict = applyHeartbeat(claims, {
    positionMs: Math.min(positionMs, claims.durationMs),
    clientMs: body.clientTimeMs,
    serverMs: now,
    playing: PLAYER_STATE[body.event],
  });
  if (verdict.kind === 'duplicate' || verdict.rejected) throw new HttpError(500, 'BENCH_WOULD_WRITE');
  const next = { ...claims, ...verdict.state };
  if (checkpointDue(next, body.event, now, isComplete(next))) throw new HttpError(500, 'BENCH_WOULD_WRITE');
  const covered = coveredMs(next.intervals);
  return {
    sessionToken: tokens.sign(next),
    coveredSeconds: Math.floor(covered / 1000),
    percent: percentOf(covered, next.durationMs),
    verified: next.completionRecorded,
    rejected: verdict.rejected,
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const HEARTBEAT_PATH = /^\/api\/viewing\/campaigns\/([^/]+)\/heartbeats$/;

async function route(req, res) {
  const path = req.url.split('?')[0];
  const match = req.method === 'POST' ? HEARTBEAT_PATH.exec(path) : null;
  if (match) {
    const actor = await authenticate(req);
    if (!ULID.test(match[1])) throw new HttpError(404, 'NOT_FOUND');
    return send(res, 200, heartbeat(actor, match[1], parseHeartbeat(await readBody(req))));
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
server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1', () => console.log(`heartbeat baseline listening on ${process.env.PORT}`));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
