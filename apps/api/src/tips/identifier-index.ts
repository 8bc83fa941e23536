import { IdentifierKind } from '@qmfz/contracts';
import type { CryptoService } from '../crypto/crypto.service.js';
import type { TipIdentifier } from './tip-request.js';

/** Namespace of `tip_identifiers.value_index`: the kind is part of the value, so a QQ number never matches a phone. */
export const IDENTIFIER_INDEX_NAMESPACE = 'tip-identifier';

/**
 * Platforms where anyone may publish: an article, a shop or a short link on one of these says nothing about who is
 * behind another one on the same host. Links to them are matched by host and path, so two tips quoting the same
 * article or short link are linked, but every tip naming some WeChat article is not. A listed domain covers its
 * subdomains (`qq.com`: `mp.weixin.qq.com`, `weixin.qq.com`; `douyin.com`: `v.douyin.com`). Other hosts are
 * matched by host alone: a fraud site changes paths, not domains.
 */
export const SHARED_HOSTS: readonly string[] = [
  'qq.com',
  't.cn',
  'url.cn',
  'dwz.cn',
  'douyin.com',
  'kuaishou.com',
  'baidu.com',
  'taobao.com',
  'tmall.com',
  'jd.com',
  'alipay.com',
  'pinduoduo.com',
  'yangkeduo.com',
  'weibo.com',
  'bilibili.com',
  'b23.tv',
  'github.com',
];

export function isSharedHost(host: string): boolean {
  return SHARED_HOSTS.some((shared) => host === shared || host.endsWith(`.${shared}`));
}

/**
 * What tips are matched by: kind and normalised value, and for a link to a shared platform the path as typed
 * (without query, fragment or trailing slash; short links are case-sensitive): `url:mp.weixin.qq.com/s/AbC`.
 */
export function identifierMatchKey(identifier: TipIdentifier): string {
  if (identifier.kind === IdentifierKind.URL && isSharedHost(identifier.normalised)) return `url:${identifier.normalised}${pathOf(identifier.typed)}`;
  return `${identifier.kind}:${identifier.normalised}`;
}

/** `tip_identifiers.value_index`: a keyed hash of the match key, so matching never needs the plaintext. */
export function identifierIndex(crypto: CryptoService, identifier: TipIdentifier): string {
  return crypto.blindIndex(IDENTIFIER_INDEX_NAMESPACE, identifierMatchKey(identifier));
}

/** The path of a link as typed (`https://t.cn/A6x?from=1#top` → `/A6x`), '' when it has none. */
function pathOf(typed: string): string {
  const rest = typed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const start = rest.search(/[/?#\\]/);
  if (start < 0) return '';
  // Browsers read a backslash in an http(s) link as a slash.
  return rest.slice(start).split(/[?#]/, 1)[0].replace(/\\/g, '/').replace(/\/+$/, '');
}
