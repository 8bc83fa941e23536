import { describe, expect, it } from '@jest/globals';
import { IDENTIFIER_KINDS, normalizeIdentifier, type IdentifierKind } from '@qmfz/contracts';
import fc from 'fast-check';
import { maskIdentifier } from './masking.js';

const masked = (kind: IdentifierKind, raw: string) => {
  const result = normalizeIdentifier(kind, raw);
  if (!result.ok) throw new Error(`${raw} is not a ${kind}`);
  return maskIdentifier(kind, result.value);
};

/** The characters of the value the masked form still shows (mask stars, spaces and the ellipsis are not). */
const revealed = (shown: string) => [...shown.replace(/\*|\s|…/g, '')].length;

describe('maskIdentifier', () => {
  it.each([
    ['phone', '+86 139-1234-5678', '139****5678'],
    ['phone', '023-79332042', '023****2042'],
    ['phone', '400-123-4567', '400****4567'],
    ['phone', '+63 917 123 4567', '+63****4567'],
    ['bank_card', '6222 0212 3456 7890 128', '6222 **** **** 0128'],
    ['bank_card', '4111111111111111', '4111 **** **** 1111'],
    ['payment_account', '13912345678', '139****5678'],
    ['payment_account', '023-79332042', '023****2042'],
    ['payment_account', 'Zhang.San@QQ.com', 'z***@qq.com'],
    ['payment_account', 'ab@qq.com', '***@qq.com'],
    ['payment_account', 'fraud_account_01', 'fr***01'],
    ['payment_account', '1234567', '1***7'],
    ['payment_account', '62220212345', '62***45'],
    ['payment_account', 'abc', '***'],
    ['url', 'https://www.Fraud-Site.example.com/pay?id=1', 'fr***.com'],
    ['url', 'http://中奖.网址', '***.网址'],
    ['url', 'x.abcdefghij', '***.ab***ij'],
    ['wechat', 'Wxid_abc123', 'wx****23'],
    ['qq', '123456789', '12****89'],
    ['qq', '10001', '1****1'],
  ] as const)('should show a %s %s as %s', (kind, raw, expected) => {
    expect(masked(kind, raw)).toBe(expected);
  });

  it('should never show a payment account of 7 or more digits that is no phone number like a phone number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-9]\d{6,17}$/), (digits) => {
        const result = normalizeIdentifier('payment_account', digits);
        fc.pre(result.ok && !normalizeIdentifier('phone', digits).ok);
        expect(revealed(maskIdentifier('payment_account', digits))).toBeLessThanOrEqual(Math.floor(digits.length / 2));
      }),
      { numRuns: 2000 },
    );
  });

  it('should never reveal more than about half of any value of any kind, nor of a mailbox more than its first letter', () => {
    const kinds = fc.constantFrom(...IDENTIFIER_KINDS);
    const values = fc.oneof(
      fc.string({ minLength: 1, maxLength: 200 }),
      fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }),
      fc.stringMatching(/^\+?[0-9 -]{1,24}$/),
      fc.emailAddress(),
      fc.webUrl(),
      fc.domain(),
    );
    fc.assert(
      fc.property(kinds, values, (kind, raw) => {
        const result = normalizeIdentifier(kind, raw);
        if (!result.ok) return;
        const value = result.value;
        const shown = maskIdentifier(kind, value);
        expect(shown.length).toBeLessThanOrEqual(80);
        expect(shown).not.toBe(value);
        if (kind === 'payment_account' && value.includes('@')) {
          // An e-mail keeps its provider's domain; of the mailbox at most the first character shows.
          const mailbox = [...value.slice(0, value.lastIndexOf('@'))];
          expect(revealed(shown.slice(0, shown.lastIndexOf('@')))).toBeLessThanOrEqual(Math.min(1, Math.floor(mailbox.length / 4)));
        } else {
          // A phone number keeps 3 + 4 of its 9–15 characters, which is the most any kind shows.
          expect(revealed(shown)).toBeLessThanOrEqual(Math.ceil([...value].length / 2) + 2);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
