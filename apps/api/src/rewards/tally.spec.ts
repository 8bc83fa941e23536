import { describe, expect, it } from '@jest/globals';
import { RewardStatus } from '@qmfz/contracts';
import { tallyRewards, type TallySource } from './tally.js';

let next = 0;
function source(change: Partial<TallySource> = {}): TallySource {
  return {
    tipId: `tip-${++next}`,
    status: RewardStatus.DECIDED,
    amountYuan: 100,
    decidedAt: new Date('2026-11-10T02:00:00Z'),
    unitId: null,
    unitName: null,
    reporterPhoneIndex: null,
    claimPhoneIndex: null,
    reporterPhoneMasked: null,
    claimPhoneMasked: null,
    ...change,
  };
}

describe('tallyRewards', () => {
  it('should leave rejected rewards out of every count and amount', () => {
    const tally = tallyRewards('month', '2026-11-01', '2026-11-30', [source({ status: RewardStatus.REJECTED, amountYuan: 999 }), source({ status: RewardStatus.PAID })]);
    expect(tally.total).toEqual({ key: 'total', label: '合计', count: 1, amountYuan: 100, paidYuan: 100 });
    expect(tally.units).toEqual([{ key: 'none', label: '未填写', count: 1, amountYuan: 100, paidYuan: 100 }]);
  });

  it('should count a named reporter and an anonymous claimant with the same phone as one reporter', () => {
    const tally = tallyRewards('month', '2026-11-01', '2026-11-30', [
      source({ reporterPhoneIndex: 'idx-a', reporterPhoneMasked: '137****9876', amountYuan: 2000 }),
      source({ claimPhoneIndex: 'idx-a', claimPhoneMasked: '137****9876', amountYuan: 500 }),
      source({ claimPhoneIndex: 'idx-b', claimPhoneMasked: '136****1111' }),
    ]);
    expect(tally.reporters.map((r) => [r.label, r.count, r.amountYuan])).toEqual([
      ['137****9876', 2, 2500],
      ['136****1111', 1, 100],
    ]);
  });

  it('should make each unclaimed anonymous reward a reporter of its own, labelled 匿名', () => {
    const tally = tallyRewards('month', '2026-11-01', '2026-11-30', [source(), source()]);
    expect(tally.reporters.map((r) => [r.key, r.label, r.count])).toEqual([
      ['reporter-1', '匿名', 1],
      ['reporter-2', '匿名', 1],
    ]);
  });

  it('should never hand out a blind index as a key', () => {
    const tally = tallyRewards('week', '2026-11-01', '2026-11-30', [source({ reporterPhoneIndex: 'secret-index', reporterPhoneMasked: '137****9876' })]);
    expect(JSON.stringify(tally)).not.toContain('secret-index');
  });

  it('should list every period of the range with zeros where nothing was decided', () => {
    const tally = tallyRewards('month', '2026-10-01', '2026-12-31', [source()]);
    expect(tally.periods.map((p) => [p.key, p.count])).toEqual([
      ['2026-10', 0],
      ['2026-11', 1],
      ['2026-12', 0],
    ]);
  });
});
