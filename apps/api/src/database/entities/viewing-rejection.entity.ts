import type { RejectionReason } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/** How many heartbeats of a person in a campaign were rejected, per reason. */
@Index('uq_viewing_rejections_campaign_user_reason', ['campaignId', 'userId', 'reason'], { unique: true })
@Entity('viewing_rejections')
export class ViewingRejectionEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('campaign_id') campaignId: string;
  @IdColumn('user_id') userId: string;
  @TextColumn('reason', 16) reason: RejectionReason;
  @IntColumn('count') count: number;
  @TimeColumn('last_at') lastAt: Date;
}
