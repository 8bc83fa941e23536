import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import { rewardAmount } from './reward-rules.js';

describe('rewardAmount', () => {
  it('should use the fixed amount of each tier', () => {
    expect([rewardAmount('first', undefined), rewardAmount('second', undefined), rewardAmount('third', undefined)]).toEqual([2000, 1000, 500]);
  });

  it('should take a whole custom amount from 1 to 100 000 yuan', () => {
    expect(rewardAmount('custom', 1)).toBe(1);
    expect(rewardAmount('custom', 100_000)).toBe(100_000);
  });

  it.each([
    ['custom', undefined],
    ['custom', 0],
    ['custom', 100_001],
    ['custom', 12.5],
    ['custom', Number.NaN],
    ['first', 2000],
  ] as const)('should refuse tier %s with amount %s', (tier, amount) => {
    expect(() => rewardAmount(tier, amount)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, status: 400 }));
  });
});
