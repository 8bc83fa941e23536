import { Inject, Injectable } from '@nestjs/common';
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
  private readonly secret: Uint8Array;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.secret = new TextEncoder().encode(config.auth.jwtSecret);
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
      .sign(this.secret);
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_INVALID);
      return { userId: payload.sub, townshipId: payload.tid };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_EXPIRED);
      throw AppException.unauthorized(ErrorCode.AUTH_TOKEN_INVALID);
    }
  }
}
