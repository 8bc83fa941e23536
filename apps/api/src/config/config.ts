import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export type AppEnv = 'development' | 'test' | 'production';

export interface DatabaseConfig {
  /** Driver chosen from the URL scheme; `sqlite` when DATABASE_URL is unset. */
  type: 'sqlite' | 'mysql' | 'mariadb';
  url?: string;
  sqlitePath: string;
}

export interface AppConfig {
  env: AppEnv;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  bodyLimitBytes: number;
  /** Proxies (load balancers) in front of the API whose X-Forwarded-For entry is believed; 0 = none. */
  trustProxyHops: number;
  database: DatabaseConfig;
  redisUrl?: string;
  /**
   * Multiplies every per-route rate limit. 1 in production; load tests raise it so the limiter still runs (its cost
   * is measured) without refusing the load. Refused in production above 1.
   */
  rateLimitScale: number;
  auth: {
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    devLogin: boolean;
  };
  crypto: {
    /** Active key first; older keys stay for decryption during rotation. */
    dataKeys: { id: string; key: Buffer }[];
    blindIndexKey: Buffer;
  };
  wechat: {
    baseUrl: string;
    appId?: string;
    secret?: string;
    timeoutMs: number;
    /** Subscribe-message template ids per kind; a kind without one is sent as an in-app notice only. */
    templates: { videoReminder?: string };
  };
  videos: {
    /** Folder uploaded videos are stored in; shared storage (NFS, a mounted bucket) when several instances run. */
    dir: string;
    maxBytes: number;
  };
  tips: {
    /** Folder of tip images (private: served only through short-lived signed links); shared storage when scaled out. */
    filesDir: string;
    /** Days after a tip is closed (and its reward settled) before the reporter's identity is erased. */
    identityRetentionDays: number;
  };
  defaultTownshipCode: string;
  /** Absolute path of a built H5 app (a folder with index.html) served at `/`; unset: the API serves only `/api`. */
  webDir?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

// Development-only defaults. They are public, so production refuses to run with them.
const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';
const DEV_DATA_KEY_BYTES = Buffer.alloc(32, 7);
const DEV_DATA_KEY = 'dev1:' + DEV_DATA_KEY_BYTES.toString('base64');
const DEV_BLIND_INDEX_KEY = Buffer.alloc(32, 9).toString('base64');

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value as T)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

function key32(name: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new ConfigError(name, 'must be 32 bytes encoded in base64');
  return key;
}

