import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  MembershipStatus,
  Role,
  UnitKind,
  type MeResponse,
  type PhoneNumberResponse,
  type TokenResponse,
  roleFitsUnit,
} from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { isUniqueViolation } from '../common/db-errors.js';
import { newId } from '../common/ids.js';
import { maskMobile, normalizeMobile, PHONE_INDEX_NAMESPACE } from '../common/phone.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { RefreshTokenEntity, TownshipEntity, UnitEntity, UserEntity } from '../database/entities/index.js';
import { toMembershipResponse, toTownshipResponse } from '../org/org.mapper.js';
import { MembershipsRepository } from '../org/memberships.repository.js';
import { newMembership } from '../org/new-membership.js';
import { RosterRepository } from '../org/roster.repository.js';
import { TownshipsRepository } from '../org/townships.repository.js';
import { UnitsRepository } from '../org/units.repository.js';
import { newUser } from '../users/new-user.js';
import { UsersRepository } from '../users/users.repository.js';
import { WechatClient } from '../wechat/wechat.client.js';
import { Actor } from './actor.js';
import type { DevLoginDto } from './auth.dto.js';
import { devKeyFor } from './dev-key.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { TokenService } from './token.service.js';

/** Home unit kind a demo user of a role lands in when no unit is named. */
const DEV_DEFAULT_UNIT_KIND: Partial<Record<Role, UnitKind>> = {
  [Role.POLICE]: UnitKind.POLICE_STATION,
  [Role.TOWNSHIP_ADMIN]: UnitKind.TOWNSHIP_OFFICE,
};

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UsersRepository,
    private readonly townships: TownshipsRepository,
    private readonly units: UnitsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly roster: RosterRepository,
    private readonly crypto: CryptoService,
  ) {}

  async loginWithWechat(code: string): Promise<TokenResponse> {
    const session = await this.wechat.code2Session(code);
    const user =
      (await this.users.findByOpenid(session.openid)) ??
      (await this.createUser({ openid: session.openid, unionid: session.unionid ?? null }, () => this.users.findByOpenid(session.openid)));
    return this.issueTokens(user, newId());
  }

  async devLogin(dto: DevLoginDto): Promise<TokenResponse> {
    if (!this.config.auth.devLogin) throw new AppException(ErrorCode.AUTH_DEV_LOGIN_DISABLED, HttpStatus.FORBIDDEN);
    const township = await this.townshipByCode(dto.townshipCode ?? this.config.defaultTownshipCode);
    const unit = dto.role ? await this.devUnit(township, dto.role, dto.unitId) : null;
    const name = dto.name ?? (dto.role ? `演示${dto.role}` : '演示居民');
    const devKey = devKeyFor(township.code, dto.role ?? 'resident', unit?.id ?? null, name);
    const user =
      (await this.users.findByDevKey(devKey)) ??
      (await this.createUser({ devKey, displayName: name, townshipId: township.id }, () => this.users.findByDevKey(devKey)));
    if (unit && dto.role) await this.ensureActiveMembership(user, unit, dto.role);
    return this.issueTokens(user, newId());
  }

  async refresh(refreshToken: string): Promise<TokenResponse> {
    const now = new Date();
    const stored = await this.refreshTokens.findByHash(this.crypto.sha256(refreshToken));
    if (!stored || stored.expiresAt <= now) throw AppException.unauthorized(ErrorCode.AUTH_REFRESH_INVALID);
    const user = await this.users.findById(stored.userId);
    if (!user) throw AppException.unauthorized(ErrorCode.AUTH_REFRESH_INVALID);
    const next = this.newRefreshToken(user, stored.familyId, now);
    if (stored.revokedAt || !(await this.refreshTokens.rotate(stored.id, next.row, now))) {
      // A used token presented again means it leaked or raced: end the whole login.
      await this.refreshTokens.revokeFamily(stored.familyId, now);
      throw AppException.unauthorized(ErrorCode.AUTH_REFRESH_INVALID);
    }
    return this.tokenResponse(user, next.token);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.refreshTokens.findByHash(this.crypto.sha256(refreshToken));
    if (stored) await this.refreshTokens.revokeFamily(stored.familyId, new Date());
  }

  /** Verifies the phone through WeChat, stores it encrypted, and turns matching roster entries into memberships. */
  async bindPhone(actor: Actor, code: string): Promise<PhoneNumberResponse> {
    const phone = await this.wechat.getPhoneNumber(code);
    // purePhoneNumber drops the country code, so a foreign number could look like a mainland one.
    const normalised = phone.countryCode === '86' ? normalizeMobile(phone.purePhoneNumber) : null;
    if (!normalised) throw AppException.badRequest(ErrorCode.VALIDATION_FAILED, '仅支持中国大陆手机号');
    const phoneIndex = this.crypto.blindIndex(PHONE_INDEX_NAMESPACE, normalised);
    const phoneMasked = maskMobile(normalised);
    const now = new Date();
    await this.users.updatePhone(actor.userId, { phoneCipher: this.crypto.encrypt(normalised), phoneIndex, phoneMasked }, now);
    const claimedMemberships = await this.roster.claimForUser(actor.userId, actor.townshipId, phoneIndex, now);
    return { phoneMasked, claimedMemberships };
  }

  async me(actor: Actor): Promise<MeResponse> {
    const [user, township, memberships] = await Promise.all([
      this.users.findById(actor.userId),
      this.townships.findById(actor.townshipId),
      this.memberships.findAllForUser(actor.userId, actor.townshipId),
    ]);
    if (!user || !township) throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_INVALID);
    return {
      id: user.id,
      displayName: user.displayName,
      phoneMasked: user.phoneMasked,
      township: toTownshipResponse(township),
      memberships: memberships.map(toMembershipResponse),
    };
  }

  private async issueTokens(user: UserEntity, familyId: string): Promise<TokenResponse> {
    const next = this.newRefreshToken(user, familyId, new Date());
    await this.refreshTokens.insert(next.row);
    return this.tokenResponse(user, next.token);
  }

  /** A fresh refresh token and the row that stores its hash. */
  private newRefreshToken(user: UserEntity, familyId: string, now: Date): { token: string; row: RefreshTokenEntity } {
    const token = this.crypto.randomToken();
    const row: RefreshTokenEntity = {
      id: newId(),
      townshipId: user.townshipId,
      userId: user.id,
      familyId,
      tokenHash: this.crypto.sha256(token),
      expiresAt: new Date(now.getTime() + this.config.auth.refreshTtlSeconds * 1000),
      revokedAt: null,
      createdAt: now,
    };
    return { token, row };
  }

  private async tokenResponse(user: UserEntity, refreshToken: string): Promise<TokenResponse> {
    const accessToken = await this.tokens.signAccess({ userId: user.id, townshipId: user.townshipId });
    return { accessToken, expiresIn: this.tokens.accessTtlSeconds, refreshToken, refreshExpiresIn: this.config.auth.refreshTtlSeconds };
  }

  /** Inserts a user; when a concurrent request inserted the same identity first, returns that one. */
  private async createUser(fields: Partial<UserEntity>, findExisting: () => Promise<UserEntity | null>): Promise<UserEntity> {
    const townshipId = fields.townshipId ?? (await this.townshipByCode(this.config.defaultTownshipCode)).id;
    const user = newUser({ ...fields, townshipId });
    try {
      await this.users.insert(user);
      return user;
    } catch (error) {
      const existing = isUniqueViolation(error) ? await findExisting() : null;
      if (!existing) throw error;
      return existing;
    }
  }

  private async townshipByCode(code: string): Promise<TownshipEntity> {
    const township = await this.townships.findByCode(code);
    if (!township) throw AppException.notFound(ErrorCode.TOWNSHIP_NOT_FOUND);
    return township;
  }

  private async devUnit(township: TownshipEntity, role: Role, unitId?: string): Promise<UnitEntity> {
    const kind = DEV_DEFAULT_UNIT_KIND[role];
    const unit = unitId
      ? await this.units.findInTownship(township.id, unitId)
      : kind
        ? await this.units.findFirstOfKind(township.id, kind)
        : null;
    if (!unit) {
      throw unitId ? AppException.notFound(ErrorCode.UNIT_NOT_FOUND) : AppException.badRequest(ErrorCode.VALIDATION_FAILED, '该角色需要指定 unitId');
    }
    if (!roleFitsUnit(role, unit.kind)) throw AppException.badRequest(ErrorCode.VALIDATION_FAILED, '该单位不能授予此角色');
    return unit;
  }

  private async ensureActiveMembership(user: UserEntity, unit: UnitEntity, role: Role): Promise<void> {
    const existing = await this.memberships.findByUnitAndUser(unit.id, user.id);
    if (existing) return;
    const now = new Date();
    try {
      await this.memberships.insert(newMembership({ townshipId: unit.townshipId, unitId: unit.id, userId: user.id, role, status: MembershipStatus.ACTIVE }, now));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
