import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../common/ids.js';
import { AuditLogEntity } from '../database/entities/index.js';
import { selectRows, utcDate } from '../database/plain-sql.js';

/** One sensitive act: who did what to which subject (`subjectType` names the kind, e.g. `tip`). */
export interface AuditEntry {
  townshipId: string;
  actorId: string;
  /** Dotted and stable, e.g. `reward.approved`, `identity.revealed`. */
  action: string;
  subjectType: string;
  subjectId: string;
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
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      detail: entry.detail,
      createdAt: entry.at,
    };
    await manager.getRepository(AuditLogEntity).insert(row);
  }

  /** Every entry about one subject of the township, oldest first, with the actor's display name. */
  async listFor(townshipId: string, subjectType: string, subjectId: string): Promise<AuditRow[]> {
    const sql =
      'SELECT a.id, a.actor_id, u.display_name, a.action, a.detail, a.created_at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ' +
      'WHERE a.subject_id = ? AND a.township_id = ? AND a.subject_type = ? ORDER BY a.created_at ASC, a.id ASC';
    const rows = await selectRows(this.dataSource, sql, [subjectId, townshipId, subjectType]);
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
