import type { MembershipResponse, TownshipResponse, UnitResponse } from '@qmfz/contracts';
import type { TownshipEntity, UnitEntity } from '../database/entities/index.js';
import type { MembershipWithUnit } from './memberships.repository.js';

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
