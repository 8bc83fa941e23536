import { MembershipStatus } from '@qmfz/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { devKeyFor } from '../auth/dev-key.js';
import { newId } from '../common/ids.js';
import { MembershipEntity, TownshipEntity, UnitEntity, UserEntity } from '../database/entities/index.js';
import { newUser } from '../users/new-user.js';
import { newMembership } from '../org/new-membership.js';
import { DEMO_PEOPLE, DEMO_TOWNSHIP, DEMO_UNITS } from './demo-data.js';

export interface SeedResult {
  created: number;
}

/** Builds the demo township. Every row is looked up by its natural key first, so running it twice changes nothing. */
export async function seedDemo(dataSource: DataSource, now = new Date()): Promise<SeedResult> {
  return dataSource.transaction(async (manager) => {
    let created = 0;
    let township = await manager.findOneBy(TownshipEntity, { code: DEMO_TOWNSHIP.code });
    if (!township) {
      township = { id: newId(), ...DEMO_TOWNSHIP, createdAt: now };
      await manager.insert(TownshipEntity, township);
      created++;
    }
    const units = new Map<string, UnitEntity>();
    for (const spec of DEMO_UNITS) {
      let unit = await manager.findOneBy(UnitEntity, { townshipId: township.id, name: spec.name });
      if (!unit) {
        unit = { id: newId(), townshipId: township.id, ...spec, createdAt: now, updatedAt: now };
        await manager.insert(UnitEntity, unit);
        created++;
      }
      units.set(spec.name, unit);
    }
    for (const person of DEMO_PEOPLE) {
      const unit = units.get(person.unit)!;
      created += await seedPerson(manager, township, unit, person, now);
    }
    return { created };
  });
}

async function seedPerson(
  manager: EntityManager,
  township: TownshipEntity,
  unit: UnitEntity,
  person: (typeof DEMO_PEOPLE)[number],
  now: Date,
): Promise<number> {
  let created = 0;
  // The same key the development login derives, so signing in as this role and unit reuses the seeded person.
  const devKey = devKeyFor(township.code, person.role, unit.id, person.name);
  let user = await manager.findOneBy(UserEntity, { devKey });
  if (!user) {
    user = newUser({ townshipId: township.id, devKey, displayName: person.name }, now);
    await manager.insert(UserEntity, user);
    created++;
  }
  if (!(await manager.findOneBy(MembershipEntity, { unitId: unit.id, userId: user.id }))) {
    await manager.insert(MembershipEntity, newMembership({ townshipId: township.id, unitId: unit.id, userId: user.id, role: person.role, status: MembershipStatus.ACTIVE }, now));
    created++;
  }
  return created;
}
