import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  MembershipStatus,
  normalizeReceiptCode,
  RewardStatus,
  Role,
  TipEventKind,
  TipStatus,
  UnitKind,
  type PersonRef,
  type RewardAuditEntry,
  type RewardResponse,
  type RewardTallyResponse,
  type TipDetailResponse,
  type TipFollowUpResponse,
  type TipListResponse,
} from '@qmfz/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../src/common/ids.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { AuditLogEntity, TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity, type UnitEntity } from '../src/database/entities/index.js';
import { receiptHash } from '../src/tips/receipt-code.js';
import { TipImageLinks } from '../src/tips/tip-image-links.js';
import { buildMember, buildMembership, buildSignedInUser, buildTownship, multipartUpload, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { documentedRoutes, isTipRoute } from './support/route-families.js';
import { guessedReceiptCode, linkMovedTo, tamperedReceiptCode, tamperedSignature, unsignedLink } from './support/tip-matrix.js';
import { buildTipRow } from './support/tip-rows.js';
import { createTip, jpegFixture, randomIp, tipRequest, uploadedTipImage } from './support/tips.js';
import { DB_TIER } from './test-db.js';

/**
 * Who may call each tip and reward route (docs/api-tips.md). Tips are 权限乡's; the resident submitted `own`, another
 * resident `sibling`; every reward here is decided by an officer who is also a township admin, so the two-person
 * rule is tested against someone who holds both roles. Every private route is called without a token, with a forged
 * one, by callers who may and by callers who must be refused; the public routes with their credential (a receipt code,
 * a signed link) right and wrong. No refusal may carry a name or an id of ours.
 */

type Caller =
  | 'anonymous'
  | 'resident'
  | 'otherResident'
  | 'staff'
  | 'villageAdmin'
  | 'police'
  | 'otherPolice'
  | 'policeAdmin'
  | 'pendingPolice'
  | 'townshipAdmin'
  | 'secondTownshipAdmin'
  | 'otherTownshipPolice'
  | 'otherTownshipAdmin';
type Person = Exclude<Caller, 'anonymous'>;

/** What a caller of a public route presents instead of a token. */
type Credential =
  | 'ownCode'
  | 'siblingCode'
  | 'foreignCode'
  | 'guessedCode'
  | 'tamperedCode'
  | 'tipIdAsCode'
  | 'noCode'
  | 'link'
  | 'tamperedLink'
  | 'expiredLink'
  | 'otherImageLink'
  | 'unsignedLink';

const CALLER_LABELS: Record<Caller, string> = {
  anonymous: 'a caller without a token',
  resident: 'the resident who submitted the tip',
  otherResident: 'another resident of the township',
  staff: 'staff of 一村',
  villageAdmin: 'the admin of 一村',
  police: 'a police officer',
  otherPolice: 'a second police officer of the township',
  policeAdmin: 'the officer who is also township admin and decided the reward',
  pendingPolice: 'an officer whose membership is still pending',
  townshipAdmin: 'the township admin',
  secondTownshipAdmin: 'a second township admin',
  otherTownshipPolice: 'a police officer of another township',
  otherTownshipAdmin: 'the admin of another township',
};

const CREDENTIAL_LABELS: Record<Credential, string> = {
  ownCode: 'the tip’s own receipt code',
  siblingCode: 'the receipt code of another resident’s tip',
  foreignCode: 'the receipt code of a tip of another township',
  guessedCode: 'a well-formed receipt code of no tip',
  tamperedCode: 'the tip’s receipt code with one character changed',
  tipIdAsCode: 'the tip’s id in place of a receipt code',
  noCode: 'no receipt code',
  link: 'a link signed for the image',
  tamperedLink: 'a link whose signature was altered',
  expiredLink: 'an expired link',
  otherImageLink: 'a link signed for another image',
  unsignedLink: 'the image’s path without a signature',
};

const NAMES: Record<Person, string> = {
  resident: '权限居民甲',
  otherResident: '权限居民乙',
  staff: '一村文书',
  villageAdmin: '一村支书',
  police: '权限民警甲',
  otherPolice: '权限民警乙',
  policeAdmin: '兼任所长',
  pendingPolice: '待审民警',
  townshipAdmin: '权限平安办主任',
  secondTownshipAdmin: '权限平安办副主任',
  otherTownshipPolice: '外乡民警',
  otherTownshipAdmin: '外乡管理员',
};
const PERSONS = Object.keys(NAMES) as Person[];
const OUR_PERSONS = PERSONS.filter((as) => !as.startsWith('otherTownship'));

const REPORTER_PHONE = '13712340001';
const REPORTER_NAME = '实名举报人';
const CLAIMANT_NAME = '匿名申领人';
const CLAIM_PHONE = '13600009999';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DAY = 24 * 3600_000;
const shanghaiDate = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10);
const TALLY_QUERY = `period=month&from=${shanghaiDate(-40)}&to=${shanghaiDate(1)}`;

interface SubmittedTip {
  id: string;
  receiptCode: string;
  attachmentId: string;
  /** What the follow-up shows of its identifiers. */
  masked: string[];
}

interface Fixture {
  t: TestApp;
  town: BuiltTownship;
  other: BuiltTownship;
  users: Record<Person, { id: string; token: string; townshipId: string }>;
  /** The resident's named tip, submitted through the API with an image. */
  own: SubmittedTip;
  /** Another resident's anonymous tip of the same township, with an image. */
  sibling: SubmittedTip;
  /** A tip of 外乡. */
  foreign: SubmittedTip;
  /** A valid tip of ours with a reward decided, for the routes that only read rewards. */
  rewarded: string;
  /** Names, ids, receipt codes and the reporter's phone of 权限乡 that no refusal may show. */
  secrets: string[];
}

