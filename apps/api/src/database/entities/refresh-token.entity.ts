import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

/** Only the SHA-256 of a refresh token is stored; a family ties together one login's rotations. */
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_refresh_tokens_family', ['familyId'])
@Entity('refresh_tokens')
export class RefreshTokenEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('user_id') userId: string;
  @IdColumn('family_id') familyId: string;
  @TextColumn('token_hash', 64) tokenHash: string;
  @TimeColumn('expires_at') expiresAt: Date;
  @TimeColumn('revoked_at', { nullable: true }) revokedAt: Date | null;
  @TimeColumn('created_at') createdAt: Date;
}
