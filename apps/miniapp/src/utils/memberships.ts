import { Role, type MembershipResponse } from '@qmfz/contracts'

/** Roles that manage a unit's people from 我的. */
const MANAGING_ROLES: readonly Role[] = [Role.UNIT_ADMIN, Role.TOWNSHIP_ADMIN]

export function canManage(membership: MembershipResponse): boolean {
  return membership.status === 'active' && MANAGING_ROLES.includes(membership.role)
}

export function isTownshipAdmin(memberships: readonly MembershipResponse[]): boolean {
  return memberships.some((membership) => membership.status === 'active' && membership.role === Role.TOWNSHIP_ADMIN)
}
