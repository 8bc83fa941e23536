import { loadConfig } from '../config/config.js';
import { openDataSource } from '../database/data-source.js';
import { seedDemo } from '../seed/seed.js';

/** Loads the demo township (白土乡). Safe to run repeatedly. */
const config = loadConfig();
if (config.env === 'production') {
  console.error('Refusing to load demo data with APP_ENV=production');
  process.exit(1);
}
const dataSource = await openDataSource(config.database);
try {
  const { created } = await seedDemo(dataSource);
  console.log(`seed: ${created} rows created`);
} finally {
  await dataSource.destroy();
}
