import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './harness.js';
import { DB_TIER } from './test-db.js';

const INDEX_HTML = '<!doctype html><html><head><title>全民反诈</title></head><body><div id="app"></div></body></html>\n';
const ASSET = 'console.log("h5 bundle");\n';

describe(`the H5 app served at / with WEB_DIR (${DB_TIER})`, () => {
  let t: TestApp;
  let webDir: string;
  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'qmfz-web-'));
    writeFileSync(join(webDir, 'index.html'), INDEX_HTML);
    mkdirSync(join(webDir, 'js'));
    writeFileSync(join(webDir, 'js/x.123.js'), ASSET);
    // A folder named like the API's prefix must never shadow it.
    mkdirSync(join(webDir, 'api'));
    writeFileSync(join(webDir, 'api/nope'), 'not the API');
    writeFileSync(join(webDir, '.env'), 'SECRET=1');
    t = await startTestApp({ env: { WEB_DIR: webDir } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('should answer GET / with index.html, revalidated on every load', async () => {
    const response = await t.request({ method: 'GET', url: '/' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toBe(INDEX_HTML);
  });

  it('should refuse to be framed by another site and tell the browser not to guess file types', async () => {
    for (const url of ['/', '/js/x.123.js']) {
      const response = await t.request({ method: 'GET', url });
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toBe("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('should answer /index.html the same way', async () => {
    const response = await t.request({ method: 'GET', url: '/index.html' });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('should serve hashed assets with a long immutable cache', async () => {
    const response = await t.request({ method: 'GET', url: '/js/x.123.js' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.text).toBe(ASSET);
  });

  it('should keep the API working next to the static files', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('should answer an unknown /api path with the JSON 404, even when the folder holds a file of that name', async () => {
    const response = await t.request({ method: 'GET', url: '/api/nope' });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(response.body.requestId).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('should answer a missing file or a dotfile with the JSON 404', async () => {
    for (const url of ['/js/missing.js', '/.env']) {
      const response = await t.request({ method: 'GET', url });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('should keep Swagger UI, which registers @fastify/static itself, working', async () => {
    const html = await t.request({ method: 'GET', url: '/api/docs' });
    expect(html.status).toBe(200);
    expect(html.text).toContain('swagger');
  });
});

describe(`without WEB_DIR (${DB_TIER})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('should answer GET / with the JSON 404', async () => {
    const response = await t.request({ method: 'GET', url: '/' });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
