import { Inject, Injectable } from '@nestjs/common';
import { REPORTER_VISIBLE_EVENTS, RewardStatus, TIP_CLOSED_STATUSES } from '@qmfz/contracts';
import { DataSource, In, type EntityManager } from 'typeorm';
import { TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity } from '../database/entities/index.js';

/** A new tip and everything written with it, in one transaction. */
export interface TipSubmissionRows {
  tip: TipEntity;
  identifiers: TipIdentifierEntity[];
  /** Uploads the tip claims, in display order: they must still be the uploader's, unclaimed and not expired. */
  attachments: { ids: string[]; uploaderHash: string; uploadedAfter: Date };
  event: TipEventEntity;
}

/** Thrown inside the submission transaction (rolling it back) when an upload is gone, claimed or someone else's. */
export class AttachmentsUnavailable extends Error {
  constructor() {
    super('attachments unavailable');
  }
}

/** Rewards in these states no longer need the reporter's contact: erasure may go ahead. */
const SETTLED_REWARDS: RewardStatus[] = [RewardStatus.REJECTED, RewardStatus.PAID];
const DEADLOCK_RETRIES = 5;
const LOCK_WAIT_SECONDS = 10;

/** Tips, their identifiers, history and the reward row the reporter sees. Shared with triage and rewards. */
@Injectable()
export class TipsRepository {
  private readonly sqlite: boolean;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  findByIdempotencyHash(idempotencyHash: string): Promise<TipEntity | null> {
    return this.dataSource.getRepository(TipEntity).findOneBy({ idempotencyHash });
  }

  findByReceiptHash(receiptHash: string): Promise<TipEntity | null> {
    return this.dataSource.getRepository(TipEntity).findOneBy({ receiptHash });
  }

  listIdentifiers(tipId: string): Promise<TipIdentifierEntity[]> {
    return this.dataSource.getRepository(TipIdentifierEntity).find({ where: { tipId }, order: { position: 'ASC' } });
  }

