/** Kinds of unit in a township, as in the township work plan. */
export const UnitKind = {
  VILLAGE: 'village',
  COMMUNITY: 'community',
  SCHOOL: 'school',
  DEPARTMENT: 'department',
  POLICE_STATION: 'police_station',
  TOWNSHIP_OFFICE: 'township_office',
} as const;
export type UnitKind = (typeof UnitKind)[keyof typeof UnitKind];
export const UNIT_KINDS = Object.values(UnitKind);
/** Kinds a township admin may create through the API; the township office exists once per township, from setup. */
export const CREATABLE_UNIT_KINDS = UNIT_KINDS.filter((kind) => kind !== UnitKind.TOWNSHIP_OFFICE);

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  village: '村',
  community: '社区',
  school: '学校',
  department: '部门',
  police_station: '派出所',
  township_office: '乡政府办公室',
};

/** Roles a membership carries. A resident is any signed-in user and needs no membership. */
export const Role = {
  STAFF: 'staff',
  UNIT_ADMIN: 'unit_admin',
  POLICE: 'police',
  TOWNSHIP_ADMIN: 'township_admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role);

/** Which roles a unit of a kind may hold: police only in a police station, township admin only in the township office. */
export function roleFitsUnit(role: Role, kind: UnitKind): boolean {
  if (role === Role.POLICE) return kind === UnitKind.POLICE_STATION;
  if (role === Role.TOWNSHIP_ADMIN) return kind === UnitKind.TOWNSHIP_OFFICE;
  return true;
}

/** A unit admin may bring in people below them; making admins is the township's decision. */
export const UNIT_ADMIN_GRANTS: readonly Role[] = [Role.STAFF, Role.POLICE];

/**
 * Roles a township admin, or a unit's own admin, may give in a unit of this kind (by invite, approval or roster).
 * The server enforces it; clients use it to offer only what will be accepted.
 */
export function grantableRoles(kind: UnitKind, granter: 'township_admin' | 'unit_admin'): Role[] {
  return ROLES.filter((role) => roleFitsUnit(role, kind) && (granter === 'township_admin' || UNIT_ADMIN_GRANTS.includes(role)));
}

export const ROLE_LABELS: Record<Role, string> = {
  staff: '工作人员',
  unit_admin: '单位管理员',
  police: '民警',
  township_admin: '乡镇管理员',
};

export const MembershipStatus = {
  PENDING: 'pending',
  ACTIVE: 'active',
  REJECTED: 'rejected',
} as const;
export type MembershipStatus = (typeof MembershipStatus)[keyof typeof MembershipStatus];
export const MEMBERSHIP_STATUSES = Object.values(MembershipStatus);

export interface TownshipResponse {
  id: string;
  code: string;
  name: string;
}

export interface UnitResponse {
  id: string;
  townshipId: string;
  name: string;
  kind: UnitKind;
  createdAt: string;
}

export interface ListUnitsQuery {
  kind?: UnitKind;
}

export interface CreateUnitRequest {
  name: string;
  /** Any kind except township_office. */
  kind: UnitKind;
}

export interface UpdateUnitRequest {
  name?: string;
}

export interface MembershipResponse {
  id: string;
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  role: Role;
  status: MembershipStatus;
  createdAt: string;
}

/** A member as a unit admin sees it: name and a masked phone, never the full number. */
export interface MemberResponse {
  id: string;
  userId: string;
  displayName: string;
  phoneMasked: string | null;
  role: Role;
  status: MembershipStatus;
  createdAt: string;
  decidedAt: string | null;
}

export interface ListMembersQuery {
  /** Omit for every status. */
  status?: MembershipStatus;
}

export interface CreateInviteRequest {
  /**
   * Role the joiner gets once approved. Defaults to staff. Must fit the unit kind (police only in a police
   * station, township_admin only in the township office); unit_admin and township_admin invites are issued
   * by township admins only.
   */
  role?: Role;
  /** Lifetime in hours; defaults to LIMITS.inviteDefaultHours. */
  validHours?: number;
}

export interface InviteResponse {
  id: string;
  unitId: string;
  code: string;
  role: Role;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}

export interface JoinUnitRequest {
  code: string;
}

export interface RosterImportRowError {
  /** 1-based line number in the file, counting the header as line 1. */
  line: number;
  reason: string;
}

export interface RosterImportResponse {
  imported: number;
  updated: number;
  errors: RosterImportRowError[];
}

/** A roster entry as a unit admin sees it: the phone only masked. */
export interface RosterEntryResponse {
  id: string;
  displayName: string;
  phoneMasked: string;
  role: Role;
  /** True once a user verified this phone and became a member through it. */
  claimed: boolean;
}

export const MEMBERSHIP_STATUS_LABELS: Record<MembershipStatus, string> = {
  pending: '待审批',
  active: '已加入',
  rejected: '未通过',
};
