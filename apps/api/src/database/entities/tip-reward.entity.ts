import type { RewardStatus, RewardTier } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/** A reward decided by police for a valid tip, claimed by the reporter, reviewed by a different township admin. */
@Index('uq_tip_rewards_tip', ['tipId'], { unique: true })
@Index('idx_tip_rewards_township_decided', ['townshipId', 'decidedAt'])
@Index('idx_tip_rewards_township_status', ['townshipId', 'status'])
@Entity('tip_rewards')
export class TipRewardEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('tip_id') tipId: string;
  @TextColumn('status', 16) status: RewardStatus;
  @TextColumn('tier', 10) tier: RewardTier;
  @IntColumn('amount_yuan') amountYuan: number;
  @TextColumn('reason', 200) reason: string;
  @IdColumn('decided_by') decidedBy: string;
  @TimeColumn('decided_at') decidedAt: Date;
  @TimeColumn('claimed_at', { nullable: true }) claimedAt: Date | null;
  @TextColumn('claim_name_cipher', 256, { nullable: true }) claimNameCipher: string | null;
  @TextColumn('claim_phone_cipher', 200, { nullable: true }) claimPhoneCipher: string | null;
  @TextColumn('claim_phone_index', 64, { nullable: true }) claimPhoneIndex: string | null;
  @TextColumn('claim_phone_masked', 16, { nullable: true }) claimPhoneMasked: string | null;
  @IdColumn('reviewed_by', { nullable: true }) reviewedBy: string | null;
  @TimeColumn('reviewed_at', { nullable: true }) reviewedAt: Date | null;
  @TextColumn('review_note', 200, { nullable: true }) reviewNote: string | null;
  @TimeColumn('paid_at', { nullable: true }) paidAt: Date | null;
  @TimeColumn('updated_at') updatedAt: Date;
}
