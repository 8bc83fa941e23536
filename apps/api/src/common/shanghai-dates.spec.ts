import { describe, expect, it } from '@jest/globals';
import { endOfShanghaiDay, isShanghaiDate, periodLabel, periodOf, periodOfDate, periodsBetween, shanghaiDateOf, startOfShanghaiDay } from './shanghai-dates.js';

describe('Shanghai dates', () => {
  it('should start a Shanghai day at 16:00 UTC the day before and end it 24 hours later', () => {
    expect(startOfShanghaiDay('2026-11-01').toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-11-01').toISOString()).toBe('2026-11-01T16:00:00.000Z');
  });

  it('should put the last millisecond before Shanghai midnight on the earlier day', () => {
    expect(shanghaiDateOf(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11-30');
    expect(shanghaiDateOf(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01');
  });

  it('should accept only real calendar dates in the one format', () => {
    expect(['2026-11-01', '2024-02-29'].every(isShanghaiDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '2026-11-1', '2026/11/01', '', 20261101, null].some(isShanghaiDate)).toBe(false);
  });

  it('should name ISO weeks by the year of their Thursday', () => {
    expect(periodOfDate('week', '2026-11-23')).toBe('2026-W48'); // Monday
    expect(periodOfDate('week', '2026-11-29')).toBe('2026-W48'); // Sunday
    expect(periodOfDate('week', '2026-11-30')).toBe('2026-W49');
    expect(periodOfDate('week', '2027-01-01')).toBe('2026-W53'); // a Friday: 2026 has 53 weeks
    expect(periodOfDate('week', '2024-12-30')).toBe('2025-W01');
    expect(periodOfDate('week', '2021-01-03')).toBe('2020-W53');
  });

  it('should place an instant in the week and month of its Shanghai day', () => {
    expect(periodOf('month', new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(periodOf('week', new Date('2026-11-29T15:59:59.999Z'))).toBe('2026-W48');
    expect(periodOf('week', new Date('2026-11-29T16:00:00Z'))).toBe('2026-W49');
  });

  it('should list each period of a range once, in order, partial ones included', () => {
    expect(periodsBetween('month', '2026-10-31', '2027-01-01')).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    expect(periodsBetween('week', '2026-11-29', '2026-12-07')).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    expect(periodsBetween('month', '2026-11-05', '2026-11-05')).toEqual(['2026-11']);
  });

  it('should label periods for people', () => {
    expect(periodLabel('2026-W08')).toBe('2026年第8周');
    expect(periodLabel('2026-03')).toBe('2026年3月');
  });
});