interface Target {
  as: Caller;
  using?: Credential;
  /** Replaces the tip the row is about (a missing one, another township's). */
  tipId?: string;
}

interface Prepared {
  url: string;
  body?: unknown;
  payload?: Buffer;
  headers?: Record<string, string>;
  context?: Record<string, string | number>;
}

interface Case {
  as: Caller;
  using?: Credential;
  status: number;
  code?: ErrorCode;
  check?: (response: TestResponse, f: Fixture, prepared: Prepared) => unknown;
}

interface Row {
  public?: boolean;
  prepare: (f: Fixture, target: Target) => Promise<Prepared>;
  may: Case[];
  mustNot: Case[];
  /** For writes: whether this call changed anything. Must be true when allowed and false when refused. */
  wrote?: (f: Fixture, target: Target, context: Prepared['context']) => Promise<boolean>;
}

const forbidden = (...callers: Caller[]): Case[] => callers.map((as) => ({ as, status: 403, code: ErrorCode.FORBIDDEN }));
const notFound = (code: ErrorCode, ...callers: Caller[]): Case[] => callers.map((as) => ({ as, status: 404, code }));
const presenting = (using: Credential, status: number, code?: ErrorCode, as: Caller = 'anonymous'): Case => ({ as, using, status, code });
const allowed = (status: number, callers: Caller[], check?: Case['check']): Case[] => callers.map((as) => ({ as, status, check }));

/** Residents, staff, unit admins and an officer not yet accepted: refused on every triage and reward route. */
const NON_OFFICIALS: Caller[] = ['resident', 'otherResident', 'staff', 'villageAdmin', 'pendingPolice'];
/** Everyone but the officers of the township: the refusals of every triage route. */
const TRIAGE_REFUSALS: Case[] = [
  ...forbidden(...NON_OFFICIALS, 'townshipAdmin', 'secondTownshipAdmin', 'otherTownshipAdmin'),
  ...notFound(ErrorCode.TIP_NOT_FOUND, 'otherTownshipPolice'),
];
/** The refusals of approve and reject, for a reward decided by `policeAdmin`. */
const REVIEW_REFUSALS: Case[] = [
  { as: 'policeAdmin', status: 403, code: ErrorCode.REWARD_SAME_PERSON },
  ...forbidden(...NON_OFFICIALS, 'police', 'otherPolice', 'otherTownshipPolice'),
  ...notFound(ErrorCode.REWARD_NOT_FOUND, 'otherTownshipAdmin'),
];
/** The refusals of reveal and paid, for a reward decided by `policeAdmin` and approved by `townshipAdmin`. */
const APPROVER_ONLY_REFUSALS: Case[] = [
  ...(['secondTownshipAdmin', 'policeAdmin'] as Caller[]).map((as) => ({ as, status: 403, code: ErrorCode.REWARD_NOT_APPROVER })),
  ...forbidden(...NON_OFFICIALS, 'police', 'otherPolice', 'otherTownshipPolice'),
  ...notFound(ErrorCode.REWARD_NOT_FOUND, 'otherTownshipAdmin'),
];

const json = (value: unknown) => JSON.stringify(value);
const crypto = (f: Fixture) => f.t.app.get(CryptoService);
const tipByReceipt = (f: Fixture, code: string) =>
  f.t.dataSource.getRepository(TipEntity).findOneByOrFail({ receiptHash: receiptHash(crypto(f), normalizeReceiptCode(code)!) });
const events = (f: Fixture, where: { tipId?: string; kind: TipEventKind }) => f.t.dataSource.getRepository(TipEventEntity).countBy(where);
const rewardOf = (f: Fixture, tipId: string) => f.t.dataSource.getRepository(TipRewardEntity).findOneBy({ tipId });
const townshipOf = (f: Fixture, as: Person) => f.users[as].townshipId;
const send = (f: Fixture, method: RequestOptions['method'], url: string, as?: Person, body?: unknown) =>
  f.t.request({ method, url, body, token: as ? f.users[as].token : undefined, headers: { 'x-forwarded-for': randomIp() } });
const noLeak = (f: Fixture, response: TestResponse) => {
  for (const secret of f.secrets) expect([secret, response.text.includes(secret)]).toEqual([secret, false]);
};

/** The receipt code a case presents, for a route about the tip whose code is `own`. */
function receiptCodeFor(f: Fixture, using: Credential, own: string, ownTipId: string): string | undefined {
  switch (using) {
    case 'ownCode':
      return own;
    case 'siblingCode':
      return f.sibling.receiptCode;
    case 'foreignCode':
      return f.foreign.receiptCode;
    case 'guessedCode':
      return guessedReceiptCode();
    case 'tamperedCode':
      return tamperedReceiptCode(own);
    case 'tipIdAsCode':
      return ownTipId;
    case 'noCode':
      return undefined;
    default:
      throw new Error(`${using} is not a receipt code`);
  }
}

/** A valid anonymous tip of ours whose reward `policeAdmin` decided through the API, then claimed and approved as far as `stage`. */
async function rewardedTip(f: Fixture, stage: 'decided' | 'claimed' | 'approved'): Promise<{ id: string; receiptCode: string }> {
  const { tip, receiptCode } = await buildTipRow(f.t, f.town.township.id, { status: TipStatus.VALID });
  const steps: [RequestOptions['method'], string, Person | undefined, unknown, number][] = [['PUT', `/api/tips/${tip.id}/reward`, 'policeAdmin', { tier: 'third', reason: '线索属实' }, 201]];
  if (stage !== 'decided') steps.push(['POST', '/api/tips/follow-up/claim', undefined, { receiptCode, name: CLAIMANT_NAME, phone: CLAIM_PHONE }, 200]);
  if (stage === 'approved') steps.push(['POST', `/api/rewards/${tip.id}/approve`, 'townshipAdmin', {}, 200]);
  for (const [method, url, as, body, status] of steps) {
    const response = await send(f, method, url, as, body);
    if (response.status !== status) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  }
  return { id: tip.id, receiptCode };
}

