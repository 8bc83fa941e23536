import type { TipEventKind, TipStatus } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, LongTextColumn, TextColumn, TimeColumn } from '../columns.js';

/** One step of a tip's history: a status change, a police reply, a reporter's addition, an assignment, labels. */
@Index('idx_tip_events_tip_created', ['tipId', 'createdAt'])
@Entity('tip_events')
export class TipEventEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('tip_id') tipId: string;
  @TextColumn('kind', 16) kind: TipEventKind;
  @TextColumn('status', 16, { nullable: true }) status: TipStatus | null;
  /** Ciphertext of the reply or addition (either may name people). */
  @LongTextColumn('body_cipher', { nullable: true }) bodyCipher: string | null;
  /** The officer who wrote it; null for the reporter. */
  @IdColumn('author_id', { nullable: true }) authorId: string | null;
  @TimeColumn('created_at') createdAt: Date;
}
