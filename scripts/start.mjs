// `npm start`: install, build, migrate and seed the embedded SQLite database, then serve the API (honours PORT).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { BUILD_ENV, install, log, pnpm, ROOT, run } from './lib.mjs';

const env = {
  ...process.env,
  ...BUILD_ENV,
  APP_ENV: process.env.APP_ENV ?? 'development',
  // The laptop demo signs in through the demo login; production refuses to start with it on.
  DEV_LOGIN: process.env.DEV_LOGIN ?? 'true',
  SQLITE_PATH: process.env.SQLITE_PATH ?? resolve(ROOT, 'data/qmfz.sqlite'),
};
const api = resolve(ROOT, 'apps/api');

await install();
log('Building');
await pnpm(['--filter', '@qmfz/contracts', 'build']);
await pnpm(['--filter', '@qmfz/api', 'build']);
log(env.DATABASE_URL ? 'Migrating the database at DATABASE_URL' : `Migrating the embedded database ${env.SQLITE_PATH}`);
await run('node', ['dist/cli/migrate.js'], { cwd: api, env });
log('Loading demo data (白土乡)');
await run('node', ['dist/cli/seed.js'], { cwd: api, env });
log('Starting the API');
const server = spawn('node', ['dist/main.js'], { cwd: api, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
