import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  ErrorCode,
  normalizeReceiptCode,
  RECEIPT_ALPHABET,
  Role,
  TIP_LIMITS,
  TIP_TEXT_LIMITS,
  UnitKind,
  type CreateTipResponse,
  type TipFollowUpResponse,
  type TipListResponse,
} from '@qmfz/contracts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../src/common/ids.js';
import { PHONE_INDEX_NAMESPACE, REPORTER_PHONE_INDEX_NAMESPACE } from '../src/common/phone.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity } from '../src/database/entities/index.js';
import { receiptHash } from '../src/tips/receipt-code.js';
import { identifierIndex } from '../src/tips/identifier-index.js';
import { TipRetention } from '../src/tips/retention.js';
import { TipAttachmentsRepository } from '../src/tips/tip-attachments.repository.js';
import { TipImageLinks } from '../src/tips/tip-image-links.js';
import { identifierLockName, LOCK_WAIT_SECONDS } from '../src/tips/tips.repository.js';
import { WechatClient } from '../src/wechat/wechat.client.js';
import { buildMember, buildSignedInUser, buildTownship, multipartForm, type BuiltTownship } from './builders.js';
import { startTestApp, type TestApp, type TestResponse } from './harness.js';
import { FakeWechat } from './support/fake-wechat.js';
import {
  addTipInfo,
  cardNumber,
  containsLeak,
  createTip,
  followUp,
  followUpOk,
  jpegFixture,
  jpegWithMetadata,
  padJpegTo,
  pngFixture,
  randomIp,
  submitRawTip,
  submitTip,
  tipRequest,
  uploadedTipImage,
  uploadTipImage,
  webpFixture,
} from './support/tips.js';
import { DB_TIER } from './test-db.js';

const RECEIPT_FORMAT = new RegExp(`^[${RECEIPT_ALPHABET}]{5}(-[${RECEIPT_ALPHABET}]{5}){3}$`);
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CHINESE = /[\u4e00-\u9fff]/;
const FIVE_MB = 5 * 1024 * 1024;
const DAY = 24 * 3600_000;
const RETENTION_DAYS = 30;
const TIP_TABLES = [TipEntity, TipIdentifierEntity, TipAttachmentEntity, TipEventEntity] as const;

