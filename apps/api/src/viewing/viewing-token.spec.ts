import { describe, expect, it } from '@jest/globals';
import { VIEWING_RULES } from '@qmfz/contracts';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { ViewingTokenCodec, type ViewingClaims } from './viewing-token.js';

const SECRET = 'a-signing-secret-of-forty-characters-xxx';
const codec = new ViewingTokenCodec(SECRET);

/** A viewing half-way through a 30-minute video, with one rewind-and-skip behind it. */
const TYPICAL: ViewingClaims = {
  sessionId: '01KB6Z5J8Q3W2M4N7P9R0S1T2V',
  userId: '01KB6Y2C4D6F8G0H2J4K6M8N0P',
  townshipId: '01KB6X1A3B5C7D9E1F3G5H7J9K',
  campaignId: '01KB6Z0Q2R4S6T8V0W2X4Y6Z8A',
  durationMs: 1_800_000,
  startedAtMs: 1_764_500_000_000,
  expiresAtMs: 1_764_514_400_000,
  baseCoveredMs: 300_000,
  intervals: [
    [0, 612_345],
    [700_000, 934_567],
  ],
  lastPositionMs: 934_567,
  lastClientMs: 634_210,
  stoppedAtLast: false,
  checkpointAtMs: 1_764_500_600_000,
  checkpointCoveredMs: 800_000,
  checkpointPositionMs: 912_000,
  completionRecorded: false,
};

const [typicalBody] = codec.sign(TYPICAL).split('.');
/** The decoded body of the typical token, to change one thing at a time. */
const typicalWire = (): unknown[] => JSON.parse(Buffer.from(typicalBody, 'base64url').toString('utf8'));

/**
 * Signs any body text as the codec would (same key derivation), so that bodies the codec never writes can be
 * checked for what they are, not refused for their signature.
 */
function signText(text: string, secret = SECRET): string {
  const key = createHmac('sha256', secret).update('qmfz viewing token v1').digest();
  const body = Buffer.from(text).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}
const signWire = (wire: unknown) => signText(JSON.stringify(wire));

function withWire(change: (wire: unknown[]) => void): string {
  const wire = typicalWire();
  change(wire);
  return signWire(wire);
}