function parseDataKeys(env: Env): AppConfig['crypto']['dataKeys'] {
  const raw = env.DATA_KEYS || DEV_DATA_KEY;
  const keys = raw.split(',').map((entry) => {
    const [id, base64, extra] = entry.trim().split(':');
    if (!id || !base64 || extra !== undefined || !/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
      throw new ConfigError('DATA_KEYS', 'must be a comma-separated list of keyId:base64key');
    }
    return { id, key: key32('DATA_KEYS', base64) };
  });
  // Ciphertexts name their key id: two keys under one id would make old data undecryptable.
  const ids = keys.map((k) => k.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ConfigError('DATA_KEYS', `names key id "${duplicate}" twice`);
  return keys;
}

/** WEB_DIR: a built H5 folder, checked now so a typo fails at start-up rather than as a 404 on `/` later. */
function parseWebDir(env: Env, rootDir: string): string | undefined {
  const raw = env.WEB_DIR;
  if (!raw) return undefined;
  const dir = isAbsolute(raw) ? raw : resolve(rootDir, raw);
  const index = join(dir, 'index.html');
  if (!existsSync(index) || !statSync(index).isFile()) {
    throw new ConfigError('WEB_DIR', `must be a folder containing index.html (a built H5 app), got "${raw}"`);
  }
  return dir;
}

function parseDatabase(env: Env, rootDir: string): DatabaseConfig {
  const sqliteRaw = env.SQLITE_PATH || 'data/qmfz.sqlite';
  const sqlitePath = sqliteRaw === ':memory:' || isAbsolute(sqliteRaw) ? sqliteRaw : resolve(rootDir, sqliteRaw);
  const url = env.DATABASE_URL;
  if (!url) return { type: 'sqlite', sqlitePath };
  let scheme: string;
  try {
    scheme = new URL(url).protocol.replace(':', '');
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL');
  }
  // The dialect follows the scheme: TypeORM's mysql and mariadb dialects differ, and the wrong one shows false drift.
  if (scheme !== 'mysql' && scheme !== 'mariadb') {
    throw new ConfigError('DATABASE_URL', `must start with mysql:// or mariadb://, got "${scheme}://"`);
  }
  return { type: scheme, url, sqlitePath };
}

/** Reads and validates the environment once; the only place that looks at process.env. */
export function loadConfig(env: Env = process.env, rootDir = process.cwd()): AppConfig {
  const appEnv = oneOf(env, 'APP_ENV', ['development', 'test', 'production'] as const, env.NODE_ENV === 'production' ? 'production' : 'development');
  // NODE_ENV=production is what most hosts set; it must not be overridden into a development setup by accident.
  if (env.NODE_ENV === 'production' && appEnv !== 'production') {
    throw new ConfigError('APP_ENV', `must be production when NODE_ENV=production, got "${appEnv}"`);
  }
  const production = appEnv === 'production';
  const jwtSecret = env.JWT_SECRET || DEV_JWT_SECRET;
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  // The demo login makes anyone any role: it is on only when asked for by name, never by default.
  const devLogin = bool(env, 'DEV_LOGIN', false);

  const config: AppConfig = {
    env: appEnv,
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 3000, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const, 'info'),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    // 0 by default: a client that reaches the API directly must not choose its own address through X-Forwarded-For.
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    database: parseDatabase(env, rootDir),
    redisUrl: env.REDIS_URL || undefined,
    rateLimitScale: integer(env, 'RATE_LIMIT_SCALE', 1, 1, 1_000_000),
    auth: {
      jwtSecret,
      accessTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL', 900, 30, 24 * 3600),
      refreshTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL', 30 * 24 * 3600, 300, 365 * 24 * 3600),
      devLogin,
    },
    crypto: {
      dataKeys: parseDataKeys(env),
      blindIndexKey: key32('BLIND_INDEX_KEY', env.BLIND_INDEX_KEY || DEV_BLIND_INDEX_KEY),
    },
    wechat: {
      baseUrl: (env.WECHAT_API_BASE || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
      appId: env.WECHAT_APPID || undefined,
      secret: env.WECHAT_SECRET || undefined,
      timeoutMs: integer(env, 'WECHAT_TIMEOUT_MS', 5000, 100, 60000),
      templates: { videoReminder: env.WECHAT_TEMPLATE_VIDEO_REMINDER || undefined },
    },
    videos: {
      dir: resolve(rootDir, env.VIDEO_DIR || 'data/videos'),
      // int columns hold the size, so at most 2 GB.
      maxBytes: integer(env, 'VIDEO_MAX_BYTES', 200 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024 - 1),
    },
    tips: {
      filesDir: resolve(rootDir, env.TIP_FILES_DIR || 'data/tip-files'),
      identityRetentionDays: integer(env, 'TIP_IDENTITY_RETENTION_DAYS', 180, 1, 3650),
    },
    defaultTownshipCode: env.DEFAULT_TOWNSHIP_CODE || 'baitu',
    webDir: parseWebDir(env, rootDir),
  };
  if (config.redisUrl && !/^rediss?:\/\//.test(config.redisUrl)) {
    throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  }
  if (!/^https?:$/.test(safeUrl(config.wechat.baseUrl)?.protocol ?? '')) {
    throw new ConfigError('WECHAT_API_BASE', 'must be an http:// or https:// URL');
  }
  if (production) assertProductionSafe(env, config);
  return config;
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function assertProductionSafe(env: Env, config: AppConfig): void {
  if (config.auth.devLogin) throw new ConfigError('DEV_LOGIN', 'must be false in production');
  // The development values are published in this file: copying them into production is as bad as leaving them out.
  if (!env.JWT_SECRET || env.JWT_SECRET === DEV_JWT_SECRET) throw new ConfigError('JWT_SECRET', 'is required in production');
  if (!env.DATA_KEYS || config.crypto.dataKeys.some((k) => k.key.equals(DEV_DATA_KEY_BYTES))) {
    throw new ConfigError('DATA_KEYS', 'is required in production');
  }
  if (!env.BLIND_INDEX_KEY || config.crypto.blindIndexKey.equals(Buffer.from(DEV_BLIND_INDEX_KEY, 'base64'))) {
    throw new ConfigError('BLIND_INDEX_KEY', 'is required in production');
  }
  if (!config.wechat.appId) throw new ConfigError('WECHAT_APPID', 'is required in production');
  if (!config.wechat.secret) throw new ConfigError('WECHAT_SECRET', 'is required in production');
  if (config.rateLimitScale !== 1) throw new ConfigError('RATE_LIMIT_SCALE', 'must be 1 in production');
}

export const APP_CONFIG = Symbol('APP_CONFIG');
