import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus, type Role, type UnitKind } from '@qmfz/contracts';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import type { ActorMembership } from '../auth/actor.js';
import { MembershipEntity, UnitEntity, UserEntity } from '../database/entities/index.js';
import { nullableUtcDate, selectRows, utcDate } from '../database/plain-sql.js';

export type MembershipWithUnit = MembershipEntity & { unitName: string; unitKind: UnitEntity['kind'] };

/** A membership with the member's name and masked phone: what a unit admin may see of a person. */
export type MemberRow = MembershipEntity & { displayName: string; phoneMasked: string | null };

@Injectable()
export class MembershipsRepository {
  private readonly memberships: Repository<MembershipEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.memberships = dataSource.getRepository(MembershipEntity);
  }

  /** Read on every authenticated request: one indexed query, only the columns the guard needs, plain SQL. */
  async findActiveForActor(userId: string, townshipId: string): Promise<ActorMembership[]> {
    const sql =
      'SELECT m.unit_id, u.kind, m.role FROM memberships m INNER JOIN units u ON u.id = m.unit_id ' +
      'WHERE m.user_id = ? AND m.status = ? AND m.township_id = ?';
    const rows = await selectRows(this.dataSource, sql, [userId, MembershipStatus.ACTIVE, townshipId]);
    return rows.map((row) => ({ unitId: row.unit_id as string, unitKind: row.kind as UnitKind, role: row.role as Role }));
  }

  /** Every membership of the user with its unit's name and kind, oldest first; on every /me, so plain SQL. */
  async findAllForUser(userId: string, townshipId: string): Promise<MembershipWithUnit[]> {
    const sql =
      'SELECT m.id, m.township_id, m.unit_id, m.user_id, m.role, m.status, m.created_at, m.decided_at, m.decided_by, ' +
      'u.name AS unit_name, u.kind AS unit_kind FROM memberships m INNER JOIN units u ON u.id = m.unit_id ' +
      'WHERE m.user_id = ? AND m.township_id = ? ORDER BY m.id ASC';
    const rows = await selectRows(this.dataSource, sql, [userId, townshipId]);
    return rows.map((row) => ({
      id: row.id as string,
      townshipId: row.township_id as string,
      unitId: row.unit_id as string,
      userId: row.user_id as string,
      role: row.role as Role,
      status: row.status as MembershipStatus,
      createdAt: utcDate(row.created_at),
      decidedAt: nullableUtcDate(row.decided_at),
      decidedBy: row.decided_by as string | null,
      unitName: row.unit_name as string,
      unitKind: row.unit_kind as UnitKind,
    }));
  }

  findByUnitAndUser(unitId: string, userId: string): Promise<MembershipEntity | null> {
    return this.memberships.findOneBy({ unitId, userId });
  }

  /** Throws a unique violation when the user already has a membership in the unit. */
  async insert(membership: MembershipEntity): Promise<void> {
    await this.memberships.insert(membership);
  }

  /** Members of a unit, oldest first, optionally of one status. */
  listMembersOfUnit(townshipId: string, unitId: string, status?: MembershipStatus): Promise<MemberRow[]> {
    const query = this.membersQuery(townshipId, unitId);
    if (status) query.andWhere('m.status = :status', { status });
    return this.withPerson(query.orderBy('m.id', 'ASC'));
  }

  async findMemberInUnit(townshipId: string, unitId: string, id: string): Promise<MemberRow | null> {
    const [member] = await this.withPerson(this.membersQuery(townshipId, unitId).andWhere('m.id = :id', { id }));
    return member ?? null;
  }

  /** Approves or rejects only while still pending; false when someone decided first. */
  async decidePending(id: string, status: MembershipStatus, decidedBy: string, now: Date): Promise<boolean> {
    const result = await this.memberships.update({ id, status: MembershipStatus.PENDING }, { status, decidedBy, decidedAt: now });
    return (result.affected ?? 0) === 1;
  }

  /** A rejected applicant applies again with a new invite; false when the membership is no longer rejected. */
  async reapply(id: string, role: Role, now: Date): Promise<boolean> {
    const result = await this.memberships.update(
      { id, status: MembershipStatus.REJECTED },
      { status: MembershipStatus.PENDING, role, createdAt: now, decidedAt: null, decidedBy: null },
    );
    return (result.affected ?? 0) === 1;
  }

  private membersQuery(townshipId: string, unitId: string): SelectQueryBuilder<MembershipEntity> {
    return this.memberships
      .createQueryBuilder('m')
      .innerJoin(UserEntity, 'p', 'p.id = m.user_id')
      .addSelect(['p.display_name AS p_display_name', 'p.phone_masked AS p_phone_masked'])
      .where('m.township_id = :townshipId AND m.unit_id = :unitId', { townshipId, unitId });
  }

  private async withPerson(query: SelectQueryBuilder<MembershipEntity>): Promise<MemberRow[]> {
    const rows = await query.getRawAndEntities();
    return rows.entities.map((m, i) =>
      Object.assign(m, { displayName: rows.raw[i].p_display_name as string, phoneMasked: (rows.raw[i].p_phone_masked as string | null) ?? null }),
    );
  }
}
