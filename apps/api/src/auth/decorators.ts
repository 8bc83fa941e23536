import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@qmfz/contracts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';

export const PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** The route needs no token. Every other route does. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const IDENTITY_ONLY_KEY = 'auth:identity-only';

/**
 * The route needs to know who calls, not their roles: the guard skips the membership query, so a hot route
 * (viewing heartbeats) costs no database read. The service must check everything else itself.
 */
export const IdentityOnly = () => SetMetadata(IDENTITY_ONLY_KEY, true);

/** The caller needs an active membership with one of these roles (in their own township). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type RequestWithActor = FastifyRequest & { actor?: Actor };

/** The authenticated caller; only on routes that are not @Public(). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
