import { Inject, Injectable } from '@nestjs/common';
import type { UnitKind } from '@qmfz/contracts';
import { DataSource, Repository } from 'typeorm';
import { UnitEntity } from '../database/entities/index.js';

@Injectable()
export class UnitsRepository {
  private readonly units: Repository<UnitEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.units = dataSource.getRepository(UnitEntity);
  }

  /** A unit, only if it belongs to the township: callers never see another tenant's unit. */
  findInTownship(townshipId: string, id: string): Promise<UnitEntity | null> {
    return this.units.findOneBy({ townshipId, id });
  }

  findFirstOfKind(townshipId: string, kind: UnitKind): Promise<UnitEntity | null> {
    return this.units.findOne({ where: { townshipId, kind }, order: { id: 'ASC' } });
  }
}
