import type { TestApp } from '../harness.js';

/**
 * Path prefixes of the video campaign routes (docs/api-viewing.md). Their authorization matrix is
 * viewing-authorization.e2e-spec.ts; the general matrix can leave routes under these prefixes to it.
 */
export const VIEWING_ROUTE_PREFIXES = ['/api/videos', '/api/campaigns', '/api/viewing/', '/api/notices', '/api/subscriptions/'] as const;

/** Path prefixes of the tip and reward routes (docs/api-tips.md); their matrix is tips-authorization.e2e-spec.ts. */
export const TIP_ROUTE_PREFIXES = ['/api/tips', '/api/rewards'] as const;

function underPrefixes(key: string, prefixes: readonly string[]): boolean {
  const path = key.split(' ')[1] ?? '';
  return prefixes.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}

/** Whether a route key such as `GET /api/campaigns/{campaignId}/progress` belongs to the video campaign routes. */
export function isViewingRoute(key: string): boolean {
  return underPrefixes(key, VIEWING_ROUTE_PREFIXES);
}

/** Whether a route key belongs to the tip and reward routes. */
export function isTipRoute(key: string): boolean {
  return underPrefixes(key, TIP_ROUTE_PREFIXES);
}

/** Every route of the app's OpenAPI document, as `METHOD /path/{param}`: the list a matrix must cover. */
export async function documentedRoutes(t: TestApp): Promise<string[]> {
  const docs = await t.request({ method: 'GET', url: '/api/docs-json' });
  if (docs.status !== 200) throw new Error(`/api/docs-json answered ${docs.status}`);
  return Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
