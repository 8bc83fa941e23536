import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { TipAttachmentsRepository } from './tip-attachments.repository.js';
import { UNCLAIMED_UPLOAD_MS } from './tip-attachments.service.js';
import { TipFileStorage } from './tip-files.js';
import { TipsRepository } from './tips.repository.js';

const DAY_MS = 24 * 3600_000;
const BATCH = 500;

export interface RetentionResult {
  /** Tips whose reporter identity was erased. */
  identitiesErased: number;
  /** Rewards whose claim contact was erased. */
  claimContactsErased: number;
  uploadsDeleted: number;
}

/**
 * What tips keep, and for how long (docs/privacy.md, docs/api-tips.md), with N = TIP_IDENTITY_RETENTION_DAYS:
 * - a named reporter's identity (name, phone and its index and masked form) and the tip's request hash are erased
 *   N days after the tip was closed, and no sooner than N days after its reward was rejected or paid (a pending
 *   reward still needs to reach the person);
 * - the contact a reward claim left is erased N days after the reward was rejected (`reviewed_at`) or paid
 *   (`paid_at`), on its own clock: a claim may come after the tip's identity was erased;
 * - an uploaded image no tip claimed is deleted, file and row, after 24 hours.
 * Idempotent, so every instance may run it. Nothing else is deleted: images of tips stay with their tip.
 */
@Injectable()
export class TipRetention {
  constructor(
    private readonly tips: TipsRepository,
    private readonly attachments: TipAttachmentsRepository,
    private readonly files: TipFileStorage,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'tips'>,
  ) {}

  async run(now: Date): Promise<RetentionResult> {
    const cutoff = new Date(now.getTime() - this.config.tips.identityRetentionDays * DAY_MS);
    const identitiesErased = await inBatches(() => this.tips.eraseExpiredIdentities(cutoff, now, BATCH));
    const claimContactsErased = await inBatches(() => this.tips.eraseSettledClaimContacts(cutoff, BATCH));
    let uploadsDeleted = 0;
    for (;;) {
      const stale = await this.attachments.listUnclaimedBefore(new Date(now.getTime() - UNCLAIMED_UPLOAD_MS), BATCH);
      for (const upload of stale) {
        // The row goes first: if a tip claimed the upload meanwhile, the delete misses and the file stays.
        if (!(await this.attachments.deleteUnclaimed(upload.id))) continue;
        await this.files.remove(upload.storageKey);
        uploadsDeleted++;
      }
      if (stale.length < BATCH) break;
    }
    return { identitiesErased, claimContactsErased, uploadsDeleted };
  }
}

/** Runs `batch` until it handles fewer than BATCH rows; the total it handled. */
async function inBatches(batch: () => Promise<number>): Promise<number> {
  let total = 0;
  let done: number;
  do {
    done = await batch();
    total += done;
  } while (done === BATCH);
  return total;
}

const HOUR_MS = 3600_000;
/** The first run comes soon after start, so instances restarted more often than hourly still run it. */
const FIRST_RUN_MS = 60_000;

/** Runs TipRetention every hour in the API process (not under APP_ENV=test, where tests call `run` themselves). */
@Injectable()
export class TipRetentionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TipRetention');
  private timers: NodeJS.Timeout[] = [];
  private running = false;

  constructor(
    private readonly retention: TipRetention,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'env'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.env === 'test') return;
    // unref: a pending run never keeps the process alive at shutdown.
    this.timers = [setTimeout(() => void this.runOnce(), FIRST_RUN_MS).unref(), setInterval(() => void this.runOnce(), HOUR_MS).unref()];
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const result = await this.retention.run(new Date());
      if (result.identitiesErased || result.claimContactsErased || result.uploadsDeleted) this.logger.log({ msg: 'tip retention', ...result });
    } catch (error) {
      // Only the kind of failure: driver messages quote the values of the statement.
      const { name, code } = error as { name?: string; code?: string };
      this.logger.warn({ msg: 'tip retention failed', error: { name, code } });
    } finally {
      this.running = false;
    }
  }
}
