import type { MembershipResponse, Role, TownshipResponse } from './org.js';

export interface WechatLoginRequest {
  /** The code from wx.login; valid once, for five minutes. */
  code: string;
}

export interface DevLoginRequest {
  /** Omit for a plain resident. */
  role?: Role;
  /** Unit the demo user belongs to; required with a role. */
  unitId?: string;
  /** Stable name so the same demo person is reused across logins. */
  name?: string;
  townshipCode?: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface PhoneNumberRequest {
  /** The code from the getPhoneNumber button. */
  code: string;
}

export interface TokenResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

export interface MeResponse {
  id: string;
  displayName: string;
  phoneMasked: string | null;
  township: TownshipResponse;
  memberships: MembershipResponse[];
}

export interface PhoneNumberResponse {
  phoneMasked: string;
  /** Roster entries that this number matched and turned into memberships. */
  claimedMemberships: number;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  driver: 'sqlite' | 'mysql' | 'mariadb';
  time: string;
}
