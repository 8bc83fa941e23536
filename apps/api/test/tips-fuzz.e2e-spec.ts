import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FRAUD_TYPES, IDENTIFIER_KINDS, normalizeIdentifier, UnitKind, type IdentifierKind } from '@qmfz/contracts';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogEntity, TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity } from '../src/database/entities/index.js';
import { buildSignedInUser, buildTownship } from './builders.js';
import { startTestApp, type TestApp, type TestResponse } from './harness.js';
import { jpegFixture, pngFixture, randomIp, tipRequest, uploadTipImage, webpFixture } from './support/tips.js';
import { DB_TIER } from './test-db.js';

/*
 * Thousands of generated malformed tips, identifiers, uploads and follow-ups. Every answer must be a 4xx with a
 * code and a Chinese message; afterwards every tip table is empty and no file exists.
 */

const FIELDS = ['idempotencyKey', 'fraudType', 'identifiers', 'description', 'lossYuan', 'occurredAt', 'attachmentIds', 'reporter', 'unitId', 'consent'];
const CHINESE = /[\u4e00-\u9fff]/;
const TIP_TABLES = [TipEntity, TipIdentifierEntity, TipAttachmentEntity, TipEventEntity, TipRewardEntity, AuditLogEntity];
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const RUNS = { bodies: 1400, identifiers: 600, payloads: 200, uploads: 200, followUps: 200 };

// ---- Values that are wrong for each field (never null or absent where that is allowed) ----

const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
const missingOr = <T>(wrong: fc.Arbitrary<T>) => fc.oneof(wrong, fc.constant(undefined), fc.constant(null));
const withControl = fc.tuple(fc.string({ minLength: 5 }), fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085'), fc.string({ minLength: 5 })).map(([a, c, b]) => `${a}${c}${b}`.padEnd(12, '诈'));
const notUlid = fc.string({ maxLength: 40 }).filter((s) => !ULID.test(s));
const notInteger = fc.oneof(fc.double().filter((n) => !Number.isInteger(n)), fc.string(), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }));
const badIdentifier = fc.oneof(
  notString,
  fc.record({ kind: fc.string().filter((k) => !(IDENTIFIER_KINDS as string[]).includes(k)), value: fc.string() }),
  fc.record({ kind: fc.constantFrom(...IDENTIFIER_KINDS), value: notString }),
  fc.record({ kind: fc.constantFrom(...IDENTIFIER_KINDS), value: fc.constant('13912345678'), extra: fc.jsonValue({ maxDepth: 1 }) }),
);

