import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Repository } from 'typeorm';
import { RefreshTokenEntity } from '../database/entities/index.js';

@Injectable()
export class RefreshTokenRepository {
  private readonly tokens: Repository<RefreshTokenEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  async insert(token: RefreshTokenEntity): Promise<void> {
    await this.tokens.insert(token);
  }

  /**
   * Marks one token used and stores its successor, in one transaction; returns false (and stores nothing) when
   * another request used the token first. The update holds the token's row lock until the successor is committed,
   * so a concurrent replay waits, finds the token used, and its family revocation also reaches the successor.
   */
  async rotate(id: string, successor: RefreshTokenEntity, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.update(RefreshTokenEntity, { id, revokedAt: IsNull() }, { revokedAt: now });
      if ((result.affected ?? 0) !== 1) return false;
      await manager.insert(RefreshTokenEntity, successor);
      return true;
    });
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
  }
}
