import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MemoryRateLimiter, RedisRateLimiter } from './rate-limiter.js';
import { connectRedis } from './redis.js';

export const REDIS = Symbol('REDIS');
export const RATE_LIMITER = Symbol('RATE_LIMITER');

const logger = new Logger('Redis');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/** Shared state between API instances: Redis when REDIS_URL is set, in-process otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redisUrl ? connectRedis(config.redisUrl, (message) => logger.warn(message)) : null),
    },
    {
      provide: RATE_LIMITER,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisRateLimiter(redis, (message) => logger.warn(message)) : new MemoryRateLimiter()),
    },
    RedisCloser,
  ],
  exports: [REDIS, RATE_LIMITER],
})
export class RateLimitModule {}
