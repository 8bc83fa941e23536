import { describe, expect, it } from '@jest/globals';
import { maskMobile, normalizeMobile } from './phone.js';

describe('normalizeMobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['(+86) 19912345678', '19912345678'],
  ])('should read %s as %s', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });

  it.each(['12812345678', '1381234567', '138123456789', '023-79332042', '96110', '+1 13812345678', '１３８１２３４５６７８', ''])(
    'should not take %j for a mainland mobile number',
    (input) => {
      expect(normalizeMobile(input)).toBeNull();
    },
  );
});

describe('maskMobile', () => {
  it('should keep the first three and last four digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });
});
