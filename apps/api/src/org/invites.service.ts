import { Injectable } from '@nestjs/common';
import { ErrorCode, LIMITS, Role, type InviteResponse, roleFitsUnit } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { isUniqueViolation } from '../common/db-errors.js';
import { newId } from '../common/ids.js';
import type { InviteCodeEntity } from '../database/entities/index.js';
import { generateInviteCode } from './invite-code.js';
import { InvitesRepository } from './invites.repository.js';
import { toInviteResponse } from './org.mapper.js';
import { grantableRoles, mayGrantRole } from './unit-access.js';
import { UnitsService } from './units.service.js';

const CODE_ATTEMPTS = 5;
const HOUR_MS = 3600 * 1000;

@Injectable()
export class InvitesService {
  constructor(
    private readonly units: UnitsService,
    private readonly invites: InvitesRepository,
  ) {}

  async create(actor: Actor, unitId: string, role: Role = Role.STAFF, validHours: number = LIMITS.inviteDefaultHours): Promise<InviteResponse> {
    const unit = await this.units.requireAdministeredUnit(actor, unitId);
    if (!roleFitsUnit(role, unit.kind)) throw AppException.badRequest(ErrorCode.ROLE_NOT_ALLOWED_FOR_UNIT);
    if (!mayGrantRole(actor, unit, role)) throw AppException.forbidden('只有乡镇管理员可以邀请管理员');
    const now = new Date();
    for (let attempt = 1; ; attempt++) {
      const invite: InviteCodeEntity = {
        id: newId(),
        townshipId: unit.townshipId,
        unitId: unit.id,
        code: generateInviteCode(),
        role,
        expiresAt: new Date(now.getTime() + validHours * HOUR_MS),
        revokedAt: null,
        createdBy: actor.userId,
        createdAt: now,
      };
      try {
        await this.invites.insert(invite);
        return toInviteResponse(invite);
      } catch (error) {
        // 31^8 codes make a collision rare; a few fresh draws make a failure practically impossible.
        if (!isUniqueViolation(error) || attempt === CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** Only invites the caller could have issued: a unit admin never sees the code of an admin invite. */
  async list(actor: Actor, unitId: string): Promise<InviteResponse[]> {
    const unit = await this.units.requireAdministeredUnit(actor, unitId);
    const invites = await this.invites.listNewestForUnit(unit.townshipId, unit.id, grantableRoles(actor, unit), LIMITS.pageSizeMax);
    return invites.map(toInviteResponse);
  }

  async revoke(actor: Actor, unitId: string, inviteId: string): Promise<void> {
    const unit = await this.units.requireAdministeredUnit(actor, unitId);
    const invite = await this.invites.findInUnit(unit.townshipId, unit.id, inviteId);
    if (!invite || !mayGrantRole(actor, unit, invite.role)) throw AppException.notFound(ErrorCode.INVITE_NOT_FOUND);
    await this.invites.revoke(invite.id, new Date());
  }
}
