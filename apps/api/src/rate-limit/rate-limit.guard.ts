import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@qmfz/contracts';
import type { FastifyReply } from 'fastify';
import type { RequestWithActor } from '../auth/decorators.js';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RATE_LIMITER } from './rate-limit.module.js';
import type { RateLimiter } from './rate-limiter.js';

export interface RateLimitRule {
  /** Bucket name; the limit applies per client within it. */
  name: string;
  limit: number;
  windowSeconds: number;
  /**
   * Who a client is: its IP (default; for sign-in routes, before anyone is known) or the signed-in user
   * (for routes behind the token, so one village's shared Wi-Fi does not share one budget).
   */
  per?: 'ip' | 'user';
}

const RATE_LIMIT_KEY = 'rate-limit';

/**
 * Limits a route per client, e.g. `@RateLimit({ name: 'login', limit: 30, windowSeconds: 60 })`. A route that
 * answers to several limits (per user and per IP) takes them as an array; every one of them must allow the request.
 */
export const RateLimit = (rules: RateLimitRule | readonly RateLimitRule[]) => SetMetadata(RATE_LIMIT_KEY, Array.isArray(rules) ? rules : [rules]);

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.reflector.get<RateLimitRule[] | undefined>(RATE_LIMIT_KEY, context.getHandler()) ?? [];
    // In order, so a request the first rule refuses does not count against the next.
    for (const rule of rules) await this.check(context, rule);
    return true;
  }

  private async check(context: ExecutionContext, rule: RateLimitRule): Promise<void> {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    // The global AuthGuard runs before route guards, so the actor is known on private routes.
    const client = rule.per === 'user' && request.actor ? `user:${request.actor.userId}` : `ip:${request.ip}`;
    const result = await this.limiter.hit(`${rule.name}:${client}`, rule.limit * this.config.rateLimitScale, rule.windowSeconds);
    if (result.allowed) return;
    context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(result.retryAfter));
    throw new AppException(ErrorCode.RATE_LIMITED, HttpStatus.TOO_MANY_REQUESTS, `操作过于频繁，请 ${result.retryAfter} 秒后再试`);
  }
}
