import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  RejectionReason,
  Role,
  VIEWING_RULES,
  VideoSource,
  type CheckInResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type MyCampaignResponse,
  type StartViewingResponse,
} from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { CampaignsRepository, rolesOf, type CampaignWithUnits } from '../campaigns/campaigns.repository.js';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import type { CheckinEntity, ViewingProgressEntity } from '../database/entities/index.js';
import { RATE_LIMITER } from '../rate-limit/rate-limit.module.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { StreamLinks } from '../videos/stream-links.js';
import { VideosRepository } from '../videos/videos.repository.js';
import { checkpointDue, PLAYER_STATE } from './heartbeat-rules.js';
import { applyHeartbeat, coveredMs, isComplete, type Interval } from './verifier.js';
import type { CheckInDto } from './viewing.dto.js';
import { decodeIntervals, ViewingRepository } from './viewing.repository.js';
import { percentOf, viewingStatus } from './viewing-status.js';
import { ViewingTokenCodec, type ViewingClaims } from './viewing-token.js';

/** A session (and its video link) lasts this long; a longer pause continues in a new session from the last checkpoint. */
const SESSION_MS = 6 * 3600 * 1000;
const REJECTIONS_PER_MINUTE = 30;
/** A position this close to the end, without completion, resumes at the first gap instead: nobody can seek back. */
const NEAR_END_MS = 2_000;

/** The staff side of campaigns: what I must watch, viewing sessions, heartbeats and 确认已观看. */
@Injectable()
export class ViewingService {
  private readonly logger = new Logger('Viewing');

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly videos: VideosRepository,
    private readonly viewing: ViewingRepository,
    private readonly links: StreamLinks,
    @Inject(ViewingTokenCodec) private readonly tokens: ViewingTokenCodec,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  async myCampaigns(actor: Actor, now = new Date()): Promise<MyCampaignResponse[]> {
    const campaigns = (await this.campaigns.listIncludingUnits(actor.townshipId, unitsOf(actor))).filter((c) => requiredUnits(actor, c).length > 0);
    const ids = campaigns.map((c) => c.id);
    const [progress, checkins, videos] = await Promise.all([
      this.viewing.progressOf(ids, [actor.userId]),
      this.viewing.checkinsOf(ids, [actor.userId]),
      this.videos.findManyInTownship(actor.townshipId, [...new Set(campaigns.map((c) => c.videoId))]),
    ]);
    const result: MyCampaignResponse[] = [];
    for (const campaign of campaigns) {
      const video = videos.find((v) => v.id === campaign.videoId);
      if (!video) continue;
      const own = progress.find((p) => p.campaignId === campaign.id);
      const checkin = checkins.find((c) => c.campaignId === campaign.id);
      const covered = own?.coveredMs ?? 0;
      result.push({
        id: campaign.id,
        title: campaign.title,
        deadline: campaign.deadline.toISOString(),
        videoTitle: video.title,
        durationSeconds: Math.round(video.durationMs / 1000),
        status: viewingStatus(campaign.deadline, now, !!checkin, !!own?.completedAt),
        coveredSeconds: Math.floor(covered / 1000),
        percent: percentOf(covered, video.durationMs),
        verified: !!own?.completedAt,
        waitingForHead: !checkin && (await this.waitingForHead(actor, campaign)),
        checkedInAt: checkin?.checkedInAt.toISOString() ?? null,
      });
    }
    return result;
  }

