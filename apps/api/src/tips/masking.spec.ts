import { describe, expect, it } from '@jest/globals';
import { IDENTIFIER_KINDS, normalizeIdentifier, type IdentifierKind } from '@qmfz/contracts';
import fc from 'fast-check';
import { maskIdentifier } from './masking.js';

const masked = (kind: IdentifierKind, raw: string) => {
  const result = normalizeIdentifier(kind, raw);
  if (!result.ok) throw new Error(`${raw} is not a ${kind}`);
  return maskIdentifier(kind, result.value);
};

describe('maskIdentifier', () => {
  it.each([
    ['phone', '+86 139-1234-5678', '139****5678'],
    ['phone', '023-79332042', '023****2042'],
    ['phone', '400-123-4567', '400****4567'],
    ['phone', '+63 917 123 4567', '+63****4567'],
    ['bank_card', '6222 0212 3456 7890 128', '6222 **** **** 0128'],
    ['bank_card', '4111111111111111', '4111 **** **** 1111'],
    ['payment_account', '13912345678', '139****5678'],
    ['payment_account', 'Zhang.San@QQ.com', 'z***@qq.com'],
    ['payment_account', 'fraud_account_01', 'fr***01'],
    ['payment_account', 'abc', 'a***'],
    ['url', 'https://www.Fraud-Site.example.com/pay?id=1', 'fr***.com'],
    ['url', 'http://中奖.网址', '中奖***.网址'],
    ['wechat', 'Wxid_abc123', 'wx****23'],
    ['qq', '123456789', '12****89'],
  ] as const)('should show a %s %s as %s', (kind, raw, expected) => {
    expect(masked(kind, raw)).toBe(expected);
  });

  it('should hide at least half of every value (an e-mail all of its mailbox but one letter) and fit the 80-character column', () => {
    const kinds = fc.constantFrom(...IDENTIFIER_KINDS);
    fc.assert(
      fc.property(kinds, fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), fc.emailAddress(), fc.webUrl(), fc.domain()), (kind, raw) => {
        const result = normalizeIdentifier(kind, raw);
        if (!result.ok) return;
        const shown = maskIdentifier(kind, result.value);
        expect(shown.length).toBeLessThanOrEqual(80);
        if (result.value.includes('@')) {
          // An e-mail keeps its provider's domain; of the mailbox only the first character shows.
          expect(shown.split('@')[0]).toBe(`${result.value[0]}***`);
        } else if (result.value.length >= 8) {
          expect(shown.replace(/\*|\s|…/g, '').length).toBeLessThanOrEqual(Math.ceil(result.value.length / 2) + 3);
        }
        expect(shown).not.toBe(result.value);
      }),
      { numRuns: 2000 },
    );
  });
});
