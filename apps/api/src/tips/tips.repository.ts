import { Inject, Injectable } from '@nestjs/common';
import { RewardStatus, TIP_CLOSED_STATUSES, type TipEventKind, type TipStatus } from '@qmfz/contracts';
import { DataSource, In, type EntityManager } from 'typeorm';
import { TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity } from '../database/entities/index.js';
import { selectOne, utcDate } from '../database/plain-sql.js';

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

/** Thrown before the submission transaction starts when another submission naming one of its identifiers holds on too long. */
export class IdentifiersBusy extends Error {
  constructor() {
    super('tip identifier lock not granted in time');
  }
}

/** Rewards in these states no longer need the reporter's contact: erasure may go ahead. */
const SETTLED_REWARDS: RewardStatus[] = [RewardStatus.REJECTED, RewardStatus.PAID];
/** When a reward settled: the retention clock of the contact its claim left. */
const SETTLED_AT = `CASE r.status WHEN '${RewardStatus.REJECTED}' THEN r.reviewed_at WHEN '${RewardStatus.PAID}' THEN r.paid_at END`;
const DEADLOCK_RETRIES = 5;
/**
 * How long a submission waits for each identifier's named lock. A submission holds its locks for one short
 * transaction, so a longer wait means a pile-up: the client is told to come back (503 TIP_BUSY) rather than hold a
 * pooled connection. TiDB's minimum is 1 second.
 */
export const LOCK_WAIT_SECONDS = 2;

/** The MariaDB named lock of an identifier index (names are limited to 64 characters). */
export function identifierLockName(valueIndex: string): string {
  return `qmfz:tip:${valueIndex.slice(0, 48)}`;
}

/** Tips, their identifiers and history, written and read for the resident side, triage and rewards alike. */
/** A stored tip as a retry of its submission sees it. */
export type StoredSubmission = Pick<TipEntity, 'status' | 'requestHash' | 'createdAt'>;

@Injectable()
export class TipsRepository {
  private readonly sqlite: boolean;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** What a retry needs of the tip its submission made; plain SQL, as every submission asks it first. */
  findSubmission(idempotencyHash: string): Promise<StoredSubmission | null> {
    return selectOne(this.dataSource, 'SELECT status, request_hash, created_at FROM tips WHERE idempotency_hash = ?', [idempotencyHash], (row) => ({
      status: row.status as TipStatus,
      requestHash: row.request_hash as string | null,
      createdAt: utcDate(row.created_at),
    }));
  }

  findByReceiptHash(receiptHash: string): Promise<TipEntity | null> {
    return this.dataSource.getRepository(TipEntity).findOneBy({ receiptHash });
  }

