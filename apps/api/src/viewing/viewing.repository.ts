import { Inject, Injectable } from '@nestjs/common';
import type { RejectionReason } from '@qmfz/contracts';
import { DataSource, In, IsNull, LessThanOrEqual, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/db-errors.js';
import { newId } from '../common/ids.js';
import { CheckinEntity, ViewingProgressEntity, ViewingRejectionEntity } from '../database/entities/index.js';
import type { Interval } from './verifier.js';

export interface Checkpoint {
  intervals: readonly Interval[];
  coveredMs: number;
  positionMs: number;
  completedAt: Date | null;
  now: Date;
}

/** Viewing checkpoints, rejected-heartbeat counts and check-ins. Nothing here runs per accepted heartbeat. */
@Injectable()
export class ViewingRepository {
  private readonly progress: Repository<ViewingProgressEntity>;
  private readonly rejections: Repository<ViewingRejectionEntity>;
  private readonly checkins: Repository<CheckinEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.progress = dataSource.getRepository(ViewingProgressEntity);
    this.rejections = dataSource.getRepository(ViewingRejectionEntity);
    this.checkins = dataSource.getRepository(CheckinEntity);
  }

  findProgress(campaignId: string, userId: string): Promise<ViewingProgressEntity | null> {
    return this.progress.findOneBy({ campaignId, userId });
  }

  progressOf(campaignIds: string[], userIds: string[]): Promise<ViewingProgressEntity[]> {
    if (campaignIds.length === 0 || userIds.length === 0) return Promise.resolve([]);
    return this.progress.findBy({ campaignId: In(campaignIds), userId: In(userIds) });
  }

  /**
   * Makes `sessionId` the one session allowed to checkpoint this viewing (an older one, on another device, becomes
   * stale) and returns the progress it starts from.
   */
  async claimSession(townshipId: string, campaignId: string, userId: string, sessionId: string, now: Date): Promise<ViewingProgressEntity> {
    const existing = await this.findProgress(campaignId, userId);
    if (existing) {
      await this.progress.update({ id: existing.id }, { sessionId, updatedAt: now });
      return { ...existing, sessionId };
    }
    const row: ViewingProgressEntity = {
      id: newId(),
      townshipId,
      campaignId,
      userId,
      sessionId,
      intervals: '',
      coveredMs: 0,
      positionMs: 0,
      completedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.progress.insert(row);
      return row;
    } catch (error) {
      // Two first sessions at once: the other created the row; take it over.
      if (!isUniqueViolation(error)) throw error;
      return this.claimSession(townshipId, campaignId, userId, sessionId, now);
    }
  }

  /**
   * Writes a checkpoint if `sessionId` is still the current session and coverage does not go down.
   * Returns 'written', 'stale' (a newer session took over) or 'behind' (the row already covers more).
   */
  async checkpoint(campaignId: string, userId: string, sessionId: string, point: Checkpoint): Promise<'written' | 'stale' | 'behind'> {
    const result = await this.progress.update(
      { campaignId, userId, sessionId, coveredMs: LessThanOrEqual(point.coveredMs) },
      {
        intervals: encodeIntervals(point.intervals),
        coveredMs: point.coveredMs,
        positionMs: point.positionMs,
        updatedAt: point.now,
      },
    );
    const written = (result.affected ?? 0) === 1;
    if (!written) {
      const current = await this.findProgress(campaignId, userId);
      if (!current || current.sessionId !== sessionId) return 'stale';
    }
    // A completion the token proves is recorded even when another path already wrote more coverage.
    if (point.completedAt) await this.progress.update({ campaignId, userId, completedAt: IsNull() }, { completedAt: point.completedAt });
    return written ? 'written' : 'behind';
  }

  /** Adds one to a person's count for a reason. */
  async countRejection(townshipId: string, campaignId: string, userId: string, reason: RejectionReason, now: Date): Promise<void> {
    const result = await this.rejections.increment({ campaignId, userId, reason }, 'count', 1);
    if ((result.affected ?? 0) > 0) {
      await this.rejections.update({ campaignId, userId, reason }, { lastAt: now });
      return;
    }
    try {
      await this.rejections.insert({ id: newId(), townshipId, campaignId, userId, reason, count: 1, lastAt: now });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.rejections.increment({ campaignId, userId, reason }, 'count', 1);
    }
  }

  rejectionsOf(campaignId: string, userIds: string[]): Promise<ViewingRejectionEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.rejections.findBy({ campaignId, userId: In(userIds) });
  }

  findCheckin(campaignId: string, userId: string): Promise<CheckinEntity | null> {
    return this.checkins.findOneBy({ campaignId, userId });
  }

  checkinsOf(campaignIds: string[], userIds: string[]): Promise<CheckinEntity[]> {
    if (campaignIds.length === 0 || userIds.length === 0) return Promise.resolve([]);
    return this.checkins.findBy({ campaignId: In(campaignIds), userId: In(userIds) });
  }

  /** The check-in, or the one an earlier identical request already wrote. */
  async insertCheckin(checkin: CheckinEntity): Promise<CheckinEntity> {
    try {
      await this.checkins.insert(checkin);
      return checkin;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.findCheckin(checkin.campaignId, checkin.userId))!;
    }
  }
}

/** "start-end,start-end" in milliseconds: compact, and readable in a database console. */
export function encodeIntervals(intervals: readonly Interval[]): string {
  return intervals.map(([start, end]) => `${start}-${end}`).join(',');
}

export function decodeIntervals(text: string): Interval[] {
  if (!text) return [];
  return text.split(',').map((pair) => {
    const [start, end] = pair.split('-').map(Number);
    return [start, end] as const;
  });
}
