import { Inject, Injectable } from '@nestjs/common';
import { RewardStatus, TipStatus, type FraudType, type ReporterMode, type RewardTier } from '@qmfz/contracts';
import { DataSource, In, Repository } from 'typeorm';
import { AuditLogRepository, type AuditEntry } from '../audit/audit-log.repository.js';
import { isUniqueViolation } from '../common/db-errors.js';
import { TipEntity, TipRewardEntity } from '../database/entities/index.js';
import { nullableUtcDate, selectRows, utcDate, type Row } from '../database/plain-sql.js';
import { COUNTED_REWARD_STATUSES, type TallySource } from './tally.js';

/** A reward with the names of who decided and reviewed it and what the reward lists show of its tip. */
export interface RewardRow extends TipRewardEntity {
  decidedByName: string;
  reviewedByName: string | null;
  tip: {
    fraudType: FraudType;
    status: TipStatus;
    createdAt: Date;
    unitName: string | null;
    reporterMode: ReporterMode;
    reporterPhoneMasked: string | null;
  };
}

export interface ReporterIdentityCiphers {
  reporterMode: ReporterMode;
  nameCipher: string | null;
  phoneCipher: string | null;
}

export interface ClaimContact {
  claimedAt: Date;
  nameCipher: string | null;
  phoneCipher: string | null;
  phoneIndex: string | null;
  phoneMasked: string | null;
}

export type DecisionOutcome = 'decided' | 'tip_not_valid' | 'already_decided';

const REWARD_SELECT =
  'SELECT r.*, d.display_name AS decided_by_name, v.display_name AS reviewed_by_name, t.fraud_type AS tip_fraud_type, ' +
  't.status AS tip_status, t.created_at AS tip_created_at, t.reporter_mode AS tip_reporter_mode, ' +
  't.reporter_phone_masked AS tip_reporter_phone_masked, un.name AS tip_unit_name ' +
  'FROM tip_rewards r INNER JOIN tips t ON t.id = r.tip_id LEFT JOIN units un ON un.id = t.unit_id ' +
  'LEFT JOIN users d ON d.id = r.decided_by LEFT JOIN users v ON v.id = r.reviewed_by ';

