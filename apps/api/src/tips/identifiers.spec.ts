import { describe, expect, it } from '@jest/globals';
import { IDENTIFIER_KINDS, IdentifierKind, luhnValid, normalizeIdentifier } from '@qmfz/contracts';
import fc from 'fast-check';

const value = (kind: IdentifierKind, raw: string) => {
  const result = normalizeIdentifier(kind, raw);
  return result.ok ? result.value : null;
};

/** A card number of the given digits with the Luhn check digit appended. */
function withCheckDigit(body: string): string {
  for (let check = 0; check <= 9; check++) if (luhnValid(body + check)) return body + check;
  throw new Error('unreachable');
}

describe('normalizeIdentifier', () => {
  describe('phone numbers', () => {
    it('should give every spelling of one mobile number the same value', () => {
      const spellings = ['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '0086 13812345678', '8613812345678', '＋８６ １３８１２３４５６７８'];
      expect(new Set(spellings.map((s) => value(IdentifierKind.PHONE, s)))).toEqual(new Set(['13812345678']));
    });

    it('should keep the area code of a landline, also when dialled from abroad', () => {
      expect(value(IdentifierKind.PHONE, '023-79332042')).toBe('02379332042');
      expect(value(IdentifierKind.PHONE, '(023) 7933 2042')).toBe('02379332042');
      expect(value(IdentifierKind.PHONE, '+86 23 7933 2042')).toBe('02379332042');
    });

    it('should accept 400/800 numbers and foreign numbers in E.164', () => {
      expect(value(IdentifierKind.PHONE, '400-123-4567')).toBe('4001234567');
      expect(value(IdentifierKind.PHONE, '+63 917 123 4567')).toBe('+639171234567');
    });

    it('should refuse what is not a number people can be called from', () => {
      for (const raw of ['12345', '1381234567', '23812345678', '138123456789', '+0 123456789', 'abc', '138x1234x5678', '']) {
        expect({ raw, result: normalizeIdentifier(IdentifierKind.PHONE, raw).ok }).toEqual({ raw, result: false });
      }
    });
  });

  describe('bank cards', () => {
    it('should accept a card whose check digit is right, with spaces or dashes', () => {
      expect(value(IdentifierKind.BANK_CARD, '6222 0202 0000 0000 004'.replace(/4$/, withCheckDigit('622202020000000000').slice(-1)))).toBe(
        withCheckDigit('622202020000000000'),
      );
      expect(value(IdentifierKind.BANK_CARD, '4111-1111-1111-1111')).toBe('4111111111111111');
    });

    it('should accept every generated card with its check digit and refuse it with one digit changed', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[1-9]\d{10,17}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, shift) => {
          const card = withCheckDigit(body);
          expect(value(IdentifierKind.BANK_CARD, card)).toBe(card);
          const i = at % card.length;
          const broken = card.slice(0, i) + ((Number(card[i]) + shift) % 10) + card.slice(i + 1);
          expect(normalizeIdentifier(IdentifierKind.BANK_CARD, broken).ok).toBe(false);
        }),
      );
    });

    it('should refuse too short, too long and non-numeric card numbers', () => {
      for (const raw of ['4111 1111 111', '4'.repeat(20), '4111-1111-1111-111a']) expect(normalizeIdentifier(IdentifierKind.BANK_CARD, raw).ok).toBe(false);
    });
  });

  describe('links, payment accounts, WeChat and QQ', () => {
    it('should match a link by its host, whatever its scheme, path, case or www', () => {
      const links = ['https://www.Fraud-Site.cn/pay?id=1', 'http://fraud-site.cn', 'fraud-site.cn/login', 'WWW.FRAUD-SITE.CN.'];
      expect(new Set(links.map((l) => value(IdentifierKind.URL, l)))).toEqual(new Set(['fraud-site.cn']));
      expect(value(IdentifierKind.URL, 'http://103.45.6.7:8080/x')).toBe('103.45.6.7');
      expect(value(IdentifierKind.URL, 'https://反诈.中国/')).toBe('反诈.中国');
    });

    it('should refuse links without a real host or with another scheme', () => {
      for (const raw of ['javascript:alert(1)', 'ftp://a.cn', 'localhost', 'http://', 'not a url']) expect(normalizeIdentifier(IdentifierKind.URL, raw).ok).toBe(false);
    });

    it('should read a payment account as a phone number or an e-mail when it is one', () => {
      expect(value(IdentifierKind.PAYMENT_ACCOUNT, '+86 138-1234-5678')).toBe('13812345678');
      expect(value(IdentifierKind.PAYMENT_ACCOUNT, 'Pay.Me@Example.COM')).toBe('pay.me@example.com');
      expect(normalizeIdentifier(IdentifierKind.PAYMENT_ACCOUNT, 'a b').ok).toBe(false);
    });

    it('should fold WeChat ids to lower case and check QQ numbers', () => {
      expect(value(IdentifierKind.WECHAT, 'Fraud_Boss-01')).toBe('fraud_boss-01');
      expect(normalizeIdentifier(IdentifierKind.WECHAT, '1abcdef').ok).toBe(false);
      expect(value(IdentifierKind.QQ, '10001')).toBe('10001');
      expect(normalizeIdentifier(IdentifierKind.QQ, '01234').ok).toBe(false);
    });
  });

  it('should never throw, and give a value that normalises to itself, for any text of any kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...IDENTIFIER_KINDS), fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[+0-9 ()-]{0,24}$/)), (kind, raw) => {
        const first = normalizeIdentifier(kind, raw);
        if (first.ok) expect(normalizeIdentifier(kind, first.value)).toEqual(first);
        else expect(first.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('should refuse text longer than the limit before reading it', () => {
    expect(normalizeIdentifier(IdentifierKind.QQ, '1'.repeat(201))).toEqual({ ok: false, reason: '过长' });
  });
});
