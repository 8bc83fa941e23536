import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { DataSource as DataSourceToken } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig, type AppConfig } from '../src/config/config.js';
import { openDataSource } from '../src/database/data-source.js';
import type { LogStream } from '../src/logging.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  /** Base URL of the listening server on loopback. */
  baseUrl: string;
  /** Sends a real HTTP request over loopback: routing, parsing, pipes, guards and the filter all run. */
  request(options: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw payload, sent as is (for malformed bodies and uploads). */
  payload?: string | Buffer;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

export interface StartOptions {
  env?: Record<string, string>;
  logStream?: LogStream;
}

/** Starts the real application on a fresh migrated database. Nothing of our own is mocked. */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const db: TestDatabase = await createTestDatabase();
  // Tests sign in through the demo login and act as clients behind one proxy (distinct X-Forwarded-For per client).
  const config = loadConfig({
    APP_ENV: 'test',
    DEV_LOGIN: 'true',
    TRUST_PROXY_HOPS: '1',
    LOG_LEVEL: options.logStream ? 'info' : 'silent',
    ...db.env,
    ...options.env,
  });
  const migrator = await openDataSource(config.database);
  await migrator.runMigrations({ transaction: 'each' });
  await migrator.destroy();

  const app = await createApp(config, { logStream: options.logStream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const dataSource = app.get(DataSourceToken);

  return {
    app,
    config,
    dataSource,
    baseUrl,
    request: async ({ method, url, token, body, headers, payload }) => {
      const response = await fetch(baseUrl + url, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: payload ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed, text };
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
