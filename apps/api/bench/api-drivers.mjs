// The database connections the bare baselines open, configured as the API's data source configures TypeORM's, so a
// baseline differs from the API only by framework and ORM (bench/baseline-db.mjs, bench/tips-baseline.mjs).
import Database from 'better-sqlite3';
import { createPool } from 'mysql2/promise';

/** better-sqlite3 on the API's file with the pragmas the API's data source sets on open (and TypeORM's foreign_keys). */
export function openApiSqlite(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** A mysql2 pool with the options the API gives TypeORM's mysql driver, every connection pinned to UTC. */
export function createApiPool(url) {
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    stringifyObjects: true,
    connectionLimit: 20,
    enableKeepAlive: true,
  });
  pool.pool.on('connection', (connection) => connection.query("SET time_zone = '+00:00'"));
  return pool;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** SQLite stores `YYYY-MM-DD HH:MM:SS.SSS` in UTC, as TypeORM writes and reads it. */
export const sqliteTime = (d) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
export const sqliteDate = (value) => new Date(value.replace(' ', 'T') + 'Z');
