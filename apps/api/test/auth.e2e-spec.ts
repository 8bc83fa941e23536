import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ErrorCode, MembershipStatus, Role, UnitKind, type TokenResponse } from '@qmfz/contracts';
import { decodeJwt, SignJWT } from 'jose';
import { PHONE_INDEX_NAMESPACE } from '../src/common/phone.js';
import { newId } from '../src/common/ids.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { RefreshTokenEntity, RosterEntryEntity, UserEntity } from '../src/database/entities/index.js';
import { buildDemoTownship, buildTownship, type BuiltTownship } from './builders.js';
import { startTestApp, type TestApp } from './harness.js';
import { fakeOpenid, FakeWechat } from './support/fake-wechat.js';
import { countRows } from './support/row-counts.js';
import { DB_TIER } from './test-db.js';

// Stays under the login route's limit of 30 per minute per client: about twenty sign-ins in this file.
describe(`sign-in, tokens and phone binding (${DB_TIER})`, () => {
  let fake: FakeWechat;
  let t: TestApp;
  let demo: BuiltTownship;

  beforeAll(async () => {
    fake = await FakeWechat.start();
    t = await startTestApp({ env: { ...fake.env(), ACCESS_TOKEN_TTL: '30' } });
    demo = await buildDemoTownship(t.dataSource);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function wechatLogin(code: string): Promise<TokenResponse> {
    const response = await t.request({ method: 'POST', url: '/api/auth/wechat', body: { code } });
    expect(response.status).toBe(200);
    return response.body;
  }
  const me = (token: string, scheme = 'Bearer') => t.request({ method: 'GET', url: '/api/me', headers: { authorization: `${scheme} ${token}` } });
  const refresh = (refreshToken: string) => t.request({ method: 'POST', url: '/api/auth/refresh', body: { refreshToken } });
  const logout = (refreshToken: string) => t.request({ method: 'POST', url: '/api/auth/logout', body: { refreshToken } });
  const usersWithOpenid = (who: string) => t.dataSource.getRepository(UserEntity).countBy({ openid: fakeOpenid(who) });
  const familyOf = async (refreshToken: string) => {
    const tokenHash = t.app.get(CryptoService).sha256(refreshToken);
    const row = await t.dataSource.getRepository(RefreshTokenEntity).findOneByOrFail({ tokenHash });
    return t.dataSource.getRepository(RefreshTokenEntity).findBy({ familyId: row.familyId });
  };

  describe('WeChat sign-in', () => {
    it('should create a user on the first sign-in and find the same user on the next one', async () => {
      const first = await wechatLogin('ok-dave:1');
      const second = await wechatLogin('ok-dave:2');
      expect((await me(first.accessToken)).body.id).toBe((await me(second.accessToken)).body.id);
      expect(await usersWithOpenid('dave')).toBe(1);
    });

    it('should create exactly one user when the same person signs in eight times at once', async () => {
      const logins = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => wechatLogin(`ok-erin:${n}`)));
      const ids = await Promise.all(logins.map(async (l) => (await me(l.accessToken)).body.id));
      expect(new Set(ids).size).toBe(1);
      expect(await usersWithOpenid('erin')).toBe(1);
    });

    it('should let the access token open /api/me with the home township and no memberships', async () => {
      const tokens = await wechatLogin('ok-fay:1');
      expect(tokens.expiresIn).toBe(30);
      const claims = decodeJwt(tokens.accessToken);
      expect(claims.exp! - claims.iat!).toBe(30);
      const response = await me(tokens.accessToken);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        displayName: '微信用户',
        phoneMasked: null,
        township: { id: demo.township.id, code: 'baitu', name: '白土乡' },
        memberships: [],
      });
    });

    it('should accept the Bearer scheme in any letter case', async () => {
      const tokens = await wechatLogin('ok-fay:2');
      expect((await me(tokens.accessToken, 'bearer')).status).toBe(200);
    });
  });

  describe('refresh tokens', () => {
    it('should rotate: the new pair works and the old refresh token is refused afterwards', async () => {
      const first = await wechatLogin('ok-gus:1');
      const rotated = await refresh(first.refreshToken);
      expect(rotated.status).toBe(200);
      expect(rotated.body.refreshToken).not.toBe(first.refreshToken);
      expect((await me(rotated.body.accessToken)).status).toBe(200);
      const replay = await refresh(first.refreshToken);
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe(ErrorCode.AUTH_REFRESH_INVALID);
    });

    it('should end the whole login when a used refresh token comes back, and leave other logins alone', async () => {
      const login = await wechatLogin('ok-hal:1');
      const otherDevice = await wechatLogin('ok-hal:2');
      const second = (await refresh(login.refreshToken)).body as TokenResponse;
      const third = (await refresh(second.refreshToken)).body as TokenResponse;

      expect((await refresh(login.refreshToken)).status).toBe(401); // the stolen copy is replayed
      const latest = await refresh(third.refreshToken);
      expect(latest.status).toBe(401);
      expect(latest.body.code).toBe(ErrorCode.AUTH_REFRESH_INVALID);
      const family = await familyOf(third.refreshToken);
      expect(family).toHaveLength(3);
      expect(family.every((row) => row.revokedAt !== null)).toBe(true);

      expect((await refresh(otherDevice.refreshToken)).status).toBe(200);
    });

    it('should end the whole login when one refresh token is used twice at the same moment', async () => {
      for (let round = 0; round < 5; round++) {
        // Its own client address, so these sign-ins stay out of the login limit the rest of the file counts on.
        const headers = { 'x-forwarded-for': `203.0.113.${round + 1}` };
        const login = await t.request({ method: 'POST', url: '/api/auth/wechat', body: { code: `ok-race:${round}` }, headers });
        const both = await Promise.all([1, 2].map(() => t.request({ method: 'POST', url: '/api/auth/refresh', body: { refreshToken: login.body.refreshToken }, headers })));
        expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
        const winner = both.find((r) => r.status === 200)!.body as TokenResponse;
        // The winner's new token was issued inside the raced login, so it dies with it.
        expect((await refresh(winner.refreshToken)).status).toBe(401);
        expect((await familyOf(winner.refreshToken)).every((row) => row.revokedAt !== null)).toBe(true);
      }
    });

    it('should store only a hash of each refresh token', async () => {
      const tokens = await wechatLogin('ok-hal:3');
      const rows = await t.dataSource.query(`SELECT * FROM refresh_tokens`);
      for (const row of rows) expect(JSON.stringify(row)).not.toContain(tokens.refreshToken);
      expect((await familyOf(tokens.refreshToken))[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('should revoke the login on logout', async () => {
      const tokens = await wechatLogin('ok-ida:1');
      const rotated = (await refresh(tokens.refreshToken)).body as TokenResponse;
      expect((await logout(rotated.refreshToken)).status).toBe(204);
      const after = await refresh(rotated.refreshToken);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe(ErrorCode.AUTH_REFRESH_INVALID);
      expect((await familyOf(rotated.refreshToken)).every((row) => row.revokedAt !== null)).toBe(true);
    });

    it('should answer logout with an unknown token with 204 and change nothing', async () => {
      const before = await countRows(t.dataSource);
      expect((await logout('no-such-token')).status).toBe(204);
      expect(await countRows(t.dataSource)).toEqual(before);
    });

    it('should refuse an unknown or expired refresh token with 401 AUTH_REFRESH_INVALID', async () => {
      expect((await refresh('no-such-token')).body.code).toBe(ErrorCode.AUTH_REFRESH_INVALID);
      const tokens = await wechatLogin('ok-ida:2');
      const [row] = await familyOf(tokens.refreshToken);
      await t.dataSource.getRepository(RefreshTokenEntity).update({ id: row.id }, { expiresAt: new Date(Date.now() - 1000) });
      const response = await refresh(tokens.refreshToken);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(ErrorCode.AUTH_REFRESH_INVALID);
    });
  });

  describe('access tokens', () => {
    let userId: string;
    let townshipId: string;
    let valid: string;
    const secret = () => new TextEncoder().encode(t.config.auth.jwtSecret);
    const claims = () => new SignJWT({ tid: townshipId }).setSubject(userId).setIssuer('qmfz-api').setAudience('qmfz-access').setIssuedAt();
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    beforeAll(async () => {
      valid = (await wechatLogin('ok-jon:1')).accessToken;
      ({ sub: userId, tid: townshipId } = decodeJwt(valid) as { sub: string; tid: string });
    });

    it('should accept a token crafted the way the API signs them (the control for the cases below)', async () => {
      const token = await claims().setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(secret());
      expect((await me(token)).status).toBe(200);
    });

    it('should answer an expired token with 401 AUTH_TOKEN_EXPIRED', async () => {
      const token = await claims()
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(secret());
      const response = await me(token);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: ErrorCode.AUTH_TOKEN_EXPIRED, message: '登录已过期，请重新登录' });
    });

    it('should refuse its own token once ACCESS_TOKEN_TTL has passed', async () => {
      const token = (await wechatLogin('ok-jon:2')).accessToken;
      // Only Date moves 31 s ahead; timers and I/O stay real.
      jest.useFakeTimers({ now: Date.now() + 31_000, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
      try {
        const response = await me(token);
        expect(response.status).toBe(401);
        expect(response.body.code).toBe(ErrorCode.AUTH_TOKEN_EXPIRED);
      } finally {
        jest.useRealTimers();
      }
      expect((await me(token)).status).toBe(200);
    });

    it.each([
      ['signed with another secret', async () => claims().setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(new TextEncoder().encode('x'.repeat(48)))],
      ['with alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(decodeJwt(valid))}.`],
      ['signed with HS512 instead of HS256', async () => claims().setProtectedHeader({ alg: 'HS512' }).setExpirationTime('1m').sign(secret())],
      ['for another audience', async () => claims().setAudience('someone-else').setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(secret())],
      ['from another issuer', async () => claims().setIssuer('evil').setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(secret())],
      ['without a township', async () => new SignJWT({}).setSubject(userId).setIssuer('qmfz-api').setAudience('qmfz-access').setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(secret())],
      ['whose payload was edited after signing', async () => {
        const [header, , signature] = valid.split('.');
        return `${header}.${b64({ ...decodeJwt(valid), sub: newId() })}.${signature}`;
      }],
      ['that is not a JWT at all', async () => 'garbage'],
      ['of three empty parts', async () => '..'],
    ])('should answer a token %s with 401 AUTH_TOKEN_INVALID', async (_what, make) => {
      const response = await me(await make());
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: ErrorCode.AUTH_TOKEN_INVALID, message: '登录凭证无效，请重新登录' });
    });

    it('should answer a request without a token with 401 AUTH_REQUIRED and another scheme with AUTH_TOKEN_INVALID', async () => {
      const none = await t.request({ method: 'GET', url: '/api/me' });
      expect([none.status, none.body.code]).toEqual([401, ErrorCode.AUTH_REQUIRED]);
      const basic = await me(Buffer.from('user:pass').toString('base64'), 'Basic');
      expect([basic.status, basic.body.code]).toEqual([401, ErrorCode.AUTH_TOKEN_INVALID]);
    });
  });

  describe('phone binding', () => {
    const crypto = () => t.app.get(CryptoService);
    async function addRosterEntry(townshipId: string, unitId: string, phone: string, role: Role = Role.STAFF) {
      const now = new Date();
      const entry: RosterEntryEntity = {
        id: newId(),
        townshipId,
        unitId,
        displayName: '名册人员',
        phoneCipher: crypto().encrypt(phone),
        phoneIndex: crypto().blindIndex(PHONE_INDEX_NAMESPACE, phone),
        phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        role,
        claimedBy: null,
        createdAt: now,
        updatedAt: now,
      };
      await t.dataSource.getRepository(RosterEntryEntity).insert(entry);
      return entry;
    }
    const bind = (token: string, code: string) => t.request({ method: 'POST', url: '/api/auth/phone', token, body: { code } });

    it('should store the number only as ciphertext, blind index and mask', async () => {
      const phone = '13876543210';
      const { accessToken } = await wechatLogin('ok-kim:1');
      const response = await bind(accessToken, `phone-${phone}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ phoneMasked: '138****3210', claimedMemberships: 0 });

      const userId = (await me(accessToken)).body.id;
      const [row] = await t.dataSource.query(`SELECT * FROM users WHERE id = ?`, [userId]);
      for (const [column, value] of Object.entries(row)) {
        expect([column, String(value)]).not.toEqual([column, expect.stringContaining(phone)]);
        expect([column, String(value)]).not.toEqual([column, expect.stringContaining('7654')]);
      }
      expect(row.phone_masked).toBe('138****3210');
      expect(row.phone_index).toBe(crypto().blindIndex(PHONE_INDEX_NAMESPACE, phone));
      expect(row.phone_cipher).toMatch(/^v1\.dev1\./);
      expect(crypto().decrypt(row.phone_cipher)).toBe(phone);
      expect((await me(accessToken)).body.phoneMasked).toBe('138****3210');
    });

    it("should turn a matching roster entry of the user's township into an active membership, and no other township's", async () => {
      const phone = '13911112222';
      const unit = demo.units['白土司法所'];
      const own = await addRosterEntry(demo.township.id, unit.id, phone);
      const elsewhere = await buildTownship(t.dataSource, 'other', '别的乡', [{ name: '别的村', kind: UnitKind.VILLAGE }]);
      const foreign = await addRosterEntry(elsewhere.township.id, elsewhere.units['别的村'].id, phone);

      const { accessToken } = await wechatLogin('ok-lee:1');
      const response = await bind(accessToken, `phone-${phone}`);
      expect(response.body).toEqual({ phoneMasked: '139****2222', claimedMemberships: 1 });

      const profile = (await me(accessToken)).body;
      expect(profile.memberships).toEqual([
        expect.objectContaining({ unitId: unit.id, unitName: '白土司法所', role: Role.STAFF, status: MembershipStatus.ACTIVE }),
      ]);
      const entries = t.dataSource.getRepository(RosterEntryEntity);
      expect((await entries.findOneByOrFail({ id: own.id })).claimedBy).toBe(profile.id);
      expect((await entries.findOneByOrFail({ id: foreign.id })).claimedBy).toBeNull();

      // Binding again claims nothing more: the entry is already taken.
      expect((await bind(accessToken, `phone-${phone}`)).body.claimedMemberships).toBe(0);
    });

    it('should require a signed-in caller', async () => {
      const response = await t.request({ method: 'POST', url: '/api/auth/phone', body: { code: 'phone-13911112222' } });
      expect([response.status, response.body.code]).toEqual([401, ErrorCode.AUTH_REQUIRED]);
    });
  });
});

describe(`the development login switched off (${DB_TIER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DEV_LOGIN: 'false' } });
    await buildDemoTownship(t.dataSource);
  });
  afterAll(() => t.close());

  it.each([{}, { role: Role.TOWNSHIP_ADMIN }])('should answer %j with 403 AUTH_DEV_LOGIN_DISABLED and create nobody', async (body) => {
    const before = await countRows(t.dataSource);
    const response = await t.request({ method: 'POST', url: '/api/auth/dev-login', body });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: ErrorCode.AUTH_DEV_LOGIN_DISABLED, message: '演示登录未开启' });
    expect(await countRows(t.dataSource)).toEqual(before);
  });
});
