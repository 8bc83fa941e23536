import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { UserEntity } from '../database/entities/index.js';
import { selectOne, utcDate, type Row } from '../database/plain-sql.js';

const USER_COLUMNS = 'id, township_id, openid, unionid, dev_key, display_name, phone_cipher, phone_index, phone_masked, created_at, updated_at';

function toUser(row: Row): UserEntity {
  return {
    id: row.id as string,
    townshipId: row.township_id as string,
    openid: row.openid as string | null,
    unionid: row.unionid as string | null,
    devKey: row.dev_key as string | null,
    displayName: row.display_name as string,
    phoneCipher: row.phone_cipher as string | null,
    phoneIndex: row.phone_index as string | null,
    phoneMasked: row.phone_masked as string | null,
    createdAt: utcDate(row.created_at),
    updatedAt: utcDate(row.updated_at),
  };
}

@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  /** On every /me and refresh: plain SQL (see database/plain-sql.ts). */
  findById(id: string): Promise<UserEntity | null> {
    return selectOne(this.dataSource, `SELECT ${USER_COLUMNS} FROM users WHERE id = ? LIMIT 1`, [id], toUser);
  }

  findByOpenid(openid: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ openid });
  }

  findByDevKey(devKey: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ devKey });
  }

  async insert(user: UserEntity): Promise<void> {
    await this.users.insert(user);
  }

  async updatePhone(id: string, phone: Pick<UserEntity, 'phoneCipher' | 'phoneIndex' | 'phoneMasked'>, now: Date): Promise<void> {
    await this.users.update({ id }, { ...phone, updatedAt: now });
  }
}
