import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { TownshipEntity } from '../database/entities/index.js';

@Injectable()
export class TownshipsRepository {
  private readonly townships: Repository<TownshipEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.townships = dataSource.getRepository(TownshipEntity);
  }

  findById(id: string): Promise<TownshipEntity | null> {
    return this.townships.findOneBy({ id });
  }

  findByCode(code: string): Promise<TownshipEntity | null> {
    return this.townships.findOneBy({ code });
  }
}
