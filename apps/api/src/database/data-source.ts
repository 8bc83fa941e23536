import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (config.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.sqlitePath,
      // WAL lets readers proceed while one writer commits; busy_timeout waits instead of failing under contention.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  return {
    ...common,
    type: config.type,
    url: config.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    extra: { connectionLimit: 20, enableKeepAlive: true },
  };
}

/** Opens the database; on MySQL every pooled connection is pinned to UTC. */
export async function openDataSource(config: DatabaseConfig): Promise<DataSource> {
  if (config.type === 'sqlite' && config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  if (config.type !== 'sqlite') pinUtc(dataSource);
  return dataSource;
}

interface PooledConnection {
  query(sql: string): unknown;
}
interface PoolLike {
  on(event: 'connection', listener: (connection: PooledConnection) => void): void;
  _allConnections?: { toArray(): PooledConnection[] };
}

const SET_UTC = "SET time_zone = '+00:00'";

function pinUtc(dataSource: DataSource): void {
  // `timezone: 'Z'` only affects how mysql2 converts values; NOW() and friends follow the session time zone.
  const pool = (dataSource.driver as unknown as { pool: PoolLike }).pool;
  pool.on('connection', (connection) => connection.query(SET_UTC));
  // TypeORM opened one connection during initialize(), before the hook existed.
  for (const connection of pool._allConnections?.toArray() ?? []) connection.query(SET_UTC);
}
