import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { openDataSource } from '../database/data-source.js';
import { seedDemoCampaign } from '../seed/demo-campaign.js';
import { seedDemo } from '../seed/seed.js';

/**
 * Loads the demo township (白土乡). Safe to run repeatedly.
 *   node dist/cli/seed.js [--demo-video <file.webm|file.mp4>]   also a demo video and a campaign for every unit
 */
const { values: args } = parseArgs({ options: { 'demo-video': { type: 'string' } } });
const config = loadConfig();
if (config.env === 'production') {
  console.error('Refusing to load demo data with APP_ENV=production');
  process.exit(1);
}
const dataSource = await openDataSource(config.database);
try {
  let { created } = await seedDemo(dataSource);
  if (args['demo-video']) created += await seedDemoCampaign(dataSource, config.videos.dir, resolve(args['demo-video']));
  console.log(`seed: ${created} rows created`);
} finally {
  await dataSource.destroy();
}
