// What both bare baselines do the same way as the API on every request: errors with a status and a code, JSON
// replies, and the access-token check of the AuthGuard (HS256 with jose, the key imported once, as TokenService).
import { jwtVerify } from 'jose';

const ISSUER = 'qmfz-api';
const AUDIENCE = 'qmfz-access';

export class HttpError extends Error {
  constructor(status, code) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

export function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export function importAccessKey(secret) {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

/** Bearer token → { userId, townshipId }, or the guard's 401s. */
export async function verifiedCaller(req, key) {
  const header = req.headers.authorization;
  if (!header) throw new HttpError(401, 'AUTH_REQUIRED');
  const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (!token) throw new HttpError(401, 'AUTH_TOKEN_INVALID');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] }));
  } catch {
    throw new HttpError(401, 'AUTH_TOKEN_INVALID');
  }
  if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') throw new HttpError(401, 'AUTH_TOKEN_INVALID');
  return { userId: payload.sub, townshipId: payload.tid };
}
