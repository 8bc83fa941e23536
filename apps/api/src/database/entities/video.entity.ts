import type { VideoSource } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/** A video a campaign can require: a file the API stores, or an external URL. */
@Index('idx_videos_township_created', ['townshipId', 'createdAt'])
@Entity('videos')
export class VideoEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @TextColumn('title', 60) title: string;
  @TextColumn('source', 8) source: VideoSource;
  @TextColumn('url', 500, { nullable: true }) url: string | null;
  /** File name inside the video storage folder, for uploads. */
  @TextColumn('storage_key', 64, { nullable: true }) storageKey: string | null;
  @TextColumn('content_type', 40, { nullable: true }) contentType: string | null;
  @IntColumn('size_bytes', { nullable: true }) sizeBytes: number | null;
  @IntColumn('duration_ms') durationMs: number;
  @IdColumn('created_by') createdBy: string;
  @TimeColumn('created_at') createdAt: Date;
}
