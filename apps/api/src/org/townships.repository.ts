import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { TownshipEntity } from '../database/entities/index.js';
import { selectOne, utcDate } from '../database/plain-sql.js';

@Injectable()
export class TownshipsRepository {
  private readonly townships: Repository<TownshipEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.townships = dataSource.getRepository(TownshipEntity);
  }

  /** On every /me: plain SQL (see database/plain-sql.ts). */
  findById(id: string): Promise<TownshipEntity | null> {
    return selectOne(this.dataSource, 'SELECT id, code, name, created_at FROM townships WHERE id = ? LIMIT 1', [id], (row) => ({
      id: row.id as string,
      code: row.code as string,
      name: row.name as string,
      createdAt: utcDate(row.created_at),
    }));
  }

  findByCode(code: string): Promise<TownshipEntity | null> {
    return this.townships.findOneBy({ code });
  }
}
