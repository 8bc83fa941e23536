import { Role, ROLES, type UnitKind } from '@qmfz/contracts';
import { type Actor, roleFitsUnit } from '../auth/actor.js';

// A unit admin may bring in people below them; making admins is the township's decision.
const UNIT_ADMIN_GRANTS: readonly Role[] = [Role.STAFF, Role.POLICE];

/**
 * Whether the caller may give this role in the unit: by invite, by approving an application or by roster.
 * Township admins grant every role that fits the unit; a unit admin grants staff (and police in a police station).
 */
export function mayGrantRole(actor: Actor, unit: { id: string; kind: UnitKind }, role: Role): boolean {
  if (!roleFitsUnit(role, unit.kind)) return false;
  if (actor.isTownshipAdmin()) return true;
  return actor.canAdministerUnit(unit.id) && UNIT_ADMIN_GRANTS.includes(role);
}

export function grantableRoles(actor: Actor, unit: { id: string; kind: UnitKind }): Role[] {
  return ROLES.filter((role) => mayGrantRole(actor, unit, role));
}
