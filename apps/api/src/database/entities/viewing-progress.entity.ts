import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/**
 * A person's checkpointed viewing of a campaign's video. Written when a session starts, at checkpoints and at
 * completion, never per heartbeat. Only the newest session (`session_id`) may write it.
 */
@Index('uq_viewing_progress_campaign_user', ['campaignId', 'userId'], { unique: true })
@Entity('viewing_progress')
export class ViewingProgressEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('campaign_id') campaignId: string;
  @IdColumn('user_id') userId: string;
  @IdColumn('session_id') sessionId: string;
  /** Watched ranges as "start-end,start-end" in milliseconds. */
  @TextColumn('intervals', 1000) intervals: string;
  @IntColumn('covered_ms') coveredMs: number;
  @IntColumn('position_ms') positionMs: number;
  @TimeColumn('completed_at', { nullable: true }) completedAt: Date | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
