// What a viewing checkpoint costs MariaDB, for the sizing in docs/performance.md: a throwaway schema migrated like
// production, one viewing_progress row per viewer, then the API's own ViewingRepository.checkpoint (the one UPDATE
// a heartbeat sends when a checkpoint is due) from concurrent callers for a fixed time. Reports checkpoints/s, the
// CPU mariadbd spends per checkpoint and this process's (TypeORM + mysql2: what an API instance spends on it).
//
//   node bench/checkpoint-writes.mjs [--viewers 50000] [--seconds 10] [--concurrency 20]
//
// Builds nothing: run `pnpm --filter @qmfz/api build` first. MariaDB on BENCH_MARIADB_URL like run.mjs.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cleanup, createDatabase, describeMachine, findPid, integerOption, processTicks } from './common.mjs';

const { loadConfig } = await import('../dist/config/config.js');
const { openDataSource } = await import('../dist/database/data-source.js');
const { ViewingProgressEntity } = await import('../dist/database/entities/index.js');
const { ViewingRepository } = await import('../dist/viewing/viewing.repository.js');
const { newId } = await import('../dist/common/ids.js');

const { values: args } = parseArgs({ options: { viewers: { type: 'string', default: '50000' }, seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '20' } } });
const VIEWERS = integerOption(args, 'viewers', 100, 1_000_000);
const SECONDS = integerOption(args, 'seconds', 1, 120);
const CONCURRENCY = integerOption(args, 'concurrency', 1, 200);

let code = 1;
try {
  const database = await createDatabase('mariadb');
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: randomBytes(32).toString('hex'), ...database.env });
  const dataSource = await openDataSource(config.database);
  await dataSource.runMigrations({ transaction: 'each' });
  const townshipId = newId();
  const campaignId = newId();
  const sessionId = newId();
  const userIds = Array.from({ length: VIEWERS }, () => newId());
  for (let i = 0; i < VIEWERS; i += 1000) {
    const now = new Date();
    const rows = userIds.slice(i, i + 1000).map((userId) => ({ id: newId(), townshipId, campaignId, userId, sessionId, intervals: '', coveredMs: 0, positionMs: 0, completedAt: null, createdAt: now, updatedAt: now }));
    await dataSource.createQueryBuilder().insert().into(ViewingProgressEntity).values(rows).execute();
  }

  const viewing = new ViewingRepository(dataSource);
  const covered = new Map();
  /** One due checkpoint of a random viewer, 12 s further than their last, as a heartbeat would write it. */
  const checkpoint = () => {
    const userId = userIds[Math.floor(Math.random() * VIEWERS)];
    const ms = (covered.get(userId) ?? 0) + 12_000;
    covered.set(userId, ms);
    return viewing.checkpoint(campaignId, userId, sessionId, { intervals: [[0, ms]], coveredMs: ms, positionMs: ms, completedAt: null, now: new Date() });
  };
  const run = async (seconds) => {
    const end = Date.now() + seconds * 1000;
    let done = 0;
    const outcomes = new Map();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < end) {
          const outcome = await checkpoint();
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          done++;
        }
      }),
    );
    return { done, outcomes };
  };

  await run(2); // warm-up
  const dbPid = findPid(['mariadbd', 'mysqld']);
  const dbBefore = dbPid ? processTicks(dbPid) : 0;
  const ownBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const { done, outcomes } = await run(SECONDS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const own = process.cpuUsage(ownBefore);
  const dbMs = dbPid ? (processTicks(dbPid) - dbBefore) * 10 : NaN;
  console.log(`checkpoint-writes: ${database.label}; ${describeMachine()}`);
  console.log(`  ${VIEWERS} progress rows, ${CONCURRENCY} concurrent callers, ${seconds.toFixed(1)} s: ${done} checkpoints (${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')})`);
  console.log(`  ${(done / seconds).toFixed(0)} checkpoints/s; mariadbd ${((1000 * dbMs) / done).toFixed(0)} µs CPU per checkpoint (${(dbMs / 1000 / seconds).toFixed(2)} cores);` + ` this process (TypeORM + mysql2) ${((own.user + own.system) / done).toFixed(0)} µs CPU per checkpoint`);
  const settings = (await dataSource.query('SELECT @@innodb_flush_log_at_trx_commit AS flush, @@log_bin AS binlog, @@sync_binlog AS sync'))[0];
  console.log(`  innodb_flush_log_at_trx_commit=${settings.flush}, log_bin=${settings.binlog}, sync_binlog=${settings.sync}`);
  await dataSource.destroy();
  // 'behind' can happen when two callers draw the same viewer at once; 'stale' would mean a wrong session id.
  code = outcomes.has('stale') ? 1 : 0;
} catch (error) {
  console.error(`checkpoint-writes: ${error.stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(code);