  async startSession(actor: Actor, campaignId: string): Promise<StartViewingResponse> {
    const campaign = await this.requireRequiredCampaign(actor, campaignId);
    if (await this.waitingForHead(actor, campaign)) throw AppException.conflict(ErrorCode.VIEWING_WAITING_FOR_HEAD);
    const video = await this.videos.findInTownship(actor.townshipId, campaign.videoId);
    if (!video) throw AppException.notFound(ErrorCode.VIDEO_NOT_FOUND);

    const now = Date.now();
    const sessionId = newId();
    const progress = await this.viewing.claimSession(actor.townshipId, campaign.id, actor.userId, sessionId, new Date(now));
    const intervals = decodeIntervals(progress.intervals);
    const claims: ViewingClaims = {
      sessionId,
      userId: actor.userId,
      townshipId: actor.townshipId,
      campaignId: campaign.id,
      durationMs: video.durationMs,
      startedAtMs: now,
      expiresAtMs: now + SESSION_MS,
      baseCoveredMs: coveredMs(intervals),
      intervals,
      lastPositionMs: null,
      lastClientMs: null,
      stoppedAtLast: false,
      checkpointAtMs: now,
      checkpointCoveredMs: progress.coveredMs,
      checkpointPositionMs: progress.positionMs,
      completionRecorded: progress.completedAt !== null,
    };
    return {
      sessionToken: this.tokens.sign(claims),
      videoUrl: video.source === VideoSource.URL ? video.url! : this.links.path(video.id, now + SESSION_MS),
      durationSeconds: video.durationMs / 1000,
      resumeAtSeconds: resumePositionMs(progress, intervals, video.durationMs) / 1000,
      coveredSeconds: Math.floor(progress.coveredMs / 1000),
      verified: progress.completedAt !== null,
      heartbeatIntervalSeconds: VIEWING_RULES.heartbeatIntervalSeconds,
    };
  }

  /**
   * One heartbeat: no database access unless it is rejected or a checkpoint is due. The token is checked first,
   * so a forged or foreign one never reaches the verifier.
   */
  async heartbeat(actor: Actor, campaignId: string, body: HeartbeatRequest): Promise<HeartbeatResponse> {
    const now = Date.now();
    const claims = this.tokens.verify(body.sessionToken);
    if (!claims) throw AppException.badRequest(ErrorCode.VIEWING_SESSION_INVALID);
    if (claims.userId !== actor.userId || claims.townshipId !== actor.townshipId) {
      await this.reject(actor.townshipId, claims.campaignId, actor.userId, RejectionReason.WRONG_USER);
      throw new AppException(ErrorCode.VIEWING_SESSION_FOREIGN, HttpStatus.FORBIDDEN);
    }
    if (claims.campaignId !== campaignId) throw AppException.badRequest(ErrorCode.VIEWING_SESSION_MISMATCH);
    if (now > claims.expiresAtMs) return this.stale(claims);
    const positionMs = Math.round(body.position * 1000);
    if (positionMs > claims.durationMs + 1000) throw AppException.badRequest(ErrorCode.VIEWING_POSITION_INVALID, '播放进度超出了视频时长');

    const verdict = applyHeartbeat(claims, {
      positionMs: Math.min(positionMs, claims.durationMs),
      clientMs: body.clientTimeMs,
      serverMs: now,
      playing: PLAYER_STATE[body.event],
    });
    if (verdict.kind === 'duplicate') {
      await this.reject(claims.townshipId, claims.campaignId, claims.userId, RejectionReason.DUPLICATE);
      throw AppException.conflict(ErrorCode.VIEWING_HEARTBEAT_DUPLICATE);
    }
    if (verdict.rejected) await this.reject(claims.townshipId, claims.campaignId, claims.userId, verdict.rejected);

    let next: ViewingClaims = { ...claims, ...verdict.state };
    const complete = isComplete(next);
    if (checkpointDue(next, body.event, now, complete)) next = await this.checkpoint(next, now, complete);
    const covered = coveredMs(next.intervals);
    return {
      sessionToken: this.tokens.sign(next),
      coveredSeconds: Math.floor(covered / 1000),
      percent: percentOf(covered, next.durationMs),
      verified: next.completionRecorded,
      rejected: verdict.rejected,
    };
  }

  async checkIn(actor: Actor, campaignId: string, body: CheckInDto, userAgent: string | undefined): Promise<CheckInResponse> {
    const campaign = await this.requireRequiredCampaign(actor, campaignId);
    const progress = await this.viewing.findProgress(campaign.id, actor.userId);
    if (!progress?.completedAt) throw AppException.conflict(ErrorCode.VIEWING_NOT_VERIFIED);
    const checkin: CheckinEntity = {
      id: newId(),
      townshipId: actor.townshipId,
      campaignId: campaign.id,
      userId: actor.userId,
      coveredMs: progress.coveredMs,
      deviceModel: body.deviceModel ?? null,
      system: body.system ?? null,
      platform: body.platform ?? null,
      userAgent: userAgent ? userAgent.slice(0, 200) : null,
      checkedInAt: new Date(),
    };
    const saved = await this.viewing.insertCheckin(checkin);
    return { campaignId: saved.campaignId, checkedInAt: saved.checkedInAt.toISOString(), coveredSeconds: Math.floor(saved.coveredMs / 1000) };
  }

