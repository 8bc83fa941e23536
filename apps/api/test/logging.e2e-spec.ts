import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TokenResponse } from '@qmfz/contracts';
import { randomBytes } from 'node:crypto';
import { buildDemoTownship } from './builders.js';
import { startTestApp, type TestApp } from './harness.js';
import { FakeWechat } from './support/fake-wechat.js';
import { DB_TIER } from './test-db.js';

interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  req?: { method?: string; path?: string };
  res?: { method?: string; path?: string; statusCode?: number };
  [key: string]: unknown;
}

describe(`logs carry no secrets (${DB_TIER})`, () => {
  const raw: string[] = [];
  let fake: FakeWechat;
  let t: TestApp;
  const tag = randomBytes(6).toString('hex');
  const loginCode = `ok-logtest-${tag}:1`;
  const rejectedCode = `rejected-${tag}`;
  const phone = '13698765432';
  let first: TokenResponse;
  let second: TokenResponse;

  beforeAll(async () => {
    fake = await FakeWechat.start();
    t = await startTestApp({ env: fake.env(), logStream: { write: (line) => void raw.push(line) } });
    await buildDemoTownship(t.dataSource);

    first = (await t.request({ method: 'POST', url: '/api/auth/wechat', body: { code: loginCode } })).body;
    second = (await t.request({ method: 'POST', url: '/api/auth/refresh', body: { refreshToken: first.refreshToken } })).body;
    const bound = await t.request({ method: 'POST', url: '/api/auth/phone', token: second.accessToken, body: { code: `phone-${phone}` } });
    expect(bound.status).toBe(200);
    // Failing requests that carry secrets in every place a careless logger would look.
    expect((await t.request({ method: 'POST', url: '/api/auth/wechat', body: { code: rejectedCode } })).status).toBe(400);
    const truncated = `{"refreshToken":"${second.refreshToken}","phone":"${phone}"`;
    expect((await t.request({ method: 'POST', url: '/api/auth/refresh', payload: truncated, headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await t.request({ method: 'POST', url: '/api/auth/refresh', body: { refreshToken: first.refreshToken } })).status).toBe(401);
    expect((await t.request({ method: 'GET', url: `/api/me?access_token=${second.accessToken}&code=${loginCode}`, token: second.accessToken })).status).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/me', token: `${second.accessToken}x` })).status).toBe(401);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const lines = (): LogLine[] => raw.map((line) => JSON.parse(line) as LogLine);
  const completed = () => lines().filter((l) => l.msg === 'request completed');

  it('should write one JSON object per line into the stream it was given', () => {
    expect(raw.length).toBeGreaterThan(10);
    for (const line of raw) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('should not contain tokens, codes, the AppSecret, session_key or the phone number', () => {
    const secrets = {
      'access token 1': first.accessToken,
      'access token 2': second.accessToken,
      'refresh token 1': first.refreshToken,
      'refresh token 2': second.refreshToken,
      'wx.login code': loginCode.split(':')[0],
      'rejected wx.login code': rejectedCode,
      AppSecret: fake.secret,
      'phone number': phone,
      ...Object.fromEntries(fake.sessionKeys.map((key, i) => [`session_key ${i}`, key])),
      ...Object.fromEntries(fake.accessTokens.map((token, i) => [`WeChat access token ${i}`, token])),
    };
    expect(fake.sessionKeys.length).toBeGreaterThan(0);
    for (const line of raw) {
      expect(line).not.toMatch(/session_?key/i);
      for (const [what, secret] of Object.entries(secrets)) {
        if (line.includes(secret)) throw new Error(`a log line contains the ${what}: ${line}`);
      }
    }
  });

  it('should log each request with method, path without its query, and status', () => {
    const seen = completed().map((l) => `${l.res?.method} ${l.res?.path} ${l.res?.statusCode}`);
    expect(seen).toEqual([
      'POST /api/auth/wechat 200',
      'POST /api/auth/refresh 200',
      'POST /api/auth/phone 200',
      'POST /api/auth/wechat 400',
      'POST /api/auth/refresh 400',
      'POST /api/auth/refresh 401',
      'GET /api/me 200',
      'GET /api/me 401',
    ]);
    const incoming = lines().filter((l) => l.msg === 'incoming request');
    expect(incoming).toHaveLength(seen.length);
    for (const line of incoming) expect(line.req).toEqual({ method: expect.any(String), path: expect.stringMatching(/^\/api\/[^?]*$/) });
  });

  it("should route the application's own warnings into the same stream", () => {
    expect(lines()).toContainEqual(expect.objectContaining({ context: 'Wechat', api: 'jscode2session', errcode: 40029 }));
  });
});
