import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import { decodeJwt, SignJWT } from 'jose';
import { buildDemoTownship, login, multipartUpload, tokenFor } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp } from './harness.js';
import { FakeWechat } from './support/fake-wechat.js';
import { countRows } from './support/row-counts.js';
import { DB_TIER } from './test-db.js';

const BODY_LIMIT = 2048;
const CHINESE = /[\u4e00-\u9fff]/;
const json = { 'content-type': 'application/json' };

interface Case {
  what: string;
  request: RequestOptions;
  status: number;
  code: ErrorCode;
  /** Part of the message people read. */
  message?: string | RegExp;
}

const wechat = (body: unknown): RequestOptions => ({ method: 'POST', url: '/api/auth/wechat', body });
const wechatRaw = (payload: string | Buffer, headers: Record<string, string> = json): RequestOptions => ({
  method: 'POST',
  url: '/api/auth/wechat',
  payload,
  headers,
});
const devLogin = (body: unknown): RequestOptions => ({ method: 'POST', url: '/api/auth/dev-login', body });

const CASES: Case[] = [
  // Unknown fields are refused, never stripped silently.
  { what: 'an unknown field', request: wechat({ code: 'ok-x:1', isAdmin: true }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: 'isAdmin 不允许的字段' },
  { what: 'an unknown field next to valid ones', request: devLogin({ name: '张三', townshipId: 'x' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: 'townshipId 不允许的字段' },
  // Wrong types.
  { what: 'a number for a text field', request: wechat({ code: 123 }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  { what: 'an array for a text field', request: wechat({ code: ['ok-x:2'] }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  { what: 'an object for a text field', request: wechat({ code: { $ne: '' } }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  { what: 'null for a required field', request: wechat({ code: null }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  { what: 'a boolean for a text field', request: devLogin({ name: true }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '姓名必须是文本' },
  { what: 'a role that does not exist', request: devLogin({ role: 'superuser' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '角色取值不在允许范围内' },
  { what: 'an id that is not an id', request: devLogin({ role: 'staff', unitId: "1' OR '1'='1" }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '单位格式不正确' },
  { what: 'a number for the refresh token', request: { method: 'POST', url: '/api/auth/refresh', body: { refreshToken: 42 } }, status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  // Missing, empty and over-long strings.
  { what: 'a missing required field', request: wechat({}), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  { what: 'no body at all', request: { method: 'POST', url: '/api/auth/wechat' }, status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证必须是文本' },
  { what: 'an empty string', request: wechat({ code: '' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证不能为空' },
  { what: 'an empty optional string', request: devLogin({ name: '' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '姓名不能为空' },
  { what: 'a code one character over its limit', request: wechat({ code: 'o'.repeat(129) }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证过长' },
  { what: 'a name one character over its limit', request: devLogin({ name: '名'.repeat(41) }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '姓名过长' },
  { what: 'a NUL character in a name', request: devLogin({ name: '张\u0000三' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '姓名不能包含换行、制表符等控制字符' },
  { what: 'a line break in a name', request: devLogin({ name: '张三\n管理员' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '姓名不能包含换行、制表符等控制字符' },
  { what: 'an over-long refresh token', request: { method: 'POST', url: '/api/auth/refresh', body: { refreshToken: 'r'.repeat(129) } }, status: 400, code: ErrorCode.VALIDATION_FAILED, message: '登录凭证过长' },
  // Bodies that are not JSON objects.
  { what: 'a truncated JSON body', request: wechatRaw('{"code": "ok-x:3'), status: 400, code: ErrorCode.MALFORMED_JSON },
  { what: 'a JavaScript object literal', request: wechatRaw("{code: 'ok-x:4'}"), status: 400, code: ErrorCode.MALFORMED_JSON },
  { what: 'an empty JSON body', request: wechatRaw(''), status: 400, code: ErrorCode.MALFORMED_JSON },
  { what: 'a prototype-polluting body', request: wechatRaw('{"code":"ok-x:5","__proto__":{"isAdmin":true}}'), status: 400, code: ErrorCode.MALFORMED_JSON },
  { what: 'a JSON array', request: wechatRaw('[{"code":"ok-x:6"}]'), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '请求内容必须是一个 JSON 对象' },
  { what: 'a JSON string', request: wechatRaw('"ok-x:7"'), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '请求内容必须是一个 JSON 对象' },
  { what: 'a JSON number', request: wechatRaw('42'), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '请求内容必须是一个 JSON 对象' },
  { what: 'JSON true', request: wechatRaw('true'), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '请求内容必须是一个 JSON 对象' },
  { what: 'JSON null', request: wechatRaw('null'), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '请求内容必须是一个 JSON 对象' },
  // Size and media type.
  { what: 'a body over BODY_LIMIT_BYTES', request: wechatRaw(JSON.stringify({ code: 'o'.repeat(BODY_LIMIT) })), status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, message: '提交的内容过大' },
  { what: 'a text/plain body', request: wechatRaw('{"code":"ok-x:8"}', { 'content-type': 'text/plain' }), status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE },
  { what: 'a form-encoded body', request: wechatRaw('code=ok-x:9', { 'content-type': 'application/x-www-form-urlencoded' }), status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE },
  { what: 'an XML body', request: wechatRaw('<code>ok-x:10</code>', { 'content-type': 'application/xml' }), status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE },
  { what: 'a body without a content type', request: wechatRaw(Buffer.from('{"code":"ok-x:11"}'), {}), status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE },
];

describe(`bad input is refused with a stable code, a Chinese message and nothing written (${DB_TIER})`, () => {
  let fake: FakeWechat;
  let t: TestApp;
  let residentToken: string;
  let client = 0;

  beforeAll(async () => {
    fake = await FakeWechat.start();
    t = await startTestApp({ env: { ...fake.env(), BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    await buildDemoTownship(t.dataSource);
    residentToken = (await login(t, { name: '坏输入测试' })).accessToken;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /**
   * Sends the request as a fresh client (its own X-Forwarded-For address), so the login routes' rate limit never
   * answers before validation does, and checks the refusal and that no table changed.
   */
  async function expectRefused({ request, status, code, message }: Omit<Case, 'what'>): Promise<void> {
    const before = await countRows(t.dataSource);
    client += 1;
    const response = await t.request({ ...request, headers: { 'x-forwarded-for': `10.77.${client >> 8}.${client & 255}`, ...request.headers } });
    expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
    expect(response.body.message).toMatch(CHINESE);
    if (message) expect(response.body.message).toMatch(message);
    expect(response.body.requestId).toMatch(/^[0-9A-Z]{26}$/);
    expect(response.headers['x-request-id']).toBe(response.body.requestId);
    expect(await countRows(t.dataSource)).toEqual(before);
  }

  it.each(CASES.map((c) => [c.what, c] as const))('should refuse %s', async (_what, c) => {
    await expectRefused(c);
  });

  it('should list every problem field by field in details', async () => {
    const response = await t.request(devLogin({ role: 'superuser', name: '', extra: 1 }));
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { field: 'role', message: '角色取值不在允许范围内' },
        { field: 'name', message: '姓名不能为空' },
        { field: 'extra', message: 'extra 不允许的字段' },
      ]),
    );
  });

  describe('on a route that writes for the caller (POST /api/auth/phone)', () => {
    const secret = () => new TextEncoder().encode(t.config.auth.jwtSecret);
    const phone = (token?: string, body: unknown = { code: 'phone-13812345678' }): RequestOptions => ({ method: 'POST', url: '/api/auth/phone', token, body });
    /** The resident's own claims, so a token that got through would write to a real user. */
    const residentClaims = () => {
      const { sub, tid } = decodeJwt(residentToken) as { sub: string; tid: string };
      return new SignJWT({ tid }).setSubject(sub).setIssuer('qmfz-api').setAudience('qmfz-access').setProtectedHeader({ alg: 'HS256' });
    };
    const residentPhone = async () => (await t.dataSource.query(`SELECT phone_masked FROM users WHERE display_name = ?`, ['坏输入测试']))[0].phone_masked;
    afterEach(async () => {
      if (expect.getState().currentTestName?.includes('control')) return;
      expect(await residentPhone()).toBeNull();
    });

    it('should refuse a request without a token with 401 AUTH_REQUIRED', async () => {
      await expectRefused({ request: phone(), status: 401, code: ErrorCode.AUTH_REQUIRED, message: '请先登录' });
    });

    it('should refuse an expired token with 401 AUTH_TOKEN_EXPIRED', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await residentClaims().setIssuedAt(now - 100).setExpirationTime(now - 10).sign(secret());
      await expectRefused({ request: phone(expired), status: 401, code: ErrorCode.AUTH_TOKEN_EXPIRED });
    });

    it('should refuse a forged token with 401 AUTH_TOKEN_INVALID', async () => {
      const forged = await residentClaims().setExpirationTime('5m').sign(new TextEncoder().encode('f'.repeat(40)));
      await expectRefused({ request: phone(forged), status: 401, code: ErrorCode.AUTH_TOKEN_INVALID });
    });

    it('should refuse an empty code from a signed-in caller', async () => {
      await expectRefused({ request: phone(residentToken, { code: '' }), status: 400, code: ErrorCode.VALIDATION_FAILED, message: '手机号凭证不能为空' });
    });

    it('should write when the same request is valid (the control for the refusals above)', async () => {
      const before = await countRows(t.dataSource);
      const response = await t.request(phone(residentToken));
      expect(response.status).toBe(200);
      expect(await residentPhone()).toBe('138****5678');
      expect(await countRows(t.dataSource)).toEqual(before);
    });
  });

  it('should create a user and a refresh token for a valid WeChat sign-in (the control for the login refusals)', async () => {
    const before = await countRows(t.dataSource);
    const response = await t.request(wechat({ code: 'ok-control:1' }));
    expect(response.status).toBe(200);
    const after = await countRows(t.dataSource);
    expect(after.users).toBe(before.users + 1);
    expect(after.refresh_tokens).toBe(before.refresh_tokens + 1);
  });
});

describe(`a broken multipart upload is the client's 400, never a 500, and writes nothing (${DB_TIER})`, () => {
  let t: TestApp;
  let url: string;
  let token: string;
  const roster = Buffer.from('姓名,手机号\n张三,13812345678\n', 'utf8');
  beforeAll(async () => {
    t = await startTestApp();
    const { units } = await buildDemoTownship(t.dataSource);
    url = `/api/units/${units['三塘村'].id}/roster`;
    token = await tokenFor(t, { role: 'township_admin' });
  });
  afterAll(() => t.close());

  async function expectInvalidUpload(payload: Buffer, headers: Record<string, string>): Promise<void> {
    const before = await countRows(t.dataSource);
    const response = await t.request({ method: 'POST', url, token, payload, headers });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(ErrorCode.ROSTER_FILE_INVALID);
    expect(response.body.message).toMatch(CHINESE);
    expect(await countRows(t.dataSource)).toEqual(before);
  }

  it('should refuse a multipart content type without a boundary', async () => {
    const { payload } = multipartUpload(roster);
    await expectInvalidUpload(payload, { 'content-type': 'multipart/form-data' });
  });

  it('should refuse a multipart body cut off in the middle of the file', async () => {
    const { payload, headers } = multipartUpload(roster);
    await expectInvalidUpload(payload.subarray(0, payload.length - 30), headers);
  });

  it('should refuse the file under another field name', async () => {
    const { payload, headers } = multipartUpload(roster, { field: 'upload' });
    await expectInvalidUpload(payload, headers);
  });

  it('should import the same upload when it is whole (the control for the refusals above)', async () => {
    const { payload, headers } = multipartUpload(roster);
    const response = await t.request({ method: 'POST', url, token, payload, headers });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ imported: 1, errors: [] });
  });
});