  /** The history a reporter may read: status changes, police replies and their own additions, oldest first. */
  listReporterEvents(tipId: string): Promise<TipEventEntity[]> {
    return this.dataSource.getRepository(TipEventEntity).find({ where: { tipId, kind: In([...REPORTER_VISIBLE_EVENTS]) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findReward(tipId: string): Promise<TipRewardEntity | null> {
    return this.dataSource.getRepository(TipRewardEntity).findOneBy({ tipId });
  }

  /**
   * Writes a tip with its identifiers, claimed uploads and first event, and links it to the tips of its township
   * that share an identifier (see `link`). The tip row goes first: a concurrent retry of the same submission then
   * fails on its unique idempotency hash before it has written anything else.
   * Throws that unique violation, or AttachmentsUnavailable; either way nothing is written.
   */
  async insertSubmission(rows: TipSubmissionRows): Promise<void> {
    const locks = [...new Set(rows.identifiers.map((i) => `qmfz:tip:${i.valueIndex.slice(0, 48)}`))].sort();
    await retryOnDeadlock(() =>
      this.transactionHolding(locks, async (manager) => {
        await manager.insert(TipEntity, rows.tip);
        await this.link(manager, rows.tip, rows.identifiers.map((i) => i.valueIndex));
        if (rows.identifiers.length) await manager.insert(TipIdentifierEntity, rows.identifiers);
        await this.claimAttachments(manager, rows.tip, rows.attachments);
        await manager.insert(TipEventEntity, rows.event);
      }),
    );
  }

  /**
   * A transaction run while holding MariaDB named locks, one per identifier, taken in sorted order before the
   * transaction starts (so a waiter holds no row lock, and lock waits cannot form a cycle). Submissions naming a
   * common identifier thus take turns, and each one's reads see the tips committed before it: two simultaneous
   * tips naming one new number end in one group. Row locks and gap locks would do the same at the price of
   * deadlocks between unrelated tips whose index entries happen to be neighbours. SQLite runs one transaction at
   * a time anyway.
   */
  private async transactionHolding(locks: string[], work: (manager: EntityManager) => Promise<void>): Promise<void> {
    if (this.sqlite || !locks.length) return this.dataSource.transaction(work);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One round trip; the select list is evaluated in order, so the locks are taken in sorted order.
      const [row] = await runner.query(`SELECT ${locks.map((_, i) => `GET_LOCK(?, ${LOCK_WAIT_SECONDS}) AS l${i}`).join(', ')}`, locks);
      if (!Object.values(row ?? {}).every((got) => Number(got) === 1) || Object.keys(row ?? {}).length !== locks.length) {
        throw new Error('Timed out waiting for a tip identifier lock');
      }
      await runner.startTransaction();
      try {
        await work(runner.manager);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      // Named locks belong to the connection, which goes back to the pool: they must not go with it.
      await runner.query('SELECT RELEASE_ALL_LOCKS()').finally(() => runner.release());
    }
  }

  /**
   * Tips of a township sharing any identifier index form a group whose id is the id of its earliest tip (ULIDs sort
   * by creation time), so the earliest reporter keeps priority. A new tip joins the group it matches; when it
   * matches several it merges them into the earliest. The new tip takes part too: a submission made earlier may
   * commit after a later one.
   */
  private async link(manager: EntityManager, tip: TipEntity, indexes: string[]): Promise<void> {
    if (!indexes.length) return;
    const rows: { group_id: string }[] = await manager.query(
      `SELECT t.group_id AS group_id FROM tip_identifiers i JOIN tips t ON t.id = i.tip_id
       WHERE i.township_id = ? AND i.value_index IN (${indexes.map(() => '?').join(', ')})`,
      [tip.townshipId, ...indexes],
    );
    if (!rows.length) return;
    const roots = await this.currentRoots(manager, tip.townshipId, rows.map((row) => row.group_id));
    const [earliest, ...later] = [...new Set([tip.id, ...roots])].sort();
    if (!later.length) return;
    // A current read: members that joined a merged group meanwhile move along with it.
    await manager
      .createQueryBuilder()
      .update(TipEntity)
      .set({ groupId: earliest })
      .where('township_id = :townshipId AND (id = :id OR group_id IN (:...later))', { townshipId: tip.townshipId, id: tip.id, later })
      .execute();
  }

  /**
   * The groups as they are now: a group read a moment ago may since have been merged into another by a tip naming
   * a different identifier. Each group's first tip is read with FOR UPDATE (primary-key lookups: record locks,
   * no gap locks), so simultaneous merges of one group take turns, and followed to the group it now belongs to.
   */
  private async currentRoots(manager: EntityManager, townshipId: string, groupIds: string[]): Promise<string[]> {
    const lock = this.sqlite ? '' : ' FOR UPDATE';
    const roots = new Set<string>();
    const seen = new Set<string>();
    let pending = [...new Set(groupIds)];
    while (pending.length) {
      pending.forEach((id) => seen.add(id));
      const rows: { id: string; group_id: string }[] = await manager.query(
        `SELECT id, group_id FROM tips WHERE township_id = ? AND id IN (${pending.map(() => '?').join(', ')})${lock}`,
        [townshipId, ...pending.sort()],
      );
      const found = new Map(rows.map((row) => [row.id, row.group_id]));
      const next: string[] = [];
      for (const id of pending) {
        const group = found.get(id) ?? id;
        if (group === id) roots.add(id);
        else if (!seen.has(group)) next.push(group);
      }
      pending = next;
    }
    return [...roots];
  }

  private async claimAttachments(manager: EntityManager, tip: TipEntity, attachments: TipSubmissionRows['attachments']): Promise<void> {
    for (const [position, id] of attachments.ids.entries()) {
      const result = await manager
        .createQueryBuilder()
        .update(TipAttachmentEntity)
        .set({ tipId: tip.id, uploaderHash: null, position })
        .where('id = :id AND township_id = :townshipId AND tip_id IS NULL AND uploader_hash = :uploaderHash AND created_at > :after', {
          id,
          townshipId: tip.townshipId,
          uploaderHash: attachments.uploaderHash,
          after: attachments.uploadedAfter,
        })
        .execute();
      if (result.affected !== 1) throw new AttachmentsUnavailable();
    }
  }

  /** Adds an event (a reporter's addition) and marks the tip updated. */
  async addEvent(event: TipEventEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(TipEventEntity, event);
      await manager.update(TipEntity, { id: event.tipId }, { updatedAt: event.createdAt });
    });
  }

  /**
   * Erases the reporter's identity (name, phone, its index and masked form, and the contact a reward claim
   * left) from tips closed before `closedBefore` whose reward is absent, rejected or paid. At most `batch` tips per
   * call; returns how many were erased.
   */
  async eraseExpiredIdentities(closedBefore: Date, now: Date, batch: number): Promise<number> {
    const due = await this.dataSource
      .getRepository(TipEntity)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.closed_at IS NOT NULL AND t.closed_at < :closedBefore AND t.identity_purged_at IS NULL', { closedBefore })
      .andWhere('t.status IN (:...closed)', { closed: TIP_CLOSED_STATUSES })
      .andWhere('NOT EXISTS (SELECT 1 FROM tip_rewards r WHERE r.tip_id = t.id AND r.status NOT IN (:...settled))', { settled: SETTLED_REWARDS })
      .orderBy('t.closed_at', 'ASC')
      .limit(batch)
      .getRawMany<{ id: string }>();
    if (!due.length) return 0;
    const ids = due.map((row) => row.id);
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(TipEntity)
        .set({ reporterNameCipher: null, reporterPhoneCipher: null, reporterPhoneIndex: null, reporterPhoneMasked: null, identityPurgedAt: now })
        .where('id IN (:...ids) AND identity_purged_at IS NULL', { ids })
        .execute();
      await manager
        .createQueryBuilder()
        .update(TipRewardEntity)
        .set({ claimNameCipher: null, claimPhoneCipher: null, claimPhoneIndex: null, claimPhoneMasked: null })
        .where('tip_id IN (:...ids)', { ids })
        .execute();
    });
    return ids.length;
  }
}

/**
 * Two merges of overlapping groups may still lock their groups' first tips in opposite orders; MariaDB then rolls
 * one back, and it runs again after a short random pause.
 */
async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const errno = (error as { errno?: number; driverError?: { errno?: number } })?.driverError?.errno ?? (error as { errno?: number })?.errno;
      if (attempt >= DEADLOCK_RETRIES || (errno !== 1213 && errno !== 1205)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
