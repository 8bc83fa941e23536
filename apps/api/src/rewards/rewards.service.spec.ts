import { describe, expect, it, jest } from '@jest/globals';
import { ErrorCode, RewardStatus, Role, UnitKind } from '@qmfz/contracts';
import { Actor } from '../auth/actor.js';
import type { CryptoService } from '../crypto/crypto.service.js';
import type { TipRewardEntity } from '../database/entities/index.js';
import type { ReceiptCodes } from '../tips/receipt-code.js';
import type { ReporterContacts } from '../tips/reporter-contact.js';
import type { AuditLogRepository } from '../audit/audit-log.repository.js';
import type { RewardsRepository } from './rewards.repository.js';
import { RewardsService } from './rewards.service.js';

const TOWNSHIP = 'T'.repeat(26);
const admin = (userId: string) => new Actor(userId, TOWNSHIP, [{ unitId: 'office', unitKind: UnitKind.TOWNSHIP_OFFICE, role: Role.TOWNSHIP_ADMIN }]);

function reward(change: Partial<TipRewardEntity> = {}): TipRewardEntity {
  const at = new Date('2026-11-30T08:00:00Z');
  return {
    id: 'reward',
    townshipId: TOWNSHIP,
    tipId: 'tip',
    status: RewardStatus.APPROVED,
    tier: 'first',
    amountYuan: 2000,
    reason: '属实',
    decidedBy: 'officer',
    decidedAt: at,
    claimedAt: at,
    claimNameCipher: null,
    claimPhoneCipher: null,
    claimPhoneIndex: null,
    claimPhoneMasked: null,
    reviewedBy: 'approver',
    reviewedAt: at,
    reviewNote: null,
    paidAt: null,
    updatedAt: at,
    ...change,
  };
}

function setUp(found: TipRewardEntity) {
  const rewards = {
    findByTip: jest.fn(async () => found),
    findReporterCiphers: jest.fn(async () => ({ reporterMode: 'named' as const, nameCipher: 'sealed-name', phoneCipher: 'sealed-phone' })),
    review: jest.fn(async () => true),
  };
  const audit = { insert: jest.fn(async (_entry: unknown) => undefined) };
  const crypto = { decrypt: jest.fn((sealed: string) => (sealed === 'sealed-name' ? '王五' : '13712349876')) };
  const service = new RewardsService(
    rewards as unknown as RewardsRepository,
    audit as unknown as AuditLogRepository,
    crypto as unknown as CryptoService,
    {} as ReceiptCodes,
    {} as ReporterContacts,
  );
  return { service, rewards, audit };
}

describe('RewardsService', () => {
  it('should not reveal an identity whose audit record could not be written', async () => {
    const { service, audit } = setUp(reward());
    audit.insert.mockRejectedValueOnce(new Error('database unavailable'));
    await expect(service.reveal(admin('approver'), 'tip')).rejects.toThrow('database unavailable');
  });

  it('should write the audit record naming fields, not values, before answering a reveal', async () => {
    const { service, audit } = setUp(reward());
    await expect(service.reveal(admin('approver'), 'tip')).resolves.toEqual({ name: '王五', phone: '13712349876', source: 'tip' });
    expect(audit.insert).toHaveBeenCalledWith(expect.objectContaining({ action: 'identity.revealed', actorId: 'approver', detail: 'source=tip fields=name,phone' }));
    expect(JSON.stringify(audit.insert.mock.calls)).not.toContain('13712349876');
  });

  it('should refuse a reveal or a payout to any admin but the approver with REWARD_NOT_APPROVER, writing nothing', async () => {
    const { service, audit } = setUp(reward());
    await expect(service.reveal(admin('someone-else'), 'tip')).rejects.toMatchObject({ code: ErrorCode.REWARD_NOT_APPROVER, status: 403 });
    await expect(service.markPaid(admin('someone-else'), 'tip')).rejects.toMatchObject({ code: ErrorCode.REWARD_NOT_APPROVER, status: 403 });
    expect(audit.insert).not.toHaveBeenCalled();
  });

  it('should answer the audit trail of a tip without a reward with REWARD_NOT_FOUND, like the other reward routes', async () => {
    const { service, rewards } = setUp(reward());
    rewards.findByTip.mockResolvedValueOnce(null as unknown as TipRewardEntity);
    await expect(service.auditTrail(admin('approver'), 'tip')).rejects.toMatchObject({ code: ErrorCode.REWARD_NOT_FOUND, status: 404 });
  });

  it('should refuse the decider as reviewer before looking at anything else', async () => {
    const { service, rewards } = setUp(reward({ status: RewardStatus.DECIDED, claimedAt: null, reviewedBy: null }));
    await expect(service.approve(admin('officer'), 'tip', undefined)).rejects.toMatchObject({ code: ErrorCode.REWARD_SAME_PERSON, status: 403 });
    await expect(service.reject(admin('officer'), 'tip', '不批')).rejects.toMatchObject({ code: ErrorCode.REWARD_SAME_PERSON });
    expect(rewards.review).not.toHaveBeenCalled();
  });
});
