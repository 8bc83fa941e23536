import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateLimit, RateLimitGuard, type RateLimitRule } from '../rate-limit/rate-limit.guard.js';

const SECOND_RULE = 'tips:second-rate-limit';

/**
 * A second rate-limit rule for a route, next to its `@RateLimit`. RateLimitGuard reads one rule per route, and tip
 * submission answers to two: per user (one account from many addresses) and per IP (many accounts from one
 * address). The second rule is applied by RateLimitGuard itself, so both share its limiter, scale and message.
 * Use with `@UseGuards(RateLimitGuard, SecondRateLimitGuard)`.
 */
export function AlsoRateLimit(rule: RateLimitRule): MethodDecorator {
  // Stands in for the route handler when RateLimitGuard looks up the rule.
  const holder = function secondRateLimitRule() {};
  (RateLimit(rule) as ClassDecorator)(holder);
  return SetMetadata(SECOND_RULE, holder);
}

@Injectable()
export class SecondRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimitGuard,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const holder = this.reflector.get<() => void>(SECOND_RULE, context.getHandler());
    if (!holder) return true;
    return this.rateLimits.canActivate(Object.create(context, { getHandler: { value: () => holder } }) as ExecutionContext);
  }
}
