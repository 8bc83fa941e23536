import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/** A requirement to watch a video by a deadline, for some roles in some units (campaign_units). */
@Index('idx_campaigns_township_deadline', ['townshipId', 'deadline'])
@Entity('campaigns')
export class CampaignEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('video_id') videoId: string;
  @TextColumn('title', 60) title: string;
  @TimeColumn('deadline') deadline: Date;
  /** Comma-separated roles that must watch. */
  @TextColumn('roles', 100) roles: string;
  /** 1 when staff wait for their unit's admin to check in first. */
  @IntColumn('heads_first') headsFirst: number;
  @IdColumn('created_by') createdBy: string;
  @TimeColumn('created_at') createdAt: Date;
}
