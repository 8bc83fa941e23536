import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Interval, ViewingState } from './verifier.js';

/**
 * Everything a viewing session needs between heartbeats, carried by the client and signed by the server, so a
 * heartbeat needs no database row and no shared store. The client can read it but not change it; replaying an
 * older token only loses what came after it (see docs/decisions.md, "viewing state in a signed token").
 */
export interface ViewingClaims extends ViewingState {
  sessionId: string;
  userId: string;
  townshipId: string;
  campaignId: string;
  expiresAtMs: number;
  /** Server clock and covered milliseconds at the last checkpoint written to the database. */
  checkpointAtMs: number;
  checkpointCoveredMs: number;
  checkpointPositionMs: number;
  /** True once the database has recorded the completion. */
  completionRecorded: boolean;
}

// Version 2 added stoppedAtLast. A token of another version is refused (VIEWING_SESSION_INVALID), on which the
// player starts a new session.
const VERSION = 2;
const LABEL = 'qmfz viewing token v1';

export class ViewingTokenCodec {
  private readonly key: Buffer;

  /** The key is derived from the app's signing secret, so one secret rotates both. */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update(LABEL).digest();
  }

  sign(claims: ViewingClaims): string {
    const body = Buffer.from(JSON.stringify(toWire(claims))).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a token this server signed, or null for anything else (forged, damaged, another version). */
  verify(token: string): ViewingClaims | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
    const body = token.slice(0, dot);
    // Compared as text: decoding base64url skips stray characters and ignores the last character's spare bits, so
    // other spellings of the signature (padded, with spaces, a flipped low bit) would verify too.
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return fromWire(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

// Short keys keep the token small: it travels with every heartbeat.
type Wire = [
  version: number,
  sessionId: string,
  userId: string,
  townshipId: string,
  campaignId: string,
  durationMs: number,
  startedAtMs: number,
  expiresAtMs: number,
  baseCoveredMs: number,
  intervals: number[],
  lastPositionMs: number | null,
  lastClientMs: number | null,
  checkpointAtMs: number,
  checkpointCoveredMs: number,
  checkpointPositionMs: number,
  completionRecorded: 0 | 1,
  stoppedAtLast: 0 | 1,
];

function toWire(c: ViewingClaims): Wire {
  return [
    VERSION,
    c.sessionId,
    c.userId,
    c.townshipId,
    c.campaignId,
    c.durationMs,
    c.startedAtMs,
    c.expiresAtMs,
    c.baseCoveredMs,
    c.intervals.flat(),
    c.lastPositionMs,
    c.lastClientMs,
    c.checkpointAtMs,
    c.checkpointCoveredMs,
    c.checkpointPositionMs,
    c.completionRecorded ? 1 : 0,
    c.stoppedAtLast ? 1 : 0,
  ];
}

function fromWire(wire: unknown): ViewingClaims | null {
  if (!Array.isArray(wire) || wire.length !== 17 || wire[0] !== VERSION) return null;
  const [, sessionId, userId, townshipId, campaignId, durationMs, startedAtMs, expiresAtMs, baseCoveredMs, flat, lastPositionMs, lastClientMs, checkpointAtMs, checkpointCoveredMs, checkpointPositionMs, recorded, stopped] =
    wire as Wire;
  const ids = [sessionId, userId, townshipId, campaignId];
  const numbers = [durationMs, startedAtMs, expiresAtMs, baseCoveredMs, checkpointAtMs, checkpointCoveredMs, checkpointPositionMs];
  if (!ids.every((id) => typeof id === 'string') || !numbers.every(Number.isFinite)) return null;
  if (!Array.isArray(flat) || flat.length % 2 !== 0 || !flat.every(Number.isFinite)) return null;
  if (![lastPositionMs, lastClientMs].every((n) => n === null || Number.isFinite(n))) return null;
  const intervals: Interval[] = [];
  for (let i = 0; i < flat.length; i += 2) intervals.push([flat[i], flat[i + 1]]);
  return {
    sessionId,
    userId,
    townshipId,
    campaignId,
    durationMs,
    startedAtMs,
    expiresAtMs,
    baseCoveredMs,
    intervals,
    lastPositionMs,
    lastClientMs,
    checkpointAtMs,
    checkpointCoveredMs,
    checkpointPositionMs,
    completionRecorded: recorded === 1,
    stoppedAtLast: stopped === 1,
  };
}