  private async checkpoint(claims: ViewingClaims, now: number, complete: boolean): Promise<ViewingClaims> {
    const covered = coveredMs(claims.intervals);
    const position = claims.lastPositionMs ?? claims.checkpointPositionMs;
    const outcome = await this.viewing.checkpoint(claims.campaignId, claims.userId, claims.sessionId, {
      intervals: claims.intervals,
      coveredMs: covered,
      positionMs: position,
      completedAt: complete && !claims.completionRecorded ? new Date(now) : null,
      now: new Date(now),
    });
    if (outcome === 'stale') return this.stale(claims);
    return { ...claims, checkpointAtMs: now, checkpointCoveredMs: covered, checkpointPositionMs: position, completionRecorded: claims.completionRecorded || complete };
  }

  private async stale(claims: ViewingClaims): Promise<never> {
    await this.reject(claims.townshipId, claims.campaignId, claims.userId, RejectionReason.STALE_SESSION);
    throw AppException.conflict(ErrorCode.VIEWING_SESSION_STALE);
  }

  /**
   * Rejections are rare for honest players, so each is written at once: the count survives whatever the client does.
   * A client replaying bad heartbeats in a loop would turn each into a write, so at most REJECTIONS_PER_MINUTE a
   * person are counted; that many already flags them.
   */
  private async reject(townshipId: string, campaignId: string, userId: string, reason: RejectionReason): Promise<void> {
    try {
      const { allowed } = await this.limiter.hit(`viewing-rejections:user:${userId}`, REJECTIONS_PER_MINUTE, 60);
      if (!allowed) return;
      await this.viewing.countRejection(townshipId, campaignId, userId, reason, new Date());
    } catch (error) {
      this.logger.warn({ problem: 'rejection not counted', reason, error: (error as Error).message });
    }
  }

  private async requireRequiredCampaign(actor: Actor, campaignId: string): Promise<CampaignWithUnits> {
    const campaign = await this.campaigns.findInTownship(actor.townshipId, campaignId);
    if (!campaign) throw AppException.notFound(ErrorCode.CAMPAIGN_NOT_FOUND);
    if (requiredUnits(actor, campaign).length === 0) throw new AppException(ErrorCode.CAMPAIGN_NOT_REQUIRED, HttpStatus.FORBIDDEN);
    return campaign;
  }

  /**
   * Heads first: a person who is not an admin of one of their required units waits until an admin of one of those
   * units has checked in. A unit without an admin holds nobody back.
   */
  private async waitingForHead(actor: Actor, campaign: CampaignWithUnits): Promise<boolean> {
    if (!campaign.headsFirst) return false;
    const units = requiredUnits(actor, campaign);
    if (actor.memberships.some((m) => m.role === Role.UNIT_ADMIN && units.includes(m.unitId))) return false;
    const admins = await this.campaigns.unitAdmins(actor.townshipId, units);
    if (units.some((unit) => !admins.some((a) => a.unitId === unit))) return false;
    const checkins = await this.viewing.checkinsOf([campaign.id], admins.map((a) => a.userId));
    return checkins.length === 0;
  }
}

function unitsOf(actor: Actor): string[] {
  return [...new Set(actor.memberships.map((m) => m.unitId))];
}

/** The caller's units in which the campaign requires them (their role there is one the campaign names). */
function requiredUnits(actor: Actor, campaign: CampaignWithUnits): string[] {
  const roles = rolesOf(campaign);
  return actor.memberships.filter((m) => campaign.unitIds.includes(m.unitId) && roles.includes(m.role)).map((m) => m.unitId);
}

function resumePositionMs(progress: ViewingProgressEntity, intervals: readonly Interval[], durationMs: number): number {
  if (progress.completedAt) return progress.positionMs >= durationMs - NEAR_END_MS ? 0 : progress.positionMs;
  if (progress.positionMs < durationMs - NEAR_END_MS) return progress.positionMs;
  // Stopped at the end with parts unwatched: start at the first unwatched part.
  let position = 0;
  for (const [start, end] of intervals) {
    if (start > position) break;
    position = Math.max(position, end);
  }
  return position >= durationMs - NEAR_END_MS ? 0 : position;
}
