import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

/** Everything production needs, none of it the development defaults. */
const PRODUCTION = {
  APP_ENV: 'production',
  JWT_SECRET: 'p'.repeat(40),
  DATA_KEYS: `k2025:${key(1)}`,
  BLIND_INDEX_KEY: key(2),
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_SECRET: 'app-secret',
};

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/qmfz');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('should give a working development configuration when nothing is set', () => {
    const config = loadConfig({}, '/srv/qmfz');
    expect(config).toMatchObject({
      env: 'development',
      host: '0.0.0.0',
      port: 3000,
      logLevel: 'info',
      bodyLimitBytes: 1024 * 1024,
      trustProxyHops: 0,
      database: { type: 'sqlite', sqlitePath: '/srv/qmfz/data/qmfz.sqlite' },
      redisUrl: undefined,
      auth: { accessTtlSeconds: 900, refreshTtlSeconds: 30 * 24 * 3600, devLogin: false },
      wechat: { baseUrl: 'https://api.weixin.qq.com', appId: undefined, secret: undefined, timeoutMs: 5000 },
      defaultTownshipCode: 'baitu',
      webDir: undefined,
    });
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.crypto.dataKeys).toHaveLength(1);
    expect(config.crypto.dataKeys[0].key).toHaveLength(32);
    expect(config.crypto.blindIndexKey).toHaveLength(32);
  });

  it('should read every variable it documents', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        BODY_LIMIT_BYTES: '2048',
        TRUST_PROXY_HOPS: '2',
        DEV_LOGIN: 'true',
        SQLITE_PATH: '/var/lib/qmfz.sqlite',
        REDIS_URL: 'redis://cache:6379/2',
        ACCESS_TOKEN_TTL: '60',
        REFRESH_TOKEN_TTL: '3600',
        DATA_KEYS: `new:${key(3)},old:${key(4)}`,
        WECHAT_API_BASE: 'http://127.0.0.1:9999/',
        WECHAT_TIMEOUT_MS: '250',
        DEFAULT_TOWNSHIP_CODE: 'other',
      },
      '/srv/qmfz',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'warn',
      bodyLimitBytes: 2048,
      trustProxyHops: 2,
      database: { type: 'sqlite', sqlitePath: '/var/lib/qmfz.sqlite' },
      redisUrl: 'redis://cache:6379/2',
      auth: { accessTtlSeconds: 60, refreshTtlSeconds: 3600, devLogin: true },
      wechat: { baseUrl: 'http://127.0.0.1:9999', timeoutMs: 250 },
      defaultTownshipCode: 'other',
    });
    expect(config.crypto.dataKeys.map((k) => k.id)).toEqual(['new', 'old']);
  });

  it.each([
    ['mysql://qmfz:pw@db:3306/qmfz', 'mysql'],
    ['mariadb://qmfz:pw@db:3306/qmfz', 'mariadb'],
    ['MySQL://qmfz@db/qmfz', 'mysql'],
  ])('should pick the TypeORM dialect from the scheme of %s', (url, type) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toMatchObject({ type, url });
  });

  it('should treat NODE_ENV=production as production when APP_ENV is unset', () => {
    expect(loadConfig({ ...PRODUCTION, APP_ENV: '', NODE_ENV: 'production' }).env).toBe('production');
  });

  it('should accept a complete production configuration and switch the development login off', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.env).toBe('production');
    expect(config.auth.devLogin).toBe(false);
  });

  it.each<[string, Record<string, string>]>([
    ['PORT', { PORT: 'http' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://qmfz@db:5432/qmfz' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['DATABASE_URL', { DATABASE_URL: 'sqlite:///tmp/x.sqlite' }],
    ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }],
    ['REDIS_URL', { REDIS_URL: 'cache:6379' }],
    ['DATA_KEYS', { DATA_KEYS: 'only-an-id' }],
    ['DATA_KEYS', { DATA_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` }],
    ['DATA_KEYS', { DATA_KEYS: `bad id!:${key(1)}` }],
    ['DATA_KEYS', { DATA_KEYS: `k1:${key(1)},k1:${key(2)}` }],
    ['DATA_KEYS', { DATA_KEYS: `k1:${key(1)}:extra` }],
    ['BLIND_INDEX_KEY', { BLIND_INDEX_KEY: 'c2hvcnQ=' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short-for-hs256' }],
    ['APP_ENV', { APP_ENV: 'staging' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['DEV_LOGIN', { DEV_LOGIN: 'yes' }],
    ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: '5' }],
    ['REFRESH_TOKEN_TTL', { REFRESH_TOKEN_TTL: '60' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '1gb' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: 'true' }],
    ['WECHAT_API_BASE', { WECHAT_API_BASE: 'not a url' }],
    ['WECHAT_API_BASE', { WECHAT_API_BASE: 'ftp://api.weixin.qq.com' }],
    ['WECHAT_TIMEOUT_MS', { WECHAT_TIMEOUT_MS: '0' }],
  ])('should stop with a ConfigError naming %s for %j', (variable, env) => {
    const error = configErrorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  describe('WEB_DIR', () => {
    let web: string;
    beforeAll(() => {
      web = mkdtempSync(join(tmpdir(), 'qmfz-config-web-'));
      mkdirSync(join(web, 'h5'));
      writeFileSync(join(web, 'h5/index.html'), '<!doctype html>');
      mkdirSync(join(web, 'empty'));
      mkdirSync(join(web, 'dir-named-index/index.html'), { recursive: true });
    });
    afterAll(() => rmSync(web, { recursive: true, force: true }));

    it('should take an absolute folder that holds index.html', () => {
      expect(loadConfig({ WEB_DIR: join(web, 'h5') }).webDir).toBe(join(web, 'h5'));
    });

    it('should resolve a relative folder against the working directory', () => {
      expect(loadConfig({ WEB_DIR: 'h5' }, web).webDir).toBe(join(web, 'h5'));
    });

    it('should treat an empty WEB_DIR as unset', () => {
      expect(loadConfig({ WEB_DIR: '' }).webDir).toBeUndefined();
    });

    it.each([
      ['a missing folder', () => join(web, 'missing')],
      ['a folder without index.html', () => join(web, 'empty')],
      ['a folder whose index.html is a directory', () => join(web, 'dir-named-index')],
      ['a file instead of a folder', () => join(web, 'h5/index.html')],
    ])('should stop with a ConfigError naming WEB_DIR for %s', (_case, dir) => {
      const error = configErrorOf({ WEB_DIR: dir() });
      expect(error.variable).toBe('WEB_DIR');
      expect(error.message).toMatch(/^Invalid configuration: WEB_DIR must be a folder containing index.html/);
    });
  });

  it('should never repeat a secret in its error message', () => {
    const error = configErrorOf({ JWT_SECRET: 'short-but-secret' });
    expect(error.message).not.toContain('short-but-secret');
  });

  it('should keep the demo login off unless DEV_LOGIN=true is set, in every environment', () => {
    for (const APP_ENV of ['development', 'test', 'production']) {
      const env = APP_ENV === 'production' ? PRODUCTION : { APP_ENV };
      expect(loadConfig(env).auth.devLogin).toBe(false);
    }
  });

  it('should trust no proxy unless TRUST_PROXY_HOPS says so', () => {
    expect(loadConfig({}).trustProxyHops).toBe(0);
  });

  it('should refuse a development APP_ENV on a host that sets NODE_ENV=production', () => {
    for (const APP_ENV of ['development', 'test']) {
      expect(configErrorOf({ NODE_ENV: 'production', APP_ENV, DEV_LOGIN: 'true' }).variable).toBe('APP_ENV');
    }
  });

  describe('in production', () => {
    it('should refuse DEV_LOGIN=true', () => {
      expect(configErrorOf({ ...PRODUCTION, DEV_LOGIN: 'true' }).variable).toBe('DEV_LOGIN');
    });

    it('should refuse a raised RATE_LIMIT_SCALE, which load tests use to lift every limit', () => {
      expect(loadConfig({ ...PRODUCTION, RATE_LIMIT_SCALE: '1' }).rateLimitScale).toBe(1);
      expect(configErrorOf({ ...PRODUCTION, RATE_LIMIT_SCALE: '1000' }).variable).toBe('RATE_LIMIT_SCALE');
      expect(loadConfig({ RATE_LIMIT_SCALE: '1000' }).rateLimitScale).toBe(1000);
    });

    it.each(['JWT_SECRET', 'DATA_KEYS', 'BLIND_INDEX_KEY', 'WECHAT_APPID', 'WECHAT_SECRET'])('should refuse to start without %s', (variable) => {
      expect(configErrorOf({ ...PRODUCTION, [variable]: '' }).variable).toBe(variable);
    });

    it.each([
      ['JWT_SECRET', loadConfig({}).auth.jwtSecret],
      ['DATA_KEYS', `renamed:${loadConfig({}).crypto.dataKeys[0].key.toString('base64')}`],
      ['BLIND_INDEX_KEY', loadConfig({}).crypto.blindIndexKey.toString('base64')],
    ])('should refuse the published development value of %s', (variable, value) => {
      expect(configErrorOf({ ...PRODUCTION, [variable]: value }).variable).toBe(variable);
    });
  });
});

describe('the built server (node dist/main.js)', () => {
  const apiRoot = fileURLToPath(new URL('../..', import.meta.url));
  // A private build per run (inside node_modules, so the packages resolve), leaving dist/ to `npm start`.
  const outDir = join(apiRoot, `node_modules/.cache/qmfz-config-spec-build-${process.pid}`);
  const scratch = mkdtempSync(join(tmpdir(), 'qmfz-config-spec-'));
  const main = join(outDir, 'main.js');

  beforeAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    const build = spawnSync(join(apiRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: apiRoot, encoding: 'utf8' });
    if (!existsSync(main)) throw new Error(`the build produced no main.js:\n${build.stdout}${build.stderr}`);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  }, 120_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs the server until it exits or prints that it listens (then stops it); returns what happened. */
  function run(env: Record<string, string>): Promise<{ exitCode: number | null; output: string; listening: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [main], {
        cwd: scratch,
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SQLITE_PATH: join(scratch, 'db.sqlite'), ...env },
      });
      let output = '';
      let listening = false;
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (!listening && output.includes('listening on')) {
          listening = true;
          child.kill('SIGTERM');
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ exitCode, output, listening });
      });
    });
  }

  it('should start with a complete production configuration (the control for the refusals below)', async () => {
    const result = await run(PRODUCTION);
    expect(result.output).toContain('listening on');
    expect(result.listening).toBe(true);
  }, 30_000);

  it('should refuse to start in production with DEV_LOGIN=true, naming the variable', async () => {
    const result = await run({ ...PRODUCTION, DEV_LOGIN: 'true' });
    expect(result.listening).toBe(false);
    expect(result.exitCode).toBe(78);
    expect(result.output).toContain('Invalid configuration: DEV_LOGIN must be false in production');
  }, 30_000);

  it('should refuse to start in production without secrets, naming the first missing one', async () => {
    const result = await run({ APP_ENV: 'production', DEV_LOGIN: 'false' });
    expect(result.listening).toBe(false);
    expect(result.exitCode).toBe(78);
    expect(result.output).toContain('Invalid configuration: JWT_SECRET is required in production');
  }, 30_000);
});