  /** The suspect identifiers of the township's tips, in one query, in the order the reporter gave them. */
  identifiersOf(townshipId: string, tipIds: string[]): Promise<TipIdentifierEntity[]> {
    if (tipIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(TipIdentifierEntity).find({ where: { townshipId, tipId: In(tipIds) }, order: { position: 'ASC', id: 'ASC' } });
  }

  /** A tip's history, oldest first; only events of the given kinds when `kinds` is given (what the reporter may read). */
  eventsOf(townshipId: string, tipId: string, kinds?: readonly TipEventKind[]): Promise<TipEventEntity[]> {
    const where = { townshipId, tipId, ...(kinds ? { kind: In([...kinds]) } : {}) };
    return this.dataSource.getRepository(TipEventEntity).find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Writes a tip with its identifiers, claimed uploads and first event, and links it to the tips of its township
   * that share an identifier (see `link`). The tip row goes first: a concurrent retry of the same submission then
   * fails on its unique idempotency hash before it has written anything else.
   * Throws that unique violation, AttachmentsUnavailable or IdentifiersBusy; either way nothing is written.
   */
  async insertSubmission(rows: TipSubmissionRows): Promise<void> {
    const locks = [...new Set(rows.identifiers.map((i) => identifierLockName(i.valueIndex)))].sort();
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
   * a time anyway. A lock not granted within LOCK_WAIT_SECONDS: IdentifiersBusy, with every lock given back.
   *
   * One GET_LOCK statement per lock, in sorted order: the order in which one statement evaluates its SELECT list is
   * no promise the server makes. TiDB (should we move there) supports GET_LOCK cluster-wide, but clamps the timeout
   * to at least 1 s and detects no deadlock between named locks: the sorted order is what prevents them there.
   */
  private async transactionHolding(locks: string[], work: (manager: EntityManager) => Promise<void>): Promise<void> {
    if (this.sqlite || !locks.length) return this.dataSource.transaction(work);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      for (const lock of locks) {
        // 1 granted, 0 timed out, NULL on an error (e.g. the connection was killed).
        const [row] = await runner.query('SELECT GET_LOCK(?, ?) AS got', [lock, LOCK_WAIT_SECONDS]);
        if (Number(row?.got) !== 1) throw new IdentifiersBusy();
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
   * Tips of a township sharing any identifier index form a group whose id is the id of its earliest tip (a tip's id
   * carries its creation time: TipsService.newTip), so the earliest reporter keeps priority. A new tip joins the group it matches; when it
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
    // A current read: members that joined a merged group meanwhile move along with it. The new tip is still in a
    // group of its own (group_id = its id), so `later` covers it whenever it moves; an `id = ? OR …` here made
    // SQLite scan every tip of the township (the planner cannot use the group index for the OR without statistics).
    await manager
      .createQueryBuilder()
      .update(TipEntity)
      .set({ groupId: earliest })
      .where('township_id = :townshipId AND group_id IN (:...later)', { townshipId: tip.townshipId, later })
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

  /** Adds an event (a reporter's addition, a police reply) and marks the tip updated, together. */
  countEvents(townshipId: string, tipId: string, kind: TipEventKind): Promise<number> {
    return this.dataSource.getRepository(TipEventEntity).countBy({ townshipId, tipId, kind });
  }

  async addEvent(event: TipEventEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(TipEventEntity, event);
      await manager.update(TipEntity, { id: event.tipId, townshipId: event.townshipId }, { updatedAt: event.createdAt });
    });
  }

  /**
   * Erases the reporter's identity (name, phone, its index and masked form) and the request hash, which was made
   * over them, from tips closed before `cutoff` whose reward is absent, or rejected or paid before `cutoff` too.
   * At most `batch` tips per call; returns how many were erased.
   */
  async eraseExpiredIdentities(cutoff: Date, now: Date, batch: number): Promise<number> {
    const due = await this.dataSource
      .getRepository(TipEntity)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.closed_at IS NOT NULL AND t.closed_at < :cutoff AND t.identity_purged_at IS NULL', { cutoff })
      .andWhere('t.status IN (:...closed)', { closed: TIP_CLOSED_STATUSES })
      .andWhere(`NOT EXISTS (SELECT 1 FROM tip_rewards r WHERE r.tip_id = t.id AND (r.status NOT IN (:...settled) OR NOT ${SETTLED_AT} < :cutoff))`, {
        settled: SETTLED_REWARDS,
      })
      .orderBy('t.closed_at', 'ASC')
      .limit(batch)
      .getRawMany<{ id: string }>();
    if (!due.length) return 0;
    await this.dataSource
      .createQueryBuilder()
      .update(TipEntity)
      .set({ reporterNameCipher: null, reporterPhoneCipher: null, reporterPhoneIndex: null, reporterPhoneMasked: null, requestHash: null, identityPurgedAt: now })
      .where('id IN (:...ids) AND identity_purged_at IS NULL', { ids: due.map((row) => row.id) })
      .execute();
    return due.length;
  }

  /**
   * Erases the contact a reward claim left (name, phone, its index and masked form) from rewards rejected or paid
   * before `cutoff`, whatever became of the tip's own identity: a claim may come after the tip's was erased. At
   * most `batch` rewards per call; returns how many were erased.
   */
  async eraseSettledClaimContacts(cutoff: Date, batch: number): Promise<number> {
    const due = await this.dataSource
      .getRepository(TipRewardEntity)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .where('r.status IN (:...settled)', { settled: SETTLED_REWARDS })
      .andWhere(`${SETTLED_AT} < :cutoff`, { cutoff })
      .andWhere('(r.claim_name_cipher IS NOT NULL OR r.claim_phone_cipher IS NOT NULL OR r.claim_phone_index IS NOT NULL OR r.claim_phone_masked IS NOT NULL)')
      .orderBy('r.id', 'ASC')
      .limit(batch)
      .getRawMany<{ id: string }>();
    if (!due.length) return 0;
    await this.dataSource
      .createQueryBuilder()
      .update(TipRewardEntity)
      .set({ claimNameCipher: null, claimPhoneCipher: null, claimPhoneIndex: null, claimPhoneMasked: null })
      .where('id IN (:...ids)', { ids: due.map((row) => row.id) })
      .execute();
    return due.length;
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
