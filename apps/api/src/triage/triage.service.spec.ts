import { describe, expect, it, jest } from '@jest/globals';
import { ErrorCode, RewardStatus, Role, TipStatus, UnitKind } from '@qmfz/contracts';
import { Actor } from '../auth/actor.js';
import type { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity, TipRewardEntity } from '../database/entities/index.js';
import type { RewardsRepository } from '../rewards/rewards.repository.js';
import type { RewardsService } from '../rewards/rewards.service.js';
import type { TipImageLinks } from '../tips/tip-image-links.js';
import type { TipsRepository } from '../tips/tips.repository.js';
import type { TriageRepository } from './triage.repository.js';
import { TriageService } from './triage.service.js';

const TOWNSHIP = 'T'.repeat(26);
const officer = new Actor('officer', TOWNSHIP, [{ unitId: 'station', unitKind: UnitKind.POLICE_STATION, role: Role.POLICE }]);
const tip = { id: 'tip', townshipId: TOWNSHIP, status: TipStatus.VALID, closedAt: new Date(), assigneeId: null, labels: '[]' } as unknown as TipEntity;

/** A status change whose conditional update found the tip changed: `rewardAfter` is what a re-read then finds. */
function setUp(rewardAfter: Partial<TipRewardEntity> | null) {
  const triage = { findInTownship: jest.fn(async () => tip), applyChange: jest.fn(async () => false) };
  // Read once before the write (no reward yet), once after it failed.
  const rewards = { findByTip: jest.fn<() => Promise<TipRewardEntity | null>>().mockResolvedValueOnce(null).mockResolvedValueOnce(rewardAfter as TipRewardEntity | null) };
  const service = new TriageService(
    triage as unknown as TriageRepository,
    {} as TipsRepository,
    rewards as unknown as RewardsRepository,
    {} as RewardsService,
    {} as CryptoService,
    {} as TipImageLinks,
  );
  return { service, triage };
}

describe('TriageService.update', () => {
  it('should answer a status change that lost to a simultaneous reward decision with TIP_LOCKED_BY_REWARD', async () => {
    const { service, triage } = setUp({ status: RewardStatus.DECIDED });
    await expect(service.update(officer, 'tip', { status: TipStatus.VERIFYING })).rejects.toMatchObject({ code: ErrorCode.TIP_LOCKED_BY_REWARD, status: 409 });
    expect(triage.applyChange).toHaveBeenCalledTimes(1);
  });

  it('should answer one that lost to another officer’s change with TIP_STATUS_TRANSITION_INVALID', async () => {
    const { service } = setUp(null);
    await expect(service.update(officer, 'tip', { status: TipStatus.VERIFYING })).rejects.toMatchObject({ code: ErrorCode.TIP_STATUS_TRANSITION_INVALID, status: 409 });
  });
});
