import { Role, type UnitKind } from '@qmfz/contracts';

export interface ActorMembership {
  unitId: string;
  unitKind: UnitKind;
  role: Role;
}

/** The signed-in caller as every service sees it: a user, a township and active memberships. */
export class Actor {
  constructor(
    readonly userId: string,
    readonly townshipId: string,
    readonly memberships: readonly ActorMembership[],
  ) {}

  hasRole(...roles: Role[]): boolean {
    return this.memberships.some((m) => roles.includes(m.role));
  }

  isTownshipAdmin(): boolean {
    return this.hasRole(Role.TOWNSHIP_ADMIN);
  }

  /** Township admins administer every unit of their township; unit admins their own units. */
  canAdministerUnit(unitId: string): boolean {
    return this.isTownshipAdmin() || this.memberships.some((m) => m.unitId === unitId && m.role === Role.UNIT_ADMIN);
  }
}
