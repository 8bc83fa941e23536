import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INVITE_ALPHABET, LIMITS, MembershipStatus, Role, UnitKind, type MeResponse } from '@qmfz/contracts';
import ExcelJS from 'exceljs';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { InviteCodeEntity, MembershipEntity, RosterEntryEntity, UnitEntity } from '../src/database/entities/index.js';
import {
  buildDemoTownship,
  buildInvite,
  buildMembership,
  buildSignedInUser,
  buildTownship,
  multipartUpload,
  tokenFor,
  type BuiltTownship,
} from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { DB_TIER } from './test-db.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe(`organisation: units, invites, memberships and rosters (${DB_TIER})`, () => {
  let t: TestApp;
  let demo: BuiltTownship;
  let other: BuiltTownship;
  let admin: string;
  let santangAdmin: string;
  let santang: UnitEntity;
  let shimen: UnitEntity;

  const call = (method: RequestOptions['method'], url: string, token?: string, body?: unknown): Promise<TestResponse> =>
    t.request({ method, url, token, body });
  const upload = (unitId: string, token: string, content: Buffer, options?: Parameters<typeof multipartUpload>[1]) =>
    t.request({ method: 'POST', url: `/api/units/${unitId}/roster`, token, ...multipartUpload(content, options) });
  const me = async (token: string): Promise<MeResponse> => (await call('GET', '/api/me', token)).body as MeResponse;
  const count = (entity: typeof MembershipEntity | typeof RosterEntryEntity | typeof InviteCodeEntity | typeof UnitEntity, where: object) =>
    t.dataSource.getRepository(entity).countBy(where);

  beforeAll(async () => {
    t = await startTestApp();
    demo = await buildDemoTownship(t.dataSource);
    other = await buildTownship(t.dataSource, 'other', '其他乡', [
      { name: '其他乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '其他村', kind: UnitKind.VILLAGE },
    ]);
    santang = demo.units['三塘村'];
    shimen = demo.units['石门村'];
    admin = await tokenFor(t, { role: Role.TOWNSHIP_ADMIN, name: '平安办管理员' });
    santangAdmin = await tokenFor(t, { role: Role.UNIT_ADMIN, unitId: santang.id, name: '三塘村支书' });
  });
  afterAll(() => t.close());

  describe('township and units', () => {
    it('should show a signed-in resident their own township', async () => {
      const { token } = await buildSignedInUser(t, demo.township.id);
      const response = await call('GET', '/api/townships/current', token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: demo.township.id, code: 'baitu', name: '白土乡' });
    });

    it('should list only the township’s own units, filtered by kind when asked', async () => {
      const { token } = await buildSignedInUser(t, demo.township.id);
      const all = await call('GET', '/api/units', token);
      expect(all.status).toBe(200);
      expect(all.body.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['三塘村', '白土派出所']));
      expect(all.body.every((u: { townshipId: string }) => u.townshipId === demo.township.id)).toBe(true);
      expect(all.body.map((u: { name: string }) => u.name)).not.toContain('其他村');
      const villages = await call('GET', '/api/units?kind=village', token);
      expect(villages.body.map((u: { name: string }) => u.name).sort()).toEqual(['三塘村', '永安村', '石门村'].sort());
      expect((await call('GET', '/api/units?kind=castle', token)).status).toBe(400);
    });

    it('should let the township admin create a unit with a ULID id in their own township', async () => {
      const response = await call('POST', '/api/units', admin, { name: '  新建村  ', kind: 'village' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: '新建村', kind: 'village', townshipId: demo.township.id });
      expect(response.body.id).toMatch(ULID);
      expect(await count(UnitEntity, { id: response.body.id, townshipId: demo.township.id })).toBe(1);
    });

    it('should refuse a second unit with the same name in the township with UNIT_NAME_TAKEN', async () => {
      const response = await call('POST', '/api/units', admin, { name: '三塘村 ', kind: 'village' });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('UNIT_NAME_TAKEN');
      expect(await count(UnitEntity, { name: '三塘村' })).toBe(1);
    });

    it('should allow the same unit name in another township', async () => {
      const otherAdmin = await tokenFor(t, { role: Role.TOWNSHIP_ADMIN, townshipCode: 'other', name: '其他乡管理员' });
      const response = await call('POST', '/api/units', otherAdmin, { name: '三塘村', kind: 'village' });
      expect(response.status).toBe(201);
      expect(response.body.townshipId).toBe(other.township.id);
    });

    it('should not let a request choose the township or create a second township office', async () => {
      const before = await count(UnitEntity, {});
      const smuggled = await call('POST', '/api/units', admin, { name: '混入村', kind: 'village', townshipId: other.township.id });
      expect(smuggled.status).toBe(400);
      expect(smuggled.body.code).toBe('VALIDATION_FAILED');
      const office = await call('POST', '/api/units', admin, { name: '第二平安办', kind: 'township_office' });
      expect(office.status).toBe(400);
      expect(await count(UnitEntity, {})).toBe(before);
    });

    it('should rename a unit and refuse a name another unit already has', async () => {
      const created = await call('POST', '/api/units', admin, { name: '改名前村', kind: 'village' });
      const renamed = await call('PATCH', `/api/units/${created.body.id}`, admin, { name: '改名后村' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: created.body.id, name: '改名后村' });
      const taken = await call('PATCH', `/api/units/${created.body.id}`, admin, { name: '石门村' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('UNIT_NAME_TAKEN');
      expect((await t.dataSource.getRepository(UnitEntity).findOneBy({ id: created.body.id }))?.name).toBe('改名后村');
    });
  });

  describe('invites and joining', () => {
    it('should let a unit admin issue a crypto-random invite code that expires after the default lifetime', async () => {
      const before = Date.now();
      const response = await call('POST', `/api/units/${santang.id}/invites`, santangAdmin, {});
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ unitId: santang.id, role: 'staff', revokedAt: null });
      expect(response.body.id).toMatch(ULID);
      expect(response.body.code).toHaveLength(LIMITS.inviteCodeLength);
      expect([...response.body.code].every((c: string) => INVITE_ALPHABET.includes(c))).toBe(true);
      const lifetimeHours = (Date.parse(response.body.expiresAt) - before) / 3600_000;
      expect(lifetimeHours).toBeGreaterThan(LIMITS.inviteDefaultHours - 0.1);
      expect(lifetimeHours).toBeLessThan(LIMITS.inviteDefaultHours + 0.1);
    });

    it('should take a resident from join (pending) to approval (active), visible in their /me', async () => {
      const invite = await call('POST', `/api/units/${santang.id}/invites`, santangAdmin, { role: 'staff', validHours: 2 });
      const { user, token } = await buildSignedInUser(t, demo.township.id, { name: '新文书', phone: '13700000001' });
      const typed = `${invite.body.code.slice(0, 4).toLowerCase()}-${invite.body.code.slice(4)}`;

      const joined = await call('POST', '/api/memberships/join', token, { code: typed });
      expect(joined.status).toBe(201);
      expect(joined.body).toMatchObject({ unitId: santang.id, unitName: '三塘村', unitKind: 'village', role: 'staff', status: 'pending' });
      expect(joined.body.id).toMatch(ULID);

      const pending = await call('GET', `/api/units/${santang.id}/members?status=pending`, santangAdmin);
      expect(pending.status).toBe(200);
      const listed = pending.body.find((m: { userId: string }) => m.userId === user.id);
      expect(listed).toMatchObject({ id: joined.body.id, displayName: '新文书', phoneMasked: '137****0001', status: 'pending', decidedAt: null });
      expect(pending.text).not.toContain('13700000001');
      expect(pending.text).not.toMatch(/cipher|phoneIndex/i);

      const approved = await call('POST', `/api/units/${santang.id}/members/${joined.body.id}/approve`, santangAdmin);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ id: joined.body.id, status: 'active' });
      expect(approved.body.decidedAt).not.toBeNull();

      expect((await me(token)).memberships).toEqual([expect.objectContaining({ unitId: santang.id, role: 'staff', status: 'active' })]);
      const adminId = (await me(santangAdmin)).id;
      const row = await t.dataSource.getRepository(MembershipEntity).findOneByOrFail({ id: joined.body.id });
      expect(row.decidedBy).toBe(adminId);
      expect(row.decidedAt).toBeInstanceOf(Date);
      const active = await call('GET', `/api/units/${santang.id}/members?status=active`, santangAdmin);
      expect(active.body.map((m: { userId: string }) => m.userId)).toContain(user.id);
    });

    it('should not create a second membership when a join is retried, even concurrently', async () => {
      const invite = await buildInvite(t.dataSource, santang);
      const { user, token } = await buildSignedInUser(t, demo.township.id);
      const results = await Promise.all([1, 2, 3].map(() => call('POST', '/api/memberships/join', token, { code: invite.code })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('MEMBERSHIP_EXISTS');
      const again = await call('POST', '/api/memberships/join', token, { code: invite.code });
      expect(again.status).toBe(409);
      expect(await count(MembershipEntity, { userId: user.id, unitId: santang.id })).toBe(1);
    });

    it('should refuse a join by someone who already is an active member', async () => {
      const invite = await buildInvite(t.dataSource, santang);
      const { user, token } = await buildSignedInUser(t, demo.township.id);
      await buildMembership(t.dataSource, santang, user.id, { status: MembershipStatus.ACTIVE });
      const response = await call('POST', '/api/memberships/join', token, { code: invite.code });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('MEMBERSHIP_EXISTS');
    });

    it('should reject an application, keep it rejected, and let the person apply again later', async () => {
      const invite = await buildInvite(t.dataSource, santang);
      const { token } = await buildSignedInUser(t, demo.township.id, { name: '被拒者' });
      const joined = await call('POST', '/api/memberships/join', token, { code: invite.code });

      const rejected = await call('POST', `/api/units/${santang.id}/members/${joined.body.id}/reject`, santangAdmin);
      expect(rejected.status).toBe(200);
      expect(rejected.body.status).toBe('rejected');
      expect((await me(token)).memberships).toEqual([expect.objectContaining({ status: 'rejected' })]);

      const lateApproval = await call('POST', `/api/units/${santang.id}/members/${joined.body.id}/approve`, santangAdmin);
      expect(lateApproval.status).toBe(409);
      expect(lateApproval.body.code).toBe('MEMBERSHIP_NOT_PENDING');
      expect((await me(token)).memberships[0].status).toBe('rejected');

      const reapplied = await call('POST', '/api/memberships/join', token, { code: invite.code });
      expect(reapplied.status).toBe(201);
      expect(reapplied.body).toMatchObject({ id: joined.body.id, status: 'pending' });
    });

    it('should make a revoked code unusable and show when it was revoked', async () => {
      const invite = await call('POST', `/api/units/${santang.id}/invites`, santangAdmin, {});
      const revoked = await call('DELETE', `/api/units/${santang.id}/invites/${invite.body.id}`, santangAdmin);
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');

      const { user, token } = await buildSignedInUser(t, demo.township.id);
      const join = await call('POST', '/api/memberships/join', token, { code: invite.body.code });
      expect(join.status).toBe(404);
      expect(join.body.code).toBe('INVITE_NOT_FOUND');
      expect(await count(MembershipEntity, { userId: user.id })).toBe(0);

      const listed = await call('GET', `/api/units/${santang.id}/invites`, santangAdmin);
      expect(listed.body.find((i: { id: string }) => i.id === invite.body.id).revokedAt).not.toBeNull();
      expect((await call('DELETE', `/api/units/${santang.id}/invites/${invite.body.id}`, santangAdmin)).status).toBe(204);
    });

    it('should answer an expired code with 410 INVITE_EXPIRED and write nothing', async () => {
      const invite = await buildInvite(t.dataSource, santang, { expiresAt: new Date(Date.now() - 1000) });
      const { user, token } = await buildSignedInUser(t, demo.township.id);
      const response = await call('POST', '/api/memberships/join', token, { code: invite.code });
      expect(response.status).toBe(410);
      expect(response.body.code).toBe('INVITE_EXPIRED');
      expect(await count(MembershipEntity, { userId: user.id })).toBe(0);
    });

    it('should treat an unknown code and another township’s code alike: 404 INVITE_NOT_FOUND', async () => {
      const foreign = await buildInvite(t.dataSource, other.units['其他村']);
      const { token } = await buildSignedInUser(t, demo.township.id);
      const unknown = await call('POST', '/api/memberships/join', token, { code: 'ZZZZZZZZ' });
      const otherTownship = await call('POST', '/api/memberships/join', token, { code: foreign.code });
      expect(unknown.status).toBe(404);
      expect(otherTownship.status).toBe(404);
      expect(otherTownship.body.code).toBe('INVITE_NOT_FOUND');
      expect(otherTownship.body.message).toBe(unknown.body.message);
    });

    it('should list a unit’s invites newest first', async () => {
      const first = await call('POST', `/api/units/${shimen.id}/invites`, admin, {});
      const second = await call('POST', `/api/units/${shimen.id}/invites`, admin, { role: 'unit_admin' });
      const listed = await call('GET', `/api/units/${shimen.id}/invites`, admin);
      expect(listed.status).toBe(200);
      expect(listed.body.slice(0, 2).map((i: { id: string }) => i.id)).toEqual([second.body.id, first.body.id]);
    });

    it('should keep admin invites to the township admin: a unit admin can neither issue, see, revoke nor approve them', async () => {
      const refused = await call('POST', `/api/units/${santang.id}/invites`, santangAdmin, { role: 'unit_admin' });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN');

      const adminInvite = await call('POST', `/api/units/${santang.id}/invites`, admin, { role: 'unit_admin' });
      expect(adminInvite.status).toBe(201);
      const seenByUnitAdmin = await call('GET', `/api/units/${santang.id}/invites`, santangAdmin);
      expect(seenByUnitAdmin.body.map((i: { id: string }) => i.id)).not.toContain(adminInvite.body.id);
      expect(seenByUnitAdmin.text).not.toContain(adminInvite.body.code);
      expect((await call('DELETE', `/api/units/${santang.id}/invites/${adminInvite.body.id}`, santangAdmin)).status).toBe(404);

      const { token } = await buildSignedInUser(t, demo.township.id, { name: '想当支书' });
      const joined = await call('POST', '/api/memberships/join', token, { code: adminInvite.body.code });
      expect(joined.body).toMatchObject({ role: 'unit_admin', status: 'pending' });
      const approval = await call('POST', `/api/units/${santang.id}/members/${joined.body.id}/approve`, santangAdmin);
      expect(approval.status).toBe(403);
      expect((await me(token)).memberships[0].status).toBe('pending');
      const byTownship = await call('POST', `/api/units/${santang.id}/members/${joined.body.id}/approve`, admin);
      expect(byTownship.status).toBe(200);
    });

    it('should refuse a role that does not fit the unit kind', async () => {
      const police = await call('POST', `/api/units/${santang.id}/invites`, admin, { role: 'police' });
      expect(police.status).toBe(400);
      expect(police.body.code).toBe('ROLE_NOT_ALLOWED_FOR_UNIT');
      const stationAdmin = await tokenFor(t, { role: Role.UNIT_ADMIN, unitId: demo.units['白土派出所'].id, name: '派出所管理员' });
      const atStation = await call('POST', `/api/units/${demo.units['白土派出所'].id}/invites`, stationAdmin, { role: 'police' });
      expect(atStation.status).toBe(201);
    });

    it('should refuse an out-of-range lifetime and write no invite', async () => {
      const before = await count(InviteCodeEntity, { unitId: santang.id });
      for (const validHours of [0, LIMITS.inviteMaxHours + 1, 1.5, '24']) {
        const response = await call('POST', `/api/units/${santang.id}/invites`, santangAdmin, { validHours });
        expect(response.status).toBe(400);
      }
      expect(await count(InviteCodeEntity, { unitId: santang.id })).toBe(before);
    });

    it('should not let anyone decide their own application', async () => {
      const invite = await buildInvite(t.dataSource, shimen);
      const joined = await call('POST', '/api/memberships/join', admin, { code: invite.code });
      expect(joined.status).toBe(201);
      const self = await call('POST', `/api/units/${shimen.id}/members/${joined.body.id}/approve`, admin);
      expect(self.status).toBe(403);
      expect((await t.dataSource.getRepository(MembershipEntity).findOneByOrFail({ id: joined.body.id })).status).toBe('pending');
    });

    it('should answer a membership of another unit as not found', async () => {
      const { user } = await buildSignedInUser(t, demo.township.id);
      const elsewhere = await buildMembership(t.dataSource, shimen, user.id);
      const response = await call('POST', `/api/units/${santang.id}/members/${elsewhere.id}/approve`, santangAdmin);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('MEMBERSHIP_NOT_FOUND');
    });
  });

  describe('roster import', () => {
    const GOOD_AND_BAD = [
      '姓名,手机号,角色',
      '张三,13800000001,工作人员',
      '李四,12345,',
      ',13800000002,',
      '王五,13800000003,民警',
      '赵六,138-0000-0001,',
      '孙七,13800000004,单位管理员',
      '周八,13800000005,',
    ].join('\n');

    it('should save the good lines, report the bad ones with their line numbers, and keep phones encrypted', async () => {
      const response = await upload(santang.id, santangAdmin, Buffer.from('\ufeff' + GOOD_AND_BAD, 'utf8'));
      expect(response.status).toBe(200);
      expect(response.body.imported).toBe(2);
      expect(response.body.updated).toBe(0);
      expect(response.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7]);
      expect(response.body.errors.every((e: { reason: string }) => /[\u4e00-\u9fff]/.test(e.reason))).toBe(true);
      expect(response.body.errors.find((e: { line: number }) => e.line === 6).reason).toContain('第 2 行');

      const roster = await call('GET', `/api/units/${santang.id}/roster`, santangAdmin);
      expect(roster.status).toBe(200);
      expect(roster.body).toEqual([
        { id: expect.stringMatching(ULID), displayName: '张三', phoneMasked: '138****0001', role: 'staff', claimed: false },
        { id: expect.stringMatching(ULID), displayName: '周八', phoneMasked: '138****0005', role: 'staff', claimed: false },
      ]);

      const rows: Record<string, unknown>[] = await t.dataSource.query('SELECT * FROM roster_entries WHERE unit_id = ?', [santang.id]);
      expect(rows).toHaveLength(2);
      const dump = JSON.stringify(rows);
      for (const phone of ['13800000001', '13800000005', '13800000002', '13800000003']) expect(dump).not.toContain(phone);
      const crypto = t.app.get(CryptoService);
      const byName = Object.fromEntries(rows.map((r) => [r.display_name, r]));
      expect(crypto.decrypt(byName['张三'].phone_cipher as string)).toBe('13800000001');
    });

    it('should update name and role when the same phone is imported again', async () => {
      const csv = 'name,phone,role\n张三丰,13800000001,staff\n吴九,13800000006,\n';
      const response = await upload(santang.id, santangAdmin, Buffer.from(csv));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ imported: 1, updated: 1, errors: [] });
      const roster = await call('GET', `/api/units/${santang.id}/roster`, santangAdmin);
      const names = roster.body.map((e: { displayName: string }) => e.displayName);
      expect(names).toEqual(expect.arrayContaining(['张三丰', '吴九']));
      expect(names).not.toContain('张三');
      expect(await count(RosterEntryEntity, { unitId: santang.id })).toBe(3);
    });

    it('should read an XLSX upload whatever its name, with numeric phone cells', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('名册');
      sheet.addRow(['姓名', '手机号', '角色']);
      sheet.addRow(['郑十', 13800000011, '工作人员']);
      sheet.addRow(['钱十一', 'not a phone', '']);
      const file = Buffer.from(await workbook.xlsx.writeBuffer());
      const response = await upload(shimen.id, admin, file, { filename: 'roster.csv', contentType: 'text/csv' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ imported: 1, updated: 0, errors: [{ line: 3, reason: expect.stringContaining('手机号') }] });
    });

    it('should claim an entry at once for a user of the township who already verified that phone', async () => {
      const { token } = await buildSignedInUser(t, demo.township.id, { name: '已验证者', phone: '13800000021' });
      await buildSignedInUser(t, other.township.id, { name: '外乡人', phone: '13800000022' });
      const response = await upload(santang.id, admin, Buffer.from('姓名,手机号\n已验证者,13800000021\n外乡人,13800000022\n'));
      expect(response.body).toMatchObject({ imported: 2, errors: [] });

      const roster = await call('GET', `/api/units/${santang.id}/roster`, admin);
      const claimed = Object.fromEntries(roster.body.map((e: { displayName: string; claimed: boolean }) => [e.displayName, e.claimed]));
      expect(claimed).toMatchObject({ 已验证者: true, 外乡人: false });
      expect((await me(token)).memberships).toEqual([expect.objectContaining({ unitId: santang.id, role: 'staff', status: 'active' })]);
    });

    it('should never change the role of someone already active in the unit when their roster line is claimed', async () => {
      const { user } = await buildSignedInUser(t, demo.township.id, { name: '石门村副支书', phone: '13800000031' });
      await buildMembership(t.dataSource, shimen, user.id, { role: Role.UNIT_ADMIN, status: MembershipStatus.ACTIVE });
      const response = await upload(shimen.id, admin, Buffer.from('姓名,手机号,角色\n石门村副支书,13800000031,工作人员\n'));
      expect(response.body).toMatchObject({ imported: 1, errors: [] });
      const membership = await t.dataSource.getRepository(MembershipEntity).findOneByOrFail({ userId: user.id, unitId: shimen.id });
      expect(membership).toMatchObject({ role: 'unit_admin', status: 'active' });
    });

    it.each([
      ['a pending application, which stays for an admin to decide', MembershipStatus.PENDING, Role.UNIT_ADMIN],
      ['a rejection, which a roster line must not undo', MembershipStatus.REJECTED, Role.STAFF],
    ])('should leave %s untouched when the roster line is claimed', async (_what, status, role) => {
      const phone = status === MembershipStatus.PENDING ? '13800000051' : '13800000052';
      const { user } = await buildSignedInUser(t, demo.township.id, { name: `已申请${status}`, phone });
      await buildMembership(t.dataSource, shimen, user.id, { role, status });
      const response = await upload(shimen.id, admin, Buffer.from(`姓名,手机号,角色\n已申请${status},${phone},工作人员\n`));
      expect(response.body).toMatchObject({ imported: 1, errors: [] });
      const membership = await t.dataSource.getRepository(MembershipEntity).findOneByOrFail({ userId: user.id, unitId: shimen.id });
      expect(membership).toMatchObject({ role, status });
    });

    it('should not let a unit admin overwrite an entry the township admin registered as unit admin', async () => {
      await upload(santang.id, admin, Buffer.from('姓名,手机号,角色\n未来支书,13800000041,单位管理员\n'));
      const response = await upload(santang.id, santangAdmin, Buffer.from('姓名,手机号,角色\n未来支书,13800000041,工作人员\n'));
      expect(response.body).toEqual({ imported: 0, updated: 0, errors: [{ line: 2, reason: expect.stringContaining('乡镇管理员') }] });
    });

    describe('nothing half-written on a bad request', () => {
      const yongan = () => demo.units['永安村'];

      it('should refuse a file over the row limit as a whole', async () => {
        const lines = Array.from({ length: LIMITS.rosterMaxRows + 1 }, (_, i) => `人${i},139${String(i).padStart(8, '0')}`);
        const response = await upload(yongan().id, admin, Buffer.from(`姓名,手机号\n${lines.join('\n')}\n`));
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('ROSTER_TOO_MANY_ROWS');
        expect(await count(RosterEntryEntity, { unitId: yongan().id })).toBe(0);
      });

      it('should refuse a file over the size limit with 413', async () => {
        // Under the row limit and readable, so only the size can refuse it.
        const file = Buffer.from(`姓名,手机号\n张三,13900000001\n${'长'.repeat(LIMITS.rosterMaxBytes / 3)},13900000002\n`);
        expect(file.length).toBeGreaterThan(LIMITS.rosterMaxBytes);
        const response = await upload(yongan().id, admin, file);
        expect(response.status).toBe(413);
        expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
        expect(await count(RosterEntryEntity, { unitId: yongan().id })).toBe(0);
      });

      it('should refuse a disguised file, a wrong field name and a body that is not multipart', async () => {
        const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
        const disguised = await upload(yongan().id, admin, png, { filename: 'roster.csv', contentType: 'text/csv' });
        expect(disguised.status).toBe(400);
        expect(disguised.body.code).toBe('ROSTER_FILE_INVALID');

        const wrongField = await upload(yongan().id, admin, Buffer.from('姓名,手机号\n张三,13900000001\n'), { field: 'roster' });
        expect(wrongField.status).toBe(400);
        expect(wrongField.body.code).toBe('ROSTER_FILE_INVALID');

        const json = await call('POST', `/api/units/${yongan().id}/roster`, admin, { file: '姓名,手机号\n张三,13900000001\n' });
        expect(json.status).toBe(415);
        expect(await count(RosterEntryEntity, { unitId: yongan().id })).toBe(0);
      });

      it('should refuse a file without the required columns', async () => {
        const response = await upload(yongan().id, admin, Buffer.from('名字,电话\n张三,13900000001\n'));
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('ROSTER_FILE_INVALID');
        expect(response.body.message).toContain('手机号');
        expect(await count(RosterEntryEntity, { unitId: yongan().id })).toBe(0);
      });
    });
  });
});
