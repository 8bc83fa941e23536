import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  RewardStatus,
  TipStatus,
  type ClaimRewardResponse,
  type RevealedIdentityResponse,
  type RewardAuditEntry,
  type RewardResponse,
} from '@qmfz/contracts';
import { AuditLogRepository } from '../audit/audit-log.repository.js';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import { validationFailed } from '../common/validation.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity, TipRewardEntity } from '../database/entities/index.js';
import { ReceiptCodes } from '../tips/receipt-code.js';
import { ReporterContacts } from '../tips/reporter-contact.js';
import { AUDIT_SUBJECT_TIP, AuditAction, tipAuditEntry } from './reward-audit.js';
import { REVEALABLE_REWARDS, rewardAmount } from './reward-rules.js';
import { toAuditEntry, toReporterReward, toRewardResponse, type ClaimRewardDto, type DecideRewardDto } from './rewards.dto.js';
import { RewardsRepository, type ClaimContact } from './rewards.repository.js';

/**
 * A reward's life: police decide it, the reporter claims it with the receipt code, a township admin other than the
 * decider approves (or rejects) it, only that approver sees who reported and records the payout. Every act but the
 * claim writes an audit record in the same transaction; every reveal writes one before the identity is returned.
 */
@Injectable()
export class RewardsService {
  constructor(
    private readonly rewards: RewardsRepository,
    private readonly audit: AuditLogRepository,
    private readonly crypto: CryptoService,
    private readonly receipts: ReceiptCodes,
    private readonly contacts: ReporterContacts,
  ) {}

  /** Police, for a tip of their township that the caller has already found (see TriageService). */
  async decide(actor: Actor, tip: Pick<TipEntity, 'id' | 'townshipId' | 'status'>, body: DecideRewardDto): Promise<RewardResponse> {
    if (tip.status !== TipStatus.VALID) throw AppException.conflict(ErrorCode.REWARD_TIP_NOT_VALID);
    const amountYuan = rewardAmount(body.tier, body.amountYuan);
    const now = new Date();
    const reward: TipRewardEntity = {
      id: newId(),
      townshipId: tip.townshipId,
      tipId: tip.id,
      status: RewardStatus.DECIDED,
      tier: body.tier,
      amountYuan,
      reason: body.reason,
      decidedBy: actor.userId,
      decidedAt: now,
      claimedAt: null,
      claimNameCipher: null,
      claimPhoneCipher: null,
      claimPhoneIndex: null,
      claimPhoneMasked: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      paidAt: null,
      updatedAt: now,
    };
    const outcome = await this.rewards.insertDecision(reward, tipAuditEntry(actor, tip.id, AuditAction.REWARD_DECIDED, `tier=${body.tier} amountYuan=${amountYuan}`, now));
    if (outcome === 'tip_not_valid') throw AppException.conflict(ErrorCode.REWARD_TIP_NOT_VALID);
    if (outcome === 'already_decided') throw AppException.conflict(ErrorCode.REWARD_ALREADY_DECIDED);
    return this.get(actor.townshipId, tip.id);
  }

  /** Public, by receipt code. A repeat answers the same and changes nothing. */
  async claim(body: ClaimRewardDto): Promise<ClaimRewardResponse> {
    const tip = await this.receipts.findTip(body.receiptCode);
    const reward = await this.rewards.findByTip(tip.townshipId, tip.id);
    if (!reward) throw AppException.notFound(ErrorCode.REWARD_NOT_FOUND);
    if (reward.status === RewardStatus.REJECTED) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
    // A named tip that still holds its reporter's contact needs nothing more; anonymous (or erased) ones do.
    const tipHoldsContact = tip.reporterPhoneCipher !== null;
    if (reward.claimedAt) return toReporterReward(reward, tipHoldsContact);
    const contact = tipHoldsContact ? { nameCipher: null, phoneCipher: null, phoneIndex: null, phoneMasked: null } : await this.claimContact(body);
    await this.rewards.claim(reward.id, { claimedAt: new Date(), ...contact });
    // Whether this call or a simultaneous one recorded the claim, the reward now reads claimed (or was rejected meanwhile).
    const after = (await this.rewards.findByTip(tip.townshipId, tip.id))!;
    if (!after.claimedAt) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
    return toReporterReward(after, tipHoldsContact);
  }

  /** Township admins and police; police only read. */
  async list(actor: Actor, status?: RewardStatus): Promise<RewardResponse[]> {
    return (await this.rewards.list(actor.townshipId, status)).map(toRewardResponse);
  }

  async approve(actor: Actor, tipId: string, note: string | undefined): Promise<RewardResponse> {
    const reward = await this.requireReviewable(actor, tipId);
    if (!reward.claimedAt) throw AppException.conflict(ErrorCode.REWARD_NOT_CLAIMED);
    await this.review(actor, reward, RewardStatus.APPROVED, note ?? null);
    return this.get(actor.townshipId, tipId);
  }

