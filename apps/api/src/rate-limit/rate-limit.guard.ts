import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@qmfz/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '../common/app-exception.js';
import { RATE_LIMITER } from './rate-limit.module.js';
import type { RateLimiter } from './rate-limiter.js';

export interface RateLimitRule {
  /** Bucket name; the limit applies per client IP within it. */
  name: string;
  limit: number;
  windowSeconds: number;
}

const RATE_LIMIT_KEY = 'rate-limit';

/** Limits a route per client IP, e.g. `@RateLimit({ name: 'login', limit: 30, windowSeconds: 60 })`. */
export const RateLimit = (rule: RateLimitRule) => SetMetadata(RATE_LIMIT_KEY, rule);

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<RateLimitRule | undefined>(RATE_LIMIT_KEY, context.getHandler());
    if (!rule) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const result = await this.limiter.hit(`${rule.name}:${request.ip}`, rule.limit, rule.windowSeconds);
    if (result.allowed) return true;
    context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(result.retryAfter));
    throw new AppException(ErrorCode.RATE_LIMITED, HttpStatus.TOO_MANY_REQUESTS, `操作过于频繁，请 ${result.retryAfter} 秒后再试`);
  }
}
