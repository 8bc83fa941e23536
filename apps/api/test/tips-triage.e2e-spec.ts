import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  MembershipStatus,
  normalizeReceiptCode,
  RewardStatus,
  Role,
  TipStatus,
  UnitKind,
  type PersonRef,
  type TipDetailResponse,
  type TipListResponse,
  type TipSummaryResponse,
} from '@qmfz/contracts';
import { SignedLinks } from '../src/common/signed-links.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { AuditLogEntity, TipEntity, TipEventEntity, TipRewardEntity, type UnitEntity } from '../src/database/entities/index.js';
import { receiptHash } from '../src/tips/receipt-code.js';
import { buildMember, buildMembership, buildTownship, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { buildRewardRow, buildTipRow, reporterVisibleEvents, tipRow, type BuiltTip } from './support/tip-rows.js';
import { createTip, followUpOk, randomIp, uploadedTipImage } from './support/tips.js';
import { DB_TIER } from './test-db.js';

const REPORTER_PHONE = '13712349876';
const REPORTER_NAME = '举报人王五';
const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe(`police triage of tips (${DB_TIER})`, () => {
  let t: TestApp;
  let filesDir: string;
  let town: BuiltTownship;
  let other: BuiltTownship;
  let station: UnitEntity;
  let yicun: UnitEntity;
  const tokens: Record<string, string> = {};
  const users: Record<string, string> = {};
  /** Every response body of this file, to prove no full reporter phone ever leaves triage. */
  const seen: string[] = [];

  const call = async (method: RequestOptions['method'], url: string, token?: string, body?: unknown): Promise<TestResponse> => {
    const response = await t.request({ method, url, token, body });
    seen.push(response.text);
    return response;
  };
  const police = (method: RequestOptions['method'], url: string, body?: unknown) => call(method, url, tokens.police, body);
  const tip = (options: Parameters<typeof buildTipRow>[2] = {}) => buildTipRow(t, town.township.id, options);
  const codeOf = (response: TestResponse) => ({ status: response.status, code: response.body?.code });

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'qmfz-triage-files-'));
    t = await startTestApp({ env: { TIP_FILES_DIR: filesDir } });
    town = await buildTownship(t.dataSource, 'yanpan', '研判乡', [
      { name: '研判乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '研判派出所', kind: UnitKind.POLICE_STATION },
      { name: '一村', kind: UnitKind.VILLAGE },
    ]);
    other = await buildTownship(t.dataSource, 'waixiang', '外乡', [
      { name: '外乡派出所', kind: UnitKind.POLICE_STATION },
      { name: '外乡村', kind: UnitKind.VILLAGE },
    ]);
    station = town.units['研判派出所'];
    yicun = town.units['一村'];
    const people: [string, UnitEntity, Role | null, string][] = [
      ['police', station, Role.POLICE, '民警甲'],
      ['police2', station, Role.POLICE, '民警乙'],
      ['staff', yicun, Role.STAFF, '一村文书'],
      ['villageAdmin', yicun, Role.UNIT_ADMIN, '一村支书'],
      ['townshipAdmin', town.units['研判乡平安办'], Role.TOWNSHIP_ADMIN, '平安办主任'],
      ['resident', yicun, null, '居民'],
      ['otherPolice', other.units['外乡派出所'], Role.POLICE, '外乡民警'],
    ];
    for (const [key, unit, role, name] of people) {
      const member = await buildMember(t, unit, role, { name });
      tokens[key] = member.token;
      users[key] = member.user.id;
    }
    // Someone who applied to the station but was never approved is no officer.
    const pending = await buildMember(t, station, null, { name: '待审民警' });
    await buildMembership(t.dataSource, station, pending.user.id, { role: Role.POLICE, status: MembershipStatus.PENDING });
    users.pendingPolice = pending.user.id;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  describe('who may triage', () => {
    let target: BuiltTip;
    beforeAll(async () => {
      target = await tip({ status: TipStatus.VALID, attachments: 1 });
    });

    const routes = (): [RequestOptions['method'], string, unknown?][] => [
      ['GET', '/api/tips'],
      ['GET', '/api/tips/officers'],
      ['GET', `/api/tips/${target.tip.id}`],
      ['PATCH', `/api/tips/${target.tip.id}`, { labels: ['越权'] }],
      ['POST', `/api/tips/${target.tip.id}/replies`, { body: '越权回复' }],
      ['POST', `/api/tips/${target.tip.id}/attachments/${target.attachments[0].id}/link`],
      ['PUT', `/api/tips/${target.tip.id}/reward`, { tier: 'third', reason: '越权奖励' }],
    ];

    it.each(['resident', 'staff', 'villageAdmin', 'townshipAdmin'])('should refuse a %s every triage route with 403 and change nothing', async (who) => {
      for (const [method, url, body] of routes()) {
        const response = await call(method, url, tokens[who], body);
        expect({ route: `${method} ${url}`, ...codeOf(response) }).toEqual({ route: `${method} ${url}`, status: 403, code: ErrorCode.FORBIDDEN });
      }
      expect(await t.dataSource.getRepository(TipEventEntity).countBy({ tipId: target.tip.id })).toBe(0);
      expect(await t.dataSource.getRepository(TipRewardEntity).countBy({ tipId: target.tip.id })).toBe(0);
    });

    it('should refuse a caller without a token with 401', async () => {
      for (const [method, url, body] of routes()) expect((await call(method, url, undefined, body)).status).toBe(401);
    });

    it('should answer police of another township 404 for our tips, as if they did not exist, and list none of them', async () => {
      for (const [method, url, body] of routes().filter(([, url]) => url.includes(target.tip.id))) {
        const response = await call(method, url, tokens.otherPolice, body);
        expect({ route: `${method} ${url}`, ...codeOf(response) }).toEqual({ route: `${method} ${url}`, status: 404, code: ErrorCode.TIP_NOT_FOUND });
      }
      const missing = await call('GET', `/api/tips/${MISSING_ID}`, tokens.otherPolice);
      expect(codeOf(missing)).toEqual({ status: 404, code: ErrorCode.TIP_NOT_FOUND });
      const list = await call('GET', '/api/tips', tokens.otherPolice);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [], nextCursor: null });
      const officers = await call('GET', '/api/tips/officers', tokens.otherPolice);
      expect(officers.body).toEqual([{ userId: users.otherPolice, displayName: '外乡民警' }]);
      expect(await t.dataSource.getRepository(TipEventEntity).countBy({ tipId: target.tip.id })).toBe(0);
    });

    it('should answer 404 for an id that is not an id', async () => {
      expect(codeOf(await police('GET', '/api/tips/not-an-id'))).toEqual({ status: 404, code: ErrorCode.NOT_FOUND });
    });
  });

  describe('listing tips', () => {
    const at = (iso: string) => new Date(iso);
    const built: Record<string, BuiltTip> = {};
    const listOf = async (query: string): Promise<TipListResponse> => {
      const response = await police('GET', `/api/tips?${query}`);
      expect(response.status).toBe(200);
      return response.body;
    };
    const ids = (list: TipListResponse) => list.items.map((item) => item.id);
    // Every tip of this block was created in 2025, so `from`/`to` keep other tests' tips out.
    const YEAR = 'from=2025-01-01&to=2025-12-31';

    beforeAll(async () => {
      // 2025-11-01 23:59:59.999 and 2025-11-02 00:00 in Shanghai: either side of a Shanghai midnight.
      built.lastOfNov1 = await tip({ createdAt: at('2025-11-01T15:59:59.999Z'), fraudType: 'fake_loan', identifiers: [{ kind: 'phone', value: '13900000001' }] });
      built.firstOfNov2 = await tip({ createdAt: at('2025-11-01T16:00:00.000Z'), status: TipStatus.VERIFYING, assigneeId: users.police });
      built.groupHead = await tip({
        createdAt: at('2025-10-01T02:00:00Z'),
        identifiers: [
          { kind: 'bank_card', value: '6222021234567894' },
          { kind: 'phone', value: '+86 139-1111-2222' },
        ],
        reporter: { mode: 'named', name: REPORTER_NAME, phone: REPORTER_PHONE },
        assigneeId: users.police2,
        labels: ['跨省', '紧急'],
        attachments: 2,
      });
      built.groupSecond = await tip({ createdAt: at('2025-10-05T02:00:00Z'), groupId: built.groupHead.tip.id, status: TipStatus.DUPLICATE });
      built.groupThird = await tip({ createdAt: at('2025-10-09T02:00:00Z'), groupId: built.groupHead.tip.id, status: TipStatus.VALID });
      await buildRewardRow(t, built.groupThird.tip, { tier: 'second', amountYuan: 1000, claimPhone: '13600001111' });
    });

    it('should list the township’s tips newest first with masked identifiers, group, assignee, labels and reward', async () => {
      const list = await listOf(YEAR);
      expect(ids(list)).toEqual(['firstOfNov2', 'lastOfNov1', 'groupThird', 'groupSecond', 'groupHead'].map((key) => built[key].tip.id));
      expect(list.nextCursor).toBeNull();
      const head = list.items.find((item) => item.id === built.groupHead.tip.id)!;
      expect(head).toEqual({
        id: built.groupHead.tip.id,
        fraudType: 'order_brushing',
        status: 'received',
        createdAt: '2025-10-01T02:00:00.000Z',
        identifiers: [
          { kind: 'bank_card', masked: '6222 **** **** 7894' },
          { kind: 'phone', masked: '139****2222' },
        ],
        reporterMode: 'named',
        assignee: { userId: users.police2, displayName: '民警乙' },
        labels: ['跨省', '紧急'],
        groupId: built.groupHead.tip.id,
        groupSize: 3,
        firstInGroup: true,
        attachmentCount: 2,
        reward: null,
      } satisfies TipSummaryResponse);
      const third = list.items.find((item) => item.id === built.groupThird.tip.id)!;
      expect(third).toMatchObject({ groupId: built.groupHead.tip.id, groupSize: 3, firstInGroup: false, reward: { status: 'decided', tier: 'second', amountYuan: 1000, claimed: true } });
      expect(list.items.find((item) => item.id === built.lastOfNov1.tip.id)).toMatchObject({ groupSize: 1, firstInGroup: true, assignee: null, labels: [] });
    });

    it('should never put a full identifier or anything of the reporter but the mode in a list', async () => {
      const response = await police('GET', `/api/tips?${YEAR}`);
      for (const secret of ['6222021234567894', '13911112222', REPORTER_PHONE, REPORTER_NAME, '13600001111', '刷单返利，先后转账']) expect(response.text).not.toContain(secret);
    });

    it('should count Shanghai dates inclusively: a tip at 23:59:59.999 belongs to its day, one at 00:00 to the next', async () => {
      expect(ids(await listOf('from=2025-11-01&to=2025-11-01'))).toEqual([built.lastOfNov1.tip.id]);
      expect(ids(await listOf('from=2025-11-02&to=2025-11-02'))).toEqual([built.firstOfNov2.tip.id]);
      expect(ids(await listOf('from=2025-11-01&to=2025-11-02'))).toEqual([built.firstOfNov2.tip.id, built.lastOfNov1.tip.id]);
      expect(ids(await listOf('to=2025-10-04'))).toEqual([built.groupHead.tip.id]);
    });

    it('should filter by status, fraud type, group and assignee', async () => {
      expect(ids(await listOf(`${YEAR}&status=duplicate`))).toEqual([built.groupSecond.tip.id]);
      expect(ids(await listOf(`${YEAR}&fraudType=fake_loan`))).toEqual([built.lastOfNov1.tip.id]);
      expect(ids(await listOf(`groupId=${built.groupHead.tip.id}`))).toEqual(['groupThird', 'groupSecond', 'groupHead'].map((key) => built[key].tip.id));
      expect(ids(await listOf(`${YEAR}&assignee=me`))).toEqual([built.firstOfNov2.tip.id]);
      expect(ids(await listOf(`${YEAR}&assignee=${users.police2}`))).toEqual([built.groupHead.tip.id]);
      expect(ids(await listOf(`${YEAR}&assignee=none`))).toEqual(['lastOfNov1', 'groupThird', 'groupSecond'].map((key) => built[key].tip.id));
      expect(ids(await listOf(`${YEAR}&status=verifying&assignee=me`))).toEqual([built.firstOfNov2.tip.id]);
      expect(ids(await listOf(`${YEAR}&status=spam`))).toEqual([]);
    });

    it('should page with a cursor, each tip exactly once, even when two tips share a creation time', async () => {
      const twinAt = at('2025-10-20T04:00:00Z');
      const twins = [await tip({ createdAt: twinAt }), await tip({ createdAt: twinAt })];
      const all = ids(await listOf(YEAR));
      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: TipListResponse = await listOf(`${YEAR}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...ids(page));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(paged).toEqual(all);
      expect(all).toHaveLength(7);
      expect(pages).toBe(4);
      expect(all).toEqual(expect.arrayContaining(twins.map((twin) => twin.tip.id)));
    });

    it.each([
      ['a page size over the maximum', 'limit=101'],
      ['a page size of 0', 'limit=0'],
      ['a page size that is not a number', 'limit=ten'],
      ['a cursor the server never made', 'cursor=bm90LWEtY3Vyc29y'],
      ['a date that does not exist', 'from=2025-02-30'],
      ['a date in another format', 'from=2025/11/01'],
      ['an end before the start', 'from=2025-11-02&to=2025-11-01'],
      ['an unknown status', 'status=closed'],
      ['an unknown fraud type', 'fraudType=lottery'],
      ['an assignee that is neither me, none nor an id', 'assignee=everyone'],
      ['an unknown parameter', 'township=other'],
    ])('should refuse %s with 400', async (_what, query) => {
      expect(codeOf(await police('GET', `/api/tips?${query}`))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
    });
  });

  describe('a tip’s detail', () => {
    let head: BuiltTip;
    let second: BuiltTip;

    beforeAll(async () => {
      head = await tip({
        createdAt: new Date(Date.now() - 3 * 3600_000),
        description: '自称银行客服，要求我把钱转到“安全账户”6222021234567894。',
        identifiers: [
          { kind: 'bank_card', value: '6222 0212 3456 7894' },
          { kind: 'url', value: 'https://www.fake-bank.example.com/login' },
        ],
        reporter: { mode: 'named', name: REPORTER_NAME, phone: REPORTER_PHONE },
        unitId: yicun.id,
        attachments: 2,
        lossYuan: 52000,
      });
      second = await tip({ groupId: head.tip.id });
      const reply = await police('POST', `/api/tips/${head.tip.id}/replies`, { body: '已受理，正在核查。' });
      expect(reply.status).toBe(201);
    });

    it('should show the police everything they need: text, full identifiers, unit, images, history and linked tips', async () => {
      const response = await police('GET', `/api/tips/${head.tip.id}`);
      expect(response.status).toBe(200);
      const detail = response.body as TipDetailResponse;
      expect(detail).toMatchObject({
        id: head.tip.id,
        description: '自称银行客服，要求我把钱转到“安全账户”6222021234567894。',
        lossYuan: 52000,
        occurredAt: head.tip.occurredAt!.toISOString(),
        reporterMode: 'named',
        reporterMasked: '137****9876',
        unit: { id: yicun.id, name: '一村' },
        groupId: head.tip.id,
        groupSize: 2,
        firstInGroup: true,
        attachmentCount: 2,
      });
      expect(detail.identifiers).toEqual([
        { id: head.identifiers[0].id, kind: 'bank_card', masked: '6222 **** **** 7894', value: '6222021234567894' },
        { id: head.identifiers[1].id, kind: 'url', masked: 'fa***.com', value: 'fake-bank.example.com' },
      ]);
      expect(detail.attachments).toEqual(head.attachments.map((a) => ({ id: a.id, contentType: 'image/jpeg', sizeBytes: a.sizeBytes, width: 16, height: 16 })));
      expect(detail.events).toEqual([
        { id: expect.any(String), kind: 'reply', status: null, body: '已受理，正在核查。', author: { userId: users.police, displayName: '民警甲' }, createdAt: expect.any(String) },
      ]);
      expect(detail.linked).toEqual([{ id: second.tip.id, status: 'received', createdAt: second.tip.createdAt.toISOString(), firstInGroup: false }]);
    });

    it('should show the reporter masked only: never the full phone or the name', async () => {
      const response = await police('GET', `/api/tips/${head.tip.id}`);
      expect(response.text).not.toContain(REPORTER_PHONE);
      expect(response.text).not.toContain(REPORTER_NAME);
    });

    it('should show a later tip of the group that the earliest keeps priority', async () => {
      const detail = (await police('GET', `/api/tips/${second.tip.id}`)).body as TipDetailResponse;
      expect(detail).toMatchObject({ groupId: head.tip.id, groupSize: 2, firstInGroup: false, reporterMode: 'anonymous', reporterMasked: null, unit: null });
      expect(detail.linked).toEqual([{ id: head.tip.id, status: 'received', createdAt: head.tip.createdAt.toISOString(), firstInGroup: true }]);
    });
  });

  describe('changing status, assignee and labels', () => {
    const patch = (id: string, body: unknown) => police('PATCH', `/api/tips/${id}`, body);
    const eventsOf = (tipId: string) => t.dataSource.getRepository(TipEventEntity).find({ where: { tipId }, order: { createdAt: 'ASC', id: 'ASC' } });

    it('should move a tip along the allowed transitions, setting closed_at when it closes and clearing it when reopened', async () => {
      const { tip: row } = await tip();
      const verifying = await patch(row.id, { status: 'verifying' });
      expect(verifying.status).toBe(200);
      expect(verifying.body).toMatchObject({ id: row.id, status: 'verifying' });
      expect((await tipRow(t, row.id))!.closedAt).toBeNull();

      const valid = await patch(row.id, { status: 'valid' });
      expect(valid.body.status).toBe('valid');
      const closed = (await tipRow(t, row.id))!;
      expect(closed.closedAt).toBeInstanceOf(Date);
      expect(Math.abs(closed.closedAt!.getTime() - Date.now())).toBeLessThan(60_000);

      expect((await patch(row.id, { status: 'verifying' })).body.status).toBe('verifying');
      expect((await tipRow(t, row.id))!.closedAt).toBeNull();

      const events = await eventsOf(row.id);
      expect(events.map((e) => [e.kind, e.status, e.authorId])).toEqual([
        ['status', 'verifying', users.police],
        ['status', 'valid', users.police],
        ['status', 'verifying', users.police],
      ]);
      // The reporter follows every status change.
      expect((await reporterVisibleEvents(t, row.id)).map((e) => e.status)).toEqual(['verifying', 'valid', 'verifying']);
    });

    it.each([
      [TipStatus.VERIFYING, TipStatus.RECEIVED],
      [TipStatus.VALID, TipStatus.INVALID],
      [TipStatus.SPAM, TipStatus.VALID],
      [TipStatus.DUPLICATE, TipStatus.RECEIVED],
    ])('should refuse %s → %s with 409 TIP_STATUS_TRANSITION_INVALID and write nothing', async (from, to) => {
      const { tip: row } = await tip({ status: from });
      const response = await patch(row.id, { status: to });
      expect(codeOf(response)).toEqual({ status: 409, code: ErrorCode.TIP_STATUS_TRANSITION_INVALID });
      expect((await tipRow(t, row.id))!.status).toBe(from);
      expect(await eventsOf(row.id)).toEqual([]);
    });

    it('should treat the status a tip already has as no change', async () => {
      const { tip: row } = await tip({ status: TipStatus.VERIFYING });
      const response = await patch(row.id, { status: 'verifying' });
      expect(response.status).toBe(200);
      expect(await eventsOf(row.id)).toEqual([]);
    });

    it.each([RewardStatus.DECIDED, RewardStatus.APPROVED, RewardStatus.PAID])('should keep the status of a tip whose reward is %s (409 TIP_LOCKED_BY_REWARD)', async (status) => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      await buildRewardRow(t, row, { status });
      const response = await patch(row.id, { status: 'verifying' });
      expect(codeOf(response)).toEqual({ status: 409, code: ErrorCode.TIP_LOCKED_BY_REWARD });
      expect((await tipRow(t, row.id))!.status).toBe('valid');
      // Assignment and labels stay open.
      expect((await patch(row.id, { labels: ['已奖励'] })).status).toBe(200);
    });

    it('should let a tip whose reward was rejected be reopened', async () => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      await buildRewardRow(t, row, { status: RewardStatus.REJECTED });
      expect((await patch(row.id, { status: 'verifying' })).body.status).toBe('verifying');
    });

    it('should assign to an active officer of the township and unassign with null, as internal history', async () => {
      const { tip: row } = await tip();
      const assigned = await patch(row.id, { assigneeUserId: users.police2 });
      expect(assigned.body.assignee).toEqual({ userId: users.police2, displayName: '民警乙' });
      expect((await tipRow(t, row.id))!.assigneeId).toBe(users.police2);
      const unassigned = await patch(row.id, { assigneeUserId: null });
      expect(unassigned.body.assignee).toBeNull();
      expect((await eventsOf(row.id)).map((e) => e.kind)).toEqual(['assign', 'assign']);
      expect(unassigned.body.events.map((e: { kind: string; body: string | null }) => [e.kind, e.body])).toEqual([
        ['assign', '民警乙'],
        ['assign', null],
      ]);
      expect(await reporterVisibleEvents(t, row.id)).toEqual([]);
    });

    it.each([
      ['staff of a village', 'staff'],
      ['a township admin', 'townshipAdmin'],
      ['a police applicant not yet approved', 'pendingPolice'],
      ['police of another township', 'otherPolice'],
    ])('should refuse assigning to %s with 400 TIP_ASSIGNEE_INVALID', async (_what, who) => {
      const { tip: row } = await tip();
      expect(codeOf(await patch(row.id, { assigneeUserId: users[who] }))).toEqual({ status: 400, code: ErrorCode.TIP_ASSIGNEE_INVALID });
      expect(codeOf(await patch(row.id, { assigneeUserId: MISSING_ID }))).toEqual({ status: 400, code: ErrorCode.TIP_ASSIGNEE_INVALID });
      expect((await tipRow(t, row.id))!.assigneeId).toBeNull();
    });

    it('should write nothing at all when one part of a change is refused', async () => {
      const { tip: row } = await tip();
      const response = await patch(row.id, { status: 'verifying', labels: ['新标签'], assigneeUserId: users.staff });
      expect(codeOf(response)).toEqual({ status: 400, code: ErrorCode.TIP_ASSIGNEE_INVALID });
      const after = (await tipRow(t, row.id))!;
      expect([after.status, after.labels, after.assigneeId]).toEqual(['received', '[]', null]);
      expect(await eventsOf(row.id)).toEqual([]);
    });

    it('should store labels trimmed and without repeats, as one internal event', async () => {
      const { tip: row } = await tip();
      const response = await patch(row.id, { labels: [' 跨省 ', '紧急', '跨省', '紧急 '] });
      expect(response.body.labels).toEqual(['跨省', '紧急']);
      expect((await tipRow(t, row.id))!.labels).toBe('["跨省","紧急"]');
      // Five distinct labels after removing repeats is within the limit.
      expect((await patch(row.id, { labels: ['一', '二', '三', '四', '五', '五 '] })).body.labels).toEqual(['一', '二', '三', '四', '五']);
      expect((await patch(row.id, { labels: [] })).body.labels).toEqual([]);
      expect((await eventsOf(row.id)).map((e) => e.kind)).toEqual(['labels', 'labels', 'labels']);
      expect(await reporterVisibleEvents(t, row.id)).toEqual([]);
    });

    it('should store five labels at their limit in CJK and 4-byte characters, and refuse one that would overflow', async () => {
      const { tip: row } = await tip();
      const labels = ['标'.repeat(12), '𠮷'.repeat(6), '签'.repeat(12), '类'.repeat(12), '别'.repeat(12)];
      expect((await patch(row.id, { labels })).body.labels).toEqual(labels);
      expect(JSON.parse((await tipRow(t, row.id))!.labels)).toEqual(labels);
      // Twelve emoji with their variation selectors are 24 UTF-16 units: too long, whatever class-validator counts.
      expect(codeOf(await patch(row.id, { labels: ['❤️'.repeat(12)] }))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
    });

    it('should change status, assignee and labels together, one event each, in one step', async () => {
      const { tip: row } = await tip();
      const response = await patch(row.id, { status: 'verifying', assigneeUserId: users.police, labels: ['电诈'] });
      expect(response.body).toMatchObject({ status: 'verifying', assignee: { userId: users.police }, labels: ['电诈'] });
      expect((await eventsOf(row.id)).map((e) => e.kind)).toEqual(['status', 'assign', 'labels']);
    });

    it.each([
      ['six labels', { labels: ['一', '二', '三', '四', '五', '六'] }],
      ['a label over 12 characters', { labels: ['一二三四五六七八九十一二三'] }],
      ['an empty label', { labels: ['  '] }],
      ['a label that is not text', { labels: [5] }],
      ['a label with a line break', { labels: ['跨\n省'] }],
      ['labels that are not a list', { labels: '跨省' }],
      ['an unknown status', { status: 'closed' }],
      ['an assignee that is not an id', { assigneeUserId: 'someone' }],
      ['an unknown field', { groupId: MISSING_ID }],
      ['nothing to change', {}],
    ])('should refuse %s with 400 and change nothing', async (_what, body) => {
      const { tip: row } = await tip();
      expect(codeOf(await patch(row.id, body))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect((await tipRow(t, row.id))!.labels).toBe('[]');
      expect(await eventsOf(row.id)).toEqual([]);
    });
  });

  describe('replies', () => {
    it('should store a reply encrypted and show it to the reporter with its line breaks', async () => {
      const { tip: row } = await tip();
      const response = await police('POST', `/api/tips/${row.id}/replies`, { body: '  您好：\n已转刑警队处理。  ' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        kind: 'reply',
        status: null,
        body: '您好：\n已转刑警队处理。',
        author: { userId: users.police, displayName: '民警甲' },
        createdAt: expect.any(String),
      });
      const stored = await t.dataSource.getRepository(TipEventEntity).findOneByOrFail({ id: response.body.id });
      expect(stored.bodyCipher).not.toContain('刑警队');
      expect(stored.bodyCipher).toMatch(/^v1\./);
      expect(await reporterVisibleEvents(t, row.id)).toEqual([{ kind: 'reply', status: null, body: '您好：\n已转刑警队处理。' }]);
      expect((await tipRow(t, row.id))!.updatedAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
    });

    it('should take a reply at its limit in CJK, with line breaks and tabs as the reporter’s additions may have them', async () => {
      const { tip: row } = await tip();
      const body = `回复：\r\n\t${'回'.repeat(494)}`;
      expect(body.length).toBe(500);
      const response = await police('POST', `/api/tips/${row.id}/replies`, { body });
      expect(response.status).toBe(201);
      expect(await reporterVisibleEvents(t, row.id)).toEqual([{ kind: 'reply', status: null, body }]);
    });

    it.each([
      ['an empty reply', { body: '   ' }],
      ['a reply over 500 characters', { body: '回'.repeat(501) }],
      ['a reply with control characters', { body: '回复\u0007' }],
      ['a reply that is not text', { body: 42 }],
      ['no reply at all', {}],
    ])('should refuse %s with 400', async (_what, body) => {
      const { tip: row } = await tip();
      expect(codeOf(await police('POST', `/api/tips/${row.id}/replies`, body))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect(await t.dataSource.getRepository(TipEventEntity).countBy({ tipId: row.id })).toBe(0);
    });
  });

  describe('image links', () => {
    it('should sign a link to an image of the tip, valid for five minutes', async () => {
      const { tip: row, attachments } = await tip({ attachments: 2 });
      const before = Date.now();
      const response = await police('POST', `/api/tips/${row.id}/attachments/${attachments[1].id}/link`);
      expect(response.status).toBe(200);
      const url = new URL(response.body.url, t.baseUrl);
      expect(url.pathname).toBe(`/api/tips/attachments/${attachments[1].id}/content`);
      const exp = Number(url.searchParams.get('exp')) * 1000;
      expect(exp).toBeGreaterThan(before + 4 * 60_000);
      expect(exp).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
      expect(new Date(response.body.expiresAt).getTime()).toBe(exp);
      const links = new SignedLinks(t.config.auth.jwtSecret, 'qmfz tip image link v1', (id) => `/api/tips/attachments/${id}/content`);
      expect(links.isValid(attachments[1].id, url.searchParams.get('exp')!, url.searchParams.get('sig')!, Date.now())).toBe(true);
      expect(links.isValid(attachments[0].id, url.searchParams.get('exp')!, url.searchParams.get('sig')!, Date.now())).toBe(false);
      expect(links.isValid(attachments[1].id, url.searchParams.get('exp')!, url.searchParams.get('sig')!, Date.now() + 6 * 60_000)).toBe(false);
    });

    it('should refuse a link to an image of another tip with 404 TIP_ATTACHMENT_NOT_FOUND', async () => {
      const { tip: row } = await tip({ attachments: 1 });
      const { attachments: foreign } = await tip({ attachments: 1 });
      const response = await police('POST', `/api/tips/${row.id}/attachments/${foreign[0].id}/link`);
      expect(codeOf(response)).toEqual({ status: 404, code: ErrorCode.TIP_ATTACHMENT_NOT_FOUND });
    });
  });

  describe('officers', () => {
    it('should list the active police of the township by name, and nobody else', async () => {
      const response = await police('GET', '/api/tips/officers');
      expect(response.status).toBe(200);
      expect(response.body as PersonRef[]).toEqual([
        { userId: users.police, displayName: '民警甲' },
        { userId: users.police2, displayName: '民警乙' },
      ]);
    });
  });

  describe('deciding a reward', () => {
    const decide = (id: string, body: unknown, token = tokens.police) => call('PUT', `/api/tips/${id}/reward`, token, body);

    it('should decide a tier reward on a valid tip, with its audit record, in one step', async () => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      const response = await decide(row.id, { tier: 'first', reason: '  提供的账户经核实为诈骗账户  ' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        tipId: row.id,
        status: 'decided',
        tier: 'first',
        amountYuan: 2000,
        reason: '提供的账户经核实为诈骗账户',
        decidedBy: { userId: users.police, displayName: '民警甲' },
        claimedAt: null,
        reviewedBy: null,
        tip: { status: 'valid', reporterMode: 'anonymous', reporterMasked: null },
      });
      const audit = await t.dataSource.getRepository(AuditLogEntity).findBy({ subjectId: row.id });
      expect(audit.map((a) => [a.action, a.actorId, a.detail])).toEqual([['reward.decided', users.police, 'tier=first amountYuan=2000']]);
      // The tip's summary shows it, and its status is now locked.
      const detail = await police('GET', `/api/tips/${row.id}`);
      expect(detail.body.reward).toEqual({ status: 'decided', tier: 'first', amountYuan: 2000, claimed: false });
    });

    it('should take a custom amount', async () => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      const response = await decide(row.id, { tier: 'custom', amountYuan: 888, reason: '线索价值较高' });
      expect(response.body).toMatchObject({ tier: 'custom', amountYuan: 888 });
    });

    it('should decide once per tip: a second decision, even after a rejection, is 409 REWARD_ALREADY_DECIDED', async () => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      expect((await decide(row.id, { tier: 'third', reason: '属实' })).status).toBe(201);
      expect(codeOf(await decide(row.id, { tier: 'first', reason: '再来一次' }, tokens.police2))).toEqual({ status: 409, code: ErrorCode.REWARD_ALREADY_DECIDED });
      await t.dataSource.getRepository(TipRewardEntity).update({ tipId: row.id }, { status: RewardStatus.REJECTED });
      expect(codeOf(await decide(row.id, { tier: 'first', reason: '驳回后重新决定' }))).toEqual({ status: 409, code: ErrorCode.REWARD_ALREADY_DECIDED });
      expect(await t.dataSource.getRepository(TipRewardEntity).countBy({ tipId: row.id })).toBe(1);
      expect(await t.dataSource.getRepository(AuditLogEntity).countBy({ subjectId: row.id })).toBe(1);
    });

    it('should record exactly one decision when two officers decide at the same moment', async () => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      const responses = await Promise.all([decide(row.id, { tier: 'first', reason: '甲' }), decide(row.id, { tier: 'second', reason: '乙' }, tokens.police2)]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await t.dataSource.getRepository(TipRewardEntity).countBy({ tipId: row.id })).toBe(1);
      expect(await t.dataSource.getRepository(AuditLogEntity).countBy({ subjectId: row.id })).toBe(1);
    });

    it.each([TipStatus.RECEIVED, TipStatus.VERIFYING, TipStatus.INVALID, TipStatus.SPAM, TipStatus.DUPLICATE])(
      'should refuse a reward for a %s tip with 409 REWARD_TIP_NOT_VALID',
      async (status) => {
        const { tip: row } = await tip({ status });
        expect(codeOf(await decide(row.id, { tier: 'first', reason: '属实' }))).toEqual({ status: 409, code: ErrorCode.REWARD_TIP_NOT_VALID });
        expect(await t.dataSource.getRepository(TipRewardEntity).countBy({ tipId: row.id })).toBe(0);
      },
    );

    it.each([
      ['a custom reward without an amount', { tier: 'custom', reason: '属实' }],
      ['a custom amount of 0', { tier: 'custom', amountYuan: 0, reason: '属实' }],
      ['a custom amount over the maximum', { tier: 'custom', amountYuan: 100_001, reason: '属实' }],
      ['a fractional amount', { tier: 'custom', amountYuan: 10.5, reason: '属实' }],
      ['an amount with a fixed tier', { tier: 'first', amountYuan: 5000, reason: '属实' }],
      ['an unknown tier', { tier: 'gold', reason: '属实' }],
      ['no reason', { tier: 'first' }],
      ['a blank reason', { tier: 'first', reason: '   ' }],
      ['a reason over 200 characters', { tier: 'first', reason: '理'.repeat(201) }],
      ['an unknown field', { tier: 'first', reason: '属实', status: 'paid' }],
    ])('should refuse %s with 400 and record nothing', async (_what, body) => {
      const { tip: row } = await tip({ status: TipStatus.VALID });
      expect(codeOf(await decide(row.id, body))).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
      expect(await t.dataSource.getRepository(TipRewardEntity).countBy({ tipId: row.id })).toBe(0);
      expect(await t.dataSource.getRepository(AuditLogEntity).countBy({ subjectId: row.id })).toBe(0);
    });
  });

  describe('a tip submitted through the API', () => {
    it('should go from submission through triage, image link, replies and reward to what the reporter follows up', async () => {
      const reporter = await buildMember(t, yicun, null, { name: '举报居民' });
      const imageId = await uploadedTipImage(t, reporter.token);
      const { receiptCode } = await createTip(t, reporter.token, {
        attachmentIds: [imageId],
        reporter: { mode: 'named', name: REPORTER_NAME, phone: REPORTER_PHONE },
        unitId: yicun.id,
      });
      const hash = receiptHash(t.app.get(CryptoService), normalizeReceiptCode(receiptCode)!);
      const tipId = (await t.dataSource.getRepository(TipEntity).findOneByOrFail({ receiptHash: hash })).id;

      const listed = (await police('GET', '/api/tips?assignee=none&status=received&limit=100')).body as TipListResponse;
      expect(listed.items.find((item) => item.id === tipId)).toMatchObject({ reporterMode: 'named', attachmentCount: 1 });
      const detail = (await police('GET', `/api/tips/${tipId}`)).body as TipDetailResponse;
      expect(detail).toMatchObject({ reporterMasked: '137****9876', unit: { id: yicun.id, name: '一村' } });

      const link = await police('POST', `/api/tips/${tipId}/attachments/${detail.attachments[0].id}/link`);
      const image = await fetch(new URL(link.body.url, t.baseUrl));
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe(detail.attachments[0].contentType);
      expect((await image.arrayBuffer()).byteLength).toBe(detail.attachments[0].sizeBytes);

      await police('PATCH', `/api/tips/${tipId}`, { status: 'verifying', assigneeUserId: users.police, labels: ['内部标签'] });
      expect((await police('POST', `/api/tips/${tipId}/replies`, { body: '感谢举报，正在核查。' })).status).toBe(201);
      await police('PATCH', `/api/tips/${tipId}`, { status: 'valid' });
      expect((await police('PUT', `/api/tips/${tipId}/reward`, { tier: 'second', reason: '线索属实' })).status).toBe(201);

      const seenByReporter = await followUpOk(t, receiptCode);
      expect(seenByReporter.status).toBe('valid');
      // Submission wrote the first status; assignment and labels stay inside the station.
      expect(seenByReporter.events.map((e) => [e.kind, e.status, e.body, e.author])).toEqual([
        ['status', 'received', null, null],
        ['status', 'verifying', null, null],
        ['reply', null, '感谢举报，正在核查。', null],
        ['status', 'valid', null, null],
      ]);
      expect(seenByReporter.reward).toEqual({ status: 'decided', tier: 'second', amountYuan: 1000, claimed: false, claimNeedsContact: false });

      const claimed = await t.request({ method: 'POST', url: '/api/tips/follow-up/claim', body: { receiptCode }, headers: { 'x-forwarded-for': randomIp() } });
      expect(claimed.status).toBe(200);
      expect((await followUpOk(t, receiptCode)).reward).toMatchObject({ claimed: true, claimNeedsContact: false });
    });
  });

  it('should never have sent a full reporter phone or name in any response of this file', () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const text of seen) {
      expect(text).not.toContain(REPORTER_PHONE);
      expect(text).not.toContain(REPORTER_NAME);
    }
  });
});
