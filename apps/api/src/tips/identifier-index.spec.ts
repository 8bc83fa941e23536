import { describe, expect, it } from '@jest/globals';
import { normalizeIdentifier, type IdentifierKind } from '@qmfz/contracts';
import { identifierMatchKey } from './identifier-index.js';

const keyOf = (kind: IdentifierKind, raw: string) => {
  const result = normalizeIdentifier(kind, raw);
  if (!result.ok) throw new Error(`${raw}: ${result.reason}`);
  return identifierMatchKey({ kind, typed: raw.normalize('NFKC').trim(), normalised: result.value });
};

describe('identifierMatchKey', () => {
  it('should match a link to an ordinary site by its host alone', () => {
    expect(keyOf('url', 'https://www.Fraud-Site.cn/pay?id=1')).toBe('url:fraud-site.cn');
    expect(keyOf('url', 'fraud-site.cn/other/page')).toBe('url:fraud-site.cn');
  });

  it('should match a link to a shared platform, subdomains included, by host and path as typed', () => {
    expect(keyOf('url', 'https://mp.weixin.qq.com/s/AbC_123?scene=1#rd')).toBe('url:mp.weixin.qq.com/s/AbC_123');
    expect(keyOf('url', 'MP.WEIXIN.QQ.COM/s/AbC_123/')).toBe('url:mp.weixin.qq.com/s/AbC_123');
    expect(keyOf('url', 'http://t.cn/A6abCD')).not.toBe(keyOf('url', 'http://t.cn/A6ABCD'));
    expect(keyOf('url', 'https://v.douyin.com/iRNBho6u/')).toBe('url:v.douyin.com/iRNBho6u');
    expect(keyOf('url', 'b23.tv\\BV1xx')).toBe('url:b23.tv/BV1xx');
    expect(keyOf('url', 'https://weixin.qq.com')).toBe('url:weixin.qq.com');
    expect(keyOf('url', 'https://github.com/')).toBe('url:github.com');
  });

  it('should not take a host that merely ends like a shared one for it', () => {
    expect(keyOf('url', 'https://fakeqq.com/s/1')).toBe('url:fakeqq.com');
    expect(keyOf('url', 'https://qq.com.fraud.cn/s/1')).toBe('url:qq.com.fraud.cn');
  });

  it('should keep the kind in every key, so equal digits of two kinds never match', () => {
    expect(keyOf('qq', '13812345678')).toBe('qq:13812345678');
    expect(keyOf('phone', '138 1234 5678')).toBe('phone:13812345678');
  });
});