const followUpShows = (tip: SubmittedTip) => (r: TestResponse) =>
  expect((r.body as TipFollowUpResponse).identifiers.map((i) => i.masked)).toEqual(tip.masked);

const MATRIX: Record<string, Row> = {
  'POST /api/tips': {
    prepare: async (f) => ({ url: '/api/tips', body: tipRequest(), context: { before: await f.t.dataSource.getRepository(TipEntity).count() } }),
    // Any signed-in user may report, and the tip always lands in their own township.
    may: allowed(201, PERSONS).map((c) => ({
      ...c,
      check: async (r: TestResponse, f: Fixture) => {
        expect(Object.keys(r.body).sort()).toEqual(['createdAt', 'receiptCode', 'status']);
        expect((await tipByReceipt(f, r.body.receiptCode)).townshipId).toBe(townshipOf(f, c.as as Person));
      },
    })),
    mustNot: [],
    wrote: async (f, _target, context) => (await f.t.dataSource.getRepository(TipEntity).count()) > Number(context?.before),
  },
  'POST /api/tips/attachments': {
    prepare: async (f) => ({
      url: '/api/tips/attachments',
      ...multipartUpload(jpegFixture({ metadata: false }), { filename: 'photo.jpg', contentType: 'image/jpeg' }),
      context: { before: await f.t.dataSource.getRepository(TipAttachmentEntity).count() },
    }),
    may: allowed(201, PERSONS).map((c) => ({
      ...c,
      check: async (r: TestResponse, f: Fixture) =>
        expect(await f.t.dataSource.getRepository(TipAttachmentEntity).findOneByOrFail({ id: r.body.id })).toMatchObject({ townshipId: townshipOf(f, c.as as Person), tipId: null }),
    })),
    mustNot: [],
    wrote: async (f, _target, context) => (await f.t.dataSource.getRepository(TipAttachmentEntity).count()) > Number(context?.before),
  },
  'GET /api/tips/attachments/{attachmentId}/content': {
    // Public: the signature is the credential, whoever presents it and whatever token they hold.
    public: true,
    prepare: async (f, { using = 'link' }) => {
      const links = f.t.app.get(TipImageLinks);
      const minted = async () => (await send(f, 'POST', `/api/tips/${f.own.id}/attachments/${f.own.attachmentId}/link`, 'police')).body.url as string;
      const urls: Partial<Record<Credential, () => Promise<string>>> = {
        link: minted,
        tamperedLink: async () => tamperedSignature(await minted()),
        expiredLink: async () => links.mint(f.own.attachmentId, Date.now() - 6 * 60_000).url,
        otherImageLink: async () => linkMovedTo(links.mint(f.sibling.attachmentId).url, f.own.attachmentId),
        unsignedLink: async () => unsignedLink(f.own.attachmentId),
      };
      return { url: await urls[using]!() };
    },
    may: [
      {
        as: 'anonymous',
        using: 'link',
        status: 200,
        check: async (r, f) => {
          const stored = await f.t.dataSource.getRepository(TipAttachmentEntity).findOneByOrFail({ id: f.own.attachmentId });
          expect(r.headers).toMatchObject({ 'content-type': 'image/jpeg', 'content-length': String(stored.sizeBytes), 'cache-control': 'no-store' });
        },
      },
      { as: 'otherTownshipAdmin', using: 'link', status: 200 },
    ],
    mustNot: [
      presenting('tamperedLink', 403, ErrorCode.TIP_ATTACHMENT_LINK_INVALID),
      presenting('expiredLink', 403, ErrorCode.TIP_ATTACHMENT_LINK_INVALID),
      presenting('otherImageLink', 403, ErrorCode.TIP_ATTACHMENT_LINK_INVALID),
      presenting('unsignedLink', 403, ErrorCode.TIP_ATTACHMENT_LINK_INVALID),
      // An officer's token is no signature.
      presenting('unsignedLink', 403, ErrorCode.TIP_ATTACHMENT_LINK_INVALID, 'police'),
    ],
  },
  'POST /api/tips/follow-up': {
    public: true,
    prepare: async (f, { using = 'ownCode' }) => ({ url: '/api/tips/follow-up', body: { receiptCode: receiptCodeFor(f, using, f.own.receiptCode, f.own.id) } }),
    may: [
      { as: 'anonymous', using: 'ownCode', status: 200, check: (r, f) => (followUpShows(f.own)(r), expect(r.text).not.toContain(REPORTER_PHONE)) },
      // The code is the key, not the account: whoever holds it sees that one tip.
      { as: 'otherResident', using: 'ownCode', status: 200, check: (r, f) => followUpShows(f.own)(r) },
      { as: 'resident', using: 'siblingCode', status: 200, check: (r, f) => followUpShows(f.sibling)(r) },
      { as: 'anonymous', using: 'foreignCode', status: 200, check: (r, f) => (followUpShows(f.foreign)(r), noLeak(f, r)) },
    ],
    mustNot: [
      presenting('guessedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND),
      presenting('tamperedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND),
      // Knowing the tip's id, holding a token, or being police opens nothing without the code.
      presenting('tipIdAsCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'resident'),
      presenting('noCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'resident'),
      presenting('guessedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'police'),
      presenting('guessedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'villageAdmin'),
    ],
  },
  'POST /api/tips/follow-up/additions': {
    public: true,
    prepare: async (f, { using = 'ownCode' }) => ({
      url: '/api/tips/follow-up/additions',
      body: { receiptCode: receiptCodeFor(f, using, f.own.receiptCode, f.own.id), text: '补充：对方今天又打来电话催我转账。' },
      context: {
        before: await events(f, { kind: TipEventKind.ADDITION }),
        own: await events(f, { tipId: f.own.id, kind: TipEventKind.ADDITION }),
        sibling: await events(f, { tipId: f.sibling.id, kind: TipEventKind.ADDITION }),
      },
    }),
    may: [
      {
        as: 'anonymous',
        using: 'ownCode',
        status: 200,
        check: async (r, f, prepared) => {
          expect((r.body as TipFollowUpResponse).events.at(-1)).toMatchObject({ kind: 'addition', body: '补充：对方今天又打来电话催我转账。' });
          expect(await events(f, { tipId: f.sibling.id, kind: TipEventKind.ADDITION })).toBe(prepared.context?.sibling);
        },
      },
      {
        as: 'resident',
        using: 'siblingCode',
        status: 200,
        // Written to the tip the code opens, never to the caller's own.
        check: async (_r, f, prepared) => {
          expect(await events(f, { tipId: f.own.id, kind: TipEventKind.ADDITION })).toBe(prepared.context?.own);
          expect(await events(f, { tipId: f.sibling.id, kind: TipEventKind.ADDITION })).toBe(Number(prepared.context?.sibling) + 1);
        },
      },
    ],
    mustNot: [
      presenting('guessedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND),
      presenting('tamperedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND),
      presenting('tipIdAsCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'resident'),
      presenting('noCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'resident'),
    ],
    wrote: async (f, _target, context) => (await events(f, { kind: TipEventKind.ADDITION })) > Number(context?.before),
  },
  'POST /api/tips/follow-up/claim': {
    public: true,
    prepare: async (f, { using = 'ownCode' }) => {
      const fresh = await rewardedTip(f, 'decided');
      return {
        url: '/api/tips/follow-up/claim',
        body: { receiptCode: receiptCodeFor(f, using, fresh.receiptCode, fresh.id), name: CLAIMANT_NAME, phone: CLAIM_PHONE },
        context: { tipId: fresh.id },
      };
    },
    may: [
      { as: 'anonymous', using: 'ownCode', status: 200, check: (r) => expect(r.body).toMatchObject({ status: 'decided', claimed: true }) },
      { as: 'otherTownshipAdmin', using: 'ownCode', status: 200 },
    ],
    mustNot: [
      presenting('guessedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND),
      presenting('tamperedCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND),
      presenting('tipIdAsCode', 404, ErrorCode.TIP_RECEIPT_NOT_FOUND, 'resident'),
      // Codes of other tips open those tips, which have no reward: ours stays unclaimed.
      presenting('siblingCode', 404, ErrorCode.REWARD_NOT_FOUND, 'resident'),
      presenting('foreignCode', 404, ErrorCode.REWARD_NOT_FOUND),
    ],
    wrote: async (f, _target, context) => (await rewardOf(f, String(context?.tipId)))?.claimedAt != null,
  },
  'GET /api/tips': {
    // The resident's tip is a group of its own (its identifier is nobody else's): one page whatever else exists.
    prepare: async (f) => ({ url: `/api/tips?groupId=${f.own.id}&limit=100` }),
    may: [
      ...allowed(200, ['police', 'otherPolice', 'policeAdmin'], (r, f) => {
        expect((r.body as TipListResponse).items.map((item) => item.id)).toEqual([f.own.id]);
        expect(r.text).not.toContain(REPORTER_PHONE);
      }),
      // Scoped, not refused: their list never holds our tips.
      { as: 'otherTownshipPolice', status: 200, check: (r) => expect(r.body).toEqual({ items: [], nextCursor: null }) },
    ],
    mustNot: forbidden(...NON_OFFICIALS, 'townshipAdmin', 'secondTownshipAdmin', 'otherTownshipAdmin'),
  },
  'GET /api/tips/officers': {
    prepare: async () => ({ url: '/api/tips/officers' }),
    may: [
      ...allowed(200, ['police', 'otherPolice'], (r, f) =>
        expect((r.body as PersonRef[]).map((p) => p.userId).sort()).toEqual([f.users.police.id, f.users.otherPolice.id, f.users.policeAdmin.id].sort()),
      ),
      { as: 'otherTownshipPolice', status: 200, check: (r, f) => expect((r.body as PersonRef[]).map((p) => p.userId)).toEqual([f.users.otherTownshipPolice.id]) },
    ],
    mustNot: forbidden(...NON_OFFICIALS, 'townshipAdmin', 'secondTownshipAdmin', 'otherTownshipAdmin'),
  },
  'GET /api/tips/{tipId}': {
    prepare: async (f, { tipId = f.own.id }) => ({ url: `/api/tips/${tipId}` }),
    may: allowed(200, ['police', 'otherPolice', 'policeAdmin'], (r, f) => {
      expect(r.body as TipDetailResponse).toMatchObject({ id: f.own.id, reporterMode: 'named', reporterMasked: '137****0001' });
      expect(r.text).not.toContain(REPORTER_PHONE);
      expect(r.text).not.toContain(REPORTER_NAME);
    }),
    mustNot: TRIAGE_REFUSALS,
  },
  'PATCH /api/tips/{tipId}': {
    prepare: async (f, { tipId }) => {
      const { tip } = await buildTipRow(f.t, f.town.township.id);
      return { url: `/api/tips/${tipId ?? tip.id}`, body: { status: 'verifying' }, context: { tipId: tip.id } };
    },
    may: allowed(200, ['police', 'otherPolice', 'policeAdmin'], (r) => expect(r.body).toMatchObject({ status: 'verifying' })),
    mustNot: TRIAGE_REFUSALS,
    wrote: async (f, _target, context) => (await f.t.dataSource.getRepository(TipEntity).findOneByOrFail({ id: String(context?.tipId) })).status !== TipStatus.RECEIVED,
  },
  'POST /api/tips/{tipId}/replies': {
    prepare: async (f, { tipId = f.own.id }) => ({
      url: `/api/tips/${tipId}/replies`,
      body: { body: '您好，线索已收到，正在核查。' },
      context: { before: await events(f, { tipId: f.own.id, kind: TipEventKind.REPLY }) },
    }),
    may: allowed(201, ['police', 'otherPolice', 'policeAdmin']),
    mustNot: TRIAGE_REFUSALS,
    wrote: async (f, _target, context) => (await events(f, { tipId: f.own.id, kind: TipEventKind.REPLY })) > Number(context?.before),
  },
  'POST /api/tips/{tipId}/attachments/{attachmentId}/link': {
    prepare: async (f, { tipId = f.own.id }) => ({ url: `/api/tips/${tipId}/attachments/${f.own.attachmentId}/link` }),
    may: allowed(200, ['police', 'otherPolice', 'policeAdmin'], (r, f) =>
      expect(new URL(r.body.url, 'http://x').pathname).toBe(`/api/tips/attachments/${f.own.attachmentId}/content`),
    ),
    mustNot: TRIAGE_REFUSALS,
  },
  'PUT /api/tips/{tipId}/reward': {
    prepare: async (f, { tipId }) => {
      const { tip } = await buildTipRow(f.t, f.town.township.id, { status: TipStatus.VALID });
      return { url: `/api/tips/${tipId ?? tip.id}/reward`, body: { tier: 'third', reason: '线索属实' }, context: { tipId: tip.id } };
    },
    may: allowed(201, ['police', 'otherPolice', 'policeAdmin']).map((c) => ({
      ...c,
      // The decider is whoever holds the token.
      check: (r: TestResponse, f: Fixture) => expect((r.body as RewardResponse).decidedBy.userId).toBe(f.users[c.as as Person].id),
    })),
    mustNot: TRIAGE_REFUSALS,
    wrote: async (f, _target, context) => (await rewardOf(f, String(context?.tipId))) !== null,
  },
  'GET /api/rewards': {
    prepare: async () => ({ url: '/api/rewards' }),
    may: [
      ...allowed(200, ['townshipAdmin', 'secondTownshipAdmin', 'policeAdmin', 'police', 'otherPolice'], (r, f) =>
        expect((r.body as RewardResponse[]).map((reward) => reward.tipId)).toContain(f.rewarded),
      ),
      ...allowed(200, ['otherTownshipAdmin', 'otherTownshipPolice'], (r) => expect(r.body).toEqual([])),
    ],
    mustNot: forbidden(...NON_OFFICIALS),
  },
  'GET /api/rewards/tallies': {
    prepare: async () => ({ url: `/api/rewards/tallies?${TALLY_QUERY}` }),
    may: [
      ...allowed(200, ['townshipAdmin', 'secondTownshipAdmin', 'police'], (r) => expect((r.body as RewardTallyResponse).total.count).toBeGreaterThan(0)),
      ...allowed(200, ['otherTownshipAdmin', 'otherTownshipPolice'], (r) => expect((r.body as RewardTallyResponse).total).toMatchObject({ count: 0, amountYuan: 0 })),
    ],
    mustNot: forbidden(...NON_OFFICIALS),
  },
  'GET /api/rewards/tallies/export': {
    prepare: async () => ({ url: `/api/rewards/tallies/export?${TALLY_QUERY}` }),
    may: allowed(200, ['townshipAdmin', 'police', 'otherTownshipAdmin'], (r) => expect(r.headers['content-type']).toBe(XLSX_TYPE)),
    mustNot: forbidden(...NON_OFFICIALS),
  },
  'POST /api/rewards/{tipId}/approve': {
    prepare: async (f, { tipId }) => {
      const fresh = await rewardedTip(f, 'claimed');
      return { url: `/api/rewards/${tipId ?? fresh.id}/approve`, body: {}, context: { tipId: fresh.id } };
    },
    may: (['townshipAdmin', 'secondTownshipAdmin'] as Person[]).map((as) => ({
      as,
      status: 200,
      check: (r: TestResponse, f: Fixture) => expect(r.body).toMatchObject({ status: 'approved', reviewedBy: { userId: f.users[as].id } }),
    })),
    mustNot: REVIEW_REFUSALS,
    wrote: async (f, _target, context) => (await rewardOf(f, String(context?.tipId)))?.status !== RewardStatus.DECIDED,
  },
  'POST /api/rewards/{tipId}/reject': {
    prepare: async (f, { tipId }) => {
      const fresh = await rewardedTip(f, 'claimed');
      return { url: `/api/rewards/${tipId ?? fresh.id}/reject`, body: { note: '证据不足' }, context: { tipId: fresh.id } };
    },
    may: allowed(200, ['townshipAdmin', 'secondTownshipAdmin'], (r) => expect(r.body).toMatchObject({ status: 'rejected', reviewNote: '证据不足' })),
    mustNot: REVIEW_REFUSALS,
    wrote: async (f, _target, context) => (await rewardOf(f, String(context?.tipId)))?.status !== RewardStatus.DECIDED,
  },
  'POST /api/rewards/{tipId}/reveal': {
    prepare: async (f, { tipId }) => {
      const fresh = await rewardedTip(f, 'approved');
      return { url: `/api/rewards/${tipId ?? fresh.id}/reveal`, context: { tipId: fresh.id } };
    },
    may: [
      {
        as: 'townshipAdmin',
        status: 200,
        check: (r) => {
          expect(r.body).toEqual({ name: CLAIMANT_NAME, phone: CLAIM_PHONE, source: 'claim' });
          expect(r.headers['cache-control']).toBe('no-store');
        },
      },
    ],
    mustNot: APPROVER_ONLY_REFUSALS,
    wrote: async (f, _target, context) =>
      (await f.t.dataSource.getRepository(AuditLogEntity).countBy({ subjectId: String(context?.tipId), action: 'identity.revealed' })) > 0,
  },
  'POST /api/rewards/{tipId}/paid': {
    prepare: async (f, { tipId }) => {
      const fresh = await rewardedTip(f, 'approved');
      return { url: `/api/rewards/${tipId ?? fresh.id}/paid`, context: { tipId: fresh.id } };
    },
    may: allowed(200, ['townshipAdmin'], (r) => expect(r.body).toMatchObject({ status: 'paid' })),
    mustNot: APPROVER_ONLY_REFUSALS,
    wrote: async (f, _target, context) => (await rewardOf(f, String(context?.tipId)))?.status === RewardStatus.PAID,
  },
  'GET /api/rewards/{tipId}/audit': {
    prepare: async (f, { tipId = f.rewarded }) => ({ url: `/api/rewards/${tipId}/audit` }),
    may: allowed(200, ['townshipAdmin', 'secondTownshipAdmin', 'policeAdmin'], (r) =>
      expect((r.body as RewardAuditEntry[]).map((entry) => entry.action)).toEqual(['reward.decided']),
    ),
    mustNot: [...forbidden(...NON_OFFICIALS, 'police', 'otherPolice', 'otherTownshipPolice'), ...notFound(ErrorCode.REWARD_NOT_FOUND, 'otherTownshipAdmin')],
  },
};

const methodOf = (key: string) => key.split(' ')[0] as RequestOptions['method'];
const outcome = (response: TestResponse) => ({ status: response.status, code: response.status >= 400 ? response.body?.code : undefined });
const caseLabel = (c: Case) => `${CALLER_LABELS[c.as]}${c.using ? ` presenting ${CREDENTIAL_LABELS[c.using]}` : ''}`;

describe(`authorization of the tip and reward routes (${DB_TIER})`, () => {
  const f = {} as Fixture;
  let filesDir: string;

  /** Submits a tip with one image through the API, as `token`'s owner. */
  async function submitted(token: string, overrides: Parameters<typeof createTip>[2]): Promise<SubmittedTip> {
    const attachmentId = await uploadedTipImage(f.t, token);
    const { receiptCode } = await createTip(f.t, token, { ...overrides, attachmentIds: [attachmentId] });
    const tip = await tipByReceipt(f, receiptCode);
    const identifiers = await f.t.dataSource.getRepository(TipIdentifierEntity).find({ where: { tipId: tip.id }, order: { position: 'ASC' } });
    return { id: tip.id, receiptCode, attachmentId, masked: identifiers.map((identifier) => identifier.valueMasked) };
  }

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'qmfz-tip-matrix-'));
    f.t = await startTestApp({ env: { TIP_FILES_DIR: filesDir } });
    f.town = await buildTownship(f.t.dataSource, 'quanxian', '权限乡', [
      { name: '权限乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '一村', kind: UnitKind.VILLAGE },
      { name: '权限派出所', kind: UnitKind.POLICE_STATION },
    ]);
    f.other = await buildTownship(f.t.dataSource, 'waixiang', '外乡', [
      { name: '外乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '外乡派出所', kind: UnitKind.POLICE_STATION },
      { name: '外乡村', kind: UnitKind.VILLAGE },
    ]);
    const [office, yicun, station] = [f.town.units['权限乡平安办'], f.town.units['一村'], f.town.units['权限派出所']];
    const roles: Record<Person, [UnitEntity, Role | null]> = {
      resident: [yicun, null],
      otherResident: [yicun, null],
      staff: [yicun, Role.STAFF],
      villageAdmin: [yicun, Role.UNIT_ADMIN],
      police: [station, Role.POLICE],
      otherPolice: [station, Role.POLICE],
      policeAdmin: [station, Role.POLICE],
      pendingPolice: [station, null],
      townshipAdmin: [office, Role.TOWNSHIP_ADMIN],
      secondTownshipAdmin: [office, Role.TOWNSHIP_ADMIN],
      otherTownshipPolice: [f.other.units['外乡派出所'], Role.POLICE],
      otherTownshipAdmin: [f.other.units['外乡平安办'], Role.TOWNSHIP_ADMIN],
    };
    f.users = {} as Fixture['users'];
    for (const [as, [unit, role]] of Object.entries(roles) as [Person, [UnitEntity, Role | null]][]) {
      const { user, token } = await buildMember(f.t, unit, role, { name: NAMES[as] });
      f.users[as] = { id: user.id, token, townshipId: unit.townshipId };
    }
    // One person who holds both roles: an officer who can decide rewards and an admin who could approve them.
    await buildMembership(f.t.dataSource, office, f.users.policeAdmin.id, { role: Role.TOWNSHIP_ADMIN, status: MembershipStatus.ACTIVE });
    await buildMembership(f.t.dataSource, station, f.users.pendingPolice.id, { role: Role.POLICE, status: MembershipStatus.PENDING });

    f.own = await submitted(f.users.resident.token, {
      reporter: { mode: 'named', name: REPORTER_NAME, phone: REPORTER_PHONE },
      identifiers: [{ kind: 'phone', value: '13988880001' }],
      unitId: yicun.id,
    });
    f.sibling = await submitted(f.users.otherResident.token, { identifiers: [{ kind: 'qq', value: '98765432' }] });
    f.foreign = await submitted((await buildSignedInUser(f.t, f.other.township.id, { name: '外乡居民' })).token, { identifiers: [{ kind: 'wechat', value: 'waixiang_pianzi' }] });
    f.rewarded = (await rewardedTip(f, 'decided')).id;

    f.secrets = [
      '权限乡',
      f.town.township.id,
      f.own.id,
      f.sibling.id,
      f.own.attachmentId,
      f.sibling.attachmentId,
      f.rewarded,
      REPORTER_PHONE,
      REPORTER_NAME,
      ...[f.own.receiptCode, f.sibling.receiptCode].flatMap((code) => [code, normalizeReceiptCode(code)!]),
      ...Object.values(f.town.units).flatMap((u) => [u.id, u.name]),
      ...OUR_PERSONS.flatMap((as) => [f.users[as].id, NAMES[as]]),
    ];
  });
  afterAll(async () => {
    await f.t?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  const call = async (key: string, target: Target, token?: string) => {
    const prepared = await MATRIX[key].prepare(f, target);
    const response = await f.t.request({
      method: methodOf(key),
      url: prepared.url,
      body: prepared.body,
      payload: prepared.payload,
      headers: { 'x-forwarded-for': randomIp(), ...prepared.headers },
      token: token ?? (target.as === 'anonymous' ? undefined : f.users[target.as].token),
    });
    return { response, prepared };
  };
  const expectNoLeak = (response: TestResponse) => noLeak(f, response);

  it('should have a row for every tip and reward route of the OpenAPI document, and none for a route that does not exist', async () => {
    const routes = (await documentedRoutes(f.t)).filter(isTipRoute);
    expect(routes.length).toBe(21);
    expect(routes.filter((route) => !(route in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((key) => !routes.includes(key))).toEqual([]);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    describe(key, () => {
      if (row.public) {
        it('should be public: a caller without a token gets through', async () => {
          const { response } = await call(key, { as: 'anonymous' });
          expect(response.status).toBeLessThan(300);
        });
      } else {
        it('should refuse a caller without a token with 401 AUTH_REQUIRED', async () => {
          const { response, prepared } = await call(key, { as: 'anonymous' });
          expect(outcome(response)).toEqual({ status: 401, code: ErrorCode.AUTH_REQUIRED });
          if (row.wrote) expect(await row.wrote(f, { as: 'anonymous' }, prepared.context)).toBe(false);
          expectNoLeak(response);
        });

        it('should refuse a forged token with 401 AUTH_TOKEN_INVALID', async () => {
          const { response, prepared } = await call(key, { as: 'anonymous' }, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged');
          expect(outcome(response)).toEqual({ status: 401, code: ErrorCode.AUTH_TOKEN_INVALID });
          if (row.wrote) expect(await row.wrote(f, { as: 'anonymous' }, prepared.context)).toBe(false);
        });
      }

      for (const allowedCase of row.may) {
        it(`should let ${caseLabel(allowedCase)} through with ${allowedCase.status}${allowedCase.code ? ` ${allowedCase.code}` : ''}`, async () => {
          const target = { as: allowedCase.as, using: allowedCase.using };
          const { response, prepared } = await call(key, target);
          expect(outcome(response)).toEqual({ status: allowedCase.status, code: allowedCase.code });
          await allowedCase.check?.(response, f, prepared);
          if (row.wrote && allowedCase.status < 300) expect(await row.wrote(f, target, prepared.context)).toBe(true);
        });
      }

      for (const refused of row.mustNot) {
        it(`should refuse ${caseLabel(refused)} with ${refused.status} ${refused.code}, change nothing and show nothing of ours`, async () => {
          const target = { as: refused.as, using: refused.using };
          const { response, prepared } = await call(key, target);
          expect(outcome(response)).toEqual({ status: refused.status, code: refused.code });
          await refused.check?.(response, f, prepared);
          if (row.wrote) expect(await row.wrote(f, target, prepared.context)).toBe(false);
          expectNoLeak(response);
        });
      }

      if (key.includes('{tipId}')) {
        it('should answer a tip of another township exactly like a missing one', async () => {
          const triage = key.includes('/api/tips/');
          const [asker, owner]: Person[] = triage ? ['otherTownshipPolice', 'police'] : ['otherTownshipAdmin', 'townshipAdmin'];
          const { response: foreign } = await call(key, { as: asker });
          const { response: missing } = await call(key, { as: owner, tipId: newId() });
          expect(foreign.status).toBe(404);
          expect({ ...foreign.body, requestId: undefined }).toEqual({ ...missing.body, requestId: undefined });
        });
      }
    });
  }

  describe('a resident and the tips of the township', () => {
    it('should reach no tip by id, neither their own nor another resident’s, on any route', async () => {
      const keys = Object.keys(MATRIX).filter((key) => key.includes('{tipId}'));
      for (const tipId of [f.own.id, f.sibling.id]) {
        for (const key of keys) {
          const { response } = await call(key, { as: 'resident', tipId });
          expect({ key, ...outcome(response) }).toEqual({ key, status: 403, code: ErrorCode.FORBIDDEN });
          expectNoLeak(response);
        }
      }
    });

    it('should open with each receipt code that one tip and nothing of any other', async () => {
      for (const [mine, theirs] of [
        [f.own, f.sibling],
        [f.sibling, f.own],
      ]) {
        const response = await send(f, 'POST', '/api/tips/follow-up', 'resident', { receiptCode: mine.receiptCode });
        expect(response.status).toBe(200);
        expect(response.body.identifiers.map((i: { masked: string }) => i.masked)).toEqual(mine.masked);
        for (const other of theirs.masked) expect(response.text).not.toContain(other);
        expect(response.text).not.toContain(theirs.id);
      }
    });
  });

  describe('ids of another township used by our police and admins', () => {
    let theirReward: string;

    beforeAll(async () => {
      const { tip } = await buildTipRow(f.t, f.other.township.id, { status: TipStatus.VALID, attachments: 1 });
      expect((await send(f, 'PUT', `/api/tips/${tip.id}/reward`, 'otherTownshipPolice', { tier: 'third', reason: '线索属实' })).status).toBe(201);
      theirReward = tip.id;
    });

    it('should answer their tips, images and rewards with 404, never 403 or data', async () => {
      const theirAttachment = (await f.t.dataSource.getRepository(TipAttachmentEntity).findOneByOrFail({ tipId: theirReward })).id;
      const calls: [RequestOptions['method'], string, Person, unknown, ErrorCode][] = [
        ['GET', `/api/tips/${f.foreign.id}`, 'police', undefined, ErrorCode.TIP_NOT_FOUND],
        ['PATCH', `/api/tips/${f.foreign.id}`, 'police', { status: 'verifying' }, ErrorCode.TIP_NOT_FOUND],
        ['POST', `/api/tips/${f.foreign.id}/replies`, 'police', { body: '你好' }, ErrorCode.TIP_NOT_FOUND],
        ['PUT', `/api/tips/${theirReward}/reward`, 'policeAdmin', { tier: 'third', reason: '线索属实' }, ErrorCode.TIP_NOT_FOUND],
        // Our tip with their image: the image is not ours to link.
        ['POST', `/api/tips/${f.own.id}/attachments/${theirAttachment}/link`, 'police', undefined, ErrorCode.TIP_ATTACHMENT_NOT_FOUND],
        ['POST', `/api/tips/${f.foreign.id}/attachments/${f.foreign.attachmentId}/link`, 'police', undefined, ErrorCode.TIP_NOT_FOUND],
        ['POST', `/api/rewards/${theirReward}/approve`, 'townshipAdmin', {}, ErrorCode.REWARD_NOT_FOUND],
        ['POST', `/api/rewards/${theirReward}/reject`, 'townshipAdmin', { note: '证据不足' }, ErrorCode.REWARD_NOT_FOUND],
        ['POST', `/api/rewards/${theirReward}/reveal`, 'townshipAdmin', undefined, ErrorCode.REWARD_NOT_FOUND],
        ['POST', `/api/rewards/${theirReward}/paid`, 'townshipAdmin', undefined, ErrorCode.REWARD_NOT_FOUND],
        ['GET', `/api/rewards/${theirReward}/audit`, 'townshipAdmin', undefined, ErrorCode.REWARD_NOT_FOUND],
      ];
      for (const [method, url, as, body, code] of calls) {
        const response = await send(f, method, url, as, body);
        expect({ url, ...outcome(response) }).toEqual({ url, status: 404, code });
        expect(response.text).not.toContain('外乡');
      }
      expect((await rewardOf(f, theirReward))?.status).toBe(RewardStatus.DECIDED);
      expect((await f.t.dataSource.getRepository(TipEntity).findOneByOrFail({ id: f.foreign.id })).status).toBe(TipStatus.RECEIVED);
    });

    it('should refuse to assign our tip to an officer of another township with 400 TIP_ASSIGNEE_INVALID', async () => {
      const response = await send(f, 'PATCH', `/api/tips/${f.own.id}`, 'police', { assigneeUserId: f.users.otherTownshipPolice.id });
      expect(outcome(response)).toEqual({ status: 400, code: ErrorCode.TIP_ASSIGNEE_INVALID });
      expect((await f.t.dataSource.getRepository(TipEntity).findOneByOrFail({ id: f.own.id })).assigneeId).toBeNull();
    });
  });

  describe('two people for every reward', () => {
    it('should never let the person who decided approve, reject, reveal or pay, whatever roles they hold', async () => {
      const fresh = await rewardedTip(f, 'claimed');
      const url = `/api/rewards/${fresh.id}`;
      for (const [action, body] of [
        ['approve', {}],
        ['reject', { note: '自己否决' }],
      ] as const) {
        expect(outcome(await send(f, 'POST', `${url}/${action}`, 'policeAdmin', body))).toEqual({ status: 403, code: ErrorCode.REWARD_SAME_PERSON });
      }
      expect((await rewardOf(f, fresh.id))?.status).toBe(RewardStatus.DECIDED);

      expect((await send(f, 'POST', `${url}/approve`, 'townshipAdmin', {})).status).toBe(200);
      for (const as of ['policeAdmin', 'secondTownshipAdmin'] as Person[]) {
        for (const action of ['reveal', 'paid']) {
          expect({ as, action, ...outcome(await send(f, 'POST', `${url}/${action}`, as)) }).toEqual({ as, action, status: 403, code: ErrorCode.REWARD_NOT_APPROVER });
        }
      }
      const revealed = await send(f, 'POST', `${url}/reveal`, 'townshipAdmin');
      expect(revealed.body).toEqual({ name: CLAIMANT_NAME, phone: CLAIM_PHONE, source: 'claim' });
      expect((await send(f, 'POST', `${url}/paid`, 'townshipAdmin')).body).toMatchObject({ status: 'paid', reviewedBy: { userId: f.users.townshipAdmin.id } });
      const trail = (await send(f, 'GET', `${url}/audit`, 'secondTownshipAdmin')).body as RewardAuditEntry[];
      expect(trail.map((entry) => [entry.action, entry.actorId])).toEqual([
        ['reward.decided', f.users.policeAdmin.id],
        ['reward.approved', f.users.townshipAdmin.id],
        ['identity.revealed', f.users.townshipAdmin.id],
        ['reward.paid', f.users.townshipAdmin.id],
      ]);
      expect(json(trail)).not.toContain(CLAIM_PHONE);
    });
  });
});
