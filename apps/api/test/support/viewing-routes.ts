import type { TestApp } from '../harness.js';

/**
 * Path prefixes of the video campaign routes (docs/api-viewing.md). Their authorization matrix is
 * viewing-authorization.e2e-spec.ts; the general matrix can leave routes under these prefixes to it.
 */
export const VIEWING_ROUTE_PREFIXES = ['/api/videos', '/api/campaigns', '/api/viewing/', '/api/notices', '/api/subscriptions/'] as const;

/** Whether a route key such as `GET /api/campaigns/{campaignId}/progress` belongs to the video campaign routes. */
export function isViewingRoute(key: string): boolean {
  const path = key.split(' ')[1] ?? '';
  return VIEWING_ROUTE_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}

/** Every route of the app's OpenAPI document, as `METHOD /path/{param}`: the list a matrix must cover. */
export async function documentedRoutes(t: TestApp): Promise<string[]> {
  const docs = await t.request({ method: 'GET', url: '/api/docs-json' });
  if (docs.status !== 200) throw new Error(`/api/docs-json answered ${docs.status}`);
  return Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
