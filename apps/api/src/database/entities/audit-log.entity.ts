import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

/**
 * Append-only record of sensitive acts: an identity revealed, a reward decided, approved, rejected or paid. The
 * application only inserts and reads it; production grants the API user no UPDATE or DELETE on this table.
 */
@Index('idx_audit_log_township_created', ['townshipId', 'createdAt'])
@Index('idx_audit_log_subject', ['subjectId'])
@Entity('audit_log')
export class AuditLogEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('actor_id') actorId: string;
  @TextColumn('action', 40) action: string;
  @TextColumn('subject_type', 20) subjectType: string;
  @IdColumn('subject_id') subjectId: string;
  /** Never personal data: which fields were revealed, an amount, a status. */
  @TextColumn('detail', 200, { nullable: true }) detail: string | null;
  @TimeColumn('created_at') createdAt: Date;
}
