import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import { randomInt } from 'node:crypto';
import { buildDemoTownship, tokenFor } from './builders.js';
import { startTestApp, type TestApp, type TestResponse } from './harness.js';
import { DB_TIER } from './test-db.js';

const LOGIN_LIMIT = 30;
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** A client address of its own per run: the load balancer in front of the API (one hop) reports it. */
const newClient = () => `198.51.${randomInt(256)}.${randomInt(1, 255)}`;

function devLoginFrom(t: TestApp, client: string, forwardedFor = client): Promise<TestResponse> {
  return t.request({ method: 'POST', url: '/api/auth/dev-login', body: { name: `限流${client}` }, headers: { 'x-forwarded-for': forwardedFor } });
}

function expectRateLimited(response: TestResponse): void {
  expect(response.status).toBe(429);
  expect(response.body.code).toBe(ErrorCode.RATE_LIMITED);
  expect(response.body.message).toMatch(/^操作过于频繁，请 \d+ 秒后再试$/);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.body.message).toContain(String(retryAfter));
}

describe(`the login rate limit on one instance (${DB_TIER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await buildDemoTownship(t.dataSource);
  });
  afterAll(() => t.close());

  it('should answer the 31st sign-in of a minute with 429 RATE_LIMITED, a Chinese message and retry-after', async () => {
    const client = newClient();
    for (let i = 0; i < LOGIN_LIMIT; i++) expect((await devLoginFrom(t, client)).status).toBe(200);
    expectRateLimited(await devLoginFrom(t, client));
    // The WeChat route shares the bucket, so switching route does not help…
    expectRateLimited(await t.request({ method: 'POST', url: '/api/auth/wechat', body: { code: 'x' }, headers: { 'x-forwarded-for': client } }));
    // …while another client is unaffected.
    expect((await devLoginFrom(t, newClient())).status).toBe(200);
  });

  it('should not let a client escape the limit by writing its own X-Forwarded-For entries', async () => {
    const client = newClient();
    const spoofed = () => `${newClient()}, ${client}`; // what the balancer forwards: the client's header, then the real address
    for (let i = 0; i < LOGIN_LIMIT; i++) expect((await devLoginFrom(t, client, spoofed())).status).toBe(200);
    expectRateLimited(await devLoginFrom(t, client, spoofed()));
  });
});

describe(`the rate limits scaled for a load test (${DB_TIER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_SCALE: '2' } });
    await buildDemoTownship(t.dataSource);
  });
  afterAll(() => t.close());

  it('should still count every request, refusing only past the scaled limit', async () => {
    const client = newClient();
    for (let i = 0; i < 2 * LOGIN_LIMIT; i++) expect((await devLoginFrom(t, client)).status).toBe(200);
    expectRateLimited(await devLoginFrom(t, client));
  });
});

describe(`the login rate limit shared through Redis by two instances (${DB_TIER})`, () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp({ env: { REDIS_URL } }), startTestApp({ env: { REDIS_URL } })]);
    await Promise.all([buildDemoTownship(a.dataSource), buildDemoTownship(b.dataSource)]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('should refuse the 31st sign-in on either instance when the first 30 were spread over both', async () => {
    const client = newClient();
    for (let i = 0; i < LOGIN_LIMIT; i++) expect((await devLoginFrom(i % 2 ? a : b, client)).status).toBe(200);
    expectRateLimited(await devLoginFrom(a, client));
    expectRateLimited(await devLoginFrom(b, client));
  });
});

describe(`the login rate limit with no proxy in front, the default (${DB_TIER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY_HOPS: '0' } });
    await buildDemoTownship(t.dataSource);
  });
  afterAll(() => t.close());

  it('should count a client by its connection and ignore every X-Forwarded-For it sends', async () => {
    // Every request claims to come from a new address; all of them come from this test's loopback connection.
    for (let i = 0; i < LOGIN_LIMIT; i++) expect((await devLoginFrom(t, newClient())).status).toBe(200);
    expectRateLimited(await devLoginFrom(t, newClient()));
  });
});

describe(`joining by invite code is limited per signed-in user (${DB_TIER})`, () => {
  const JOIN_LIMIT = 10;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await buildDemoTownship(t.dataSource);
  });
  afterAll(() => t.close());

  const join = (token: string, client: string) =>
    t.request({ method: 'POST', url: '/api/memberships/join', token, body: { code: 'ZZZZZZZZ' }, headers: { 'x-forwarded-for': client } });

  it('should refuse the 11th guess of a minute by one user, even from a new address, while a neighbour on the same Wi-Fi still may try', async () => {
    const guesser = await tokenFor(t, { name: '猜码者' });
    const neighbour = await tokenFor(t, { name: '同一网络的邻居' });
    const wifi = newClient();
    for (let i = 0; i < JOIN_LIMIT; i++) expect((await join(guesser, wifi)).status).toBe(404);
    expectRateLimited(await join(guesser, newClient()));
    expect((await join(neighbour, wifi)).status).toBe(404);
  });
});
