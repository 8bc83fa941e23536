import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus } from '@qmfz/contracts';
import { DataSource, Repository } from 'typeorm';
import type { ActorMembership } from '../auth/actor.js';
import { MembershipEntity, UnitEntity } from '../database/entities/index.js';

export type MembershipWithUnit = MembershipEntity & { unitName: string; unitKind: UnitEntity['kind'] };

@Injectable()
export class MembershipsRepository {
  private readonly memberships: Repository<MembershipEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.memberships = dataSource.getRepository(MembershipEntity);
  }

  /** Read on every authenticated request: one indexed query, only the columns the guard needs. */
  async findActiveForActor(userId: string, townshipId: string): Promise<ActorMembership[]> {
    return this.memberships
      .createQueryBuilder('m')
      .innerJoin(UnitEntity, 'u', 'u.id = m.unit_id')
      .select(['m.unit_id AS unitId', 'u.kind AS unitKind', 'm.role AS role'])
      .where('m.user_id = :userId AND m.status = :status AND m.township_id = :townshipId', {
        userId,
        townshipId,
        status: MembershipStatus.ACTIVE,
      })
      .getRawMany<ActorMembership>();
  }

  async findAllForUser(userId: string, townshipId: string): Promise<MembershipWithUnit[]> {
    const rows = await this.memberships
      .createQueryBuilder('m')
      .innerJoin(UnitEntity, 'u', 'u.id = m.unit_id')
      .addSelect(['u.name', 'u.kind'])
      .where('m.user_id = :userId AND m.township_id = :townshipId', { userId, townshipId })
      .orderBy('m.id', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((m, i) => Object.assign(m, { unitName: rows.raw[i].u_name as string, unitKind: rows.raw[i].u_kind }));
  }

  findByUnitAndUser(unitId: string, userId: string): Promise<MembershipEntity | null> {
    return this.memberships.findOneBy({ unitId, userId });
  }

  async insert(membership: MembershipEntity): Promise<void> {
    await this.memberships.insert(membership);
  }
}
