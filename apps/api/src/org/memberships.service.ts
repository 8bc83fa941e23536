import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, MembershipStatus, type MemberResponse, type MembershipResponse } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { isUniqueViolation } from '../common/db-errors.js';
import type { InviteCodeEntity, MembershipEntity, UnitEntity } from '../database/entities/index.js';
import { normalizeInviteCode } from './invite-code.js';
import { InvitesRepository } from './invites.repository.js';
import { MembershipsRepository } from './memberships.repository.js';
import { newMembership } from './new-membership.js';
import { toMemberResponse, toMembershipResponse } from './org.mapper.js';
import { mayGrantRole } from './unit-access.js';
import { UnitsService } from './units.service.js';

type Decision = typeof MembershipStatus.ACTIVE | typeof MembershipStatus.REJECTED;

@Injectable()
export class MembershipsService {
  constructor(
    private readonly units: UnitsService,
    private readonly invites: InvitesRepository,
    private readonly memberships: MembershipsRepository,
  ) {}

  /** Applies to the invite's unit; the membership waits for a unit admin (or township admin) to decide. */
  async join(actor: Actor, code: string): Promise<MembershipResponse> {
    const now = new Date();
    const invite = await this.usableInvite(actor, normalizeInviteCode(code), now);
    const unit = await this.units.requireUnit(actor, invite.unitId);
    const existing = await this.memberships.findByUnitAndUser(unit.id, actor.userId);
    let membership: MembershipEntity;
    if (existing) {
      // Someone turned down may apply again with a new invite; members and applicants may not apply twice.
      if (existing.status !== MembershipStatus.REJECTED || !(await this.memberships.reapply(existing.id, invite.role, now))) {
        throw AppException.conflict(ErrorCode.MEMBERSHIP_EXISTS);
      }
      membership = { ...existing, role: invite.role, status: MembershipStatus.PENDING, createdAt: now, decidedAt: null, decidedBy: null };
    } else {
      membership = await this.apply(actor, unit, invite, now);
    }
    return toMembershipResponse({ ...membership, unitName: unit.name, unitKind: unit.kind });
  }

  async listMembers(actor: Actor, unitId: string, status?: MembershipStatus): Promise<MemberResponse[]> {
    const unit = await this.units.requireAdministeredUnit(actor, unitId);
    return (await this.memberships.listMembersOfUnit(unit.townshipId, unit.id, status)).map(toMemberResponse);
  }

  approve(actor: Actor, unitId: string, membershipId: string): Promise<MemberResponse> {
    return this.decide(actor, unitId, membershipId, MembershipStatus.ACTIVE);
  }

  reject(actor: Actor, unitId: string, membershipId: string): Promise<MemberResponse> {
    return this.decide(actor, unitId, membershipId, MembershipStatus.REJECTED);
  }

  private async decide(actor: Actor, unitId: string, membershipId: string, decision: Decision): Promise<MemberResponse> {
    const unit = await this.units.requireAdministeredUnit(actor, unitId);
    const member = await this.memberships.findMemberInUnit(unit.townshipId, unit.id, membershipId);
    if (!member) throw AppException.notFound(ErrorCode.MEMBERSHIP_NOT_FOUND);
    if (member.userId === actor.userId) throw AppException.forbidden('不能审批自己的申请');
    // Approving is granting the role, so it needs the same right as issuing an invite for it.
    if (!mayGrantRole(actor, unit, member.role)) throw AppException.forbidden('只有乡镇管理员可以审批管理员申请');
    if (member.status !== MembershipStatus.PENDING) throw AppException.conflict(ErrorCode.MEMBERSHIP_NOT_PENDING);
    const now = new Date();
    if (!(await this.memberships.decidePending(member.id, decision, actor.userId, now))) {
      throw AppException.conflict(ErrorCode.MEMBERSHIP_NOT_PENDING);
    }
    return toMemberResponse({ ...member, status: decision, decidedAt: now, decidedBy: actor.userId });
  }

  /** Unknown, revoked and other townships' codes all look the same: not found. */
  private async usableInvite(actor: Actor, code: string, now: Date): Promise<InviteCodeEntity> {
    const invite = code ? await this.invites.findByCode(code) : null;
    if (!invite || invite.townshipId !== actor.townshipId || invite.revokedAt) throw AppException.notFound(ErrorCode.INVITE_NOT_FOUND);
    if (invite.expiresAt <= now) throw new AppException(ErrorCode.INVITE_EXPIRED, HttpStatus.GONE);
    return invite;
  }

  private async apply(actor: Actor, unit: UnitEntity, invite: InviteCodeEntity, now: Date): Promise<MembershipEntity> {
    const membership = newMembership(
      { townshipId: unit.townshipId, unitId: unit.id, userId: actor.userId, role: invite.role, status: MembershipStatus.PENDING },
      now,
    );
    try {
      await this.memberships.insert(membership);
    } catch (error) {
      // A retried or concurrent join lost the race to the unique (unit, user) index.
      if (isUniqueViolation(error)) throw AppException.conflict(ErrorCode.MEMBERSHIP_EXISTS);
      throw error;
    }
    return membership;
  }
}
