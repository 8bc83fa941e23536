import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  // The port actually bound (PORT=0 picks a free one).
  const port = (app.getHttpServer().address() as AddressInfo | null)?.port ?? config.port;
  console.log(`全民反诈 API listening on http://${shown}:${port} (database: ${config.database.type}; docs: /api/docs)`);
  // The app itself when the H5 build is served here (npm start): the address to open in a browser.
  if (config.webDir) console.log(`全民反诈 app: open http://${shown}:${port}/`);
  if (config.auth.devLogin) {
    console.warn('WARNING: DEV_LOGIN is on: anyone who reaches this server can sign in as any role. Never expose it.');
  }
}

main().catch((error) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
