import type { MembershipStatus, Role } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

@Index('uq_memberships_unit_user', ['unitId', 'userId'], { unique: true })
@Index('idx_memberships_user_status', ['userId', 'status'])
@Index('idx_memberships_unit_status', ['townshipId', 'unitId', 'status'])
@Entity('memberships')
export class MembershipEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('unit_id') unitId: string;
  @IdColumn('user_id') userId: string;
  @TextColumn('role', 24) role: Role;
  @TextColumn('status', 16) status: MembershipStatus;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('decided_at', { nullable: true }) decidedAt: Date | null;
  @IdColumn('decided_by', { nullable: true }) decidedBy: string | null;
}
