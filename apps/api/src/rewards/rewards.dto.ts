import {
  LIMITS,
  REWARD_STATUSES,
  REWARD_TIERS,
  TIP_TEXT_LIMITS,
  type ClaimRewardRequest,
  type ClaimRewardResponse,
  type DecideRewardRequest,
  type RewardAuditEntry,
  type RewardResponse,
  type RewardReviewRequest,
  type RewardStatus,
  type RewardTier,
  type TallyPeriod,
  type TipRewardSummary,
} from '@qmfz/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { AuditRow } from '../audit/audit-log.repository.js';
import { Label, MaxChars, OneOf, OptionalInt, OptionalText, RequiredText, ShanghaiDate, Trim } from '../common/validation.js';
import type { TipRewardEntity } from '../database/entities/index.js';
import type { RewardRow } from './rewards.repository.js';

export const TALLY_PERIODS: readonly TallyPeriod[] = ['week', 'month'];

// Requests

export class DecideRewardDto implements DecideRewardRequest {
  @Label('奖励等级')
  @OneOf(REWARD_TIERS)
  tier: RewardTier;

  @Label('奖励金额')
  @OptionalInt(1, TIP_TEXT_LIMITS.rewardYuanMax)
  amountYuan?: number;

  @Label('奖励理由')
  @Trim()
  @RequiredText(TIP_TEXT_LIMITS.reasonMax, '提供的收款账户经核实为诈骗账户')
  @MaxChars(TIP_TEXT_LIMITS.reasonMax)
  reason: string;
}

export class RewardListQueryDto {
  @Label('奖励状态')
  @OneOf(REWARD_STATUSES, false)
  status?: RewardStatus;
}

export class RewardReviewDto implements RewardReviewRequest {
  @Label('审批意见')
  @Trim()
  @OptionalText(TIP_TEXT_LIMITS.reasonMax)
  @MaxChars(TIP_TEXT_LIMITS.reasonMax)
  note?: string;
}

export class ClaimRewardDto implements ClaimRewardRequest {
  @Label('回执码')
  @ApiProperty({ maxLength: 60 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  receiptCode: string;

  @Label('姓名')
  @Trim()
  @OptionalText(TIP_TEXT_LIMITS.reporterNameMax)
  @MaxChars(TIP_TEXT_LIMITS.reporterNameMax)
  name?: string;

  @Label('手机号码')
  @Trim()
  @OptionalText(20)
  phone?: string;

  @Label('手机号授权码')
  @OptionalText(LIMITS.wechatCodeMax)
  phoneCode?: string;
}

export class TallyQueryDto {
  @Label('统计周期')
  @OneOf(TALLY_PERIODS)
  period: TallyPeriod;

  @Label('开始日期')
  @ApiProperty({ example: '2026-11-01' })
  @IsString()
  @ShanghaiDate()
  from: string;

  @Label('结束日期')
  @ApiProperty({ example: '2026-11-30' })
  @IsString()
  @ShanghaiDate()
  to: string;
}

// Responses

export function toRewardResponse(row: RewardRow): RewardResponse {
  return {
    tipId: row.tipId,
    status: row.status,
    tier: row.tier,
    amountYuan: row.amountYuan,
    reason: row.reason,
    decidedBy: { userId: row.decidedBy, displayName: row.decidedByName },
    decidedAt: row.decidedAt.toISOString(),
    claimedAt: row.claimedAt?.toISOString() ?? null,
    reviewedBy: row.reviewedBy ? { userId: row.reviewedBy, displayName: row.reviewedByName ?? '' } : null,
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    reviewNote: row.reviewNote,
    paidAt: row.paidAt?.toISOString() ?? null,
    tip: {
      fraudType: row.tip.fraudType,
      status: row.tip.status,
      createdAt: row.tip.createdAt.toISOString(),
      unitName: row.tip.unitName,
      reporterMode: row.tip.reporterMode,
      // A named tip's masked phone; an anonymous one shows the claimant's, once claimed.
      reporterMasked: row.tip.reporterPhoneMasked ?? row.claimPhoneMasked,
    },
  };
}

/** A tip's reward as police lists show it. */
export function toRewardSummary(reward: TipRewardEntity): TipRewardSummary {
  return { status: reward.status, tier: reward.tier, amountYuan: reward.amountYuan, claimed: reward.claimedAt !== null };
}

/**
 * A tip's reward as its reporter sees it (follow-up and claim). `claimNeedsContact`: unclaimed, and the tip holds no
 * reporter contact (anonymous, or erased by retention), so the claim must give a name and phone.
 */
export function toReporterReward(reward: TipRewardEntity, tipHoldsContact: boolean): ClaimRewardResponse {
  const summary = toRewardSummary(reward);
  return { ...summary, claimNeedsContact: !summary.claimed && !tipHoldsContact };
}

export function toAuditEntry(row: AuditRow): RewardAuditEntry {
  return { id: row.id, actorId: row.actorId, actorName: row.actorName, action: row.action, detail: row.detail, createdAt: row.createdAt.toISOString() };
}
