import type { Role } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

@Index('uq_invite_codes_code', ['code'], { unique: true })
@Index('idx_invite_codes_unit', ['unitId'])
@Entity('invite_codes')
export class InviteCodeEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('unit_id') unitId: string;
  @TextColumn('code', 16) code: string;
  @TextColumn('role', 24) role: Role;
  @TimeColumn('expires_at') expiresAt: Date;
  @TimeColumn('revoked_at', { nullable: true }) revokedAt: Date | null;
  @IdColumn('created_by') createdBy: string;
  @TimeColumn('created_at') createdAt: Date;
}
