import { ErrorCode, REWARD_TIER_AMOUNTS, RewardStatus, RewardTier, TIP_TEXT_LIMITS } from '@qmfz/contracts';
import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/app-exception.js';

/** Rewards in these states keep their tip's status: police cannot take back a tip someone is being paid for. */
export const STATUS_LOCKING_REWARDS: readonly RewardStatus[] = [RewardStatus.DECIDED, RewardStatus.APPROVED, RewardStatus.PAID];

/** The payout approver may see who reported, while the reward is approved or paid. */
export const REVEALABLE_REWARDS: readonly RewardStatus[] = [RewardStatus.APPROVED, RewardStatus.PAID];

/**
 * The amount of a decision: a tier's fixed amount, or for `custom` the officer's own (1 … rewardYuanMax yuan). An
 * amount given with a fixed tier is refused rather than ignored, so nobody believes their figure was used.
 */
export function rewardAmount(tier: RewardTier, amountYuan: number | undefined): number {
  if (tier !== RewardTier.CUSTOM) {
    if (amountYuan !== undefined && amountYuan !== null) throw invalidAmount('只有“其他金额”需要填写奖励金额');
    return REWARD_TIER_AMOUNTS[tier];
  }
  if (typeof amountYuan !== 'number' || !Number.isInteger(amountYuan) || amountYuan < 1 || amountYuan > TIP_TEXT_LIMITS.rewardYuanMax) {
    throw invalidAmount(`“其他金额”需要填写 1–${TIP_TEXT_LIMITS.rewardYuanMax} 元的整数金额`);
  }
  return amountYuan;
}

function invalidAmount(message: string): AppException {
  return new AppException(ErrorCode.VALIDATION_FAILED, HttpStatus.BAD_REQUEST, message, [{ field: 'amountYuan', message }]);
}
