import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../common/ids.js';
import { AuditLogEntity } from '../database/entities/index.js';
import { selectRows, utcDate } from '../database/plain-sql.js';

export const AuditAction = {
  REWARD_DECIDED: 'reward.decided',
  REWARD_APPROVED: 'reward.approved',
  REWARD_REJECTED: 'reward.rejected',
  REWARD_PAID: 'reward.paid',
  IDENTITY_REVEALED: 'identity.revealed',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** Rewards are addressed by their tip, so every entry about a reward or a reporter's identity names the tip. */
export const AUDIT_SUBJECT_TIP = 'tip';

export interface AuditEntry {
  townshipId: string;
  actorId: string;
  action: AuditAction;
  tipId: string;
  /** Never personal data: field names, an amount, a tier. */
  detail: string | null;
  at: Date;
}

export interface AuditRow {
  id: string;
  actorId: string;
  actorName: string;
  action: string;
  detail: string | null;
  createdAt: Date;
}

/**
 * The append-only audit log. This class is the only code that touches `audit_log`, and it can only add rows and
 * read them: there is deliberately no update or delete.
 */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Inside the caller's transaction when given one, so the act and its record commit together. */
  async insert(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const row: AuditLogEntity = {
      id: newId(),
      townshipId: entry.townshipId,
      actorId: entry.actorId,
      action: entry.action,
      subjectType: AUDIT_SUBJECT_TIP,
      subjectId: entry.tipId,
      detail: entry.detail,
      createdAt: entry.at,
    };
    await manager.getRepository(AuditLogEntity).insert(row);
  }

  /** Every entry about the tip and its reward, oldest first, with the actor's display name. */
  async listForTip(townshipId: string, tipId: string): Promise<AuditRow[]> {
    const sql =
      'SELECT a.id, a.actor_id, u.display_name, a.action, a.detail, a.created_at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ' +
      'WHERE a.subject_id = ? AND a.township_id = ? AND a.subject_type = ? ORDER BY a.created_at ASC, a.id ASC';
    const rows = await selectRows(this.dataSource, sql, [tipId, townshipId, AUDIT_SUBJECT_TIP]);
    return rows.map((row) => ({
      id: row.id as string,
      actorId: row.actor_id as string,
      actorName: (row.display_name as string | null) ?? '',
      action: row.action as string,
      detail: row.detail as string | null,
      createdAt: utcDate(row.created_at),
    }));
  }
}
