import { Inject, Injectable } from '@nestjs/common';
import { webcrypto } from 'node:crypto';
import { ErrorCode } from '@qmfz/contracts';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

export interface AccessClaims {
  userId: string;
  townshipId: string;
}

const ISSUER = 'qmfz-api';
const AUDIENCE = 'qmfz-access';

/** Signs and verifies short-lived access tokens (HS256). Roles are not in the token: they are read per request. */
@Injectable()
export class TokenService {
  // Imported once: handed raw bytes, jose imports the key again on every call (~120 µs per request, docs/performance.md).
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const secret = new TextEncoder().encode(config.auth.jwtSecret);
    this.key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  get accessTtlSeconds(): number {
    return this.config.auth.accessTtlSeconds;
  }

  async signAccess(claims: AccessClaims): Promise<string> {
    return new SignJWT({ tid: claims.townshipId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.config.auth.accessTtlSeconds}s`)
      .sign(await this.key);
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, await this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_INVALID);
      return { userId: payload.sub, townshipId: payload.tid };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_EXPIRED);
      throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_INVALID);
    }
  }
}
