import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSourceOptions, QueryRunner } from 'typeorm';
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
  if (config.type === 'sqlite') takeTurnsOnTheOneConnection(dataSource);
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

type AnyAsync = (...args: unknown[]) => Promise<unknown>;

/**
 * TypeORM's better-sqlite3 driver sends everything through one connection and one shared QueryRunner, so
 * concurrent requests would share whatever transaction is open: a second transaction nests as a savepoint inside
 * the first, a plain write lands inside someone else's transaction, and one rollback undoes work that other
 * requests were told was saved. Here transactions take turns, and a query from outside the running transaction
 * waits until it ends. SQLite has a single writer anyway, so this costs no parallelism.
 * (Transactions started on a QueryRunner by hand, as the migration runner does, are not covered: start-up only.)
 */
function takeTurnsOnTheOneConnection(dataSource: DataSource): void {
  const inTransaction = new AsyncLocalStorage<true>();
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };

  const manager = dataSource.manager as unknown as { transaction: AnyAsync };
  const transaction = manager.transaction.bind(manager);
  // A transaction opened inside a running one is a savepoint of it and must not wait for its own parent.
  // While the store is enabled Node 20 runs a hook on every promise of the process (about 40 µs a request here), so
  // it is enabled only while a transaction is waiting or running.
  let open = 0;
  const inOwnTurn = (args: unknown[]) => {
    open++;
    return inTurn(() => inTransaction.run(true, () => transaction(...args))).finally(() => {
      if (--open === 0) inTransaction.disable();
    });
  };
  manager.transaction = (...args) => (inTransaction.getStore() ? transaction(...args) : inOwnTurn(args));

  const driver = dataSource.driver as unknown as { createQueryRunner(mode?: string): QueryRunner };
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  const patched = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    if (!patched.has(runner)) {
      patched.add(runner);
      const query = runner.query.bind(runner) as AnyAsync;
      (runner as unknown as { query: AnyAsync }).query = (...args) => (inTransaction.getStore() ? query(...args) : inTurn(() => query(...args)));
    }
    return runner;
  };
}
