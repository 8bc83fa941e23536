import type {
  InviteResponse,
  MemberResponse,
  MembershipResponse,
  RosterEntryResponse,
  TownshipResponse,
  UnitResponse,
} from '@qmfz/contracts';
import type { InviteCodeEntity, RosterEntryEntity, TownshipEntity, UnitEntity } from '../database/entities/index.js';
import type { MemberRow, MembershipWithUnit } from './memberships.repository.js';

export function toTownshipResponse(township: TownshipEntity): TownshipResponse {
  return { id: township.id, code: township.code, name: township.name };
}

export function toUnitResponse(unit: UnitEntity): UnitResponse {
  return { id: unit.id, townshipId: unit.townshipId, name: unit.name, kind: unit.kind, createdAt: unit.createdAt.toISOString() };
}

export function toMembershipResponse(m: MembershipWithUnit): MembershipResponse {
  return {
    id: m.id,
    unitId: m.unitId,
    unitName: m.unitName,
    unitKind: m.unitKind,
    role: m.role,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
  };
}

export function toMemberResponse(m: MemberRow): MemberResponse {
  return {
    id: m.id,
    userId: m.userId,
    displayName: m.displayName,
    phoneMasked: m.phoneMasked,
    role: m.role,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
    decidedAt: m.decidedAt?.toISOString() ?? null,
  };
}

export function toInviteResponse(invite: InviteCodeEntity): InviteResponse {
  return {
    id: invite.id,
    unitId: invite.unitId,
    code: invite.code,
    role: invite.role,
    expiresAt: invite.expiresAt.toISOString(),
    revokedAt: invite.revokedAt?.toISOString() ?? null,
    createdAt: invite.createdAt.toISOString(),
  };
}

/** The phone leaves only masked; the cipher and blind index stay in the database. */
export function toRosterEntryResponse(entry: RosterEntryEntity): RosterEntryResponse {
  return { id: entry.id, displayName: entry.displayName, phoneMasked: entry.phoneMasked, role: entry.role, claimed: entry.claimedBy !== null };
}