describe('ViewingTokenCodec', () => {
  it('should give back the claims it signed', () => {
    expect(codec.verify(codec.sign(TYPICAL))).toEqual(TYPICAL);
    const fresh: ViewingClaims = { ...TYPICAL, intervals: [], baseCoveredMs: 0, lastPositionMs: null, lastClientMs: null, completionRecorded: true };
    expect(codec.verify(codec.sign(fresh))).toEqual(fresh);
  });

  it('should give back whether the last heartbeat stopped the player, either way', () => {
    const paused: ViewingClaims = { ...TYPICAL, stoppedAtLast: true };
    expect(codec.verify(codec.sign(paused))).toEqual(paused);
    expect(codec.verify(codec.sign(TYPICAL))?.stoppedAtLast).toBe(false);
    // Nothing else carries it: the two tokens differ.
    expect(codec.sign(paused)).not.toBe(codec.sign(TYPICAL));
  });

  it('should give back any claims it signed, names in any script and positions with fractions included', () => {
    const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)));
    const claims: fc.Arbitrary<ViewingClaims> = fc.record({
      sessionId: fc.string({ unit: 'grapheme' }),
      userId: fc.string(),
      townshipId: fc.string({ unit: 'grapheme' }),
      campaignId: fc.string(),
      durationMs: number,
      startedAtMs: number,
      expiresAtMs: number,
      baseCoveredMs: number,
      intervals: fc.array(fc.tuple(number, number), { maxLength: 32 }),
      lastPositionMs: fc.option(number),
      lastClientMs: fc.option(number),
      stoppedAtLast: fc.boolean(),
      checkpointAtMs: number,
      checkpointCoveredMs: number,
      checkpointPositionMs: number,
      completionRecorded: fc.boolean(),
    });
    fc.assert(
      fc.property(claims, (c) => {
        expect(codec.verify(codec.sign(c))).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });

  it('should verify a body signed the way this spec signs it, so the shape checks below test shapes', () => {
    expect(signWire(typicalWire())).toBe(codec.sign(TYPICAL));
  });

  it('should refuse a token with any one byte of its body or signature flipped', () => {
    const token = codec.sign(TYPICAL);
    const accepted: string[] = [];
    for (let i = 0; i < token.length; i++) {
      for (let bit = 0; bit < 7; bit++) {
        const flipped = token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << bit)) + token.slice(i + 1);
        if (codec.verify(flipped) !== null) accepted.push(`${i}:${bit}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('should refuse a flipped byte anywhere in the token of any claims', () => {
    const claims = fc.record({ positionMs: fc.nat(1_800_000), clientMs: fc.nat(), atMs: fc.nat() });
    fc.assert(
      fc.property(claims, fc.nat(), fc.integer({ min: 0, max: 6 }), ({ positionMs, clientMs, atMs }, at, bit) => {
        const token = codec.sign({ ...TYPICAL, lastPositionMs: positionMs, lastClientMs: clientMs, checkpointAtMs: atMs });
        const i = at % token.length;
        const flipped = token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << bit)) + token.slice(i + 1);
        expect(codec.verify(flipped)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('should refuse its own signature written another way: padded, with spaces, in standard base64', () => {
    const [body, signature] = codec.sign(TYPICAL).split('.');
    const standard = signature.replace(/-/g, '+').replace(/_/g, '/');
    for (const other of [`${signature}=`, ` ${signature}`, `${signature}\n`, `${signature.slice(0, 20)}!${signature.slice(20)}`]) {
      expect(codec.verify(`${body}.${other}`)).toBeNull();
    }
    if (standard !== signature) expect(codec.verify(`${body}.${standard}`)).toBeNull();
  });

  it('should refuse a token signed with another secret', () => {
    expect(new ViewingTokenCodec('another-secret-of-forty-characters-xxxxx').verify(codec.sign(TYPICAL))).toBeNull();
    expect(codec.verify(signText(JSON.stringify(typicalWire()), 'another-secret-of-forty-characters-xxxxx'))).toBeNull();
  });

  it('should refuse another version of the token', () => {
    for (const version of [1, 3, '2', 2.5]) expect(codec.verify(withWire((w) => (w[0] = version)))).toBeNull();
    expect(codec.verify(withWire((w) => w.shift()))).toBeNull();
  });

  it('should refuse a version-1 token, 16 fields without stoppedAtLast, as it cannot say whether the player stopped', () => {
    // Version 1 had the same first 16 fields and no stoppedAtLast.
    const versionOne = typicalWire().slice(0, 16);
    versionOne[0] = 1;
    expect(codec.verify(signWire(versionOne))).toBeNull();
    // Neither the old number nor the old length alone is read as version 2.
    expect(codec.verify(signWire([2, ...versionOne.slice(1)]))).toBeNull();
    expect(codec.verify(signWire([...versionOne, 0]))).toBeNull();
  });

  it('should refuse a body that is not the array of claims', () => {
    expect(codec.verify(withWire((w) => w.pop()))).toBeNull();
    expect(codec.verify(withWire((w) => w.push(0)))).toBeNull();
    expect(codec.verify(signWire({ ...TYPICAL, version: 1 }))).toBeNull();
    expect(codec.verify(signWire(null))).toBeNull();
    expect(codec.verify(signWire('1'))).toBeNull();
    expect(codec.verify(signText('[1,"a"'))).toBeNull();
    expect(codec.verify(signText(''))).toBeNull();
  });

  it('should refuse ids that are not strings', () => {
    for (const index of [1, 2, 3, 4]) {
      expect(codec.verify(withWire((w) => (w[index] = 42)))).toBeNull();
      expect(codec.verify(withWire((w) => (w[index] = null)))).toBeNull();
    }
  });

  it('should refuse times and amounts that are not finite numbers, NaN and Infinity included', () => {
    for (const index of [5, 6, 7, 8, 12, 13, 14]) {
      for (const value of [null, 'NaN', '1000', true, [1000], NaN, Infinity]) {
        expect(codec.verify(withWire((w) => (w[index] = value)))).toBeNull();
      }
    }
    // JSON has no Infinity, but it reads a number too large for a double as one.
    expect(codec.verify(signText(JSON.stringify(typicalWire()).replace('1800000', '1e999')))).toBeNull();
  });

  it('should refuse a last position or clock that is neither null nor a finite number', () => {
    for (const index of [10, 11]) {
      for (const value of ['0', false, [], {}]) expect(codec.verify(withWire((w) => (w[index] = value)))).toBeNull();
    }
  });

  it('should refuse watched ranges that are not an even list of finite numbers', () => {
    for (const flat of [[0, 1000, 2000], [0], [0, '1000'], [0, null], 'none', null, { 0: 0, 1: 1000 }]) {
      expect(codec.verify(withWire((w) => (w[9] = flat)))).toBeNull();
    }
    expect(codec.verify(withWire((w) => (w[9] = [])))).toMatchObject({ intervals: [] });
  });

  it('should refuse garbage, empty strings and strings of dots, and never throw', () => {
    const token = codec.sign(TYPICAL);
    const [body, signature] = token.split('.');
    const garbage = ['', '.', '..', '...', '.'.repeat(10_000), 'abc', 'a.b', 'a.b.c', `${token}.`, `.${token}`, `${body}.${signature}.${signature}`];
    garbage.push(`${body}..${signature}`, `${body}.`, `.${signature}`, body, signature, token.replace('.', ''), `${token} `, '\u0000.\u0000', '全民.反诈');
    for (const text of garbage) expect(codec.verify(text)).toBeNull();

    const alphabet = fc.constantFrom(...'ABCabc019-_.=+/ '.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 200 }), fc.string({ unit: 'binary' })), (text) => {
        expect(codec.verify(text)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('should keep the token small enough to send with every heartbeat, even at maxIntervals ranges', () => {
    // 355 characters: 44 of signature and dot, the rest the base64url of a 233-byte JSON array.
    expect(codec.sign(TYPICAL).length).toBeLessThanOrEqual(400);
    const fragmented = Array.from({ length: VIEWING_RULES.maxIntervals }, (_, i): [number, number] => [10_000_000 + i * 300_000, 10_000_000 + i * 300_000 + 150_000]);
    expect(codec.sign({ ...TYPICAL, durationMs: 10_800_000, intervals: fragmented }).length).toBeLessThanOrEqual(1_200);
  });
});
