import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/** Which real database the e2e tier runs on: `TEST_DB=sqlite` (default) or `TEST_DB=mariadb`. */
export type DbTier = 'sqlite' | 'mariadb';
export const DB_TIER: DbTier = process.env.TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';

export const MARIADB_ADMIN_URL = process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306/test';

export interface TestDatabase {
  /** Environment entries that point the API at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, empty database per test file: a temporary SQLite file, or a new MariaDB schema. */
export async function createTestDatabase(tier: DbTier = DB_TIER): Promise<TestDatabase> {
  if (tier === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qmfz-test-'));
    return { env: { SQLITE_PATH: join(dir, 'test.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `qmfz_t_${randomBytes(6).toString('hex')}`;
  const admin = new URL(MARIADB_ADMIN_URL);
  const connection = await createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: admin.username, password: admin.password });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(MARIADB_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}
