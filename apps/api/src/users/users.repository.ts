import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { UserEntity } from '../database/entities/index.js';

@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
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
