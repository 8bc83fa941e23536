import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus, Role, UnitKind, type FraudType, type PersonRef, type TipStatus } from '@qmfz/contracts';
import { DataSource, In, Repository } from 'typeorm';
import { TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, UnitEntity, UserEntity } from '../database/entities/index.js';
import { selectRows } from '../database/plain-sql.js';
import { STATUS_LOCKING_REWARDS } from '../rewards/reward-rules.js';

export interface TipFilter {
  status?: TipStatus;
  fraudType?: FraudType;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  groupId?: string;
  /** An officer's user id, or null for unassigned tips. */
  assigneeId?: string | null;
}

/** Where a page starts: after this tip in newest-first order. */
export interface TipPosition {
  createdAt: Date;
  id: string;
}

/** A tip of a group, for group sizes, priority and the linked list. */
export type GroupMember = Pick<TipEntity, 'id' | 'groupId' | 'status' | 'createdAt'>;

/** The columns a triage change writes. */
export type TipChange = Partial<Pick<TipEntity, 'status' | 'closedAt' | 'assigneeId' | 'labels'>>;

@Injectable()
export class TriageRepository {
  private readonly tips: Repository<TipEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.tips = dataSource.getRepository(TipEntity);
  }

  /** A tip only if it belongs to the township: another township's tip is as missing as one that never was. */
  findInTownship(townshipId: string, id: string): Promise<TipEntity | null> {
    return this.tips.findOneBy({ townshipId, id });
  }

  /** Newest first (created_at, then id), after the given position; keyset pagination, so pages never shift. */
  list(townshipId: string, filter: TipFilter, after: TipPosition | null, limit: number): Promise<TipEntity[]> {
    const query = this.tips.createQueryBuilder('t').where('t.townshipId = :townshipId', { townshipId });
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.fraudType) query.andWhere('t.fraudType = :fraudType', { fraudType: filter.fraudType });
    if (filter.from) query.andWhere('t.createdAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('t.createdAt < :to', { to: filter.to });
    if (filter.groupId) query.andWhere('t.groupId = :groupId', { groupId: filter.groupId });
    if (filter.assigneeId === null) query.andWhere('t.assigneeId IS NULL');
    else if (filter.assigneeId) query.andWhere('t.assigneeId = :assigneeId', { assigneeId: filter.assigneeId });
    if (after) query.andWhere('(t.createdAt < :afterAt OR (t.createdAt = :afterAt AND t.id < :afterId))', { afterAt: after.createdAt, afterId: after.id });
    return query.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').limit(limit).getMany();
  }

  /** The suspect identifiers of several tips in one query, in the order the reporter gave them. */
  identifiersOf(tipIds: string[]): Promise<TipIdentifierEntity[]> {
    if (tipIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(TipIdentifierEntity).find({ where: { tipId: In(tipIds) }, order: { position: 'ASC', id: 'ASC' } });
  }

  /** Every tip of the given groups, oldest first. */
  groupMembers(townshipId: string, groupIds: string[]): Promise<GroupMember[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return this.tips.find({
      select: { id: true, groupId: true, status: true, createdAt: true },
      where: { townshipId, groupId: In([...new Set(groupIds)]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  attachmentsOf(tipId: string): Promise<TipAttachmentEntity[]> {
    return this.dataSource.getRepository(TipAttachmentEntity).find({ where: { tipId }, order: { position: 'ASC', id: 'ASC' } });
  }

  findAttachment(tipId: string, attachmentId: string): Promise<TipAttachmentEntity | null> {
    return this.dataSource.getRepository(TipAttachmentEntity).findOneBy({ tipId, id: attachmentId });
  }

  /** The whole history, oldest first. */
  eventsOf(tipId: string): Promise<TipEventEntity[]> {
    return this.dataSource.getRepository(TipEventEntity).find({ where: { tipId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Names of several people in one query (assignees, authors). */
  async people(userIds: (string | null)[]): Promise<Map<string, PersonRef>> {
    const ids = [...new Set(userIds.filter((id): id is string => !!id))];
    if (ids.length === 0) return new Map();
    const users = await this.dataSource.getRepository(UserEntity).find({ select: { id: true, displayName: true }, where: { id: In(ids) } });
    return new Map(users.map((user) => [user.id, { userId: user.id, displayName: user.displayName }]));
  }

  async unitName(townshipId: string, unitId: string): Promise<string | null> {
    const unit = await this.dataSource.getRepository(UnitEntity).findOne({ select: { id: true, name: true }, where: { townshipId, id: unitId } });
    return unit?.name ?? null;
  }

  /**
   * Active police of the township (members of a police station), a person in two stations once, in Chinese name
   * order (pinyin): sorted here because SQLite and MariaDB collations order Chinese differently.
   */
  async officers(townshipId: string): Promise<PersonRef[]> {
    const sql =
      'SELECT DISTINCT u.id, u.display_name FROM memberships m INNER JOIN units un ON un.id = m.unit_id INNER JOIN users u ON u.id = m.user_id ' +
      'WHERE m.township_id = ? AND m.status = ? AND m.role = ? AND un.kind = ?';
    const rows = await selectRows(this.dataSource, sql, [townshipId, MembershipStatus.ACTIVE, Role.POLICE, UnitKind.POLICE_STATION]);
    return rows
      .map((row) => ({ userId: row.id as string, displayName: row.display_name as string }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || (a.userId < b.userId ? -1 : 1));
  }

  async isActiveOfficer(townshipId: string, userId: string): Promise<boolean> {
    const sql =
      'SELECT m.id FROM memberships m INNER JOIN units un ON un.id = m.unit_id ' +
      'WHERE m.township_id = ? AND m.user_id = ? AND m.status = ? AND m.role = ? AND un.kind = ? LIMIT 1';
    return (await selectRows(this.dataSource, sql, [townshipId, userId, MembershipStatus.ACTIVE, Role.POLICE, UnitKind.POLICE_STATION])).length === 1;
  }

  /**
   * The change and its history events in one transaction. A status change holds only while the tip still has the
   * status it was read with and no reward that locks it (checked in the same statement, so a reward decided at the
   * same moment cannot slip in between). False when that no longer held and nothing was written.
   */
  async applyChange(tip: TipEntity, change: TipChange, events: TipEventEntity[], now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const update = manager
        .createQueryBuilder()
        .update(TipEntity)
        .set({ ...change, updatedAt: now })
        .where('id = :id AND township_id = :townshipId', { id: tip.id, townshipId: tip.townshipId });
      if (change.status !== undefined) {
        update
          .andWhere('status = :expected', { expected: tip.status })
          .andWhere('NOT EXISTS (SELECT 1 FROM tip_rewards r WHERE r.tip_id = :id AND r.status IN (:...locking))', { locking: STATUS_LOCKING_REWARDS });
      }
      const result = await update.execute();
      if (result.affected !== 1) return false;
      await manager.getRepository(TipEventEntity).insert(events);
      return true;
    });
  }

  /** A reply and the tip's new updated_at, together. */
  async insertReply(event: TipEventEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(TipEventEntity).insert(event);
      await manager.getRepository(TipEntity).update({ id: event.tipId, townshipId: event.townshipId }, { updatedAt: event.createdAt });
    });
  }
}
