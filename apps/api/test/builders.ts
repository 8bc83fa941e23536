import type { DevLoginRequest, TokenResponse, UnitKind } from '@qmfz/contracts';
import type { DataSource } from 'typeorm';
import { newId } from '../src/common/ids.js';
import { TownshipEntity, UnitEntity } from '../src/database/entities/index.js';
import { seedDemo } from '../src/seed/seed.js';
import type { TestApp } from './harness.js';

export interface BuiltTownship {
  township: TownshipEntity;
  units: Record<string, UnitEntity>;
}

/** A township with the named units, written straight to the database. */
export async function buildTownship(
  dataSource: DataSource,
  code: string,
  name: string,
  units: { name: string; kind: UnitKind }[],
): Promise<BuiltTownship> {
  const now = new Date();
  const township: TownshipEntity = { id: newId(), code, name, createdAt: now };
  await dataSource.getRepository(TownshipEntity).insert(township);
  const built: Record<string, UnitEntity> = {};
  for (const spec of units) {
    const unit: UnitEntity = { id: newId(), townshipId: township.id, ...spec, createdAt: now, updatedAt: now };
    await dataSource.getRepository(UnitEntity).insert(unit);
    built[spec.name] = unit;
  }
  return { township, units: built };
}

/** The demo township 白土乡 from the seed, with its units by name. */
export async function buildDemoTownship(dataSource: DataSource): Promise<BuiltTownship> {
  await seedDemo(dataSource);
  const township = (await dataSource.getRepository(TownshipEntity).findOneBy({ code: 'baitu' }))!;
  const units = await dataSource.getRepository(UnitEntity).findBy({ townshipId: township.id });
  return { township, units: Object.fromEntries(units.map((u) => [u.name, u])) };
}

/** Signs in through the development login and returns the tokens. */
export async function login(t: TestApp, request: DevLoginRequest = {}): Promise<TokenResponse> {
  const response = await t.request({ method: 'POST', url: '/api/auth/dev-login', body: request });
  if (response.status !== 200) throw new Error(`dev-login failed: ${response.status} ${response.text}`);
  return response.body as TokenResponse;
}

export async function tokenFor(t: TestApp, request: DevLoginRequest = {}): Promise<string> {
  return (await login(t, request)).accessToken;
}
