import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import { AppException } from '../src/common/app-exception.js';
import type { AppConfig } from '../src/config/config.js';
import { UserEntity } from '../src/database/entities/index.js';
import { WechatClient } from '../src/wechat/wechat.client.js';
import { buildDemoTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { fakeOpenid, FakeWechat } from './support/fake-wechat.js';
import { DB_TIER } from './test-db.js';

const TIMEOUT_MS = 300;
const CHINESE = /[\u4e00-\u9fff]/;

describe(`the WeChat adapter against a fake WeChat server (${DB_TIER})`, () => {
  let fake: FakeWechat;
  let t: TestApp;
  const logLines: string[] = [];
  const responses: TestResponse[] = [];

  beforeAll(async () => {
    fake = await FakeWechat.start({ slowMs: TIMEOUT_MS * 5 });
    t = await startTestApp({ env: fake.env(TIMEOUT_MS), logStream: { write: (line) => void logLines.push(line) } });
    await buildDemoTownship(t.dataSource);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function call(options: RequestOptions): Promise<TestResponse> {
    const response = await t.request(options);
    responses.push(response);
    return response;
  }
  const wechatLogin = (code: string) => call({ method: 'POST', url: '/api/auth/wechat', body: { code } });
  const bindPhone = (token: string, code: string) => call({ method: 'POST', url: '/api/auth/phone', token, body: { code } });
  const userCount = () => t.dataSource.getRepository(UserEntity).count();
  /** Calls `action` and returns the requests the fake received meanwhile. */
  async function wechatTraffic(action: () => Promise<unknown>) {
    const from = fake.requests.length;
    await action();
    return fake.requests.slice(from);
  }

  describe('login (jscode2session)', () => {
    it('should sign in with a valid code, sending the AppID and AppSecret to WeChat and nothing of the session back', async () => {
      const traffic = await wechatTraffic(async () => {
        const response = await wechatLogin('ok-alice:1');
        expect(response.status).toBe(200);
        expect(Object.keys(response.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshExpiresIn', 'refreshToken']);
        expect(response.text).not.toContain(fake.sessionKeys.at(-1)!);
        expect(response.text).not.toContain(fakeOpenid('alice'));
      });
      expect(traffic).toEqual([
        {
          method: 'GET',
          path: '/sns/jscode2session',
          query: { appid: fake.appId, secret: fake.secret, js_code: 'ok-alice:1', grant_type: 'authorization_code' },
          body: undefined,
        },
      ]);
      const user = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ openid: fakeOpenid('alice') });
      expect(user.displayName).toBe('微信用户');
    });

    it.each([
      ['invalid', 'an invalid code (40029)', 400, ErrorCode.WECHAT_CODE_INVALID],
      ['ok-alice:1', 'a code used twice (40163)', 400, ErrorCode.WECHAT_CODE_INVALID],
      ['ratelimit', 'its rate limit (45011)', 429, ErrorCode.WECHAT_RATE_LIMITED],
      ['busy', 'system busy (-1)', 503, ErrorCode.WECHAT_UNAVAILABLE],
      ['garbage', 'a malformed JSON body', 503, ErrorCode.WECHAT_UNAVAILABLE],
      ['http500', 'an HTTP 500 page', 503, ErrorCode.WECHAT_UNAVAILABLE],
      ['empty', 'a reply without openid', 503, ErrorCode.WECHAT_UNAVAILABLE],
    ])('should map WeChat answering "%s" (%s) to %i %s and create no user', async (code, _what, status, errorCode) => {
      const before = await userCount();
      const response = await wechatLogin(code);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ code: errorCode, message: expect.stringMatching(CHINESE), requestId: expect.any(String) });
      expect(await userCount()).toBe(before);
    });

    it('should give up on a slow WeChat after WECHAT_TIMEOUT_MS with 503 WECHAT_UNAVAILABLE', async () => {
      const started = Date.now();
      const response = await wechatLogin('slow');
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.body.code).toBe(ErrorCode.WECHAT_UNAVAILABLE);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(TIMEOUT_MS * 4);
      expect(logLines.some((line) => /"context":"Wechat".*"problem":"timeout"/.test(line))).toBe(true);
    });
  });

  describe('misconfiguration, called on the adapter directly', () => {
    const clientWith = (wechat: Partial<AppConfig['wechat']>) => new WechatClient({ ...t.config, wechat: { ...t.config.wechat, ...wechat } });
    async function failureOf(promise: Promise<unknown>): Promise<AppException> {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppException);
      return error as AppException;
    }

    it('should answer 503 WECHAT_UNAVAILABLE when WeChat refuses our AppSecret (40125), not blame the user', async () => {
      const error = await failureOf(clientWith({ secret: 'not-the-secret' }).code2Session('ok-bob:1'));
      expect([error.code, error.status]).toEqual([ErrorCode.WECHAT_UNAVAILABLE, 503]);
    });

    it('should answer 503 WECHAT_UNAVAILABLE when WeChat cannot be reached', async () => {
      const error = await failureOf(clientWith({ baseUrl: 'http://127.0.0.1:1' }).code2Session('ok-bob:2'));
      expect([error.code, error.status]).toEqual([ErrorCode.WECHAT_UNAVAILABLE, 503]);
    });

    it('should answer 503 with a clear message and call nobody when no AppID is configured', async () => {
      const error = await failureOf(clientWith({ appId: undefined, baseUrl: 'http://127.0.0.1:1' }).code2Session('ok-bob:3'));
      expect([error.code, error.status]).toEqual([ErrorCode.WECHAT_UNAVAILABLE, 503]);
      expect(error.message).toContain('AppID');
    });

    it('should return the openid and keep session_key inside the adapter result only', async () => {
      const session = await clientWith({}).code2Session('ok-bob:4');
      expect(session).toEqual({ openid: fakeOpenid('bob'), unionid: undefined, sessionKey: fake.sessionKeys.at(-1) });
    });
  });

  describe('phone number (stable_token + getuserphonenumber)', () => {
    let token: string;
    beforeAll(async () => {
      token = (await wechatLogin('ok-carol:1')).body.accessToken;
    });

    it('should fetch one access token with the AppID and AppSecret and reuse it for later calls', async () => {
      const traffic = await wechatTraffic(async () => {
        expect((await bindPhone(token, 'phone-13812345678')).body).toEqual({ phoneMasked: '138****5678', claimedMemberships: 0 });
        expect((await bindPhone(token, 'phone-13912345678')).body).toEqual({ phoneMasked: '139****5678', claimedMemberships: 0 });
      });
      expect(traffic.map((r) => r.path)).toEqual(['/cgi-bin/stable_token', '/wxa/business/getuserphonenumber', '/wxa/business/getuserphonenumber']);
      expect(traffic[0]).toMatchObject({ method: 'POST', body: { grant_type: 'client_credential', appid: fake.appId, secret: fake.secret } });
      expect(traffic[1]).toMatchObject({ method: 'POST', query: { access_token: fake.accessTokens[0] }, body: { code: 'phone-13812345678' } });
      expect(traffic[2].query.access_token).toBe(fake.accessTokens[0]);
    });

    it('should renew the access token once when WeChat says it expired (40001) and retry the call', async () => {
      fake.expireAccessTokenOnce();
      const traffic = await wechatTraffic(async () => {
        const response = await bindPhone(token, 'phone-13712345678');
        expect(response.status).toBe(200);
        expect(response.body.phoneMasked).toBe('137****5678');
      });
      const [oldToken, newToken] = fake.accessTokens.slice(-2);
      expect(traffic.map((r) => `${r.path} ${r.query.access_token ?? ''}`.trim())).toEqual([
        `/wxa/business/getuserphonenumber ${oldToken}`,
        '/cgi-bin/stable_token',
        `/wxa/business/getuserphonenumber ${newToken}`,
      ]);
      expect(newToken).not.toBe(oldToken);
    });

    it('should renew only once and answer 503 when WeChat keeps refusing the token', async () => {
      fake.rejectAllTokens = true;
      try {
        const traffic = await wechatTraffic(async () => {
          const response = await bindPhone(token, 'phone-13612345678');
          expect(response.status).toBe(503);
          expect(response.body.code).toBe(ErrorCode.WECHAT_UNAVAILABLE);
        });
        expect(traffic.map((r) => r.path)).toEqual(['/wxa/business/getuserphonenumber', '/cgi-bin/stable_token', '/wxa/business/getuserphonenumber']);
      } finally {
        fake.rejectAllTokens = false;
      }
    });

    it.each([
      ['invalid', 400, ErrorCode.WECHAT_CODE_INVALID],
      ['ratelimit', 429, ErrorCode.WECHAT_RATE_LIMITED],
      // A foreign number whose digits happen to look like a mainland mobile.
      ['intl-13812345678', 400, ErrorCode.VALIDATION_FAILED],
    ])('should refuse the phone code "%s" with %i %s and leave the stored number alone', async (code, status, errorCode) => {
      const userId = (await call({ method: 'GET', url: '/api/me', token })).body.id;
      const before = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: userId });
      const response = await bindPhone(token, code);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ code: errorCode, message: expect.stringMatching(CHINESE) });
      const after = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: userId });
      expect(after.phoneCipher).toBe(before.phoneCipher);
      expect(after.phoneMasked).toBe(before.phoneMasked);
    });
  });

  it('should never let session_key, the AppSecret or the WeChat access token reach a response or a log line', () => {
    const secrets = fake.secrets();
    expect(fake.sessionKeys.length).toBeGreaterThan(3);
    expect(fake.accessTokens.length).toBeGreaterThan(1);
    // The adapter's own warnings arrive in the same stream, so the check below covers them too.
    expect(logLines.some((line) => line.includes('"context":"Wechat"'))).toBe(true);
    const outputs = [...responses.map((r) => JSON.stringify(r.headers) + r.text), ...logLines];
    for (const output of outputs) {
      expect(output).not.toMatch(/session_?key/i);
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });
});
