import { loadConfig } from '../config/config.js';
import { openDataSource } from '../database/data-source.js';
import { TipRetention } from '../tips/retention.js';
import { TipAttachmentsRepository } from '../tips/tip-attachments.repository.js';
import { TipFileStorage } from '../tips/tip-files.js';
import { TipsRepository } from '../tips/tips.repository.js';

/**
 * Runs the tip retention job once (the API also runs it every hour): erases reporter identities and reward claim
 * contacts past TIP_IDENTITY_RETENTION_DAYS and deletes uploads no tip claimed within 24 hours. Safe to run at any time.
 *   node dist/cli/tips-retention.js
 */
const config = loadConfig();
const dataSource = await openDataSource(config.database);
try {
  const retention = new TipRetention(new TipsRepository(dataSource), new TipAttachmentsRepository(dataSource), new TipFileStorage(config), config);
  const result = await retention.run(new Date());
  console.log(
    `tips retention: ${result.identitiesErased} reporter identities erased, ${result.claimContactsErased} claim contacts erased, ${result.uploadsDeleted} unclaimed uploads deleted`,
  );
} finally {
  await dataSource.destroy();
}