const WRONG: Record<string, fc.Arbitrary<unknown>> = {
  idempotencyKey: fc.oneof(missingOr(notString), fc.string({ maxLength: 15 }), fc.string({ minLength: 65, maxLength: 90 }), fc.string({ minLength: 16, maxLength: 64 }).filter((s) => /[^\w-]/.test(s))),
  fraudType: fc.oneof(missingOr(notString), fc.string().filter((s) => !(FRAUD_TYPES as string[]).includes(s))),
  identifiers: fc.oneof(
    missingOr(notString),
    fc.constant([]),
    fc.array(fc.constant({ kind: 'qq', value: '12345' }), { minLength: 11, maxLength: 14 }),
    fc.array(badIdentifier, { minLength: 1, maxLength: 3 }),
  ),
  description: fc.oneof(missingOr(notString), fc.string({ maxLength: 9 }), fc.string({ minLength: 2001, maxLength: 2050 }), fc.constant(' '.repeat(20)), withControl),
  lossYuan: fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 1_000_000_001 }), notInteger),
  occurredAt: fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.boolean(),
    fc.date({ min: new Date(Date.now() + 3600_000), max: new Date('9999-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '1989-12-31T00:00:00Z', '2026-11-01T10:00:00'),
  ),
  attachmentIds: fc.oneof(
    notString.filter((v) => !Array.isArray(v)),
    fc.string(),
    fc.array(notUlid, { minLength: 1, maxLength: 3 }),
    fc.array(fc.ulid(), { minLength: 7, maxLength: 9 }),
    // Well-formed ids of uploads that do not exist: 404.
    fc.uniqueArray(fc.ulid().map((id) => id.toUpperCase()), { minLength: 1, maxLength: 6 }),
  ),
  reporter: fc.oneof(
    missingOr(notString),
    fc.string(),
    fc.record({ mode: fc.string().filter((m) => m !== 'named' && m !== 'anonymous') }),
    fc.record({ mode: fc.constant('anonymous'), name: fc.string() }),
    fc.record({ mode: fc.constant('named'), name: fc.string({ maxLength: 40 }) }),
    fc.record({ mode: fc.constant('named'), phone: fc.oneof(notString, fc.stringMatching(/^[\d +()-]{0,20}$/).filter((p) => !/^1[3-9]\d{9}$/.test(p.replace(/[\s()-]/g, '').replace(/^(\+?86|0086)/, '')))) }),
    fc.record({ mode: fc.constant('named'), phone: fc.constant('13800138000'), phoneCode: fc.string({ minLength: 1 }) }),
    fc.record({ mode: fc.constant('named'), phoneCode: fc.oneof(notString, fc.constant(''), fc.string({ minLength: 129, maxLength: 140 })) }),
  ),
  unitId: fc.oneof(notUlid, notString, fc.ulid().map((id) => id.toUpperCase())),
  consent: fc.jsonValue().filter((v) => v !== true),
};

/** A valid tip with one to three fields made wrong, sometimes with unknown fields too. */
const malformedBody = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 3 }).chain((fields) => fc.tuple(...fields.map((field) => WRONG[field].map((value) => [field, value] as const)))),
    fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !FIELDS.includes(k)), fc.jsonValue({ maxDepth: 2 })), { maxLength: 2 }),
  )
  .map(([wrong, unknown]) => {
    const body: Record<string, unknown> = { ...tipRequest() };
    for (const [field, value] of wrong) body[field] = value;
    for (const [key, value] of unknown) Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
    return body;
  });

/** Identifier values the shared normalisation refuses, for each kind. */
const refusedIdentifier = fc
  .tuple(
    fc.constantFrom(...IDENTIFIER_KINDS),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.stringMatching(/^[\d +()\-.]{0,25}$/),
      fc.stringMatching(/^[a-z]{1,8}:\/\/[^\s]{0,20}$/),
      fc.string({ minLength: 201, maxLength: 260 }),
    ),
  )
  .filter(([kind, value]) => !normalizeIdentifier(kind as IdentifierKind, value).ok)
  .map(([kind, value]) => ({ kind, value }));
const acceptedIdentifier = fc.constantFrom({ kind: 'phone', value: '13912345678' }, { kind: 'qq', value: '10001' }, { kind: 'url', value: 'https://fraud.example.cn' }, { kind: 'wechat', value: 'wxid_abcdef' });

