import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus, Role, UnitKind, type FraudType, type PersonRef, type TipStatus } from '@qmfz/contracts';
import { DataSource, In, Repository } from 'typeorm';
import { TipAttachmentEntity, TipEntity, TipEventEntity, UnitEntity, UserEntity } from '../database/entities/index.js';
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

/** A tip of a group, for the linked list of a tip's detail. */
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

  /**
   * Newest first (created_at, then id), after the given position; keyset pagination, so pages never shift. A tip's
   * id carries its created_at (see TipsService.newTip), so this is also descending id order, the order of groups.
   */
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

  /** How many tips each of the township's groups holds, counted by the database. */
  async groupSizes(townshipId: string, groupIds: string[]): Promise<Map<string, number>> {
    if (groupIds.length === 0) return new Map();
    const rows: { group_id: string; size: number | string }[] = await this.tips
      .createQueryBuilder('t')
      .select('t.group_id', 'group_id')
      .addSelect('COUNT(*)', 'size')
      .where('t.township_id = :townshipId AND t.group_id IN (:...groupIds)', { townshipId, groupIds: [...new Set(groupIds)] })
      .groupBy('t.group_id')
      .getRawMany();
    return new Map(rows.map((row) => [row.group_id, Number(row.size)]));
  }

  /** Every tip of a group, earliest (smallest id) first. */
  groupMembers(townshipId: string, groupId: string): Promise<GroupMember[]> {
    return this.tips.find({ select: { id: true, groupId: true, status: true, createdAt: true }, where: { townshipId, groupId }, order: { id: 'ASC' } });
  }

  attachmentsOf(townshipId: string, tipId: string): Promise<TipAttachmentEntity[]> {
    return this.dataSource.getRepository(TipAttachmentEntity).find({ where: { townshipId, tipId }, order: { position: 'ASC', id: 'ASC' } });
  }

  findAttachment(townshipId: string, tipId: string, attachmentId: string): Promise<TipAttachmentEntity | null> {
    return this.dataSource.getRepository(TipAttachmentEntity).findOneBy({ townshipId, tipId, id: attachmentId });
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
}
