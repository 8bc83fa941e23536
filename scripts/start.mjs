// `npm start`: install, build the API and the H5 app (demo flavour), migrate and seed the embedded SQLite database,
// then serve the API with the app at `/` (honours PORT).
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
  VIDEO_DIR: process.env.VIDEO_DIR ?? resolve(ROOT, 'data/videos'),
  TIP_FILES_DIR: process.env.TIP_FILES_DIR ?? resolve(ROOT, 'data/tip-files'),
  // The H5 build written by the step below (apps/miniapp/config/index.ts names its folder), served at `/`.
  WEB_DIR: process.env.WEB_DIR ?? resolve(ROOT, 'apps/miniapp/dist/h5-demo'),
};
const api = resolve(ROOT, 'apps/api');

await install();
log('Building');
await pnpm(['--filter', '@qmfz/contracts', 'build']);
await pnpm(['--filter', '@qmfz/api', 'build']);
// The demo flavour (demo login page, API on the same origin); it goes to dist/h5-demo, never over a production build.
log('Building the H5 app (demo flavour)');
await pnpm(['--filter', '@qmfz/miniapp', 'exec', 'taro', 'build', '--type', 'h5'], {
  env: { TARO_APP_DEMO_LOGIN: 'true', TARO_APP_API_BASE: '' },
});
log(env.DATABASE_URL ? 'Migrating the database at DATABASE_URL' : `Migrating the embedded database ${env.SQLITE_PATH}`);
await run('node', ['dist/cli/migrate.js'], { cwd: api, env });
log('Loading demo data (白土乡)');
// The demo campaign plays the project's own six-second test film.
await run('node', ['dist/cli/seed.js', '--demo-video', resolve(ROOT, 'apps/miniapp/test/fixtures/test-video.webm')], { cwd: api, env });
log('Starting the API');
const server = spawn('node', ['dist/main.js'], { cwd: api, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