describe(`tips fuzz: malformed tips, identifiers, uploads and follow-ups are refused and write nothing (${DB_TIER})`, () => {
  let t: TestApp;
  let filesDir: string;
  const tokens: string[] = [];
  let next = 0;
  const token = () => tokens[next++ % tokens.length];
  const statuses = new Map<number, number>();

  /** A refusal as the contract promises one: 4xx, a code, a Chinese message. */
  function expectRefused(response: TestResponse, what: unknown): void {
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status < 400 || response.status >= 500 || typeof response.body?.code !== 'string' || !CHINESE.test(response.body?.message ?? '')) {
      throw new Error(`answered ${response.status} ${response.text} to ${JSON.stringify(what)?.slice(0, 500)}`);
    }
  }
  const send = (body: unknown) => t.request({ method: 'POST', url: '/api/tips', token: token(), body, headers: { 'x-forwarded-for': randomIp() } });

  async function expectNothingWritten(): Promise<void> {
    for (const entity of TIP_TABLES) expect([entity.name, await t.dataSource.getRepository(entity).count()]).toEqual([entity.name, 0]);
    expect(existsSync(filesDir) ? readdirSync(filesDir) : []).toEqual([]);
  }

  beforeAll(async () => {
    filesDir = join(mkdtempSync(join(tmpdir(), 'qmfz-tips-fuzz-')), 'files');
    t = await startTestApp({ env: { TIP_FILES_DIR: filesDir } });
    const town = await buildTownship(t.dataSource, 'fuzz', '模糊乡', [{ name: '模糊村', kind: UnitKind.VILLAGE }]);
    // Enough residents that no one meets the per-user limits (10 tips, 40 uploads an hour).
    for (let i = 0; i < 300; i++) tokens.push((await buildSignedInUser(t, town.township.id)).token);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(join(filesDir, '..'), { recursive: true, force: true });
  });

  it(`should refuse ${RUNS.bodies} tips with wrong, missing or unknown fields`, async () => {
    await fc.assert(
      fc.asyncProperty(malformedBody, async (body) => expectRefused(await send(body), body)),
      { numRuns: RUNS.bodies },
    );
    await expectNothingWritten();
  });

  it(`should refuse ${RUNS.identifiers} tips naming identifiers that do not normalise, with TIP_IDENTIFIER_INVALID`, async () => {
    const identifiers = fc
      .tuple(fc.array(acceptedIdentifier, { maxLength: 4 }), fc.array(refusedIdentifier, { minLength: 1, maxLength: 5 }), fc.nat())
      .map(([good, bad, seed]) => [...good, ...bad].sort((a, b) => ((a.value.length * 31 + seed) % 7) - ((b.value.length * 31 + seed) % 7)));
    await fc.assert(
      fc.asyncProperty(identifiers, async (list) => {
        const response = await send(tipRequest({ identifiers: list as never }));
        expectRefused(response, list);
        expect(response.body.code).toBe('TIP_IDENTIFIER_INVALID');
      }),
      { numRuns: RUNS.identifiers },
    );
    await expectNothingWritten();
  });

  it(`should refuse ${RUNS.payloads} bodies that are not a JSON object`, async () => {
    const payload = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
      fc.constantFrom('{"__proto__":{"consent":true}}', '{"constructor":{"prototype":{}}}', '{', '\u0000', '{"a":1}{"b":2}'),
    );
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16');
    await fc.assert(
      fc.asyncProperty(payload, contentType, async (raw, type) => {
        const response = await t.request({ method: 'POST', url: '/api/tips', token: token(), payload: raw, headers: { 'content-type': type, 'x-forwarded-for': randomIp() } });
        expectRefused(response, raw);
      }),
      { numRuns: RUNS.payloads },
    );
    await expectNothingWritten();
  });

  it(`should refuse ${RUNS.uploads} uploads that are not whole images, leaving no file`, async () => {
    const fixtures = [jpegFixture(), pngFixture(), webpFixture()];
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.constantFrom(...fixtures), fc.double({ min: 0, max: 0.9, noNaN: true })).map(([image, at]) => image.subarray(0, Math.floor(image.length * at))),
      fc.tuple(fc.constantFrom(...fixtures), fc.uint8Array({ minLength: 8, maxLength: 64 })).map(([image, junk]) => Buffer.concat([image.subarray(0, 8), Buffer.from(junk)])),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom('photo.jpg', 'a.png', '../../x.webp', '截图.JPG'), async (content, filename) => {
        expectRefused(await uploadTipImage(t, token(), content, { filename }), content.subarray(0, 32).toString('hex'));
      }),
      { numRuns: RUNS.uploads },
    );
    await expectNothingWritten();
  });

  it(`should answer ${RUNS.followUps} random receipt codes and additions with 4xx and record nothing`, async () => {
    const code = fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/), notString);
    const extra = fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== 'receiptCode' && k !== 'text'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(code, fc.oneof(fc.string({ maxLength: 1100 }), notString), extra, async (receiptCode, text, more) => {
        const headers = { 'x-forwarded-for': randomIp() };
        expectRefused(await t.request({ method: 'POST', url: '/api/tips/follow-up', body: { receiptCode, ...more }, headers }), receiptCode);
        expectRefused(await t.request({ method: 'POST', url: '/api/tips/follow-up/additions', body: { receiptCode, text, ...more }, headers }), { receiptCode, text });
      }),
      { numRuns: RUNS.followUps },
    );
    await expectNothingWritten();
  });

  it('should have met every kind of refusal', () => {
    // The generators reach the validation (400), missing uploads and units (404) and media-type (415) refusals.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 404, 415]));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2600);
  });
});
