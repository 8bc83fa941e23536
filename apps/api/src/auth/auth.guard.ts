import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, type Role } from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { MembershipsRepository } from '../org/memberships.repository.js';
import { Actor } from './actor.js';
import { IDENTITY_ONLY_KEY, PUBLIC_KEY, ROLES_KEY, type RequestWithActor } from './decorators.js';
import { TokenService } from './token.service.js';

/**
 * Global guard: every route needs a valid access token unless marked @Public(),
 * and @Roles(...) routes need an active membership with one of the roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly memberships: MembershipsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const header = request.headers.authorization;
    if (!header) throw AppException.unauthorized(ErrorCode.AUTH_REQUIRED);
    // The scheme name is case-insensitive (RFC 9110 §11.1).
    const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    if (!token) throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_INVALID);

    const claims = await this.tokens.verifyAccess(token);
    const identityOnly = this.reflector.getAllAndOverride<boolean>(IDENTITY_ONLY_KEY, targets);
    const memberships = identityOnly ? [] : await this.memberships.findActiveForActor(claims.userId, claims.townshipId);
    request.actor = new Actor(claims.userId, claims.townshipId, memberships);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !request.actor.hasRole(...roles)) throw AppException.forbidden();
    return true;
  }
}
