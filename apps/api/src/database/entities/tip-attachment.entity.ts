import type { TipImageType } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn, TimeColumn } from '../columns.js';

/**
 * An image uploaded for a tip, stripped of metadata. Until a tip claims it (`tipId` null) it belongs to its
 * uploader, known only by a keyed hash; unclaimed uploads are deleted by the retention job.
 */
@Index('idx_tip_attachments_tip', ['tipId'])
@Index('idx_tip_attachments_created', ['createdAt'])
@Entity('tip_attachments')
export class TipAttachmentEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('tip_id', { nullable: true }) tipId: string | null;
  @TextColumn('uploader_hash', 64, { nullable: true }) uploaderHash: string | null;
  @TextColumn('storage_key', 64) storageKey: string;
  @TextColumn('content_type', 20) contentType: TipImageType;
  @IntColumn('size_bytes') sizeBytes: number;
  @IntColumn('width', { nullable: true }) width: number | null;
  @IntColumn('height', { nullable: true }) height: number | null;
  @IntColumn('position') position: number;
  @TimeColumn('created_at') createdAt: Date;
}
