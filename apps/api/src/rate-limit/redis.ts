import { Redis } from 'ioredis';

/**
 * A Redis client whose commands give up within a second while Redis is unreachable (reconnection goes on in the
 * background), and whose connection errors become one warning per ten seconds instead of unhandled events.
 */
export function connectRedis(url: string, warn: (message: string) => void): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000 });
  let lastWarning = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    warn(`Redis connection problem: ${error.name}`);
  });
  return redis;
}