  async reject(actor: Actor, tipId: string, note: string | undefined): Promise<RewardResponse> {
    if (!note) throw validationFailed([{ field: 'note', message: '不批准时请填写审批意见' }]);
    const reward = await this.requireReviewable(actor, tipId);
    await this.review(actor, reward, RewardStatus.REJECTED, note);
    return this.get(actor.townshipId, tipId);
  }

  /** Only the approver, only while approved or paid; every call is audited, naming the fields and never their values. */
  async reveal(actor: Actor, tipId: string): Promise<RevealedIdentityResponse> {
    const reward = await this.requireReward(actor, tipId);
    if (!REVEALABLE_REWARDS.includes(reward.status)) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
    if (reward.reviewedBy !== actor.userId) throw notApprover();
    const tip = await this.rewards.findReporterCiphers(actor.townshipId, tipId);
    if (!tip) throw AppException.notFound(ErrorCode.REWARD_NOT_FOUND);
    const fromTip = tip.nameCipher !== null || tip.phoneCipher !== null;
    const identity: RevealedIdentityResponse = fromTip
      ? { name: this.open(tip.nameCipher), phone: this.open(tip.phoneCipher), source: 'tip' }
      : { name: this.open(reward.claimNameCipher), phone: this.open(reward.claimPhoneCipher), source: 'claim' };
    const fields = (['name', 'phone'] as const).filter((field) => identity[field] !== null);
    await this.audit.insert(tipAuditEntry(actor, tipId, AuditAction.IDENTITY_REVEALED, `source=${identity.source} fields=${fields.join(',') || 'none'}`, new Date()));
    return identity;
  }

  /** The approver records the payout. */
  async markPaid(actor: Actor, tipId: string): Promise<RewardResponse> {
    const reward = await this.requireReward(actor, tipId);
    if (reward.status !== RewardStatus.APPROVED) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
    if (reward.reviewedBy !== actor.userId) throw notApprover();
    const now = new Date();
    const paid = await this.rewards.markPaid(reward, actor.userId, now, tipAuditEntry(actor, tipId, AuditAction.REWARD_PAID, `amountYuan=${reward.amountYuan}`, now));
    if (!paid) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
    return this.get(actor.townshipId, tipId);
  }

  /** Like every reward route, 404 REWARD_NOT_FOUND for a tip without a reward (or of another township). */
  async auditTrail(actor: Actor, tipId: string): Promise<RewardAuditEntry[]> {
    await this.requireReward(actor, tipId);
    return (await this.audit.listFor(actor.townshipId, AUDIT_SUBJECT_TIP, tipId)).map(toAuditEntry);
  }

  private async get(townshipId: string, tipId: string): Promise<RewardResponse> {
    const row = await this.rewards.findRow(townshipId, tipId);
    if (!row) throw AppException.notFound(ErrorCode.REWARD_NOT_FOUND);
    return toRewardResponse(row);
  }

  private async requireReward(actor: Actor, tipId: string): Promise<TipRewardEntity> {
    const reward = await this.rewards.findByTip(actor.townshipId, tipId);
    if (!reward) throw AppException.notFound(ErrorCode.REWARD_NOT_FOUND);
    return reward;
  }

  /** The decider may never review, whatever roles they hold; then the reward must still wait for review. */
  private async requireReviewable(actor: Actor, tipId: string): Promise<TipRewardEntity> {
    const reward = await this.requireReward(actor, tipId);
    if (reward.decidedBy === actor.userId) throw new AppException(ErrorCode.REWARD_SAME_PERSON, HttpStatus.FORBIDDEN);
    if (reward.status !== RewardStatus.DECIDED) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
    return reward;
  }

  private async review(actor: Actor, reward: TipRewardEntity, status: typeof RewardStatus.APPROVED | typeof RewardStatus.REJECTED, note: string | null): Promise<void> {
    const now = new Date();
    const action = status === RewardStatus.APPROVED ? AuditAction.REWARD_APPROVED : AuditAction.REWARD_REJECTED;
    const done = await this.rewards.review(reward, { status, reviewerId: actor.userId, note, at: now }, tipAuditEntry(actor, reward.tipId, action, `amountYuan=${reward.amountYuan}`, now));
    if (!done) throw AppException.conflict(ErrorCode.REWARD_STATE_INVALID);
  }

  /** An anonymous claimant's name and phone (typed, or verified through WeChat's getPhoneNumber, which wins), sealed. */
  private async claimContact(body: ClaimRewardDto): Promise<Omit<ClaimContact, 'claimedAt'>> {
    if (!body.name || (!body.phone && !body.phoneCode)) {
      throw new AppException(ErrorCode.REWARD_CLAIM_CONTACT_REQUIRED, HttpStatus.BAD_REQUEST);
    }
    const phone = await this.contacts.sealPhone(body, { field: 'phone', message: '请填写中国大陆手机号码' });
    return { nameCipher: this.contacts.sealName(body.name), phoneCipher: phone.cipher, phoneIndex: phone.index, phoneMasked: phone.masked };
  }

  private open(cipher: string | null): string | null {
    return cipher === null ? null : this.crypto.decrypt(cipher);
  }
}

function notApprover(): AppException {
  return new AppException(ErrorCode.REWARD_NOT_APPROVER, HttpStatus.FORBIDDEN);
}
