import { grantableRoles as rolesGrantableBy, type Role, type UnitKind } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';

/**
 * Whether the caller may give this role in the unit: by invite, by approving an application or by roster.
 * Township admins grant every role that fits the unit; a unit admin grants staff (and police in a police station).
 */
export function mayGrantRole(actor: Actor, unit: { id: string; kind: UnitKind }, role: Role): boolean {
  return grantableRoles(actor, unit).includes(role);
}

export function grantableRoles(actor: Actor, unit: { id: string; kind: UnitKind }): Role[] {
  if (actor.isTownshipAdmin()) return rolesGrantableBy(unit.kind, 'township_admin');
  return actor.canAdministerUnit(unit.id) ? rolesGrantableBy(unit.kind, 'unit_admin') : [];
}
