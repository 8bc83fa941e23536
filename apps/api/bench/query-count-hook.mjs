// Preloaded into the API by `heartbeat.mjs` (node --import): counts every SQL statement the process sends, by kind,
// at the drivers themselves (better-sqlite3's Statement and Database.exec, mysql2's Connection.query/execute), so
// nothing TypeORM or our repositories do can bypass it. On a 'queries:get' message over the IPC channel it answers
// { type: 'queries', counts: { read, write, other }, statements: { '<first 100 chars>': n } } with the totals
// since start. Messages rather than signals: Nest's shutdown hooks treat SIGUSR2 as a shutdown signal.
import { createRequire } from 'node:module';

// Loaded the way TypeORM loads them (CommonJS require), so the prototypes patched are the ones it uses.
const require = createRequire(import.meta.url);
const counts = { read: 0, write: 0, other: 0 };
const statements = new Map();

function kindOf(sql) {
  const keyword = /^\s*(?:\/\*.*?\*\/\s*)*(\w+)/s.exec(sql)?.[1]?.toUpperCase();
  if (keyword === 'SELECT' || keyword === 'WITH') return 'read';
  if (keyword === 'INSERT' || keyword === 'UPDATE' || keyword === 'DELETE' || keyword === 'REPLACE') return 'write';
  return 'other'; // transactions, SET, PRAGMA, DDL
}

function record(sql) {
  const text = typeof sql === 'string' ? sql : typeof sql?.sql === 'string' ? sql.sql : String(sql);
  counts[kindOf(text)]++;
  const key = text.replace(/\s+/g, ' ').slice(0, 100);
  statements.set(key, (statements.get(key) ?? 0) + 1);
}

function wrap(prototype, name, sqlOf) {
  const original = prototype[name];
  prototype[name] = function counted(...args) {
    record(sqlOf(this, args));
    return original.apply(this, args);
  };
}

const Database = require('better-sqlite3');
const probe = new Database(':memory:');
const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1'));
probe.close();
for (const name of ['run', 'get', 'all', 'iterate']) wrap(statementPrototype, name, (statement) => statement.source);
wrap(Database.prototype, 'exec', (_db, [sql]) => sql);

// query and execute live on mysql2's BaseConnection; pool connections inherit them, and pool.query calls them.
let mysqlPrototype = require('mysql2').Connection.prototype;
while (mysqlPrototype && !Object.hasOwn(mysqlPrototype, 'query')) mysqlPrototype = Object.getPrototypeOf(mysqlPrototype);
if (!mysqlPrototype) throw new Error('query-count-hook: mysql2 Connection.query not found');
for (const name of ['query', 'execute']) wrap(mysqlPrototype, name, (_connection, [sql]) => sql);

if (process.send) {
  process.on('message', (message) => {
    if (message === 'queries:get') process.send({ type: 'queries', counts: { ...counts }, statements: Object.fromEntries(statements) });
  });
  // The channel must not keep a stopped server alive.
  process.channel.unref();
}
