import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus, type Role } from '@qmfz/contracts';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
import { newId } from '../common/ids.js';
import { MembershipEntity, RosterEntryEntity, UserEntity } from '../database/entities/index.js';
import { newMembership } from './new-membership.js';

// Keeps each IN (...) list well under every driver's parameter limit.
const CLAIMANT_LOOKUP_CHUNK = 500;

/** One imported roster line, phone already encrypted, indexed and masked. */
export type ImportedRosterEntry = Pick<RosterEntryEntity, 'townshipId' | 'unitId' | 'displayName' | 'phoneCipher' | 'phoneIndex' | 'phoneMasked' | 'role'>;

export type KnownRosterEntry = Pick<RosterEntryEntity, 'id' | 'role' | 'claimedBy'>;

@Injectable()
export class RosterRepository {
  private readonly entries: Repository<RosterEntryEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(RosterEntryEntity);
  }

  /**
   * Turns the township's unclaimed roster entries with this phone into active memberships of the user
   * (an existing membership in the same unit is left as it is) and returns how many memberships it made.
   * One transaction: all or nothing.
   */
  async claimForUser(userId: string, townshipId: string, phoneIndex: string, now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const entries = await manager.findBy(RosterEntryEntity, { townshipId, phoneIndex, claimedBy: IsNull() });
      let created = 0;
      for (const entry of entries) if (await claimEntry(manager, entry, userId, null, now)) created++;
      return created;
    });
  }

  listForUnit(townshipId: string, unitId: string): Promise<RosterEntryEntity[]> {
    return this.entries.find({ where: { townshipId, unitId }, order: { id: 'ASC' } });
  }

  /** The unit's entries by phone blind index: what an import needs to tell new lines from updates. */
  async findEntriesByPhoneInUnit(townshipId: string, unitId: string): Promise<Map<string, KnownRosterEntry>> {
    const rows = await this.entries.find({ select: { id: true, phoneIndex: true, role: true, claimedBy: true }, where: { townshipId, unitId } });
    return new Map(rows.map((row) => [row.phoneIndex, { id: row.id, role: row.role, claimedBy: row.claimedBy }]));
  }

  async findEntryByPhoneInUnit(townshipId: string, unitId: string, phoneIndex: string): Promise<KnownRosterEntry | null> {
    return this.entries.findOne({ select: { id: true, role: true, claimedBy: true }, where: { townshipId, unitId, phoneIndex } });
  }

  /** Users of the township who verified one of these phones (the oldest account per phone), by blind index. */
  async findClaimantsByPhone(townshipId: string, phoneIndexes: string[]): Promise<Map<string, string>> {
    const claimants = new Map<string, string>();
    for (let i = 0; i < phoneIndexes.length; i += CLAIMANT_LOOKUP_CHUNK) {
      const users = await this.dataSource.getRepository(UserEntity).find({
        select: { id: true, phoneIndex: true },
        where: { townshipId, phoneIndex: In(phoneIndexes.slice(i, i + CLAIMANT_LOOKUP_CHUNK)) },
        order: { id: 'ASC' },
      });
      for (const user of users) if (!claimants.has(user.phoneIndex!)) claimants.set(user.phoneIndex!, user.id);
    }
    return claimants;
  }

  /**
   * Writes one imported line: inserts it (existingId null) or updates name and role of the entry with that phone,
   * and when a claimant is given, claims it for them in the same transaction. Throws a unique violation when a
   * concurrent import inserted the same phone first.
   */
  async saveImportedEntry(
    line: ImportedRosterEntry,
    existingId: string | null,
    claimantId: string | null,
    importedBy: string,
    now: Date,
  ): Promise<void> {
    const write = async (manager: EntityManager) => {
      const entry: RosterEntryEntity = { id: existingId ?? newId(), ...line, claimedBy: null, createdAt: now, updatedAt: now };
      if (existingId) await manager.update(RosterEntryEntity, { id: existingId }, { displayName: line.displayName, role: line.role, updatedAt: now });
      else await manager.insert(RosterEntryEntity, entry);
      if (claimantId) await claimEntry(manager, entry, claimantId, importedBy, now);
    };
    // A single statement is its own transaction; only a claim writes several rows and needs an explicit one.
    await (claimantId ? this.dataSource.transaction(write) : write(this.dataSource.manager));
  }
}

/**
 * Makes the user an active member of the entry's unit and marks the entry claimed. A membership that already
 * exists is left as it is: an active one keeps its role (a roster line never demotes or promotes), a pending one
 * stays for an admin who may grant its role to decide, and a rejection is not undone by a roster line.
 */
async function claimEntry(manager: EntityManager, entry: RosterEntryEntity, userId: string, decidedBy: string | null, now: Date): Promise<boolean> {
  const existing = await manager.findOneBy(MembershipEntity, { unitId: entry.unitId, userId });
  if (!existing) {
    await manager.insert(MembershipEntity, newMembership(
      { townshipId: entry.townshipId, unitId: entry.unitId, userId, role: entry.role, status: MembershipStatus.ACTIVE },
      now,
      decidedBy,
    ));
  }
  await manager.update(RosterEntryEntity, { id: entry.id }, { claimedBy: userId, updatedAt: now });
  return !existing;
}
