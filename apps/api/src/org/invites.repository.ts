import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@qmfz/contracts';
import { DataSource, In, IsNull, Repository } from 'typeorm';
import { InviteCodeEntity } from '../database/entities/index.js';

@Injectable()
export class InvitesRepository {
  private readonly invites: Repository<InviteCodeEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.invites = dataSource.getRepository(InviteCodeEntity);
  }

  /** Throws a unique violation when the code is taken (codes are unique across all townships). */
  async insert(invite: InviteCodeEntity): Promise<void> {
    await this.invites.insert(invite);
  }

  findByCode(code: string): Promise<InviteCodeEntity | null> {
    return this.invites.findOneBy({ code });
  }

  findInUnit(townshipId: string, unitId: string, id: string): Promise<InviteCodeEntity | null> {
    return this.invites.findOneBy({ townshipId, unitId, id });
  }

  /** Newest first (ids are time-ordered), only invites granting one of the roles. */
  listNewestForUnit(townshipId: string, unitId: string, roles: Role[], limit: number): Promise<InviteCodeEntity[]> {
    if (roles.length === 0) return Promise.resolve([]);
    return this.invites.find({ where: { townshipId, unitId, role: In(roles) }, order: { id: 'DESC' }, take: limit });
  }

  /** Sets revoked_at once; revoking again keeps the first time. */
  async revoke(id: string, now: Date): Promise<void> {
    await this.invites.update({ id, revokedAt: IsNull() }, { revokedAt: now });
  }
}
