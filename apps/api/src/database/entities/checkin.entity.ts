import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/** 确认已观看: written once per person and campaign, only after the server verified the viewing. */
@Index('uq_checkins_campaign_user', ['campaignId', 'userId'], { unique: true })
@Entity('checkins')
export class CheckinEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('campaign_id') campaignId: string;
  @IdColumn('user_id') userId: string;
  @IntColumn('covered_ms') coveredMs: number;
  @TextColumn('device_model', 60, { nullable: true }) deviceModel: string | null;
  @TextColumn('system', 60, { nullable: true }) system: string | null;
  @TextColumn('platform', 60, { nullable: true }) platform: string | null;
  @TextColumn('user_agent', 200, { nullable: true }) userAgent: string | null;
  @TimeColumn('checked_in_at') checkedInAt: Date;
}
