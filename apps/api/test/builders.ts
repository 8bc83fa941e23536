import type { DataSource } from 'typeorm';
import { newId } from '../src/common/ids.js';
import { seedDemo } from '../src/seed/seed.js';
import type { TestApp } from './harness.js';
import { MembershipStatus, Role, VideoSource, type DevLoginRequest, type TokenResponse, type UnitKind } from '@qmfz/contracts';
import { TokenService } from '../src/auth/token.service.js';
import { maskMobile, PHONE_INDEX_NAMESPACE } from '../src/common/phone.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import {
  CampaignEntity,
  CampaignUnitEntity,
  CheckinEntity,
  InviteCodeEntity,
  MembershipEntity,
  TownshipEntity,
  UnitEntity,
  UserEntity,
  VideoEntity,
  ViewingProgressEntity,
} from '../src/database/entities/index.js';
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

// Builders for the video campaign tests.

/**
 * A person with an active membership of the unit in the given role (none for a resident) and an access token
 * signed by the running app. Saves dev logins, which are rate-limited per address.
 */
export async function buildMember(
  t: TestApp,
  unit: UnitEntity,
  role: Role | null,
  options: { name?: string; openid?: string } = {},
): Promise<{ user: UserEntity; token: string }> {
  const user = newUser({ townshipId: unit.townshipId, displayName: options.name ?? '测试人员', openid: options.openid ?? null });
  await t.dataSource.getRepository(UserEntity).insert(user);
  if (role) await buildMembership(t.dataSource, unit, user.id, { role, status: MembershipStatus.ACTIVE });
  const token = await t.app.get(TokenService).signAccess({ userId: user.id, townshipId: unit.townshipId });
  return { user, token };
}

/** An external video row of the township. */
export async function buildVideo(dataSource: DataSource, townshipId: string, options: { title?: string; durationSeconds?: number } = {}): Promise<VideoEntity> {
  const video: VideoEntity = {
    id: newId(),
    townshipId,
    title: options.title ?? '测试视频',
    source: VideoSource.URL,
    url: 'https://video.example.cn/test.mp4',
    storageKey: null,
    contentType: null,
    sizeBytes: null,
    durationMs: (options.durationSeconds ?? 60) * 1000,
    createdBy: newId(),
    createdAt: new Date(),
  };
  await dataSource.getRepository(VideoEntity).insert(video);
  return video;
}

/** A campaign and its units written straight to the database: the way to get a deadline in the past, which the API refuses. */
export async function buildCampaign(
  dataSource: DataSource,
  video: VideoEntity,
  units: UnitEntity[],
  options: { title?: string; deadline?: Date; roles?: Role[]; headsFirst?: boolean } = {},
): Promise<CampaignEntity> {
  const campaign: CampaignEntity = {
    id: newId(),
    townshipId: video.townshipId,
    videoId: video.id,
    title: options.title ?? '测试观看任务',
    deadline: options.deadline ?? new Date(Date.now() + 7 * 24 * 3600_000),
    roles: (options.roles ?? [Role.STAFF]).join(','),
    headsFirst: options.headsFirst ? 1 : 0,
    createdBy: newId(),
    createdAt: new Date(),
  };
  await dataSource.getRepository(CampaignEntity).insert(campaign);
  const links: CampaignUnitEntity[] = units.map((unit) => ({ id: newId(), townshipId: video.townshipId, campaignId: campaign.id, unitId: unit.id }));
  await dataSource.getRepository(CampaignUnitEntity).insert(links);
  return campaign;
}

/**
 * A viewing the server verified (the whole video covered), and its check-in when `checkedIn`: for tests of what
 * admins see, where how the viewing was verified is not the point.
 */
export async function buildVerifiedViewing(
  dataSource: DataSource,
  campaign: Pick<CampaignEntity, 'id' | 'townshipId'>,
  video: Pick<VideoEntity, 'durationMs'>,
  userId: string,
  options: { checkedIn?: boolean } = {},
): Promise<void> {
  const now = new Date();
  const progress: ViewingProgressEntity = {
    id: newId(),
    townshipId: campaign.townshipId,
    campaignId: campaign.id,
    userId,
    sessionId: newId(),
    intervals: `0-${video.durationMs}`,
    coveredMs: video.durationMs,
    positionMs: video.durationMs,
    completedAt: now,
    createdAt: now,
    updatedAt: now,
  };
  await dataSource.getRepository(ViewingProgressEntity).insert(progress);
  if (!options.checkedIn) return;
  const checkin: CheckinEntity = {
    id: newId(),
    townshipId: campaign.townshipId,
    campaignId: campaign.id,
    userId,
    coveredMs: video.durationMs,
    deviceModel: null,
    system: null,
    platform: null,
    userAgent: null,
    checkedInAt: now,
  };
  await dataSource.getRepository(CheckinEntity).insert(checkin);
}

export type FormPart = { name: string; value: string } | { name: string; filename: string; contentType: string; content: Buffer };

/** A multipart/form-data body with text fields and files in the order given. */
export function multipartForm(parts: FormPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----qmfz${newId()}`;
  const chunks = parts.flatMap((part) =>
    'value' in part
      ? [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`)]
      : [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
              `Content-Type: ${part.contentType}\r\n\r\n`,
          ),
          part.content,
          Buffer.from('\r\n'),
        ],
  );
  const payload = Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
