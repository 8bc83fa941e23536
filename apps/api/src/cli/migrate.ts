import { loadConfig } from '../config/config.js';
import { openDataSource } from '../database/data-source.js';

/** Applies pending migrations to the configured database. */
const config = loadConfig();
const dataSource = await openDataSource(config.database);
try {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  console.log(`migrations: ${applied.length} applied on ${config.database.type}${applied.map((m) => `\n  ${m.name}`).join('')}`);
} finally {
  await dataSource.destroy();
}
