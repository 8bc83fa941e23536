// Shared by the start, test and bench commands: run steps, find pnpm, make sure local services are up.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PNPM_VERSION = '12.4.2';

/** Native addons (better-sqlite3) build against the machine's Node headers instead of downloading them. */
export const BUILD_ENV = existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {};

export function log(message) {
  console.log(`\n▶ ${message}`);
}

/** Runs a command with inherited output; rejects with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options, env: { ...process.env, ...BUILD_ENV, ...options.env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`))));
  });
}

/** pnpm at the pinned version: the global one when it matches, otherwise through npx (first run downloads it). */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ['pnpm', []];
  return ['npx', ['--yes', `pnpm@${PNPM_VERSION}`]];
}

export function pnpm(args, options) {
  const [command, prefix] = pnpmCommand();
  return run(command, [...prefix, ...args], options);
}

export async function install() {
  log('Installing dependencies (pnpm install --frozen-lockfile)');
  await pnpm(['install', '--frozen-lockfile']);
}

export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

async function waitForPort(port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await portOpen(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** MariaDB for the MySQL test tier: use the running server, start an installed one, or install it with apt. */
export async function ensureMariadb() {
  if (await portOpen(3306)) return;
  log('MariaDB is not running on 127.0.0.1:3306: starting it');
  if (!existsSync('/usr/sbin/mariadbd')) {
    await run('apt-get', ['update', '-q']);
    await run('apt-get', ['install', '-y', '-q', 'mariadb-server'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (!existsSync('/var/lib/mysql/mysql')) await run('mariadb-install-db', ['--user=mysql', '--datadir=/var/lib/mysql']);
  await run('mkdir', ['-p', '/run/mysqld']);
  await run('chown', ['mysql:mysql', '/run/mysqld']);
  await run('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd', '--', '--user=mysql']);
  if (!(await waitForPort(3306, 30))) throw new Error('MariaDB did not start on 127.0.0.1:3306');
}

/** Redis for the shared-state tests: use the running server or start an installed one. */
export async function ensureRedis() {
  if (await portOpen(6379)) return;
  log('Redis is not running on 127.0.0.1:6379: starting it');
  if (!existsSync('/usr/bin/redis-server')) {
    await run('apt-get', ['update', '-q']);
    await run('apt-get', ['install', '-y', '-q', 'redis-server'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  }
  await run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  if (!(await waitForPort(6379, 15))) throw new Error('Redis did not start on 127.0.0.1:6379');
}

/**
 * Debian's Chromium for the browser tests (playwright-core never downloads a browser here), plus a Chinese font,
 * without which every character in the screenshots is a box. CHROMIUM_PATH points at another build instead.
 */
export async function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return;
  if (existsSync('/usr/bin/chromium') && existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc')) return;
  log('Installing Chromium and a Chinese font for the browser tests (apt-get)');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', 'chromium', 'fonts-wqy-microhei'], { env });
}
