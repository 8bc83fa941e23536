import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus } from '@qmfz/contracts';
import { DataSource, IsNull } from 'typeorm';
import { newId } from '../common/ids.js';
import { MembershipEntity, RosterEntryEntity } from '../database/entities/index.js';

@Injectable()
export class RosterRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Turns the township's unclaimed roster entries with this phone into active memberships of the user
   * (a pending membership in the same unit is activated). One transaction: all or nothing.
   */
  async claimForUser(userId: string, townshipId: string, phoneIndex: string, now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const entries = await manager.findBy(RosterEntryEntity, { townshipId, phoneIndex, claimedBy: IsNull() });
      for (const entry of entries) {
        const existing = await manager.findOneBy(MembershipEntity, { unitId: entry.unitId, userId });
        if (existing) {
          await manager.update(MembershipEntity, { id: existing.id }, { status: MembershipStatus.ACTIVE, role: entry.role, decidedAt: now });
        } else {
          await manager.insert(MembershipEntity, {
            id: newId(),
            townshipId,
            unitId: entry.unitId,
            userId,
            role: entry.role,
            status: MembershipStatus.ACTIVE,
            createdAt: now,
            decidedAt: now,
            decidedBy: null,
          });
        }
        await manager.update(RosterEntryEntity, { id: entry.id }, { claimedBy: userId, updatedAt: now });
      }
      return entries.length;
    });
  }
}
