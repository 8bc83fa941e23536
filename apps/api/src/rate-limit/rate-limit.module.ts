import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MemoryRateLimiter, RedisRateLimiter } from './rate-limiter.js';

export const REDIS = Symbol('REDIS');
export const RATE_LIMITER = Symbol('RATE_LIMITER');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit();
  }
}

/** Shared state between API instances: Redis when REDIS_URL is set, in-process otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }) : null),
    },
    {
      provide: RATE_LIMITER,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter()),
    },
    RedisCloser,
  ],
  exports: [REDIS, RATE_LIMITER],
})
export class RateLimitModule {}
