import type { DataSource } from 'typeorm';
import { newId } from '../src/common/ids.js';
import { seedDemo } from '../src/seed/seed.js';
import type { TestApp } from './harness.js';
import { MembershipStatus, Role, type DevLoginRequest, type TokenResponse, type UnitKind } from '@qmfz/contracts';
import { TokenService } from '../src/auth/token.service.js';
import { maskMobile, PHONE_INDEX_NAMESPACE } from '../src/common/phone.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { InviteCodeEntity, MembershipEntity, TownshipEntity, UnitEntity, UserEntity } from '../src/database/entities/index.js';
import { generateInviteCode } from '../src/org/invite-code.js';
import { newUser } from '../src/users/new-user.js';

export interface BuiltTownship {
  township: TownshipEntity;
  units: Record<string, UnitEntity>;
}

/** A township with the named units, written straight to the database. */
export async function buildTownship(
  dataSource: DataSource,
  code: string,
  name: string,
  units: { name: string; kind: UnitKind }[],
): Promise<BuiltTownship> {
  const now = new Date();
  const township: TownshipEntity = { id: newId(), code, name, createdAt: now };
  await dataSource.getRepository(TownshipEntity).insert(township);
  const built: Record<string, UnitEntity> = {};
  for (const spec of units) {
    const unit: UnitEntity = { id: newId(), townshipId: township.id, ...spec, createdAt: now, updatedAt: now };
    await dataSource.getRepository(UnitEntity).insert(unit);
    built[spec.name] = unit;
  }
  return { township, units: built };
}

/** The demo township 白土乡 from the seed, with its units by name. */
export async function buildDemoTownship(dataSource: DataSource): Promise<BuiltTownship> {
  await seedDemo(dataSource);
  const township = (await dataSource.getRepository(TownshipEntity).findOneBy({ code: 'baitu' }))!;
  const units = await dataSource.getRepository(UnitEntity).findBy({ townshipId: township.id });
  return { township, units: Object.fromEntries(units.map((u) => [u.name, u])) };
}

/** Signs in through the development login and returns the tokens. */
export async function login(t: TestApp, request: DevLoginRequest = {}): Promise<TokenResponse> {
  const response = await t.request({ method: 'POST', url: '/api/auth/dev-login', body: request });
  if (response.status !== 200) throw new Error(`dev-login failed: ${response.status} ${response.text}`);
  return response.body as TokenResponse;
}

export async function tokenFor(t: TestApp, request: DevLoginRequest = {}): Promise<string> {
  return (await login(t, request)).accessToken;
}

// Builders for the organisation tests: rows written straight to the database, tokens signed by the app's own TokenService.

/** An invite code of a unit; pass a past `expiresAt` or a `revokedAt` for unusable codes. */
export async function buildInvite(
  dataSource: DataSource,
  unit: UnitEntity,
  options: { role?: Role; code?: string; expiresAt?: Date; revokedAt?: Date | null; createdBy?: string } = {},
): Promise<InviteCodeEntity> {
  const now = new Date();
  const invite: InviteCodeEntity = {
    id: newId(),
    townshipId: unit.townshipId,
    unitId: unit.id,
    code: options.code ?? generateInviteCode(),
    role: options.role ?? Role.STAFF,
    expiresAt: options.expiresAt ?? new Date(now.getTime() + 3600_000),
    revokedAt: options.revokedAt ?? null,
    createdBy: options.createdBy ?? newId(),
    createdAt: now,
  };
  await dataSource.getRepository(InviteCodeEntity).insert(invite);
  return invite;
}

/**
 * A user of the township (optionally with a verified phone, stored as the app stores it) and an access token
 * for them, signed by the running app: the real guard checks it. Saves dev logins, which are rate-limited.
 */
export async function buildSignedInUser(
  t: TestApp,
  townshipId: string,
  options: { name?: string; phone?: string } = {},
): Promise<{ user: UserEntity; token: string }> {
  const crypto = t.app.get(CryptoService);
  const user = newUser({
    townshipId,
    displayName: options.name ?? '测试居民',
    phoneCipher: options.phone ? crypto.encrypt(options.phone) : null,
    phoneIndex: options.phone ? crypto.blindIndex(PHONE_INDEX_NAMESPACE, options.phone) : null,
    phoneMasked: options.phone ? maskMobile(options.phone) : null,
  });
  await t.dataSource.getRepository(UserEntity).insert(user);
  const token = await t.app.get(TokenService).signAccess({ userId: user.id, townshipId });
  return { user, token };
}

/** A membership of the user in the unit, pending unless told otherwise. */
export async function buildMembership(
  dataSource: DataSource,
  unit: UnitEntity,
  userId: string,
  options: { role?: Role; status?: MembershipStatus } = {},
): Promise<MembershipEntity> {
  const status = options.status ?? MembershipStatus.PENDING;
  const now = new Date();
  const membership: MembershipEntity = {
    id: newId(),
    townshipId: unit.townshipId,
    unitId: unit.id,
    userId,
    role: options.role ?? Role.STAFF,
    status,
    createdAt: now,
    decidedAt: status === MembershipStatus.PENDING ? null : now,
    decidedBy: null,
  };
  await dataSource.getRepository(MembershipEntity).insert(membership);
  return membership;
}

/** A multipart/form-data body with one file part, as a browser or wx.uploadFile sends it. */
export function multipartUpload(
  content: Buffer,
  options: { field?: string; filename?: string; contentType?: string } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----qmfz${newId()}`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${options.filename ?? 'roster.csv'}"\r\n` +
    `Content-Type: ${options.contentType ?? 'text/csv'}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
