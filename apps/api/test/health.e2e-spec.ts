import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './harness.js';
import { DB_TIER } from './test-db.js';

describe(`health and the error envelope (${DB_TIER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('should report the database as up on the configured driver', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'up', driver: DB_TIER === 'mariadb' ? 'mariadb' : 'sqlite' });
  });

  it('should report the database as down with a 503 when it is unreachable', async () => {
    await t.dataSource.destroy();
    try {
      const response = await t.request({ method: 'GET', url: '/api/health' });
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'degraded', database: 'down' });
    } finally {
      await t.dataSource.initialize();
    }
  });

  it('should answer an unknown route with NOT_FOUND, a Chinese message and the request id', async () => {
    const response = await t.request({ method: 'GET', url: '/api/no-such-thing' });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
    expect(response.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(response.body.requestId).toMatch(/^[0-9A-Z]{26}$/);
    expect(response.headers['x-request-id']).toBe(response.body.requestId);
  });

  it('should serve the OpenAPI document generated from the code', async () => {
    const response = await t.request({ method: 'GET', url: '/api/docs-json' });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/wechat', '/api/me']));
    const html = await t.request({ method: 'GET', url: '/api/docs' });
    expect(html.status).toBe(200);
    expect(html.text).toContain('swagger');
  });
});