describe(`tips: submission, images, follow-up and retention (${DB_TIER})`, () => {
  let t: TestApp;
  let wechat: FakeWechat;
  let filesDir: string;
  let town: BuiltTownship;
  let other: BuiltTownship;
  const logs: string[] = [];
  /** Every plaintext the privacy dump at the end must not find: reporters' phones, suspects' card numbers. */
  const secrets: string[] = [];

  const crypto = () => t.app.get(CryptoService);
  const resident = async (township = town) => (await buildSignedInUser(t, township.township.id)).token;
  const pool: string[] = [];
  let poolUses = 0;
  /** A resident's token, another one every five calls, so refused-input tests never meet the per-user rate limit. */
  const pooledToken = () => pool[Math.floor(poolUses++ / 5) % pool.length];
  const tipOf = async (receipt: CreateTipResponse | string) => {
    const code = normalizeReceiptCode(typeof receipt === 'string' ? receipt : receipt.receiptCode)!;
    return (await t.dataSource.getRepository(TipEntity).findOneBy({ receiptHash: receiptHash(crypto(), code) }))!;
  };
  const files = () => (existsSync(filesDir) ? readdirSync(filesDir).sort() : []);
  const rowCounts = async () => Promise.all(TIP_TABLES.map((entity) => t.dataSource.getRepository(entity).count()));
  /** Sends a request that must be refused, and checks it wrote no row of any tip table and no file. */
  async function refused(send: () => Promise<TestResponse>): Promise<TestResponse> {
    const [rows, before] = [await rowCounts(), files()];
    const response = await send();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.message).toMatch(CHINESE);
    expect(await rowCounts()).toEqual(rows);
    expect(files()).toEqual(before);
    return response;
  }

  beforeAll(async () => {
    filesDir = join(mkdtempSync(join(tmpdir(), 'qmfz-tips-')), 'files');
    wechat = await FakeWechat.start();
    t = await startTestApp({
      env: { TIP_FILES_DIR: filesDir, TIP_IDENTITY_RETENTION_DAYS: String(RETENTION_DAYS), ...wechat.env(2000) },
      logStream: { write: (line) => void logs.push(line) },
    });
    town = await buildTownship(t.dataSource, 'jubao', '举报乡', [
      { name: '举报村', kind: UnitKind.VILLAGE },
      { name: '举报社区', kind: UnitKind.COMMUNITY },
      { name: '举报乡派出所', kind: UnitKind.POLICE_STATION },
    ]);
    other = await buildTownship(t.dataSource, 'waixiang', '外乡', [{ name: '外乡村', kind: UnitKind.VILLAGE }]);
    for (let i = 0; i < 20; i++) pool.push(await resident());
  });
  afterAll(async () => {
    await t?.close();
    await wechat?.close();
    rmSync(join(filesDir, '..'), { recursive: true, force: true });
  });

  describe('a valid tip', () => {
    it('should take an anonymous tip, answer with a receipt code once, and let the code follow it up', async () => {
      const response = await submitTip(t, await resident(), { identifiers: [{ kind: 'phone', value: '+86 135-0000-1111' }, { kind: 'url', value: 'https://www.Fake-Invest.example.com/app?id=9' }] });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ receiptCode: expect.stringMatching(RECEIPT_FORMAT), status: 'received', createdAt: expect.any(String) });
      const view = await followUpOk(t, response.body.receiptCode);
      expect(view).toEqual({
        fraudType: 'order_brushing',
        status: 'received',
        createdAt: response.body.createdAt,
        updatedAt: response.body.createdAt,
        identifiers: [
          { kind: 'phone', masked: '135****1111' },
          { kind: 'url', masked: 'fa***.com' },
        ],
        attachmentCount: 0,
        events: [{ id: expect.stringMatching(ULID), kind: 'status', status: 'received', body: null, author: null, createdAt: response.body.createdAt }],
        reward: null,
      });
    });

    it('should store the description and identifiers as ciphertext, matched by a keyed hash of the normalised value', async () => {
      const description = '对方冒充客服说我的快递丢了，要我扫码理赔。';
      const receipt = await createTip(t, await resident(), { description, identifiers: [{ kind: 'phone', value: '+86 135 0000 2222' }] });
      const tip = await tipOf(receipt);
      expect(tip.descriptionCipher).toMatch(/^v1\./);
      expect(tip.descriptionCipher).not.toContain('快递');
      expect(crypto().decrypt(tip.descriptionCipher)).toBe(description);
      const [identifier] = await t.dataSource.getRepository(TipIdentifierEntity).findBy({ tipId: tip.id });
      expect(identifier.valueIndex).toBe(crypto().blindIndex('tip-identifier', 'phone:13500002222'));
      expect(identifier.valueCipher).not.toContain('2222');
      expect(crypto().decrypt(identifier.valueCipher)).toBe('+86 135 0000 2222');
      expect(identifier.valueMasked).toBe('135****2222');
    });

    it('should keep nothing that identifies the sender of an anonymous tip', async () => {
      const { user, token } = await buildSignedInUser(t, town.township.id);
      const image = await uploadedTipImage(t, token);
      const receipt = await createTip(t, token, { attachmentIds: [image] });
      const tip = await tipOf(receipt);
      expect(tip).toMatchObject({ reporterMode: 'anonymous', reporterNameCipher: null, reporterPhoneCipher: null, reporterPhoneIndex: null, reporterPhoneMasked: null });
      const rows = await Promise.all(TIP_TABLES.map((entity) => t.dataSource.getRepository(entity).find()));
      expect(JSON.stringify(rows)).not.toContain(user.id);
      expect(await t.dataSource.getRepository(TipAttachmentEntity).findOneBy({ id: image })).toMatchObject({ tipId: tip.id, uploaderHash: null, position: 0 });
    });

    it('should store a named reporter’s typed phone encrypted, with its blind index and masked form', async () => {
      secrets.push('13800138000', '138 0013 8000', '张三丰');
      const receipt = await createTip(t, await resident(), { reporter: { mode: 'named', name: '张三丰', phone: '138 0013 8000' }, unitId: town.units['举报村'].id });
      const tip = await tipOf(receipt);
      expect(tip).toMatchObject({ reporterMode: 'named', reporterPhoneMasked: '138****8000', unitId: town.units['举报村'].id });
      expect(tip.reporterPhoneIndex).toBe(crypto().blindIndex(REPORTER_PHONE_INDEX_NAMESPACE, '13800138000'));
      // Not the index users' phones are found by: the database alone cannot join the tip to an account.
      expect(tip.reporterPhoneIndex).not.toBe(crypto().blindIndex(PHONE_INDEX_NAMESPACE, '13800138000'));
      expect(crypto().decrypt(tip.reporterPhoneCipher!)).toBe('13800138000');
      expect(crypto().decrypt(tip.reporterNameCipher!)).toBe('张三丰');
      expect((await followUpOk(t, receipt.receiptCode)).reward).toBeNull();
    });

    it('should store every text at its length limit in CJK and in 4-byte characters (widest ciphertexts; MariaDB too)', async () => {
      const cjk = (n: number) => '诈'.repeat(n);
      const astral = (units: number) => '𠮷'.repeat(units / 2); // outside the BMP: 2 UTF-16 units, 4 UTF-8 bytes each
      const host = `${'骗'.repeat(60)}.网址`;
      const longUrl = `https://${host}/${'路'.repeat(TIP_LIMITS.identifierRawMax - 8 - host.length - 1)}`;
      const longAccount = `${'甲'.repeat(100)}@${'乙'.repeat(96)}.${'丙'.repeat(2)}`;
      expect([longUrl.length, longAccount.length]).toEqual([TIP_LIMITS.identifierRawMax, TIP_LIMITS.identifierRawMax]);
      for (const name of [cjk(TIP_TEXT_LIMITS.reporterNameMax), astral(TIP_TEXT_LIMITS.reporterNameMax)]) {
        const receipt = await createTip(t, await resident(), {
          reporter: { mode: 'named', name, phone: '13700001234' },
          description: cjk(TIP_LIMITS.descriptionMax),
          identifiers: [
            { kind: 'url', value: longUrl },
            { kind: 'payment_account', value: longAccount },
            { kind: 'payment_account', value: `${'𠀀'.repeat(96)}@qq.com` },
          ],
        });
        const tip = await tipOf(receipt);
        expect(crypto().decrypt(tip.reporterNameCipher!)).toBe(name);
        expect(crypto().decrypt(tip.descriptionCipher)).toBe(cjk(TIP_LIMITS.descriptionMax));
        const stored = await t.dataSource.getRepository(TipIdentifierEntity).find({ where: { tipId: tip.id }, order: { position: 'ASC' } });
        expect(stored.map((identifier) => crypto().decrypt(identifier.valueCipher))).toEqual([longUrl, longAccount, `${'𠀀'.repeat(96)}@qq.com`]);
        expect(stored.map((identifier) => identifier.valueMasked)).toEqual(['骗骗***.网址', `甲***@…${'乙'.repeat(57)}.丙丙`, '𠀀***@qq.com']);
        const added = await addTipInfo(t, receipt.receiptCode, astral(TIP_TEXT_LIMITS.additionMax));
        expect(added.status).toBe(200);
      }
      // One unit more is refused as too long, never a database error.
      const tooLong = await refused(() => submitTip(t, pooledToken(), { reporter: { mode: 'named', name: `${astral(TIP_TEXT_LIMITS.reporterNameMax)}诈`, phone: '13700001234' } }));
      expect(tooLong.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    });

    it('should take a named reporter’s phone from WeChat’s getPhoneNumber code', async () => {
      secrets.push('13700137000');
      const receipt = await createTip(t, await resident(), { reporter: { mode: 'named', phoneCode: 'phone-13700137000' } });
      const tip = await tipOf(receipt);
      expect(tip.reporterPhoneMasked).toBe('137****7000');
      expect(crypto().decrypt(tip.reporterPhoneCipher!)).toBe('13700137000');
      expect(wechat.requestsTo('/wxa/business/getuserphonenumber').at(-1)?.body).toEqual({ code: 'phone-13700137000' });
    });

    it('should refuse a WeChat phone outside the mainland and a code WeChat rejects, storing nothing', async () => {
      const token = await resident();
      const abroad = await refused(() => submitTip(t, token, { reporter: { mode: 'named', phoneCode: 'intl-2025550123' } }));
      expect(abroad.body).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, details: [{ field: 'reporter.phoneCode', message: '仅支持中国大陆手机号' }] });
      expect((await refused(() => submitTip(t, token, { reporter: { mode: 'named', phoneCode: 'invalid' } }))).body.code).toBe(ErrorCode.WECHAT_CODE_INVALID);
    });
  });

  describe('linking tips that name the same identifier', () => {
    const groupOf = async (receipt: CreateTipResponse) => (await tipOf(receipt)).groupId;

    it('should link tips across spellings of one number, give the group the earliest tip’s id, and merge groups', async () => {
      const phone = '13611112222';
      const card = cardNumber('621700', 19);
      secrets.push(card, card.replace(/(\d{4})(?=\d)/g, '$1 '));
      const first = await createTip(t, await resident(), { identifiers: [{ kind: 'phone', value: phone }] });
      const second = await createTip(t, await resident(), { identifiers: [{ kind: 'phone', value: '+86 136-1111-2222' }] });
      const separate = await createTip(t, await resident(), { identifiers: [{ kind: 'bank_card', value: card.replace(/(\d{4})(?=\d)/g, '$1 ') }] });
      const firstTip = await tipOf(first);
      expect(await groupOf(first)).toBe(firstTip.id);
      expect(await groupOf(second)).toBe(firstTip.id);
      expect(await groupOf(separate)).toBe((await tipOf(separate)).id);

      // A tip naming both numbers joins the two groups into the earliest one.
      const bridge = await createTip(t, await resident(), { identifiers: [{ kind: 'bank_card', value: card }, { kind: 'phone', value: '136 1111 2222' }] });
      for (const receipt of [first, second, separate, bridge]) expect(await groupOf(receipt)).toBe(firstTip.id);
    });

    it('should not link a QQ number to the same digits as a phone, nor tips of another township', async () => {
      const phone = '13622223333';
      const byPhone = await createTip(t, await resident(), { identifiers: [{ kind: 'phone', value: phone }] });
      const byQq = await createTip(t, await resident(), { identifiers: [{ kind: 'qq', value: phone }] });
      const elsewhere = await createTip(t, await resident(other), { identifiers: [{ kind: 'phone', value: phone }] });
      expect(await groupOf(byQq)).toBe((await tipOf(byQq)).id);
      expect(await groupOf(elsewhere)).toBe((await tipOf(elsewhere)).id);
      expect((await tipOf(elsewhere)).townshipId).toBe(other.township.id);
      expect(await groupOf(byPhone)).toBe((await tipOf(byPhone)).id);
    });

    it('should follow a group that was merged into another meanwhile to the group it belongs to now', async () => {
      const first = await tipOf(await createTip(t, await resident(), { identifiers: [{ kind: 'phone', value: '13644445555' }] }));
      const second = await tipOf(await createTip(t, await resident(), { identifiers: [{ kind: 'phone', value: '13655556666' }] }));
      const member = await createTip(t, await resident(), { identifiers: [{ kind: 'phone', value: '13655556666' }, { kind: 'qq', value: '5556666' }] });
      expect(await groupOf(member)).toBe(second.id);
      // What a submission sees when it reads just before another commits a merge: the second group's first tip has
      // moved into the first group, its member not yet (the merge's update is still running).
      await t.dataSource.getRepository(TipEntity).update({ id: second.id }, { groupId: first.id });
      const late = await createTip(t, await resident(), { identifiers: [{ kind: 'qq', value: '5556666' }] });
      expect(await groupOf(late)).toBe(first.id);
    });

    it('should link links to a shared platform only when they name the same article or short link', async () => {
      const article = 'https://mp.weixin.qq.com/s/AbCdEf123';
      const same = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: article }] });
      const sameAgain = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'MP.Weixin.QQ.com/s/AbCdEf123/?scene=1#rd' }] });
      const otherArticle = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'https://mp.weixin.qq.com/s/Zyx987' }] });
      const shortLink = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'http://t.cn/A6abCD' }] });
      const otherShortLink = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'http://t.cn/A6ABCD' }] });
      const bareHost = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'v.douyin.com' }] });
      const sitePage = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'https://www.touzi-fanli.example.cn/login' }] });
      const siteOtherPage = await createTip(t, await resident(), { identifiers: [{ kind: 'url', value: 'touzi-fanli.example.cn/app/download?x=1' }] });
      const first = await tipOf(same);
      expect(await groupOf(sameAgain)).toBe(first.id);
      for (const receipt of [otherArticle, shortLink, otherShortLink, bareHost]) expect(await groupOf(receipt)).toBe((await tipOf(receipt)).id);
      // Any other host is one site whatever the page: matched by host alone.
      expect(await groupOf(siteOtherPage)).toBe((await tipOf(sitePage)).id);
      const [stored] = await t.dataSource.getRepository(TipIdentifierEntity).findBy({ tipId: first.id });
      expect(stored.valueIndex).toBe(crypto().blindIndex('tip-identifier', 'url:mp.weixin.qq.com/s/AbCdEf123'));
      expect(stored.valueMasked).toBe('***.com');
    });

    it('should give the tip that was created first the smaller id and the group, however long its WeChat call took', async () => {
      const phoneOf = t.app.get(WechatClient);
      const real = phoneOf.getPhoneNumber.bind(phoneOf);
      const slow = jest.spyOn(phoneOf, 'getPhoneNumber').mockImplementation(async (code) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return real(code);
      });
      try {
        const identifiers = [{ kind: 'wechat' as const, value: 'slow_fraudster_1' }];
        const earlier = createTip(t, await resident(), { identifiers, reporter: { mode: 'named', phoneCode: 'phone-13711112222' } });
        await new Promise((resolve) => setTimeout(resolve, 100));
        const later = await createTip(t, await resident(), { identifiers });
        const [first, second] = [await tipOf(await earlier), await tipOf(later)];
        expect(first.createdAt.getTime()).toBeLessThan(second.createdAt.getTime());
        expect(first.id < second.id).toBe(true);
        expect([first.groupId, second.groupId]).toEqual([first.id, first.id]);
        // Police see one order: the list (newest first) and the group's first tip agree.
        const station = town.units['举报乡派出所'];
        const police = await buildMember(t, station, Role.POLICE, { name: '民警' });
        const list = await t.request({ method: 'GET', url: `/api/tips?groupId=${first.id}`, token: police.token });
        expect((list.body as TipListResponse).items.map((item) => [item.id, item.firstInGroup, item.groupSize])).toEqual([
          [second.id, false, 2],
          [first.id, true, 2],
        ]);
      } finally {
        slow.mockRestore();
      }
    });

    it('should put simultaneous tips naming one new number into one group', async () => {
      for (const round of [1, 2, 3]) {
        const tokens = await Promise.all(Array.from({ length: 10 }, () => resident()));
        const receipts = await Promise.all(tokens.map((token) => createTip(t, token, { identifiers: [{ kind: 'wechat', value: `fraudster_${round}` }] })));
        const tips = await Promise.all(receipts.map(tipOf));
        const earliest = tips.map((tip) => tip.id).sort()[0];
        expect(new Set(tips.map((tip) => tip.groupId))).toEqual(new Set([earliest]));
      }
    });
  });

  describe('refused tips', () => {
    const ULID_NOBODY = '01JD0000000000000000000000';

    it.each([
      ['an unknown field', 400, ErrorCode.VALIDATION_FAILED, { isAdmin: true }, 'isAdmin'],
      ['a missing description', 400, ErrorCode.VALIDATION_FAILED, { description: undefined }, 'description'],
      ['a description over 2000 characters', 400, ErrorCode.VALIDATION_FAILED, { description: '骗'.repeat(2001) }, 'description'],
      ['a loss that is not a whole number of yuan', 400, ErrorCode.VALIDATION_FAILED, { lossYuan: 12.5 }, 'lossYuan'],
      ['a loss over the limit', 400, ErrorCode.VALIDATION_FAILED, { lossYuan: 2_000_000_000 }, 'lossYuan'],
      ['a date in the future', 400, ErrorCode.VALIDATION_FAILED, { occurredAt: new Date(Date.now() + DAY).toISOString() }, 'occurredAt'],
      ['an unknown fraud type', 400, ErrorCode.VALIDATION_FAILED, { fraudType: 'lottery' }, 'fraudType'],
      ['no identifiers', 400, ErrorCode.VALIDATION_FAILED, { identifiers: [] }, 'identifiers'],
      ['a card number failing its check digit', 400, ErrorCode.TIP_IDENTIFIER_INVALID, { identifiers: [{ kind: 'bank_card', value: '6222021234567890' }] }, 'identifiers[0].value'],
      ['a phone number too short', 400, ErrorCode.TIP_IDENTIFIER_INVALID, { identifiers: [{ kind: 'phone', value: '12345' }] }, 'identifiers[0].value'],
      ['a javascript: link', 400, ErrorCode.TIP_IDENTIFIER_INVALID, { identifiers: [{ kind: 'url', value: 'javascript:alert(1)' }] }, 'identifiers[0].value'],
      ['no consent', 400, ErrorCode.TIP_CONSENT_REQUIRED, { consent: false }, null],
      ['a named tip without a phone', 400, ErrorCode.TIP_PHONE_REQUIRED, { reporter: { mode: 'named', name: '李四' } }, 'reporter.phone'],
      ['an anonymous tip carrying a phone', 400, ErrorCode.VALIDATION_FAILED, { reporter: { mode: 'anonymous', phone: '13800138000' } }, 'reporter.phone'],
      ['seven images', 400, ErrorCode.TIP_TOO_MANY_ATTACHMENTS, { attachmentIds: Array.from({ length: 7 }, () => newId()) }, null],
      ['an image that was never uploaded', 404, ErrorCode.TIP_ATTACHMENT_NOT_FOUND, { attachmentIds: [ULID_NOBODY] }, null],
    ] as const)('should refuse %s with %s %s and write nothing', async (_what, status, code, change, field) => {
      const response = await refused(() => submitTip(t, pooledToken(), change as Record<string, unknown>));
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      if (field) expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it.each([
      ['a JSON array', '[]'],
      ['a JSON string', '"tip"'],
      ['a truncated body', '{"fraudType":"other"'],
    ])('should refuse %s as the body and write nothing', async (_what, payload) => {
      const response = await refused(() => t.request({ method: 'POST', url: '/api/tips', token: pooledToken(), payload, headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() } }));
      expect(response.status).toBe(400);
    });

    it('should refuse a unit of another township and a unit that is not a village or community', async () => {
      const token = await resident();
      expect((await refused(() => submitTip(t, token, { unitId: other.units['外乡村'].id }))).body.code).toBe(ErrorCode.UNIT_NOT_FOUND);
      const police = await refused(() => submitTip(t, token, { unitId: town.units['举报乡派出所'].id }));
      expect(police.body).toMatchObject({ code: ErrorCode.UNIT_NOT_FOUND, message: '请选择本乡镇的村或社区' });
      expect((await createTip(t, token, { unitId: town.units['举报社区'].id })).status).toBe('received');
    });

    it('should refuse someone else’s upload and one another tip already claimed, leaving the uploads as they were', async () => {
      const [owner, stranger] = [await resident(), await resident()];
      const image = await uploadedTipImage(t, owner);
      expect((await refused(() => submitTip(t, stranger, { attachmentIds: [image] }))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
      const mine = await uploadedTipImage(t, owner);
      // One good upload and one foreign one: the tip is refused whole, and the good upload stays unclaimed.
      const strangers = await uploadedTipImage(t, stranger);
      expect((await refused(() => submitTip(t, stranger, { attachmentIds: [strangers, image] }))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
      expect(await t.dataSource.getRepository(TipAttachmentEntity).findOneBy({ id: strangers })).toMatchObject({ tipId: null, position: 0 });
      await createTip(t, owner, { attachmentIds: [image, mine] });
      expect((await refused(() => submitTip(t, owner, { attachmentIds: [image] }))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
      expect(await t.dataSource.getRepository(TipAttachmentEntity).countBy({ id: image })).toBe(1);
    });

    it('should let only one of two simultaneous tips claim the same upload', async () => {
      const token = await resident();
      const image = await uploadedTipImage(t, token);
      const tipsBefore = await t.dataSource.getRepository(TipEntity).count();
      const responses = await Promise.all([submitTip(t, token, { attachmentIds: [image] }), submitTip(t, token, { attachmentIds: [image] })]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 404]);
      expect(await t.dataSource.getRepository(TipEntity).count()).toBe(tipsBefore + 1);
    });

    it('should refuse a caller without a token', async () => {
      expect((await refused(() => t.request({ method: 'POST', url: '/api/tips', body: tipRequest() }))).status).toBe(401);
    });
  });

  describe('images', () => {
    const stored = async (id: string) => {
      const row = (await t.dataSource.getRepository(TipAttachmentEntity).findOneBy({ id }))!;
      return { row, bytes: readFileSync(join(filesDir, row.storageKey)), mode: statSync(join(filesDir, row.storageKey)).mode & 0o777 };
    };

    it.each([
      ['a JPEG', jpegWithMetadata({ width: 32, height: 24 }), 'image/jpeg', 32, 24],
      ['a PNG', pngFixture({ width: 12, height: 9 }), 'image/png', 12, 9],
      ['a WebP', webpFixture(), 'image/webp', 1, 1],
    ] as const)('should keep %s without its metadata, privately, under a random name', async (_what, bytes, type, width, height) => {
      const { user, token } = await buildSignedInUser(t, town.township.id);
      const response = await uploadTipImage(t, token, bytes, { filename: '../../IMG_2024_GPS.jpg', contentType: 'application/octet-stream' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ id: expect.stringMatching(ULID), contentType: type, sizeBytes: expect.any(Number), width, height });
      const { row, bytes: kept, mode } = await stored(response.body.id);
      expect(containsLeak(bytes)).toBe(true);
      expect(containsLeak(kept)).toBe(false);
      expect(kept.length).toBe(response.body.sizeBytes);
      expect(row.storageKey).toMatch(/^[0-9a-f]{32}$/);
      expect(mode).toBe(0o600);
      expect(row).toMatchObject({ tipId: null, uploaderHash: crypto().blindIndex('tip-uploader', user.id), townshipId: town.township.id });
    });

    it.each([
      ['an HTML page named .jpg', Buffer.from('<html><script>alert(1)</script></html>')],
      ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
      ['a JPEG cut in half', jpegFixture().subarray(0, 300)],
      ['an empty file', Buffer.alloc(0)],
    ])('should refuse %s with TIP_ATTACHMENT_INVALID, leaving no file and no row', async (_what, bytes) => {
      const response = await refused(() => uploadTipImage(t, pooledToken(), bytes));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(ErrorCode.TIP_ATTACHMENT_INVALID);
    });

    it('should take an image of exactly 5 MB and refuse one byte more with 413 TIP_ATTACHMENT_TOO_LARGE, leaving nothing', async () => {
      const token = await resident();
      const exact = padJpegTo(jpegFixture({ metadata: false }), FIVE_MB);
      const accepted = await uploadTipImage(t, token, exact);
      expect(accepted.status).toBe(201);
      expect(accepted.body.sizeBytes).toBeLessThan(1000);
      const response = await refused(() => uploadTipImage(t, token, padJpegTo(jpegFixture({ metadata: false }), FIVE_MB + 1)));
      expect(response.status).toBe(413);
      expect(response.body.code).toBe(ErrorCode.TIP_ATTACHMENT_TOO_LARGE);
      expect(readdirSync(filesDir).filter((name) => name.startsWith('.'))).toEqual([]);
    });

    it('should refuse two images in one upload, a text field, an image in another field, and a JSON body', async () => {
      const token = await resident();
      const image = { name: 'file', filename: 'a.jpg', contentType: 'image/jpeg', content: jpegFixture() };
      const send = (parts: Parameters<typeof multipartForm>[0]) => t.request({ method: 'POST', url: '/api/tips/attachments', token, ...multipartForm(parts) });
      expect((await refused(() => send([image, image]))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_INVALID);
      expect((await refused(() => send([{ name: 'note', value: 'x' }, image]))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_INVALID);
      expect((await refused(() => send([{ ...image, name: 'photo' }]))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_INVALID);
      expect((await refused(() => t.request({ method: 'POST', url: '/api/tips/attachments', ...multipartForm([image]) }))).status).toBe(401);
      const json = await refused(() => t.request({ method: 'POST', url: '/api/tips/attachments', token, body: { file: jpegFixture().toString('base64') } }));
      expect([json.status, json.body.code]).toEqual([415, ErrorCode.UNSUPPORTED_MEDIA_TYPE]);
    });

    it('should serve an image only through a valid signed link, not cached and not sniffed', async () => {
      const token = await resident();
      const id = await uploadedTipImage(t, token, pngFixture());
      await createTip(t, token, { attachmentIds: [id] });
      const links = t.app.get(TipImageLinks);
      const link = links.mint(id);
      const response = await fetch(t.baseUrl + link.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await response.arrayBuffer()).equals((await stored(id)).bytes)).toBe(true);

      const [path, query] = link.url.split('?');
      const params = new URLSearchParams(query);
      const get = (url: string) => t.request({ method: 'GET', url });
      const expired = links.path(id, Date.now() - 1000);
      const otherImage = await uploadedTipImage(t, token);
      for (const [url, status] of [
        [path, 403],
        [expired, 403],
        [`${path}?exp=${params.get('exp')}&sig=${params.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, 403],
        [`/api/tips/attachments/${otherImage}/content?${query}`, 403],
        [links.path(newId(), Date.now() + 60_000), 404],
        [`/api/tips/attachments/..%2F..%2Fetc%2Fpasswd/content?${query}`, 404],
      ] as const) {
        const answer = await get(url);
        expect([url, answer.status, answer.body.code]).toEqual([url, status, ErrorCode.TIP_ATTACHMENT_LINK_INVALID]);
      }
    });
  });

  describe('idempotent submission', () => {
    it('should answer a retry with the same receipt and store one tip', async () => {
      const token = await resident();
      const body = tipRequest();
      const send = () => t.request({ method: 'POST', url: '/api/tips', token, body, headers: { 'x-forwarded-for': randomIp() } });
      const first = await send();
      const again = await send();
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(again.body).toEqual(first.body);
      expect(await t.dataSource.getRepository(TipEntity).countBy({ receiptHash: receiptHash(crypto(), normalizeReceiptCode(first.body.receiptCode)!) })).toBe(1);
    });

    it('should make ten simultaneous retries one tip with one set of identifiers, images and events', async () => {
      const token = await resident();
      const images = [await uploadedTipImage(t, token), await uploadedTipImage(t, token, webpFixture())];
      const body = tipRequest({ identifiers: [{ kind: 'phone', value: '13633334444' }, { kind: 'qq', value: '88886666' }], attachmentIds: images });
      const before = await rowCounts();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => t.request({ method: 'POST', url: '/api/tips', token, body, headers: { 'x-forwarded-for': randomIp() } })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(responses.map((r) => r.body.receiptCode)).size).toBe(1);
      const after = await rowCounts();
      // One tip, two identifiers, no new attachment rows (the two were claimed), one event.
      expect(after.map((n, i) => n - before[i])).toEqual([1, 2, 0, 1]);
      const tip = await tipOf(responses[0].body.receiptCode);
      expect(await t.dataSource.getRepository(TipAttachmentEntity).countBy({ tipId: tip.id })).toBe(2);
    });

    it('should answer a late retry with the tip’s status as it is now', async () => {
      const token = await resident();
      const body = tipRequest();
      const first = await submitRawTip(t, token, body);
      const tip = await tipOf(first.body);
      await t.dataSource.getRepository(TipEntity).update({ id: tip.id }, { status: 'verifying' });
      const again = await submitRawTip(t, token, body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, status: 'verifying' });
    });

    it('should refuse the same key with another body with 409 TIP_IDEMPOTENCY_CONFLICT', async () => {
      const token = await resident();
      const body = tipRequest();
      await submitRawTip(t, token, body);
      const response = await refused(() => submitRawTip(t, token, { ...body, lossYuan: 9999 }));
      expect(response.status).toBe(409);
      expect(response.body.code).toBe(ErrorCode.TIP_IDEMPOTENCY_CONFLICT);
    });

    it('should make another user’s equal key a separate tip with its own receipt', async () => {
      const body = tipRequest();
      const mine = await submitRawTip(t, await resident(), body);
      const theirs = await submitRawTip(t, await resident(), body);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.body.receiptCode).not.toBe(mine.body.receiptCode);
    });
  });

  describe('identifier locks (MariaDB)', () => {
    const onMariadb = DB_TIER === 'mariadb' ? it : it.skip;

    onMariadb('should answer 503 TIP_BUSY with Retry-After when another submission holds an identifier too long, and give back every lock', async () => {
      const identifiers = [
        { kind: 'qq' as const, value: '77770001' },
        { kind: 'qq' as const, value: '77770002' },
      ];
      const [first, second] = identifiers
        .map((identifier) => identifierLockName(identifierIndex(crypto(), { ...identifier, typed: identifier.value, normalised: identifier.value })))
        .sort();
      // Another connection holds the second lock in sorted order: the submission gets the first, then waits.
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      try {
        expect((await holder.query('SELECT GET_LOCK(?, 0) AS got', [second]))[0].got).toBe(1);
        const rows = await rowCounts();
        const started = Date.now();
        const response = await submitTip(t, pooledToken(), { identifiers });
        expect(Date.now() - started).toBeGreaterThanOrEqual(LOCK_WAIT_SECONDS * 1000 - 100);
        expect(await rowCounts()).toEqual(rows);
        expect(response.status).toBe(503);
        expect(response.body.code).toBe(ErrorCode.TIP_BUSY);
        expect(response.body.message).toBe('提交的人较多，请稍后重试');
        expect(response.headers['retry-after']).toBe(String(LOCK_WAIT_SECONDS));
        expect((await holder.query('SELECT IS_FREE_LOCK(?) AS free', [first]))[0].free).toBe(1);
      } finally {
        await holder.query('SELECT RELEASE_ALL_LOCKS()');
        await holder.release();
      }
      expect((await submitTip(t, pooledToken(), { identifiers })).status).toBe(201);
    });
  });

  describe('rate limits', () => {
    const expectRateLimited = (response: TestResponse) => {
      expect(response.status).toBe(429);
      expect(response.body.code).toBe(ErrorCode.RATE_LIMITED);
      expect(response.body.message).toMatch(/^操作过于频繁，请 \d+ 秒后再试$/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    };

    it('should refuse an eleventh tip of an hour from one user, from whatever address', async () => {
      const token = await resident();
      for (let i = 0; i < 10; i++) expect((await submitRawTip(t, token, {})).status).toBe(400);
      expectRateLimited(await submitRawTip(t, token, tipRequest()));
    });

    it('should refuse a sixty-first tip of an hour from one address, whichever users send them', async () => {
      const ip = randomIp();
      const tokens = await Promise.all(Array.from({ length: 7 }, () => resident()));
      for (let i = 0; i < 60; i++) expect((await submitRawTip(t, tokens[i % 7], {}, { ip })).status).toBe(400);
      expectRateLimited(await submitRawTip(t, await resident(), tipRequest(), { ip }));
      expect((await submitRawTip(t, await resident(), tipRequest())).status).toBe(201);
    });

    it('should refuse a thirty-first follow-up of a minute from one address', async () => {
      const ip = randomIp();
      for (let i = 0; i < 30; i++) expect((await followUp(t, 'AAAAA-AAAAA-AAAAA-AAAAA', { ip })).status).toBe(404);
      expectRateLimited(await followUp(t, 'AAAAA-AAAAA-AAAAA-AAAAA', { ip }));
    });
  });

  describe('follow-up by receipt code', () => {
    let receipt: CreateTipResponse;
    beforeAll(async () => {
      receipt = await createTip(t, await resident(), { identifiers: [{ kind: 'bank_card', value: cardNumber('622848') }] });
    });

    it('should find the tip whatever the case and grouping the code is typed in', async () => {
      const typed = receipt.receiptCode.replace(/-/g, ' ').toLowerCase();
      expect((await followUp(t, typed)).status).toBe(200);
    });

    it.each([
      ['a well-formed code of no tip', 'ABCDE-FGHJK-MNPQR-STUVW'],
      ['a code one character short', 'ABCDE-FGHJK-MNPQR-STUV'],
      ['characters receipts never use', 'OOOOO-IIIII-11111-00000'],
      ['a number', 12345],
      ['nothing', undefined],
    ])('should answer %s with the same 404 TIP_RECEIPT_NOT_FOUND', async (_what, code) => {
      const response = await followUp(t, code);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ code: ErrorCode.TIP_RECEIPT_NOT_FOUND, message: '回执码不正确，请核对后重试', requestId: expect.any(String) });
      expect((await addTipInfo(t, code, '补充一条线索')).body.code).toBe(ErrorCode.TIP_RECEIPT_NOT_FOUND);
    });

    it('should refuse an unknown field next to the code', async () => {
      const response = await t.request({ method: 'POST', url: '/api/tips/follow-up', body: { receiptCode: receipt.receiptCode, tipId: 'x' }, headers: { 'x-forwarded-for': randomIp() } });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    });

    it('should add information, stored encrypted and shown back in the history', async () => {
      const text = '对方又换了号码联系我：\n13699998888';
      secrets.push('13699998888');
      const response = await addTipInfo(t, receipt.receiptCode, text);
      expect(response.status).toBe(200);
      const view = response.body as TipFollowUpResponse;
      expect(view.events.map((e) => [e.kind, e.body])).toEqual([
        ['status', null],
        ['addition', text],
      ]);
      expect(view.updatedAt).toBe(view.events[1].createdAt);
      const tip = await tipOf(receipt);
      const stored = (await t.dataSource.getRepository(TipEventEntity).findBy({ tipId: tip.id, kind: 'addition' }))[0];
      expect(stored.bodyCipher).not.toContain('13699998888');
      expect(stored.authorId).toBeNull();
    });

    it('should refuse a blank or over-long addition without writing it', async () => {
      for (const text of ['   ', '补'.repeat(1001), 42]) {
        const response = await refused(() => addTipInfo(t, receipt.receiptCode, text));
        expect([response.status, response.body.code]).toEqual([400, ErrorCode.VALIDATION_FAILED]);
      }
    });

    it(`should take at most ${TIP_TEXT_LIMITS.additionsPerTipMax} additions per tip, refusing the next with 409 TIP_ADDITIONS_LIMIT and writing nothing`, async () => {
      const full = await createTip(t, await resident());
      const tip = await tipOf(full);
      const earlier = Array.from({ length: TIP_TEXT_LIMITS.additionsPerTipMax - 1 }, (_, i) => ({
        id: newId(),
        townshipId: tip.townshipId,
        tipId: tip.id,
        kind: 'addition' as const,
        status: null,
        bodyCipher: crypto().encrypt(`补充 ${i}`),
        authorId: null,
        createdAt: new Date(),
      }));
      await t.dataSource.getRepository(TipEventEntity).insert(earlier);
      expect((await addTipInfo(t, full.receiptCode, '最后一条补充')).status).toBe(200);
      const response = await addTipInfo(t, full.receiptCode, '再补充一条');
      expect([response.status, response.body.code]).toEqual([409, ErrorCode.TIP_ADDITIONS_LIMIT]);
      expect(response.body.message).toContain('96110');
      expect(await t.dataSource.getRepository(TipEventEntity).countBy({ tipId: tip.id, kind: 'addition' })).toBe(TIP_TEXT_LIMITS.additionsPerTipMax);
    });

    it('should show police replies and status changes but not assignments or labels, never with their author', async () => {
      const tip = await tipOf(receipt);
      const officer = newId();
      const event = (kind: string, extra: Partial<TipEventEntity>) => ({
        id: newId(),
        townshipId: tip.townshipId,
        tipId: tip.id,
        kind,
        status: null,
        bodyCipher: null,
        authorId: officer,
        createdAt: new Date(Date.now() + 1000),
        ...extra,
      });
      await t.dataSource.getRepository(TipEventEntity).insert([
        event('assign', {}) as TipEventEntity,
        event('labels', { bodyCipher: crypto().encrypt('["内部"]') }) as TipEventEntity,
        event('status', { status: 'verifying' }) as TipEventEntity,
        event('reply', { bodyCipher: crypto().encrypt('已收到，正在核查。') }) as TipEventEntity,
      ]);
      const view = await followUpOk(t, receipt.receiptCode);
      expect(view.events.map((e) => [e.kind, e.status, e.body, e.author])).toEqual([
        ['status', 'received', null, null],
        ['addition', null, expect.any(String), null],
        ['status', 'verifying', null, null],
        ['reply', null, '已收到，正在核查。', null],
      ]);
      expect(JSON.stringify(view)).not.toContain(officer);
    });

    it('should show a reward, and ask an anonymous reporter (not a named one) for contact at claim', async () => {
      const named = await createTip(t, await resident(), { reporter: { mode: 'named', phone: '13500135000' } });
      secrets.push('13500135000');
      for (const [r, needsContact] of [
        [receipt, true],
        [named, false],
      ] as const) {
        const tip = await tipOf(r);
        await t.dataSource.getRepository(TipRewardEntity).insert(rewardRow(tip, 'decided'));
        expect((await followUpOk(t, r.receiptCode)).reward).toEqual({ status: 'decided', tier: 'second', amountYuan: 1000, claimed: false, claimNeedsContact: needsContact });
      }
    });
  });

  describe('retention', () => {
    const NOW = new Date('2031-06-01T00:00:00Z');
    const run = (now = NOW) => t.app.get(TipRetention).run(now);
    async function closedNamedTip(daysAgo: number, reward?: 'decided' | 'approved' | 'rejected' | 'paid'): Promise<TipEntity> {
      const receipt = await createTip(t, await resident(), { reporter: { mode: 'named', name: '王五', phone: '13900139000' } });
      const tip = await tipOf(receipt);
      await t.dataSource.getRepository(TipEntity).update({ id: tip.id }, { status: 'valid', closedAt: new Date(NOW.getTime() - daysAgo * DAY) });
      if (reward) {
        await t.dataSource.getRepository(TipRewardEntity).insert({
          ...rewardRow(tip, reward),
          claimedAt: new Date(),
          claimNameCipher: crypto().encrypt('王五'),
          claimPhoneCipher: crypto().encrypt('13900139000'),
          claimPhoneIndex: 'x'.repeat(64),
          claimPhoneMasked: '139****9000',
        });
      }
      return tip;
    }
    const reload = (tip: TipEntity) => t.dataSource.getRepository(TipEntity).findOneByOrFail({ id: tip.id });

    it('should erase a closed tip’s reporter identity after the retention days, not before, and not while a reward is pending', async () => {
      secrets.push('13900139000');
      const expired = await closedNamedTip(RETENTION_DAYS + 1);
      const recent = await closedNamedTip(RETENTION_DAYS - 1);
      const pending = await closedNamedTip(RETENTION_DAYS + 1, 'approved');
      const paid = await closedNamedTip(RETENTION_DAYS + 1, 'paid');
      const open = await tipOf(await createTip(t, await resident(), { reporter: { mode: 'named', phone: '13900139000' } }));

      const result = await run();
      expect(result.identitiesErased).toBeGreaterThanOrEqual(2);
      for (const tip of [expired, paid]) {
        expect(await reload(tip)).toMatchObject({ reporterNameCipher: null, reporterPhoneCipher: null, reporterPhoneIndex: null, reporterPhoneMasked: null, identityPurgedAt: NOW, reporterMode: 'named' });
      }
      expect(await t.dataSource.getRepository(TipRewardEntity).findOneByOrFail({ tipId: paid.id })).toMatchObject({ claimNameCipher: null, claimPhoneCipher: null, claimPhoneIndex: null, claimPhoneMasked: null });
      for (const tip of [recent, pending, open]) expect(await reload(tip)).toMatchObject({ reporterPhoneMasked: '139****9000', identityPurgedAt: null });
      expect(await t.dataSource.getRepository(TipRewardEntity).findOneByOrFail({ tipId: pending.id })).toMatchObject({ claimPhoneMasked: '139****9000' });

      // A second run finds nothing more to do; the recent tip's turn comes when its days have passed.
      expect((await run()).identitiesErased).toBe(0);
      await run(new Date(NOW.getTime() + 2 * DAY));
      expect(await reload(recent)).toMatchObject({ reporterPhoneCipher: null });
    });

    it('should erase a claim made after the tip’s identity was erased, counted from the reward’s payout or rejection', async () => {
      const claims = t.dataSource.getRepository(TipRewardEntity);
      const erasedThenClaimed = async (settled: 'paid' | 'rejected', daysAgo: number) => {
        const token = await resident();
        const receipt = await createTip(t, token, { reporter: { mode: 'named', phone: '13900139000' } });
        const tip = await tipOf(receipt);
        await t.dataSource.getRepository(TipEntity).update({ id: tip.id }, { status: 'valid', closedAt: new Date(NOW.getTime() - 400 * DAY) });
        await run(new Date(NOW.getTime() - 300 * DAY));
        expect(await reload(tip)).toMatchObject({ reporterPhoneCipher: null, identityPurgedAt: expect.any(Date) });
        // Police decide a reward later; the reporter, whose contact is gone, claims with a new one.
        await claims.insert(rewardRow(tip, 'decided'));
        const claimed = await t.request({ method: 'POST', url: '/api/tips/follow-up/claim', body: { receiptCode: receipt.receiptCode, name: '王五', phone: '13900139000' }, headers: { 'x-forwarded-for': randomIp() } });
        expect(claimed.body).toMatchObject({ claimed: true });
        const at = new Date(NOW.getTime() - daysAgo * DAY);
        await claims.update({ tipId: tip.id }, settled === 'paid' ? { status: 'paid', reviewedAt: at, paidAt: at } : { status: 'rejected', reviewedAt: at });
        return tip;
      };
      const paidLongAgo = await erasedThenClaimed('paid', RETENTION_DAYS + 1);
      const rejectedLongAgo = await erasedThenClaimed('rejected', RETENTION_DAYS + 1);
      const paidRecently = await erasedThenClaimed('paid', RETENTION_DAYS - 1);

      expect((await run()).claimContactsErased).toBeGreaterThanOrEqual(2);
      const contact = async (tip: TipEntity) => {
        const reward = await claims.findOneByOrFail({ tipId: tip.id });
        return [reward.claimNameCipher, reward.claimPhoneCipher, reward.claimPhoneIndex, reward.claimPhoneMasked];
      };
      for (const tip of [paidLongAgo, rejectedLongAgo]) expect(await contact(tip)).toEqual([null, null, null, null]);
      expect((await contact(paidRecently))[3]).toBe('139****9000');
      await run(new Date(NOW.getTime() + 2 * DAY));
      expect(await contact(paidRecently)).toEqual([null, null, null, null]);
    });

    it('should keep a named reporter’s identity until the retention days have passed since the reward was paid', async () => {
      const tip = await closedNamedTip(RETENTION_DAYS + 10, 'paid');
      await t.dataSource.getRepository(TipRewardEntity).update({ tipId: tip.id }, { paidAt: new Date(NOW.getTime() - 5 * DAY) });
      await run();
      expect(await reload(tip)).toMatchObject({ reporterPhoneMasked: '139****9000', identityPurgedAt: null });
      await run(new Date(NOW.getTime() + RETENTION_DAYS * DAY));
      expect(await reload(tip)).toMatchObject({ reporterPhoneMasked: null, identityPurgedAt: expect.any(Date) });
    });

    it('should clear the request hash with the identity, and answer a late retry with the tip as it is', async () => {
      const token = await resident();
      const body = tipRequest({ reporter: { mode: 'named', name: '王五', phone: '13900139000' } });
      const first = await submitRawTip(t, token, body);
      const tip = await tipOf(first.body);
      await t.dataSource.getRepository(TipEntity).update({ id: tip.id }, { status: 'invalid', closedAt: new Date(NOW.getTime() - (RETENTION_DAYS + 1) * DAY) });
      expect((await reload(tip)).requestHash).toMatch(/^[0-9a-f]{64}$/);
      await run();
      expect(await reload(tip)).toMatchObject({ requestHash: null, reporterPhoneCipher: null });
      // Nothing is left to compare a retry with: it gets the receipt and the tip's status, and stores nothing new.
      const retry = await submitRawTip(t, token, { ...body, reporter: { mode: 'named', phone: '13900139001' } });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ...first.body, status: 'invalid' });
      expect(await reload(tip)).toMatchObject({ reporterPhoneCipher: null, reporterPhoneIndex: null, requestHash: null });
    });

    it('should delete uploads no tip claimed within a day, file and row, and nothing else', async () => {
      const token = await resident();
      const [stale, fresh, claimed] = [await uploadedTipImage(t, token), await uploadedTipImage(t, token), await uploadedTipImage(t, token)];
      await createTip(t, token, { attachmentIds: [claimed] });
      const repo = t.dataSource.getRepository(TipAttachmentEntity);
      const keyOf = async (id: string) => (await repo.findOneByOrFail({ id })).storageKey;
      const keys = { stale: await keyOf(stale), fresh: await keyOf(fresh), claimed: await keyOf(claimed) };
      const now = new Date();
      await repo.update({ id: stale }, { createdAt: new Date(now.getTime() - DAY - 60_000) });
      await repo.update({ id: claimed }, { createdAt: new Date(now.getTime() - 30 * DAY) });

      // An upload past its day can no longer be claimed either.
      expect((await refused(() => submitTip(t, token, { attachmentIds: [stale] }))).body.code).toBe(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
      expect((await run(now)).uploadsDeleted).toBeGreaterThanOrEqual(1);
      expect(await repo.countBy({ id: stale })).toBe(0);
      expect(files()).not.toContain(keys.stale);
      expect(files()).toEqual(expect.arrayContaining([keys.fresh, keys.claimed]));
      expect(await repo.countBy({ id: fresh })).toBe(1);
      // Had a tip claimed an upload between the job's listing and its delete, the delete would miss it.
      expect(await t.app.get(TipAttachmentsRepository).deleteUnclaimed(claimed)).toBe(false);
      expect(await repo.countBy({ id: claimed })).toBe(1);
    });
  });

  describe('privacy', () => {
    it('should leave no reporter phone, card number or addition in plaintext in any table, file or log line', async () => {
      expect(secrets.length).toBeGreaterThan(5);
      const dump: string[] = [];
      for (const { tableName } of t.dataSource.entityMetadatas) {
        dump.push(JSON.stringify(await t.dataSource.query(`SELECT * FROM ${t.dataSource.driver.escape(tableName)}`)));
      }
      const everything = [dump.join('\n'), ...files().map((name) => readFileSync(join(filesDir, name)).toString('latin1')), logs.join('\n')].join('\n');
      expect(logs.length).toBeGreaterThan(100);
      for (const secret of secrets) expect([secret, everything.includes(secret)]).toEqual([secret, false]);
      expect(everything).not.toContain('对方又换了号码');
    });
  });

});

function rewardRow(tip: TipEntity, status: 'decided' | 'approved' | 'rejected' | 'paid'): TipRewardEntity {
  const now = new Date();
  return {
    id: newId(),
    townshipId: tip.townshipId,
    tipId: tip.id,
    status,
    tier: 'second',
    amountYuan: 1000,
    reason: '线索属实',
    decidedBy: newId(),
    decidedAt: now,
    claimedAt: null,
    claimNameCipher: null,
    claimPhoneCipher: null,
    claimPhoneIndex: null,
    claimPhoneMasked: null,
    // As the app writes them: a reviewed reward names its reviewer and time, a paid one its payout time.
    reviewedBy: status === 'decided' ? null : newId(),
    reviewedAt: status === 'decided' ? null : now,
    reviewNote: null,
    paidAt: status === 'paid' ? now : null,
    updatedAt: now,
  };
}
