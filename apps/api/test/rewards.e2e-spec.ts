import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  formatReceiptCode,
  MembershipStatus,
  RewardStatus,
  Role,
  TIP_TEXT_LIMITS,
  TipStatus,
  UnitKind,
  type RewardAuditEntry,
  type RewardResponse,
  type RewardTallyResponse,
} from '@qmfz/contracts';
import ExcelJS from 'exceljs';
import { REPORTER_PHONE_INDEX_NAMESPACE } from '../src/common/phone.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { AuditLogEntity, TipRewardEntity, type UnitEntity } from '../src/database/entities/index.js';
import { zipWithinLimits } from '../src/org/zip-guard.js';
import { AuditLogRepository } from '../src/audit/audit-log.repository.js';
import { buildMember, buildMembership, buildTownship, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { FakeWechat } from './support/fake-wechat.js';
import { buildRewardRow, buildTipRow, type BuiltTip } from './support/tip-rows.js';
import { randomIp } from './support/tips.js';
import { DB_TIER } from './test-db.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NAMED_PHONE = '13712349876';
const NAMED_NAME = '举报人王五';
const CLAIM_PHONE = '13600001111';
const WECHAT_PHONE = '13500002222';
const OTHER_PHONE = '13311112222';
const FULL_PHONES = [NAMED_PHONE, CLAIM_PHONE, WECHAT_PHONE, OTHER_PHONE];
const FORMULA_UNIT = '=HYPERLINK("http://evil.example","点我")';

describe(`rewards: decision, claim, two-person approval, reveal, payout, tallies (${DB_TIER})`, () => {
  let t: TestApp;
  let wechat: FakeWechat;
  let town: BuiltTownship;
  let other: BuiltTownship;
  let yicun: UnitEntity;
  let formulaUnit: UnitEntity;
  const tokens: Record<string, string> = {};
  const users: Record<string, string> = {};
  /** Every response of this file with its route, to prove only a reveal ever carries a full phone. */
  const seen: { route: string; text: string }[] = [];

  const call = async (method: RequestOptions['method'], url: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse> => {
    const response = await t.request({ method, url, token, body, headers });
    seen.push({ route: `${method} ${url}`, text: response.text });
    return response;
  };
  const as = (who: string) => ({
    decide: (tipId: string, body: unknown = { tier: 'first', reason: '经核实属实' }) => call('PUT', `/api/tips/${tipId}/reward`, tokens[who], body),
    approve: (tipId: string, body: unknown = {}) => call('POST', `/api/rewards/${tipId}/approve`, tokens[who], body),
    reject: (tipId: string, body: unknown = { note: '证据不足' }) => call('POST', `/api/rewards/${tipId}/reject`, tokens[who], body),
    reveal: (tipId: string) => call('POST', `/api/rewards/${tipId}/reveal`, tokens[who]),
    paid: (tipId: string) => call('POST', `/api/rewards/${tipId}/paid`, tokens[who]),
    audit: (tipId: string) => call('GET', `/api/rewards/${tipId}/audit`, tokens[who]),
    list: (query = '') => call('GET', `/api/rewards${query}`, tokens[who]),
    tallies: (query: string) => call('GET', `/api/rewards/tallies?${query}`, tokens[who]),
  });
  const claim = (body: unknown) => call('POST', '/api/tips/follow-up/claim', undefined, body, { 'x-forwarded-for': randomIp() });
  const codeOf = (response: TestResponse) => ({ status: response.status, code: response.body?.code });
  const validTip = (options: Parameters<typeof buildTipRow>[2] = {}) => buildTipRow(t, town.township.id, { status: TipStatus.VALID, ...options });
  const rewardOf = (tipId: string) => t.dataSource.getRepository(TipRewardEntity).findOneByOrFail({ tipId });
  const auditOf = (tipId: string) => t.dataSource.getRepository(AuditLogEntity).find({ where: { subjectId: tipId }, order: { createdAt: 'ASC', id: 'ASC' } });
  /** A valid tip with a reward decided by 民警甲 through the API. */
  const decidedTip = async (options: Parameters<typeof buildTipRow>[2] = {}, who = 'police'): Promise<BuiltTip> => {
    const built = await validTip(options);
    expect((await as(who).decide(built.tip.id)).status).toBe(201);
    return built;
  };
  const claimedTip = async (options: Parameters<typeof buildTipRow>[2] = {}, who = 'police'): Promise<BuiltTip> => {
    const built = await decidedTip(options, who);
    const contact = built.tip.reporterMode === 'anonymous' ? { name: '申领人', phone: CLAIM_PHONE } : {};
    expect((await claim({ receiptCode: built.receiptCode, ...contact })).status).toBe(200);
    return built;
  };

  beforeAll(async () => {
    wechat = await FakeWechat.start();
    t = await startTestApp({ env: wechat.env(1000) });
    town = await buildTownship(t.dataSource, 'jiangli', '奖励乡', [
      { name: '奖励乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '奖励派出所', kind: UnitKind.POLICE_STATION },
      { name: '一村', kind: UnitKind.VILLAGE },
      { name: FORMULA_UNIT, kind: UnitKind.VILLAGE },
    ]);
    other = await buildTownship(t.dataSource, 'waixiang', '外乡', [
      { name: '外乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '外乡派出所', kind: UnitKind.POLICE_STATION },
    ]);
    yicun = town.units['一村'];
    formulaUnit = town.units[FORMULA_UNIT];
    const office = town.units['奖励乡平安办'];
    const station = town.units['奖励派出所'];
    const people: [string, UnitEntity, Role | null, string][] = [
      ['police', station, Role.POLICE, '民警甲'],
      ['police2', station, Role.POLICE, '民警乙'],
      ['admin', office, Role.TOWNSHIP_ADMIN, '审批人张'],
      ['admin2', office, Role.TOWNSHIP_ADMIN, '审批人李'],
      ['both', station, Role.POLICE, '兼任者'],
      ['staff', yicun, Role.STAFF, '一村文书'],
      ['villageAdmin', yicun, Role.UNIT_ADMIN, '一村支书'],
      ['resident', yicun, null, '居民'],
      ['otherAdmin', other.units['外乡平安办'], Role.TOWNSHIP_ADMIN, '外乡管理员'],
      ['otherPolice', other.units['外乡派出所'], Role.POLICE, '外乡民警'],
    ];
    for (const [key, unit, role, name] of people) {
      const member = await buildMember(t, unit, role, { name });
      tokens[key] = member.token;
      users[key] = member.user.id;
    }
    // One person who is both an officer and a township admin.
    await buildMembership(t.dataSource, office, users.both, { role: Role.TOWNSHIP_ADMIN, status: MembershipStatus.ACTIVE });
  });

  afterAll(async () => {
    await t?.close();
    await wechat?.close();
  });

  describe('a named tip from decision to payout', () => {
    let built: BuiltTip;
    beforeAll(async () => {
      built = await decidedTip({ reporter: { mode: 'named', name: NAMED_NAME, phone: NAMED_PHONE }, unitId: yicun.id });
    });

    it('should let the reporter claim with the receipt code alone, however it is typed, and answer a repeat the same', async () => {
      const first = await claim({ receiptCode: formatReceiptCode(built.receiptCode).toLowerCase() });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ status: 'decided', tier: 'first', amountYuan: 2000, claimed: true, claimNeedsContact: false });
      const claimedAt = (await rewardOf(built.tip.id)).claimedAt;
      expect(claimedAt).toBeInstanceOf(Date);
      const again = await claim({ receiptCode: built.receiptCode, name: '冒名者', phone: OTHER_PHONE });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const reward = await rewardOf(built.tip.id);
      expect(reward.claimedAt).toEqual(claimedAt);
      // A named tip already holds the contact: the claim stores none.
      expect([reward.claimNameCipher, reward.claimPhoneCipher, reward.claimPhoneIndex]).toEqual([null, null, null]);
      expect(await t.dataSource.getRepository(TipRewardEntity).countBy({ tipId: built.tip.id })).toBe(1);
    });

    it('should refuse reveal and payout before approval with 409 REWARD_STATE_INVALID', async () => {
      expect(codeOf(await as('admin').reveal(built.tip.id))).toEqual({ status: 409, code: ErrorCode.REWARD_STATE_INVALID });
      expect(codeOf(await as('admin').paid(built.tip.id))).toEqual({ status: 409, code: ErrorCode.REWARD_STATE_INVALID });
    });

    it('should be approved by a township admin who did not decide it', async () => {
      const response = await as('admin').approve(built.tip.id, { note: '同意发放' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        tipId: built.tip.id,
        status: 'approved',
        decidedBy: { userId: users.police, displayName: '民警甲' },
        reviewedBy: { userId: users.admin, displayName: '审批人张' },
        reviewNote: '同意发放',
        claimedAt: expect.any(String),
        paidAt: null,
        tip: { status: 'valid', unitName: '一村', reporterMode: 'named', reporterMasked: '137****9876' },
      });
      expect(codeOf(await as('admin2').approve(built.tip.id))).toEqual({ status: 409, code: ErrorCode.REWARD_STATE_INVALID });
    });

    it('should reveal the identity to the approver only, with an audit record naming the fields every time', async () => {
      expect(codeOf(await as('admin2').reveal(built.tip.id))).toEqual({ status: 403, code: ErrorCode.REWARD_NOT_APPROVER });
      const before = (await auditOf(built.tip.id)).length;
      for (let i = 0; i < 2; i++) {
        const response = await as('admin').reveal(built.tip.id);
        expect(response.status).toBe(200);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).toEqual({ name: NAMED_NAME, phone: NAMED_PHONE, source: 'tip' });
      }
      const reveals = (await auditOf(built.tip.id)).slice(before);
      expect(reveals.map((a) => [a.action, a.actorId, a.detail])).toEqual([
        ['identity.revealed', users.admin, 'source=tip fields=name,phone'],
        ['identity.revealed', users.admin, 'source=tip fields=name,phone'],
      ]);
    });

    it('should record the payout by the approver only, once', async () => {
      expect(codeOf(await as('admin2').paid(built.tip.id))).toEqual({ status: 403, code: ErrorCode.REWARD_NOT_APPROVER });
      const response = await as('admin').paid(built.tip.id);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'paid', paidAt: expect.any(String) });
      expect(codeOf(await as('admin').paid(built.tip.id))).toEqual({ status: 409, code: ErrorCode.REWARD_STATE_INVALID });
      // Still revealable to the approver once paid.
      expect((await as('admin').reveal(built.tip.id)).status).toBe(200);
    });

    it('should show the whole trail to township admins, with names, and never a value', async () => {
      const response = await as('admin2').audit(built.tip.id);
      expect(response.status).toBe(200);
      const trail = response.body as RewardAuditEntry[];
      expect(trail.map((e) => [e.action, e.actorName, e.detail])).toEqual([
        ['reward.decided', '民警甲', 'tier=first amountYuan=2000'],
        ['reward.approved', '审批人张', 'amountYuan=2000'],
        ['identity.revealed', '审批人张', 'source=tip fields=name,phone'],
        ['identity.revealed', '审批人张', 'source=tip fields=name,phone'],
        ['reward.paid', '审批人张', 'amountYuan=2000'],
        ['identity.revealed', '审批人张', 'source=tip fields=name,phone'],
      ]);
      expect(trail[0]).toEqual({ id: expect.any(String), actorId: users.police, actorName: '民警甲', action: 'reward.decided', detail: expect.any(String), createdAt: expect.any(String) });
      expect(response.text).not.toContain(NAMED_PHONE);
      expect(response.text).not.toContain(NAMED_NAME);
    });
  });

  describe('an anonymous tip', () => {
    it('should need a name and a phone to claim, store them encrypted, and reveal them from the claim', async () => {
      const built = await decidedTip();
      for (const body of [{}, { name: '申领人' }, { phone: CLAIM_PHONE }, { name: '申领人', phone: '' }]) {
        expect(codeOf(await claim({ receiptCode: built.receiptCode, ...body }))).toMatchObject({ status: 400 });
      }
      expect(codeOf(await claim({ receiptCode: built.receiptCode }))).toEqual({ status: 400, code: ErrorCode.REWARD_CLAIM_CONTACT_REQUIRED });
      expect(codeOf(await claim({ receiptCode: built.receiptCode, name: '申领人', phone: '12345' }))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect((await rewardOf(built.tip.id)).claimedAt).toBeNull();

      const response = await claim({ receiptCode: built.receiptCode, name: ' 申领人 ', phone: '+86 136-0000-1111' });
      expect(response.body).toEqual({ status: 'decided', tier: 'first', amountYuan: 2000, claimed: true, claimNeedsContact: false });
      const reward = await rewardOf(built.tip.id);
      const crypto = t.app.get(CryptoService);
      expect(reward.claimPhoneCipher).not.toContain(CLAIM_PHONE);
      expect(reward.claimNameCipher).not.toContain('申领人');
      expect(crypto.decrypt(reward.claimPhoneCipher!)).toBe(CLAIM_PHONE);
      expect(reward.claimPhoneIndex).toBe(crypto.blindIndex(REPORTER_PHONE_INDEX_NAMESPACE, CLAIM_PHONE));
      expect(reward.claimPhoneMasked).toBe('136****1111');

      const repeat = await claim({ receiptCode: built.receiptCode, name: '别人', phone: OTHER_PHONE });
      expect(repeat.body).toEqual(response.body);
      expect((await rewardOf(built.tip.id)).claimPhoneIndex).toBe(reward.claimPhoneIndex);

      const listed = await as('admin').list();
      expect(listed.body.find((r: RewardResponse) => r.tipId === built.tip.id).tip).toMatchObject({ reporterMode: 'anonymous', reporterMasked: '136****1111' });

      expect((await as('admin').approve(built.tip.id)).status).toBe(200);
      const revealed = await as('admin').reveal(built.tip.id);
      expect(revealed.body).toEqual({ name: '申领人', phone: CLAIM_PHONE, source: 'claim' });
      expect((await auditOf(built.tip.id)).at(-1)).toMatchObject({ action: 'identity.revealed', detail: 'source=claim fields=name,phone' });
    });

    it('should take a claimant name at its limit in CJK or 4-byte characters, and refuse one that would overflow its column', async () => {
      const crypto = t.app.get(CryptoService);
      for (const name of ['申'.repeat(TIP_TEXT_LIMITS.reporterNameMax), '𠮷'.repeat(TIP_TEXT_LIMITS.reporterNameMax / 2)]) {
        const built = await decidedTip();
        expect((await claim({ receiptCode: built.receiptCode, name, phone: CLAIM_PHONE })).status).toBe(200);
        expect(crypto.decrypt((await rewardOf(built.tip.id)).claimNameCipher!)).toBe(name);
      }
      // 40 "characters" to class-validator (an emoji with its variation selector counts as one), 80 UTF-16 units here.
      const built = await decidedTip();
      const overflowing = await claim({ receiptCode: built.receiptCode, name: '❤️'.repeat(TIP_TEXT_LIMITS.reporterNameMax), phone: CLAIM_PHONE });
      expect(codeOf(overflowing)).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect((await rewardOf(built.tip.id)).claimedAt).toBeNull();
    });

    it('should take a phone verified through WeChat’s getPhoneNumber code', async () => {
      const built = await decidedTip();
      expect(codeOf(await claim({ receiptCode: built.receiptCode, name: '微信用户', phoneCode: 'invalid' }))).toEqual({ status: 400, code: ErrorCode.WECHAT_CODE_INVALID });
      expect((await rewardOf(built.tip.id)).claimedAt).toBeNull();
      expect(codeOf(await claim({ receiptCode: built.receiptCode, name: '微信用户', phoneCode: 'intl-14155550100' }))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      const response = await claim({ receiptCode: built.receiptCode, name: '微信用户', phoneCode: `phone-${WECHAT_PHONE}` });
      expect(response.status).toBe(200);
      const reward = await rewardOf(built.tip.id);
      expect(t.app.get(CryptoService).decrypt(reward.claimPhoneCipher!)).toBe(WECHAT_PHONE);
      expect(reward.claimPhoneMasked).toBe('135****2222');
    });
  });

  describe('claims that are refused', () => {
    it('should answer a code that opens no tip with 404 TIP_RECEIPT_NOT_FOUND', async () => {
      for (const receiptCode of ['ABCDE-FGHJK-MNPQR-STUVW', 'not a code', '0'.repeat(20)]) {
        expect(codeOf(await claim({ receiptCode, name: '某人', phone: CLAIM_PHONE }))).toEqual({ status: 404, code: ErrorCode.TIP_RECEIPT_NOT_FOUND });
      }
    });

    it('should answer a tip without a reward with 404 REWARD_NOT_FOUND', async () => {
      const built = await validTip();
      expect(codeOf(await claim({ receiptCode: built.receiptCode, name: '某人', phone: CLAIM_PHONE }))).toEqual({ status: 404, code: ErrorCode.REWARD_NOT_FOUND });
    });

    it('should answer a rejected reward with 409 REWARD_STATE_INVALID', async () => {
      const built = await decidedTip();
      expect((await as('admin').reject(built.tip.id)).status).toBe(200);
      expect(codeOf(await claim({ receiptCode: built.receiptCode, name: '某人', phone: CLAIM_PHONE }))).toEqual({ status: 409, code: ErrorCode.REWARD_STATE_INVALID });
      expect((await rewardOf(built.tip.id)).claimedAt).toBeNull();
    });

    it.each([
      ['a code that is not text', { receiptCode: 12345 }],
      ['no code', { name: '某人' }],
      ['an unknown field', { receiptCode: 'ABCDE-FGHJK-MNPQR-STUVW', tipId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
      ['a name over 40 characters', { receiptCode: 'ABCDE-FGHJK-MNPQR-STUVW', name: '名'.repeat(41), phone: CLAIM_PHONE }],
    ])('should refuse %s with 400', async (_what, body) => {
      expect(codeOf(await claim(body))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
    });

    it('should limit claims per address', async () => {
      const ip = randomIp();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await call('POST', '/api/tips/follow-up/claim', undefined, { receiptCode: 'ABCDE-FGHJK-MNPQR-STUVW' }, { 'x-forwarded-for': ip })).status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    });
  });

  describe('review', () => {
    it('should refuse approval before the reporter claimed with 409 REWARD_NOT_CLAIMED', async () => {
      const built = await decidedTip();
      expect(codeOf(await as('admin').approve(built.tip.id))).toEqual({ status: 409, code: ErrorCode.REWARD_NOT_CLAIMED });
      expect((await rewardOf(built.tip.id)).status).toBe('decided');
    });

    it('should never let the person who decided review, even when they are also a township admin', async () => {
      const built = await claimedTip({}, 'both');
      expect(codeOf(await as('both').approve(built.tip.id))).toEqual({ status: 403, code: ErrorCode.REWARD_SAME_PERSON });
      expect(codeOf(await as('both').reject(built.tip.id))).toEqual({ status: 403, code: ErrorCode.REWARD_SAME_PERSON });
      expect((await rewardOf(built.tip.id)).status).toBe('decided');
      expect((await auditOf(built.tip.id)).map((a) => a.action)).toEqual(['reward.decided']);
      // A second person approves; the decider, though a township admin, may then neither reveal nor record payment.
      expect((await as('admin').approve(built.tip.id)).status).toBe(200);
      expect(codeOf(await as('both').reveal(built.tip.id))).toEqual({ status: 403, code: ErrorCode.REWARD_NOT_APPROVER });
      expect(codeOf(await as('both').paid(built.tip.id))).toEqual({ status: 403, code: ErrorCode.REWARD_NOT_APPROVER });
    });

    it('should let a police officer who is also a township admin approve what someone else decided', async () => {
      const built = await claimedTip();
      expect((await as('both').approve(built.tip.id)).body).toMatchObject({ status: 'approved', reviewedBy: { userId: users.both } });
    });

    it('should reject only with a note, with its audit record, and end the reward there', async () => {
      const built = await claimedTip();
      for (const body of [{}, { note: '  ' }]) expect(codeOf(await as('admin').reject(built.tip.id, body))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      const response = await as('admin').reject(built.tip.id, { note: '线索与案件无关' });
      expect(response.body).toMatchObject({ status: 'rejected', reviewNote: '线索与案件无关', reviewedBy: { userId: users.admin } });
      expect((await auditOf(built.tip.id)).map((a) => a.action)).toEqual(['reward.decided', 'reward.rejected']);
      for (const next of [as('admin2').approve(built.tip.id), as('admin').reject(built.tip.id), as('admin').reveal(built.tip.id), as('admin').paid(built.tip.id)]) {
        expect(codeOf(await next)).toEqual({ status: 409, code: ErrorCode.REWARD_STATE_INVALID });
      }
    });

    it('should take a reason and a note at their limits in CJK, and refuse ones that would overflow their columns', async () => {
      const built = await validTip();
      const reason = '理'.repeat(TIP_TEXT_LIMITS.reasonMax);
      expect(codeOf(await as('police').decide(built.tip.id, { tier: 'third', reason: '❤️'.repeat(TIP_TEXT_LIMITS.reasonMax) }))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect((await as('police').decide(built.tip.id, { tier: 'third', reason })).body).toMatchObject({ reason });
      const note = '驳'.repeat(TIP_TEXT_LIMITS.reasonMax);
      expect(codeOf(await as('admin').reject(built.tip.id, { note: '❤️'.repeat(TIP_TEXT_LIMITS.reasonMax) }))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect((await as('admin').reject(built.tip.id, { note })).body).toMatchObject({ status: 'rejected', reviewNote: note });
    });

    it('should let only one of two admins approving at once succeed', async () => {
      const built = await claimedTip();
      const responses = await Promise.all([as('admin').approve(built.tip.id), as('admin2').approve(built.tip.id)]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await auditOf(built.tip.id)).filter((a) => a.action === 'reward.approved')).toHaveLength(1);
    });
  });

  describe('who may call the reward routes', () => {
    let built: BuiltTip;
    beforeAll(async () => {
      built = await claimedTip();
    });
    const asWho = (who: string, tipId: string) => [
      as(who).approve(tipId),
      as(who).reject(tipId),
      as(who).reveal(tipId),
      as(who).paid(tipId),
      as(who).audit(tipId),
    ];

    it.each(['police', 'staff', 'villageAdmin', 'resident'])('should refuse %s approval, rejection, reveal, payout and the trail with 403', async (who) => {
      for (const response of await Promise.all(asWho(who, built.tip.id))) expect(codeOf(response)).toEqual({ status: 403, code: ErrorCode.FORBIDDEN });
      expect((await rewardOf(built.tip.id)).status).toBe('decided');
    });

    it.each(['staff', 'villageAdmin', 'resident'])('should refuse %s the list and the tallies with 403', async (who) => {
      for (const response of [await as(who).list(), await as(who).tallies('period=month&from=2025-01-01&to=2025-12-31')]) {
        expect(codeOf(response)).toEqual({ status: 403, code: ErrorCode.FORBIDDEN });
      }
      const file = await call('GET', '/api/rewards/tallies/export?period=month&from=2025-01-01&to=2025-12-31', tokens[who]);
      expect(file.status).toBe(403);
    });

    it('should answer another township’s admin 404 for our rewards and show them none', async () => {
      const [approve, reject, reveal, paid, audit] = await Promise.all(asWho('otherAdmin', built.tip.id));
      for (const response of [approve, reject, reveal, paid, audit]) expect(codeOf(response)).toEqual({ status: 404, code: ErrorCode.REWARD_NOT_FOUND });
      expect((await as('otherAdmin').list()).body).toEqual([]);
      expect((await as('otherPolice').decide(built.tip.id)).status).toBe(404);
      expect((await rewardOf(built.tip.id)).status).toBe('decided');
    });

    it('should refuse a caller without a token with 401', async () => {
      expect((await call('GET', '/api/rewards')).status).toBe(401);
      expect((await call('POST', `/api/rewards/${built.tip.id}/reveal`)).status).toBe(401);
    });
  });

  describe('the list of rewards', () => {
    it('should show township admins and police every reward of the township, newest decision first, filtered by status', async () => {
      const built = await claimedTip({ unitId: formulaUnit.id });
      const forAdmin = await as('admin').list();
      const forPolice = await as('police').list();
      expect(forAdmin.status).toBe(200);
      expect(forPolice.body).toEqual(forAdmin.body);
      const rewards = forAdmin.body as RewardResponse[];
      expect(rewards[0]).toMatchObject({ tipId: built.tip.id, status: 'decided', tip: { unitName: FORMULA_UNIT, fraudType: 'order_brushing' } });
      const decidedAt = rewards.map((r) => r.decidedAt);
      expect([...decidedAt].sort().reverse()).toEqual(decidedAt);
      const paid = (await as('police').list('?status=paid')).body as RewardResponse[];
      expect(paid.length).toBeGreaterThan(0);
      expect(paid.every((r) => r.status === 'paid')).toBe(true);
      expect(codeOf(await as('admin').list('?status=unknown'))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
    });
  });

  describe('tallies', () => {
    const at = (iso: string) => new Date(iso);
    const MONTHS = 'period=month&from=2025-11-01&to=2025-12-31';

    beforeAll(async () => {
      const named = (phone: string, unitId: string | null) => validTip({ reporter: { mode: 'named', name: '某人', phone }, unitId });
      const anonymous = (unitId: string | null) => validTip({ unitId });
      // Sunday 2025-11-30 23:59:59.999 in Shanghai: week 48, November.
      await buildRewardRow(t, (await named(NAMED_PHONE, yicun.id)).tip, { status: RewardStatus.PAID, amountYuan: 2000, decidedAt: at('2025-11-30T15:59:59.999Z') });
      // Monday 2025-12-01 00:00 in Shanghai: week 49, December — the same reporter.
      await buildRewardRow(t, (await named(NAMED_PHONE, null)).tip, { status: RewardStatus.APPROVED, amountYuan: 1000, decidedAt: at('2025-11-30T16:00:00.000Z') });
      // An anonymous tip whose claim gave the same phone: the same reporter again.
      await buildRewardRow(t, (await anonymous(formulaUnit.id)).tip, { amountYuan: 500, decidedAt: at('2025-12-03T02:00:00Z'), claimPhone: NAMED_PHONE });
      // Anonymous and unclaimed: a reporter of their own each.
      await buildRewardRow(t, (await anonymous(yicun.id)).tip, { amountYuan: 300, decidedAt: at('2025-11-10T02:00:00Z') });
      await buildRewardRow(t, (await anonymous(null)).tip, { amountYuan: 200, decidedAt: at('2025-11-11T02:00:00Z') });
      // Rejected: no reward.
      await buildRewardRow(t, (await named(OTHER_PHONE, yicun.id)).tip, { status: RewardStatus.REJECTED, amountYuan: 9999, decidedAt: at('2025-11-12T02:00:00Z') });
      // Either side of the range's start: Shanghai 2025-10-31 23:59:59.999 (out) and 2025-11-01 00:00 (in).
      await buildRewardRow(t, (await named(OTHER_PHONE, yicun.id)).tip, { amountYuan: 7777, decidedAt: at('2025-10-31T15:59:59.999Z') });
      await buildRewardRow(t, (await named(CLAIM_PHONE, yicun.id)).tip, { status: RewardStatus.PAID, amountYuan: 100, decidedAt: at('2025-10-31T16:00:00.000Z') });
      // Another township's reward in the range.
      const foreign = await buildTipRow(t, other.township.id, { status: TipStatus.VALID });
      await buildRewardRow(t, foreign.tip, { amountYuan: 5555, decidedAt: at('2025-11-15T02:00:00Z') });
    });

    it('should tally per month, unit and reporter, counting decided, approved and paid rewards only', async () => {
      const response = await as('admin').tallies(MONTHS);
      expect(response.status).toBe(200);
      const tally = response.body as RewardTallyResponse;
      expect(tally.period).toBe('month');
      expect([tally.from, tally.to]).toEqual(['2025-11-01', '2025-12-31']);
      expect(tally.periods).toEqual([
        { key: '2025-11', label: '2025年11月', count: 4, amountYuan: 2600, paidYuan: 2100 },
        { key: '2025-12', label: '2025年12月', count: 2, amountYuan: 1500, paidYuan: 0 },
      ]);
      expect(tally.units).toEqual([
        { key: yicun.id, label: '一村', count: 3, amountYuan: 2400, paidYuan: 2100 },
        { key: 'none', label: '未填写', count: 2, amountYuan: 1200, paidYuan: 0 },
        { key: formulaUnit.id, label: FORMULA_UNIT, count: 1, amountYuan: 500, paidYuan: 0 },
      ]);
      expect(tally.reporters).toEqual([
        { key: 'reporter-1', label: '137****9876', count: 3, amountYuan: 3500, paidYuan: 2000 },
        { key: 'reporter-2', label: '匿名', count: 1, amountYuan: 300, paidYuan: 0 },
        { key: 'reporter-3', label: '匿名', count: 1, amountYuan: 200, paidYuan: 0 },
        { key: 'reporter-4', label: '136****1111', count: 1, amountYuan: 100, paidYuan: 100 },
      ]);
      expect(tally.total).toEqual({ key: 'total', label: '合计', count: 6, amountYuan: 4100, paidYuan: 2100 });
      for (const phone of FULL_PHONES) expect(response.text).not.toContain(phone);
    });

    it('should tally per ISO week in Shanghai time, splitting at Monday midnight', async () => {
      const tally = (await as('police').tallies('period=week&from=2025-11-24&to=2025-12-07')).body as RewardTallyResponse;
      expect(tally.periods).toEqual([
        { key: '2025-W48', label: '2025年第48周', count: 1, amountYuan: 2000, paidYuan: 2000 },
        { key: '2025-W49', label: '2025年第49周', count: 2, amountYuan: 1500, paidYuan: 0 },
      ]);
      expect(tally.total).toMatchObject({ count: 3, amountYuan: 3500 });
      const sunday = (await as('police').tallies('period=week&from=2025-11-30&to=2025-11-30')).body as RewardTallyResponse;
      expect(sunday.periods).toEqual([{ key: '2025-W48', label: '2025年第48周', count: 1, amountYuan: 2000, paidYuan: 2000 }]);
    });

    it('should list every period of the range, empty ones included', async () => {
      const tally = (await as('admin').tallies('period=month&from=2025-09-15&to=2025-10-15')).body as RewardTallyResponse;
      expect(tally.periods).toEqual([
        { key: '2025-09', label: '2025年9月', count: 0, amountYuan: 0, paidYuan: 0 },
        { key: '2025-10', label: '2025年10月', count: 0, amountYuan: 0, paidYuan: 0 },
      ]);
      expect(tally.total.count).toBe(0);
    });

    it.each([
      ['an unknown period', 'period=year&from=2025-11-01&to=2025-11-30'],
      ['no start', 'period=month&to=2025-11-30'],
      ['a date that does not exist', 'period=month&from=2025-11-31&to=2025-12-31'],
      ['an end before the start', 'period=month&from=2025-12-01&to=2025-11-30'],
      ['a range over three years', 'period=month&from=2021-01-01&to=2025-12-31'],
    ])('should refuse %s with 400', async (_what, query) => {
      expect(codeOf(await as('admin').tallies(query))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
    });

    it('should export the tallies as a real XLSX with three sheets, text that cannot run as a formula, and masked phones only', async () => {
      const response = await fetch(`${t.baseUrl}/api/rewards/tallies/export?${MONTHS}`, { headers: { authorization: `Bearer ${tokens.police}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
      expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('奖励统计-2025-11-01至2025-12-31.xlsx'));
      const bytes = await response.arrayBuffer();
      const file = Buffer.from(bytes);
      expect(file.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      expect(zipWithinLimits(file)).toBe(true);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['按月', '按单位', '按举报人']);
      const rows = (name: string) => {
        const out: unknown[][] = [];
        workbook.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
        return out;
      };
      expect(rows('按月')).toEqual([
        ['月份', '奖励数', '金额(元)', '已发放(元)'],
        ['2025年11月', 4, 2600, 2100],
        ['2025年12月', 2, 1500, 0],
        ['合计', 6, 4100, 2100],
      ]);
      expect(rows('按单位')).toEqual([
        ['单位', '奖励数', '金额(元)', '已发放(元)'],
        ['一村', 3, 2400, 2100],
        ['未填写', 2, 1200, 0],
        [`'${FORMULA_UNIT}`, 1, 500, 0],
        ['合计', 6, 4100, 2100],
      ]);
      const formulaCell = workbook.getWorksheet('按单位')!.getCell('A4');
      expect(formulaCell.type).toBe(ExcelJS.ValueType.String);
      expect(formulaCell.formula).toBeUndefined();
      expect(rows('按举报人').map((row) => row[0])).toEqual(['举报人', '137****9876', '匿名', '匿名', '136****1111', '合计']);
      const everything = JSON.stringify(workbook.worksheets.map((sheet) => sheet.getSheetValues()));
      for (const phone of FULL_PHONES) expect(everything).not.toContain(phone);
    });
  });

  describe('the audit log', () => {
    it('should offer the application no way to change or remove an audit record', () => {
      const methods = Object.getOwnPropertyNames(AuditLogRepository.prototype).filter((name) => name !== 'constructor');
      expect(methods.sort()).toEqual(['insert', 'listFor']);
    });
  });

  it('should have sent a full reporter or claimant phone only in reveals', () => {
    expect(seen.length).toBeGreaterThan(80);
    const leaking = seen.filter(({ text }) => FULL_PHONES.some((phone) => text.includes(phone)) || text.includes(NAMED_NAME));
    expect(leaking.length).toBeGreaterThan(0);
    expect(leaking.filter(({ route }) => !/^POST \/api\/rewards\/\w+\/reveal$/.test(route))).toEqual([]);
  });
});
