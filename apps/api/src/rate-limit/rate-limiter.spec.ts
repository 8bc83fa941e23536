import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './rate-limiter.js';
import { connectRedis } from './redis.js';

// A real Redis (the project's machines run one on 127.0.0.1:6379); REDIS_TEST_URL points elsewhere.
const redis = new Redis(process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1, lazyConnect: true });
afterAll(async () => {
  await redis.quit();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<[string, () => RateLimiter]>([
  ['MemoryRateLimiter', () => new MemoryRateLimiter()],
  ['RedisRateLimiter', () => new RedisRateLimiter(redis)],
])('%s', (_name, makeLimiter) => {
  // A key of its own per test, so runs in parallel (or left-over counters) never share a window.
  const uniqueKey = () => `spec:${randomUUID()}`;

  it('should allow the limit and refuse the hit after it, saying when to retry', async () => {
    const limiter = makeLimiter();
    const key = uniqueKey();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit(key, 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3].retryAfter).toBeGreaterThanOrEqual(59);
    expect(results[3].retryAfter).toBeLessThanOrEqual(60);
  });

  it('should keep refusing for the rest of the window', async () => {
    const limiter = makeLimiter();
    const key = uniqueKey();
    for (let i = 0; i < 2; i++) await limiter.hit(key, 2, 60);
    for (let i = 0; i < 3; i++) expect((await limiter.hit(key, 2, 60)).allowed).toBe(false);
  });

  it('should count keys apart', async () => {
    const limiter = makeLimiter();
    const [a, b] = [uniqueKey(), uniqueKey()];
    expect((await limiter.hit(a, 1, 60)).allowed).toBe(true);
    expect((await limiter.hit(a, 1, 60)).allowed).toBe(false);
    expect((await limiter.hit(b, 1, 60)).allowed).toBe(true);
  });

  it('should start a new window once the old one ends', async () => {
    const limiter = makeLimiter();
    const key = uniqueKey();
    expect((await limiter.hit(key, 1, 1)).allowed).toBe(true);
    const refused = await limiter.hit(key, 1, 1);
    expect(refused).toEqual({ allowed: false, retryAfter: 1 });
    await sleep(1100);
    expect((await limiter.hit(key, 1, 1)).allowed).toBe(true);
    expect((await limiter.hit(key, 1, 1)).allowed).toBe(false);
  });

  it('should count every hit of a burst exactly once', async () => {
    const limiter = makeLimiter();
    const key = uniqueKey();
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.hit(key, 20, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });
});

describe('RedisRateLimiter', () => {
  it('should share one count between instances, as API instances behind a load balancer do', async () => {
    const key = `spec:${randomUUID()}`;
    const [a, b] = [new RedisRateLimiter(redis), new RedisRateLimiter(redis)];
    expect((await a.hit(key, 2, 60)).allowed).toBe(true);
    expect((await b.hit(key, 2, 60)).allowed).toBe(true);
    expect((await a.hit(key, 2, 60)).allowed).toBe(false);
    expect((await b.hit(key, 2, 60)).allowed).toBe(false);
  });

  it('should give a counter left without an expiry a window, instead of blocking the client for good', async () => {
    const key = `spec:${randomUUID()}`;
    await redis.set(`qmfz:rl:${key}`, '5');
    const result = await new RedisRateLimiter(redis).hit(key, 3, 60);
    expect(result).toEqual({ allowed: false, retryAfter: 60 });
    expect(await redis.ttl(`qmfz:rl:${key}`)).toBeGreaterThan(0);
  });

  it('should let requests through and warn, within about a second, when Redis is unreachable', async () => {
    const warnings: string[] = [];
    // Port 1 on loopback: nothing listens, so every connection attempt is refused.
    const down = connectRedis('redis://127.0.0.1:1', (message) => warnings.push(message));
    try {
      const started = Date.now();
      const result = await new RedisRateLimiter(down, (message) => warnings.push(message)).hit(`spec:${randomUUID()}`, 1, 60);
      expect(result.allowed).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(warnings.some((w) => w.includes('Redis unavailable'))).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});
