import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnitKind } from '@qmfz/contracts';
import type { DataSource } from 'typeorm';
import { newId } from '../src/common/ids.js';
import { loadConfig } from '../src/config/config.js';
import { openDataSource } from '../src/database/data-source.js';
import { CampaignEntity, CampaignUnitEntity, TownshipEntity, UnitEntity, VideoEntity } from '../src/database/entities/index.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { seedDemoCampaign } from '../src/seed/demo-campaign.js';
import { seedDemo } from '../src/seed/seed.js';
import { countRows } from './support/row-counts.js';
import { createTestDatabase, DB_TIER, type TestDatabase } from './test-db.js';

const DEMO_FILM = fileURLToPath(new URL('../../miniapp/test/fixtures/test-video.webm', import.meta.url));
const onMariadb = DB_TIER === 'mariadb' ? it : it.skip;

interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
  autoIncrement: string[];
}

/** Tables as the database itself reports them: information_schema on MariaDB, sqlite_master and PRAGMA on SQLite. */
async function describeTables(dataSource: DataSource): Promise<TableShape[]> {
  if (DB_TIER === 'mariadb') {
    const columns: { tableName: string; columnName: string; columnKey: string; extra: string }[] = await dataSource.query(
      `SELECT c.TABLE_NAME AS tableName, c.COLUMN_NAME AS columnName, c.COLUMN_KEY AS columnKey, c.EXTRA AS extra
         FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
           ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
        ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
    );
    const names = [...new Set(columns.map((c) => c.tableName))];
    return names.map((name) => {
      const own = columns.filter((c) => c.tableName === name);
      return {
        name,
        columns: own.map((c) => c.columnName),
        primaryKey: own.filter((c) => c.columnKey === 'PRI').map((c) => c.columnName),
        autoIncrement: own.filter((c) => /auto_increment/i.test(c.extra)).map((c) => c.columnName),
      };
    });
  }
  const tables: { name: string; sql: string }[] = await dataSource.query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return Promise.all(
    tables.map(async ({ name, sql }) => {
      const info: { name: string; type: string; pk: number }[] = await dataSource.query(`PRAGMA table_info(${dataSource.driver.escape(name)})`);
      const primaryKey = info.filter((c) => c.pk > 0).map((c) => c.name);
      // AUTOINCREMENT, or a lone INTEGER PRIMARY KEY, which SQLite turns into an alias of the auto-assigned rowid.
      const rowidAlias = info.filter((c) => c.pk > 0 && /^integer$/i.test(c.type) && primaryKey.length === 1).map((c) => c.name);
      return { name, columns: info.map((c) => c.name), primaryKey, autoIncrement: /autoincrement/i.test(sql) ? primaryKey : rowidAlias };
    }),
  );
}

describe(`the database schema, migrations and seed (${DB_TIER})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ APP_ENV: 'test', ...db.env });
    dataSource = await openDataSource(config.database);
    await dataSource.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const pendingSchemaChanges = async () => (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  const entityTables = () => dataSource.entityMetadatas.map((m) => m.tableName).sort();
  const migrationsTable = () => dataSource.options.migrationsTableName ?? 'migrations';

  it('should match the entities exactly after the migrations: the schema builder finds nothing to change', async () => {
    expect(await pendingSchemaChanges()).toEqual([]);
  });

  it('should revert every migration, leaving no table behind, and apply them again without drift', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const runner = dataSource.createQueryRunner();
    try {
      for (const table of entityTables()) expect([table, await runner.hasTable(table)]).toEqual([table, false]);
    } finally {
      await runner.release();
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    expect(await pendingSchemaChanges()).toEqual([]);
  });

  describe('the shape of every table', () => {
    let tables: TableShape[];
    beforeAll(async () => {
      // TypeORM's own bookkeeping table (an auto-increment id, no tenant) is not part of our schema.
      tables = (await describeTables(dataSource)).filter((t) => t.name !== migrationsTable());
    });

    it('should be exactly the tables the entities map', () => {
      expect(tables.map((t) => t.name).sort()).toEqual(entityTables());
    });

    it('should have a primary key on the id column and no auto-increment column', () => {
      for (const table of tables) {
        expect({ table: table.name, primaryKey: table.primaryKey, autoIncrement: table.autoIncrement }).toEqual({ table: table.name, primaryKey: ['id'], autoIncrement: [] });
      }
    });

    it('should carry township_id in every table except townships itself', () => {
      for (const table of tables.filter((t) => t.name !== 'townships')) {
        expect([table.name, table.columns]).toEqual([table.name, expect.arrayContaining(['township_id'])]);
      }
    });
  });

  describe('times', () => {
    it('should store a Date as UTC with milliseconds and read back the same instant', async () => {
      const at = new Date('2024-02-29T23:59:59.123Z');
      const id = newId();
      await dataSource.getRepository(TownshipEntity).insert({ id, code: `t${id.slice(-8)}`, name: '时间测试', createdAt: at });
      const back = await dataSource.getRepository(TownshipEntity).findOneByOrFail({ id });
      expect(back.createdAt).toBeInstanceOf(Date);
      expect(back.createdAt.toISOString()).toBe(at.toISOString());

      const stored =
        DB_TIER === 'mariadb'
          ? (await dataSource.query(`SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') AS v FROM townships WHERE id = ?`, [id]))[0].v
          : (await dataSource.query(`SELECT created_at AS v FROM townships WHERE id = ?`, [id]))[0].v;
      expect(String(stored)).toMatch(/^2024-02-29 23:59:59\.123(000)?$/);
    });

    it('should keep the order of times a millisecond apart', async () => {
      const base = Date.UTC(2025, 0, 1, 0, 0, 0, 998);
      const ids = [0, 1, 2].map(() => newId());
      for (const [i, id] of ids.entries()) {
        await dataSource.getRepository(TownshipEntity).insert({ id, code: `o${id.slice(-8)}`, name: `顺序${i}`, createdAt: new Date(base + i) });
      }
      const rows = await dataSource.getRepository(TownshipEntity).find({ where: ids.map((id) => ({ id })), order: { createdAt: 'DESC' } });
      expect(rows.map((r) => r.createdAt.getTime())).toEqual([base + 2, base + 1, base]);
    });

    onMariadb('should pin every pooled MariaDB connection to UTC', async () => {
      const runners = Array.from({ length: 6 }, () => dataSource.createQueryRunner());
      try {
        await Promise.all(runners.map((r) => r.connect()));
        const sessions = await Promise.all(runners.map(async (r) => (await r.query('SELECT @@session.time_zone AS tz, CONNECTION_ID() AS id'))[0]));
        expect(new Set(sessions.map((s) => String(s.id))).size).toBe(runners.length);
        expect(sessions.map((s) => s.tz)).toEqual(runners.map(() => '+00:00'));
        const [{ now }] = await runners[0].query(`SELECT DATE_FORMAT(NOW(), '%Y-%m-%dT%H:%i:%sZ') AS now`);
        expect(Math.abs(new Date(now).getTime() - Date.now())).toBeLessThan(5000);
      } finally {
        await Promise.all(runners.map((r) => r.release()));
      }
    });
  });

  describe('concurrent transactions', () => {
    const township = (id: string) => ({ id, code: `c${id.slice(-8)}`, name: `并发${id.slice(-4)}`, createdAt: new Date() });
    const exists = (id: string) => dataSource.getRepository(TownshipEntity).existsBy({ id });
    /** A transaction that writes, stays open for a while, then fails and rolls back. */
    function failingTransaction(id: string, openMs: number): Promise<string> {
      return dataSource
        .transaction(async (manager) => {
          await manager.insert(TownshipEntity, township(id));
          await new Promise((resolve) => setTimeout(resolve, openMs));
          throw new Error('rolled back on purpose');
        })
        .catch((error: Error) => error.message);
    }
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

    it('should keep what another transaction committed while this one was open, when this one rolls back', async () => {
      const [failing, committed] = [newId(), newId()];
      const rollback = failingTransaction(failing, 100);
      await tick();
      await dataSource.transaction((manager) => manager.insert(TownshipEntity, township(committed)));
      expect(await rollback).toBe('rolled back on purpose');
      expect({ committed: await exists(committed), failing: await exists(failing) }).toEqual({ committed: true, failing: false });
    });

    it('should keep a plain write made while another transaction was open, when that transaction rolls back', async () => {
      const [failing, plain] = [newId(), newId()];
      const rollback = failingTransaction(failing, 100);
      await tick();
      await dataSource.getRepository(TownshipEntity).insert(township(plain));
      expect(await rollback).toBe('rolled back on purpose');
      expect({ plain: await exists(plain), failing: await exists(failing) }).toEqual({ plain: true, failing: false });
    });
  });

  describe('the demo seed', () => {
    it('should build 白土乡 with the units of the work plan, and create nothing when run again', async () => {
      const first = await seedDemo(dataSource);
      expect(first.created).toBeGreaterThan(0);
      const counts = await countRows(dataSource);

      const second = await seedDemo(dataSource);
      expect(second.created).toBe(0);
      expect(await countRows(dataSource)).toEqual(counts);

      const township = await dataSource.getRepository(TownshipEntity).findOneByOrFail({ code: 'baitu' });
      expect(township.name).toBe('白土乡');
      const units = await dataSource.getRepository(UnitEntity).findBy({ townshipId: township.id });
      const kindOf = (fragment: string) => units.filter((u) => u.name.includes(fragment)).map((u) => u.kind);
      expect(kindOf('派出所')).toEqual([UnitKind.POLICE_STATION]);
      expect(kindOf('平安办')).toEqual([UnitKind.TOWNSHIP_OFFICE]);
      expect(kindOf('司法所')).toEqual([UnitKind.DEPARTMENT]);
      expect(kindOf('文化服务中心')).toEqual([UnitKind.DEPARTMENT]);
      expect(kindOf('财政办')).toEqual([UnitKind.DEPARTMENT]);
      expect(kindOf('小学')).toEqual([UnitKind.SCHOOL]);
      expect(kindOf('中学')).toEqual([UnitKind.SCHOOL]);
      expect(units.filter((u) => u.kind === UnitKind.VILLAGE).length).toBeGreaterThanOrEqual(2);
      expect(units.filter((u) => u.kind === UnitKind.COMMUNITY).length).toBeGreaterThanOrEqual(1);
    });

    it('should add the demo film and a heads-first campaign for every unit once, with the file in the video folder', async () => {
      await seedDemo(dataSource);
      const videoDir = mkdtempSync(join(tmpdir(), 'qmfz-seed-videos-'));
      try {
        expect(await seedDemoCampaign(dataSource, videoDir, DEMO_FILM)).toBeGreaterThan(2);
        const counts = await countRows(dataSource);
        expect(await seedDemoCampaign(dataSource, videoDir, DEMO_FILM)).toBe(0);
        expect(await countRows(dataSource)).toEqual(counts);

        const [video] = await dataSource.getRepository(VideoEntity).find();
        expect(video.contentType).toBe('video/webm');
        expect(video.durationMs).toBeGreaterThan(5500);
        expect(readdirSync(videoDir)).toEqual([video.storageKey]);
        const [campaign] = await dataSource.getRepository(CampaignEntity).find();
        expect(campaign.headsFirst).toBe(1);
        const units = await dataSource.getRepository(UnitEntity).count();
        expect(await dataSource.getRepository(CampaignUnitEntity).countBy({ campaignId: campaign.id })).toBe(units);
      } finally {
        rmSync(videoDir, { recursive: true, force: true });
      }
    });
  });
});
