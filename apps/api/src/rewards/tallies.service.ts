import { Injectable } from '@nestjs/common';
import type { RewardTallyResponse } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { validationFailed } from '../common/validation.js';
import type { TallyQueryDto } from './rewards.dto.js';
import { RewardsRepository } from './rewards.repository.js';
import { daysBetween, endOfShanghaiDay, startOfShanghaiDay } from '../common/shanghai-dates.js';
import { tallyRewards } from './tally.js';
import { tallyWorkbook } from './tally-export.js';

/** Three years of days: more than any page or report asks for, and a bound on the work one request can cause. */
export const TALLY_RANGE_MAX_DAYS = 3 * 366;

/** Reward tallies for township admins and police, as a page and as XLSX. */
@Injectable()
export class TalliesService {
  constructor(private readonly rewards: RewardsRepository) {}

  async tallies(actor: Actor, query: TallyQueryDto): Promise<RewardTallyResponse> {
    const days = daysBetween(query.from, query.to);
    if (days < 0) throw validationFailed([{ field: 'to', message: '结束日期不能早于开始日期' }]);
    if (days >= TALLY_RANGE_MAX_DAYS) throw validationFailed([{ field: 'to', message: '统计范围不能超过三年' }]);
    const sources = await this.rewards.tallySources(actor.townshipId, startOfShanghaiDay(query.from), endOfShanghaiDay(query.to));
    return tallyRewards(query.period, query.from, query.to, sources);
  }

  async exportTallies(actor: Actor, query: TallyQueryDto): Promise<{ fileName: string; body: Buffer }> {
    const tally = await this.tallies(actor, query);
    return { fileName: `奖励统计-${query.from}至${query.to}.xlsx`, body: await tallyWorkbook(tally) };
  }
}
