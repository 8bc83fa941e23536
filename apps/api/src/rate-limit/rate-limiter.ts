import type { Redis } from 'ioredis';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfter: number;
}

/** Fixed-window counter. Shared through Redis when configured, so limits hold across API instances. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 100_000) this.sweep(now);
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { allowed: window.count <= limit, retryAfter: Math.ceil((window.resetAt - now) / 1000) };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

// INCR and the window's EXPIRE in one round trip, atomically. A counter found without an expiry (left by an
// interrupted older version, or a key written by hand) gets one, so it can never block a client for good.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/**
 * Fails open: when Redis cannot answer, the request is let through and a warning logged, because refusing every
 * login while Redis is down would turn a cache outage into a full outage.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    try {
      const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, `qmfz:rl:${key}`, windowSeconds)) as [number, number];
      return { allowed: count <= limit, retryAfter: Math.max(1, ttl) };
    } catch (error) {
      this.warn(`rate limit not enforced, Redis unavailable: ${(error as Error).name}`);
      return { allowed: true, retryAfter: 0 };
    }
  }
}