@Injectable()
export class RewardsRepository {
  private readonly rewards: Repository<TipRewardEntity>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly audit: AuditLogRepository,
  ) {
    this.rewards = dataSource.getRepository(TipRewardEntity);
  }

  findByTip(townshipId: string, tipId: string): Promise<TipRewardEntity | null> {
    return this.rewards.findOneBy({ townshipId, tipId });
  }

  /** The rewards of a page of tips, in one query. */
  findForTips(townshipId: string, tipIds: string[]): Promise<TipRewardEntity[]> {
    if (tipIds.length === 0) return Promise.resolve([]);
    return this.rewards.findBy({ townshipId, tipId: In(tipIds) });
  }

  async findRow(townshipId: string, tipId: string): Promise<RewardRow | null> {
    const rows = await selectRows(this.dataSource, `${REWARD_SELECT}WHERE r.township_id = ? AND r.tip_id = ?`, [townshipId, tipId]);
    return rows[0] ? toRewardRow(rows[0]) : null;
  }

  /** Newest decision first. */
  async list(townshipId: string, status?: RewardStatus): Promise<RewardRow[]> {
    const where = status ? 'WHERE r.township_id = ? AND r.status = ?' : 'WHERE r.township_id = ?';
    const rows = await selectRows(this.dataSource, `${REWARD_SELECT}${where} ORDER BY r.decided_at DESC, r.id DESC`, status ? [townshipId, status] : [townshipId]);
    return rows.map(toRewardRow);
  }

  /**
   * The decision, its audit record, and a touch of the tip that holds only while the tip is still valid: the tip's
   * row lock orders this against a concurrent status change, so a reward never lands on a tip that stopped being valid.
   */
  async insertDecision(reward: TipRewardEntity, audit: AuditEntry): Promise<DecisionOutcome> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const touched = await manager
          .createQueryBuilder()
          .update(TipEntity)
          .set({ updatedAt: reward.decidedAt })
          .where('id = :id AND township_id = :townshipId AND status = :status', { id: reward.tipId, townshipId: reward.townshipId, status: TipStatus.VALID })
          .execute();
        if (touched.affected !== 1) return 'tip_not_valid';
        await manager.getRepository(TipRewardEntity).insert(reward);
        await this.audit.insert(audit, manager);
        return 'decided';
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'already_decided';
      throw error;
    }
  }

  /** Records the claim once: false when the reward was claimed already or is no longer waiting. */
  async claim(rewardId: string, contact: ClaimContact): Promise<boolean> {
    const result = await this.rewards
      .createQueryBuilder()
      .update()
      .set({
        claimedAt: contact.claimedAt,
        claimNameCipher: contact.nameCipher,
        claimPhoneCipher: contact.phoneCipher,
        claimPhoneIndex: contact.phoneIndex,
        claimPhoneMasked: contact.phoneMasked,
        updatedAt: contact.claimedAt,
      })
      .where('id = :id AND status = :status AND claimed_at IS NULL', { id: rewardId, status: RewardStatus.DECIDED })
      .execute();
    return result.affected === 1;
  }

  /**
   * Approves or rejects a decided reward, with its audit record, in one transaction. The conditions are repeated in
   * the update (still decided, claimed for an approval, not decided by the reviewer), so two admins acting at once
   * cannot both succeed. False when the reward no longer qualifies.
   */
  async review(
    reward: TipRewardEntity,
    review: { status: typeof RewardStatus.APPROVED | typeof RewardStatus.REJECTED; reviewerId: string; note: string | null; at: Date },
    audit: AuditEntry,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const update = manager
        .createQueryBuilder()
        .update(TipRewardEntity)
        .set({ status: review.status, reviewedBy: review.reviewerId, reviewedAt: review.at, reviewNote: review.note, updatedAt: review.at })
        .where('id = :id AND status = :decided AND decided_by <> :reviewerId', { id: reward.id, decided: RewardStatus.DECIDED, reviewerId: review.reviewerId });
      if (review.status === RewardStatus.APPROVED) update.andWhere('claimed_at IS NOT NULL');
      const result = await update.execute();
      if (result.affected !== 1) return false;
      await this.audit.insert(audit, manager);
      return true;
    });
  }

  /** Approved → paid by the approver, with its audit record. False when it no longer qualifies. */
  async markPaid(reward: TipRewardEntity, approverId: string, at: Date, audit: AuditEntry): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(TipRewardEntity)
        .set({ status: RewardStatus.PAID, paidAt: at, updatedAt: at })
        .where('id = :id AND status = :approved AND reviewed_by = :approverId', { id: reward.id, approved: RewardStatus.APPROVED, approverId })
        .execute();
      if (result.affected !== 1) return false;
      await this.audit.insert(audit, manager);
      return true;
    });
  }

  async findReporterCiphers(townshipId: string, tipId: string): Promise<ReporterIdentityCiphers | null> {
    const tip = await this.dataSource.getRepository(TipEntity).findOne({
      where: { townshipId, id: tipId },
      select: { id: true, reporterMode: true, reporterNameCipher: true, reporterPhoneCipher: true },
    });
    return tip ? { reporterMode: tip.reporterMode, nameCipher: tip.reporterNameCipher, phoneCipher: tip.reporterPhoneCipher } : null;
  }

  /** Counted rewards (decided, approved, paid) decided in [from, to), with what the tallies group them by. */
  async tallySources(townshipId: string, from: Date, to: Date): Promise<TallySource[]> {
    const rows: Row[] = await this.dataSource
      .createQueryBuilder()
      .select([
        'r.tip_id AS tip_id',
        'r.status AS status',
        'r.amount_yuan AS amount_yuan',
        'r.decided_at AS decided_at',
        'r.claim_phone_index AS claim_phone_index',
        'r.claim_phone_masked AS claim_phone_masked',
        't.unit_id AS unit_id',
        't.reporter_phone_index AS reporter_phone_index',
        't.reporter_phone_masked AS reporter_phone_masked',
        'un.name AS unit_name',
      ])
      .from(TipRewardEntity, 'r')
      .innerJoin(TipEntity, 't', 't.id = r.tip_id')
      .leftJoin('units', 'un', 'un.id = t.unit_id')
      .where('r.township_id = :townshipId', { townshipId })
      .andWhere('r.decided_at >= :from AND r.decided_at < :to', { from, to })
      .andWhere('r.status IN (:...statuses)', { statuses: COUNTED_REWARD_STATUSES })
      .getRawMany();
    return rows.map((row) => ({
      tipId: row.tip_id as string,
      status: row.status as RewardStatus,
      amountYuan: Number(row.amount_yuan),
      decidedAt: utcDate(row.decided_at),
      unitId: row.unit_id as string | null,
      unitName: row.unit_name as string | null,
      reporterPhoneIndex: row.reporter_phone_index as string | null,
      claimPhoneIndex: row.claim_phone_index as string | null,
      reporterPhoneMasked: row.reporter_phone_masked as string | null,
      claimPhoneMasked: row.claim_phone_masked as string | null,
    }));
  }
}

function toRewardRow(row: Row): RewardRow {
  return {
    id: row.id as string,
    townshipId: row.township_id as string,
    tipId: row.tip_id as string,
    status: row.status as RewardStatus,
    tier: row.tier as RewardTier,
    amountYuan: Number(row.amount_yuan),
    reason: row.reason as string,
    decidedBy: row.decided_by as string,
    decidedAt: utcDate(row.decided_at),
    claimedAt: nullableUtcDate(row.claimed_at),
    claimNameCipher: row.claim_name_cipher as string | null,
    claimPhoneCipher: row.claim_phone_cipher as string | null,
    claimPhoneIndex: row.claim_phone_index as string | null,
    claimPhoneMasked: row.claim_phone_masked as string | null,
    reviewedBy: row.reviewed_by as string | null,
    reviewedAt: nullableUtcDate(row.reviewed_at),
    reviewNote: row.review_note as string | null,
    paidAt: nullableUtcDate(row.paid_at),
    updatedAt: utcDate(row.updated_at),
    decidedByName: (row.decided_by_name as string | null) ?? '',
    reviewedByName: row.reviewed_by_name as string | null,
    tip: {
      fraudType: row.tip_fraud_type as FraudType,
      status: row.tip_status as TipStatus,
      createdAt: utcDate(row.tip_created_at),
      unitName: row.tip_unit_name as string | null,
      reporterMode: row.tip_reporter_mode as ReporterMode,
      reporterPhoneMasked: row.tip_reporter_phone_masked as string | null,
    },
  };
}
