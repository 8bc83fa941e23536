import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  MembershipStatus,
  Role,
  UnitKind,
  type CampaignProgressResponse,
  type CampaignResponse,
  type NoticeResponse,
  type VideoResponse,
  type ViewerStatusResponse,
} from '@qmfz/contracts';
import ExcelJS from 'exceljs';
import { CampaignEntity, CampaignUnitEntity, NoticeEntity, UnitEntity } from '../src/database/entities/index.js';
import { buildCampaign, buildMember, buildMembership, buildTownship, buildVerifiedViewing, buildVideo, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { fakeOpenid, FakeWechat } from './support/fake-wechat.js';
import { DB_TIER } from './test-db.js';

const TEMPLATE_ID = 'tmpl-video-reminder-0001';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();

describe(`campaigns: creating, listing, progress, reminders and export (${DB_TIER})`, () => {
  let t: TestApp;
  let wechat: FakeWechat;
  let town: BuiltTownship;
  let other: BuiltTownship;
  let office: UnitEntity;
  let yicun: UnitEntity;
  let ercun: UnitEntity;
  let sancun: UnitEntity;
  let admin: string;
  let yicunAdmin: string;
  let otherAdmin: string;
  let video: VideoResponse;
  let otherVideo: VideoResponse;

  const call = (method: RequestOptions['method'], url: string, token?: string, body?: unknown): Promise<TestResponse> =>
    t.request({ method, url, token, body });
  const campaignRows = () => t.dataSource.getRepository(CampaignEntity).count();
  const validBody = (change: object = {}) => ({
    title: '全体干部观看反诈宣传片',
    videoId: video.id,
    deadline: inAWeek(),
    unitIds: [yicun.id],
    roles: [Role.STAFF],
    headsFirst: false,
    ...change,
  });

  beforeAll(async () => {
    wechat = await FakeWechat.start();
    t = await startTestApp({ env: { ...wechat.env(1000), WECHAT_TEMPLATE_VIDEO_REMINDER: TEMPLATE_ID } });
    town = await buildTownship(t.dataSource, 'renwu', '任务乡', [
      { name: '任务乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '一村', kind: UnitKind.VILLAGE },
      { name: '二村', kind: UnitKind.VILLAGE },
      { name: '三村', kind: UnitKind.VILLAGE },
      { name: '四村', kind: UnitKind.VILLAGE },
      { name: '派出所', kind: UnitKind.POLICE_STATION },
    ]);
    other = await buildTownship(t.dataSource, 'waixiang', '外乡', [
      { name: '外乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '外乡村', kind: UnitKind.VILLAGE },
    ]);
    ({ 任务乡平安办: office, 一村: yicun, 二村: ercun, 三村: sancun } = town.units);
    admin = (await buildMember(t, office, Role.TOWNSHIP_ADMIN, { name: '平安办' })).token;
    yicunAdmin = (await buildMember(t, yicun, Role.UNIT_ADMIN, { name: '一村支书' })).token;
    otherAdmin = (await buildMember(t, other.units['外乡平安办'], Role.TOWNSHIP_ADMIN, { name: '外乡管理员' })).token;
    const external = (token: string, title: string) =>
      call('POST', '/api/videos/external', token, { title, url: 'https://video.example.cn/a.mp4', durationSeconds: 120 });
    video = (await external(admin, '反诈宣传片')).body;
    otherVideo = (await external(otherAdmin, '外乡的片子')).body;
  });
  afterAll(async () => {
    await t?.close();
    await wechat?.close();
  });

  describe('creating a campaign', () => {
    it('should create a campaign with its video, units and roles', async () => {
      const body = validBody({ unitIds: [yicun.id, ercun.id], roles: [Role.UNIT_ADMIN, Role.STAFF], headsFirst: true });
      const response = await call('POST', '/api/campaigns', admin, body);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        title: '全体干部观看反诈宣传片',
        video,
        deadline: new Date(body.deadline).toISOString(),
        unitIds: [yicun.id, ercun.id],
        roles: [Role.UNIT_ADMIN, Role.STAFF],
        headsFirst: true,
        createdAt: expect.any(String),
      });
      const links = await t.dataSource.getRepository(CampaignUnitEntity).findBy({ campaignId: response.body.id });
      expect(links.map((l) => l.unitId).sort()).toEqual([yicun.id, ercun.id].sort());
    });

    it.each([
      ['a deadline in the past', () => validBody({ deadline: new Date(Date.now() - 60_000).toISOString() }), 400, ErrorCode.VALIDATION_FAILED, '截止时间必须晚于现在'],
      ['a deadline that is not an instant', () => validBody({ deadline: 'next friday' }), 400, ErrorCode.VALIDATION_FAILED, '截止时间'],
      ['heads first without unit admins among the roles', () => validBody({ headsFirst: true }), 400, ErrorCode.VALIDATION_FAILED, '领导先学'],
      ['no units', () => validBody({ unitIds: [] }), 400, ErrorCode.VALIDATION_FAILED, '单位'],
      ['a unit twice', () => validBody({ unitIds: [yicun.id, yicun.id] }), 400, ErrorCode.VALIDATION_FAILED, '单位'],
      ['a role that does not exist', () => validBody({ roles: ['mayor'] }), 400, ErrorCode.VALIDATION_FAILED, '观看角色'],
      ['no roles', () => validBody({ roles: [] }), 400, ErrorCode.VALIDATION_FAILED, '观看角色'],
      ['heads first as text', () => validBody({ headsFirst: 'true' }), 400, ErrorCode.VALIDATION_FAILED, '领导先学'],
      ['a title over 60 characters', () => validBody({ title: '题'.repeat(61) }), 400, ErrorCode.VALIDATION_FAILED, '任务名称过长'],
      ['an unknown field', () => validBody({ townshipId: 'x' }), 400, ErrorCode.VALIDATION_FAILED, 'townshipId 不允许的字段'],
      ['a unit that does not exist', () => validBody({ unitIds: [yicun.id, '01ARZ3NDEKTSV4RRFFQ69G5FAV'] }), 404, ErrorCode.UNIT_NOT_FOUND, ''],
      ['a unit of another township', () => validBody({ unitIds: [other.units['外乡村'].id] }), 404, ErrorCode.UNIT_NOT_FOUND, ''],
      ['a video that does not exist', () => validBody({ videoId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), 404, ErrorCode.VIDEO_NOT_FOUND, ''],
      ['a video of another township', () => validBody({ videoId: otherVideo.id }), 404, ErrorCode.VIDEO_NOT_FOUND, ''],
    ])('should refuse %s and create nothing', async (_what, body, status, code, message) => {
      const before = await campaignRows();
      const response = await call('POST', '/api/campaigns', admin, body());
      expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
      expect(response.body.message).toContain(message);
      expect(await campaignRows()).toBe(before);
    });
  });

  describe('listing campaigns', () => {
    it('should list every campaign to the township admin and only those with their units to a unit admin', async () => {
      const withYicun = (await call('POST', '/api/campaigns', admin, validBody({ title: '一村的任务' }))).body as CampaignResponse;
      const withoutYicun = (await call('POST', '/api/campaigns', admin, validBody({ title: '三村的任务', unitIds: [sancun.id] }))).body as CampaignResponse;

      const all = await call('GET', '/api/campaigns', admin);
      expect(all.status).toBe(200);
      expect(all.body.map((c: CampaignResponse) => c.id)).toEqual(expect.arrayContaining([withYicun.id, withoutYicun.id]));
      const own = await call('GET', '/api/campaigns', yicunAdmin);
      expect(own.status).toBe(200);
      expect(own.body.map((c: CampaignResponse) => c.id)).toContain(withYicun.id);
      expect(own.body.map((c: CampaignResponse) => c.id)).not.toContain(withoutYicun.id);
      expect(own.body.every((c: CampaignResponse) => c.unitIds.includes(yicun.id))).toBe(true);
      const foreign = await call('GET', '/api/campaigns', otherAdmin);
      expect(foreign.body).toEqual([]);
    });

    it('should refuse staff, residents and police with 403', async () => {
      const staff = await buildMember(t, town.units['四村'], Role.STAFF, { name: '四村文书' });
      const resident = await buildMember(t, town.units['四村'], null, { name: '居民' });
      const police = await buildMember(t, town.units['派出所'], Role.POLICE, { name: '民警' });
      for (const token of [staff.token, resident.token, police.token]) {
        const response = await call('GET', '/api/campaigns', token);
        expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: ErrorCode.FORBIDDEN });
        expect(response.text).not.toContain('任务');
      }
    });
  });

  describe('progress, overdue people and export', () => {
    let overdueCampaign: CampaignEntity;
    const people: Record<string, string> = {};

    beforeAll(async () => {
      // A deadline in the past can only be written straight to the database: the API refuses one.
      const lecture = await buildVideo(t.dataSource, town.township.id, { title: '逾期讲座', durationSeconds: 100 });
      overdueCampaign = await buildCampaign(t.dataSource, lecture, [yicun, ercun], { title: '已过期的任务', deadline: new Date(Date.now() - 3600_000) });
      for (const [key, unit, name] of [
        ['done', yicun, '张已完成'],
        ['verified', yicun, '李未确认'],
        ['nothing', yicun, '王没看'],
        ['formula', yicun, '=HYPERLINK("http://evil.example","点我")'],
        ['ercunDone', ercun, '赵二村'],
      ] as const) {
        people[key] = (await buildMember(t, unit, Role.STAFF, { name })).user.id;
      }
      await buildVerifiedViewing(t.dataSource, overdueCampaign, lecture, people.done, { checkedIn: true });
      await buildVerifiedViewing(t.dataSource, overdueCampaign, lecture, people.verified);
      await buildVerifiedViewing(t.dataSource, overdueCampaign, lecture, people.ercunDone, { checkedIn: true });
    });

    it('should count required, done and overdue people per unit', async () => {
      const response = await call('GET', `/api/campaigns/${overdueCampaign.id}/progress`, admin);
      expect(response.status).toBe(200);
      const progress = response.body as CampaignProgressResponse;
      expect(progress.campaign).toMatchObject({ id: overdueCampaign.id, title: '已过期的任务', headsFirst: false });
      // 一村's admin is not required (the campaign names staff only).
      expect(progress.units).toEqual([
        { unitId: yicun.id, unitName: '一村', required: 4, done: 1, overdue: 3, headsFirst: null },
        { unitId: ercun.id, unitName: '二村', required: 1, done: 1, overdue: 0, headsFirst: null },
      ]);
    });

    it('should show a unit admin the progress of their own units only', async () => {
      const response = await call('GET', `/api/campaigns/${overdueCampaign.id}/progress`, yicunAdmin);
      expect(response.status).toBe(200);
      expect(response.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([yicun.id]);
    });

    it('should list only the overdue people of a unit with status=overdue', async () => {
      const all = await call('GET', `/api/campaigns/${overdueCampaign.id}/units/${yicun.id}/viewers`, yicunAdmin);
      expect(all.status).toBe(200);
      const status = Object.fromEntries((all.body as ViewerStatusResponse[]).map((v) => [v.userId, [v.status, v.percent]]));
      expect(status).toEqual({
        [people.done]: ['done', 100],
        [people.verified]: ['overdue', 100],
        [people.nothing]: ['overdue', 0],
        [people.formula]: ['overdue', 0],
      });
      // The one who confirmed did so after the deadline: done, but late.
      const late = Object.fromEntries((all.body as ViewerStatusResponse[]).map((v) => [v.userId, v.late]));
      expect(late).toEqual({ [people.done]: true, [people.verified]: false, [people.nothing]: false, [people.formula]: false });
      const overdue = await call('GET', `/api/campaigns/${overdueCampaign.id}/units/${yicun.id}/viewers?status=overdue`, yicunAdmin);
      expect(overdue.body.map((v: ViewerStatusResponse) => v.userId).sort()).toEqual([people.verified, people.nothing, people.formula].sort());
      const bad = await call('GET', `/api/campaigns/${overdueCampaign.id}/units/${yicun.id}/viewers?status=late`, yicunAdmin);
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: ErrorCode.VALIDATION_FAILED });
    });

    it('should turn pending people overdue once the deadline passes', async () => {
      const soon = await call('POST', '/api/campaigns', admin, validBody({ title: '马上截止', unitIds: [ercun.id], deadline: new Date(Date.now() + 1500).toISOString() }));
      expect(soon.status).toBe(201);
      const before = await call('GET', `/api/campaigns/${soon.body.id}/units/${ercun.id}/viewers`, admin);
      expect(before.body.map((v: ViewerStatusResponse) => v.status)).toEqual(['pending']);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const after = await call('GET', `/api/campaigns/${soon.body.id}/progress`, admin);
      expect(after.body.units).toEqual([expect.objectContaining({ required: 1, done: 0, overdue: 1 })]);
    });

    it('should export the unit’s viewers as XLSX, writing a formula-like name as text', async () => {
      const response = await fetch(`${t.baseUrl}/api/campaigns/${overdueCampaign.id}/units/${yicun.id}/export`, { headers: { authorization: `Bearer ${yicunAdmin}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
      expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('观看情况-一村.xlsx'));
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const sheet = workbook.worksheets[0];
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual(['已过期的任务 — 一村']);
      expect(rows[1].slice(0, 3)).toEqual(['姓名', '角色', '状态']);
      const byName = Object.fromEntries(rows.slice(2).map((row) => [row[0], row]));
      expect(Object.keys(byName).sort()).toEqual([`'=HYPERLINK("http://evil.example","点我")`, '张已完成', '李未确认', '王没看'].sort());
      expect(byName['张已完成'].slice(2, 4)).toEqual(['已完成', 100]);
      expect(rows[1][5]).toBe('逾期确认');
      expect(byName['张已完成'][5]).toBe('是');
      expect(byName['李未确认'][5]).not.toBe('是');
      expect(byName['李未确认'].slice(2, 4)).toEqual(['已逾期', 100]);
      expect(byName['王没看'].slice(2, 4)).toEqual(['已逾期', 0]);
      const formulaCell = sheet.getCell(`A${rows.findIndex((row) => String(row[0]).includes('HYPERLINK')) + 1}`);
      expect(formulaCell.type).toBe(ExcelJS.ValueType.String);
      expect(formulaCell.formula).toBeUndefined();
    });
  });

  describe('reminders and notices', () => {
    let campaign: CampaignResponse;
    const who: Record<string, { userId: string; token: string }> = {};

    beforeAll(async () => {
      campaign = (await call('POST', '/api/campaigns', admin, validBody({ title: '提醒测试', unitIds: [sancun.id] }))).body;
      for (const key of ['consented', 'declined', 'noOpenid', 'refusedByWechat', 'wechatFails', 'done']) {
        const openid = key === 'noOpenid' ? undefined : fakeOpenid(key);
        const member = await buildMember(t, sancun, Role.STAFF, { name: `三村${key}`, openid });
        who[key] = { userId: member.user.id, token: member.token };
      }
      wechat.subscribeErrors.set(fakeOpenid('refusedByWechat'), 43101);
      wechat.subscribeErrors.set(fakeOpenid('wechatFails'), 40003);
      const consent = (key: string, accepted: boolean) => call('POST', '/api/subscriptions/consents', who[key].token, { kind: 'video_reminder', accepted });
      for (const key of ['consented', 'refusedByWechat', 'wechatFails']) expect((await consent(key, true)).status).toBe(204);
      expect((await consent('declined', false)).status).toBe(204);
      const built = { campaign: { id: campaign.id, townshipId: town.township.id }, video: { durationMs: video.durationSeconds * 1000 } };
      await buildVerifiedViewing(t.dataSource, built.campaign, built.video, who.done.userId, { checkedIn: true });
    });

    it('should not call a confirmation before the deadline late', async () => {
      const response = await call('GET', `/api/campaigns/${campaign.id}/units/${sancun.id}/viewers?status=done`, admin);
      expect(response.body.map((v: ViewerStatusResponse) => [v.userId, v.late])).toEqual([[who.done.userId, false]]);
    });

    it('should offer the configured template for the subscribe request', async () => {
      const response = await call('GET', '/api/subscriptions/templates', who.consented.token);
      expect(response.body).toEqual({ templates: { video_reminder: TEMPLATE_ID } });
    });

    it('should notify everyone not done and send a WeChat message to those who agreed to one', async () => {
      const from = wechat.deliveredMessages.length;
      const response = await call('POST', `/api/campaigns/${campaign.id}/reminders`, admin, { unitId: sancun.id });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ notified: 5, wechatSent: 1, wechatNoConsent: 3, wechatFailed: 1 });

      expect(wechat.deliveredMessages.slice(from)).toEqual([
        {
          touser: fakeOpenid('consented'),
          template_id: TEMPLATE_ID,
          page: 'packages/video/pages/campaigns/index',
          data: { thing1: { value: '提醒测试' }, time2: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) }, thing3: { value: expect.any(String) } },
        },
      ]);
      const notices = await t.dataSource.getRepository(NoticeEntity).findBy({ townshipId: town.township.id, title: '观看打卡提醒' });
      const notified = notices.map((n) => n.userId);
      expect(notified.sort()).toEqual(['consented', 'declined', 'noOpenid', 'refusedByWechat', 'wechatFails'].map((k) => who[k].userId).sort());
      expect(notified).not.toContain(who.done.userId);
    });

    it('should find no WeChat subscription left at the second reminder, except the one WeChat failed to use', async () => {
      const from = wechat.deliveredMessages.length;
      const response = await call('POST', `/api/campaigns/${campaign.id}/reminders`, admin, {});
      expect(response.status).toBe(200);
      // The failed send gave its consent back, so that person is tried again (and fails again at the fake).
      expect(response.body).toEqual({ notified: 5, wechatSent: 0, wechatNoConsent: 4, wechatFailed: 1 });
      expect(wechat.deliveredMessages.length).toBe(from);
    });

    it('should show a person their own notices and let only them mark one read', async () => {
      const mine = await call('GET', '/api/notices', who.declined.token);
      expect(mine.status).toBe(200);
      const notices = mine.body as NoticeResponse[];
      expect(notices).toHaveLength(2);
      expect(notices[0]).toEqual({
        id: expect.any(String),
        title: '观看打卡提醒',
        body: expect.stringContaining('「提醒测试」'),
        link: '/packages/video/pages/campaigns/index',
        createdAt: expect.any(String),
        readAt: null,
      });
      const id = notices[0].id;

      const foreign = await call('POST', `/api/notices/${id}/read`, who.consented.token);
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: ErrorCode.NOTICE_NOT_FOUND });
      const otherTownship = await call('POST', `/api/notices/${id}/read`, otherAdmin);
      expect(otherTownship.status).toBe(404);
      expect((await call('GET', '/api/notices', who.declined.token)).body[0].readAt).toBeNull();

      expect((await call('POST', `/api/notices/${id}/read`, who.declined.token)).status).toBe(204);
      const after = (await call('GET', '/api/notices', who.declined.token)).body as NoticeResponse[];
      expect(after.find((n) => n.id === id)?.readAt).toEqual(expect.any(String));
      expect(after.filter((n) => n.readAt === null)).toHaveLength(1);
      expect((await call('GET', '/api/notices', who.done.token)).body).toEqual([]);
    });

    it('should send one notice to a person required in two of the campaign’s units', async () => {
      const siCun = town.units['四村'];
      await buildMembership(t.dataSource, siCun, who.consented.userId, { role: Role.STAFF, status: MembershipStatus.ACTIVE });
      const both = (await call('POST', '/api/campaigns', admin, validBody({ title: '两个单位', unitIds: [sancun.id, siCun.id] }))).body;
      const before = await t.dataSource.getRepository(NoticeEntity).countBy({ userId: who.consented.userId });
      const response = await call('POST', `/api/campaigns/${both.id}/reminders`, admin, {});
      // 三村's six people (none done in this campaign) and 四村's staff member: seven, with the one in both counted once.
      expect(response.body).toMatchObject({ notified: 7 });
      expect(await t.dataSource.getRepository(NoticeEntity).countBy({ userId: who.consented.userId })).toBe(before + 1);
    });
  });
});
