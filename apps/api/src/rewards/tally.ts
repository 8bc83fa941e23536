import { RewardStatus, type RewardTallyResponse, type TallyPeriod, type TallyRow } from '@qmfz/contracts';
import { periodLabel, periodOf, periodsBetween } from '../common/shanghai-dates.js';

/** A reward as the tallies need it: amounts, when it was decided, the tip's unit and who reported it. */
export interface TallySource {
  tipId: string;
  status: RewardStatus;
  amountYuan: number;
  decidedAt: Date;
  unitId: string | null;
  unitName: string | null;
  /** Blind index of the named reporter's phone; of the claimant's phone for an anonymous tip. */
  reporterPhoneIndex: string | null;
  claimPhoneIndex: string | null;
  reporterPhoneMasked: string | null;
  claimPhoneMasked: string | null;
}

export const NO_UNIT_LABEL = '未填写';
export const ANONYMOUS_LABEL = '匿名';

/** Rewards that count: decided, approved or paid. A rejected reward is no reward. */
export const COUNTED_REWARD_STATUSES: readonly RewardStatus[] = [RewardStatus.DECIDED, RewardStatus.APPROVED, RewardStatus.PAID];

class Bucket {
  count = 0;
  amountYuan = 0;
  paidYuan = 0;
  constructor(readonly label: string) {}

  add(source: TallySource): void {
    this.count += 1;
    this.amountYuan += source.amountYuan;
    if (source.status === RewardStatus.PAID) this.paidYuan += source.amountYuan;
  }

  row(key: string): TallyRow {
    return { key, label: this.label, count: this.count, amountYuan: this.amountYuan, paidYuan: this.paidYuan };
  }
}

function bucket(buckets: Map<string, Bucket>, key: string, label: string): Bucket {
  let found = buckets.get(key);
  if (!found) buckets.set(key, (found = new Bucket(label)));
  return found;
}

const byAmount = (a: TallyRow, b: TallyRow) => b.amountYuan - a.amountYuan || b.count - a.count || a.label.localeCompare(b.label, 'zh');

/**
 * Reward-eligible tips and amounts per period, per unit and per reporter, over the rewards decided in the range.
 * A reporter is their phone's blind index (named tips: the tip's; anonymous tips: the claim's); a reward with
 * neither is a reporter of its own, labelled 匿名. Labels show masked phones only.
 */
export function tallyRewards(period: TallyPeriod, from: string, to: string, sources: TallySource[]): RewardTallyResponse {
  const periods = new Map(periodsBetween(period, from, to).map((key) => [key, new Bucket(periodLabel(key))]));
  const units = new Map<string, Bucket>();
  const reporters = new Map<string, Bucket>();
  const total = new Bucket('合计');
  for (const source of sources.filter((s) => COUNTED_REWARD_STATUSES.includes(s.status))) {
    const key = periodOf(period, source.decidedAt);
    bucket(periods, key, periodLabel(key)).add(source);
    bucket(units, source.unitId ?? '', source.unitName ?? NO_UNIT_LABEL).add(source);
    const phoneIndex = source.reporterPhoneIndex ?? source.claimPhoneIndex;
    const masked = source.reporterPhoneIndex ? source.reporterPhoneMasked : source.claimPhoneMasked;
    bucket(reporters, phoneIndex ? `phone:${phoneIndex}` : `tip:${source.tipId}`, masked ?? ANONYMOUS_LABEL).add(source);
    total.add(source);
  }
  return {
    period,
    from,
    to,
    periods: [...periods].map(([key, b]) => b.row(key)),
    units: [...units].map(([key, b]) => b.row(key || 'none')).sort(byAmount),
    // Keys are positions, not the blind index: the index is compared inside the server, never handed out.
    reporters: [...reporters.values()].map((b) => b.row('')).sort(byAmount).map((row, i) => ({ ...row, key: `reporter-${i + 1}` })),
    total: total.row('total'),
  };
}
