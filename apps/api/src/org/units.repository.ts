import { Inject, Injectable } from '@nestjs/common';
import type { UnitKind } from '@qmfz/contracts';
import { DataSource, Repository } from 'typeorm';
import { UnitEntity } from '../database/entities/index.js';
import { selectOne, utcDate } from '../database/plain-sql.js';

@Injectable()
export class UnitsRepository {
  private readonly units: Repository<UnitEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.units = dataSource.getRepository(UnitEntity);
  }

  /**
   * A unit, only if it belongs to the township: callers never see another tenant's unit.
   * Behind every unit-scoped route, so plain SQL (see database/plain-sql.ts).
   */
  findInTownship(townshipId: string, id: string): Promise<UnitEntity | null> {
    const sql = 'SELECT id, township_id, name, kind, created_at, updated_at FROM units WHERE township_id = ? AND id = ? LIMIT 1';
    return selectOne(this.dataSource, sql, [townshipId, id], (row) => ({
      id: row.id as string,
      townshipId: row.township_id as string,
      name: row.name as string,
      kind: row.kind as UnitKind,
      createdAt: utcDate(row.created_at),
      updatedAt: utcDate(row.updated_at),
    }));
  }

  findFirstOfKind(townshipId: string, kind: UnitKind): Promise<UnitEntity | null> {
    return this.units.findOne({ where: { townshipId, kind }, order: { id: 'ASC' } });
  }

  /** Oldest first, so the list keeps its order as units are added. */
  listInTownship(townshipId: string, kind?: UnitKind): Promise<UnitEntity[]> {
    return this.units.find({ where: kind ? { townshipId, kind } : { townshipId }, order: { id: 'ASC' } });
  }

  /** Throws a unique violation when the township already has a unit of that name. */
  async insert(unit: UnitEntity): Promise<void> {
    await this.units.insert(unit);
  }

  /** Throws a unique violation when the township already has a unit of that name. */
  async rename(townshipId: string, id: string, name: string, now: Date): Promise<void> {
    await this.units.update({ townshipId, id }, { name, updatedAt: now });
  }
}
