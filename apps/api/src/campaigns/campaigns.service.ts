import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  HeadsFirstState,
  Role,
  ViewingStatus,
  type CampaignProgressResponse,
  type CampaignResponse,
  type RejectionCounts,
  type RemindResponse,
  type UnitProgress,
  type ViewerStatusResponse,
  REJECTION_REASONS,
} from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import { shanghaiTime } from '../common/spreadsheet.js';
import type { CampaignEntity, CampaignUnitEntity, VideoEntity } from '../database/entities/index.js';
import { NoticesService } from '../notices/notices.service.js';
import { UnitsRepository } from '../org/units.repository.js';
import { VideosRepository } from '../videos/videos.repository.js';
import { ViewingRepository } from '../viewing/viewing.repository.js';
import { percentOf, viewingStatus } from '../viewing/viewing-status.js';
import { CampaignsRepository, type CampaignWithUnits } from './campaigns.repository.js';
import { toCampaignResponse, type CreateCampaignDto } from './campaigns.dto.js';
import { viewersWorkbook } from './viewers-export.js';

/** A required person in one unit, with where they stand. */
export type ViewerRow = ViewerStatusResponse & { unitId: string };

const CAMPAIGNS_PAGE = '/packages/video/pages/campaigns/index';

/** Campaigns as township and unit admins see them. Unit admins see only their own units' people. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly videos: VideosRepository,
    private readonly units: UnitsRepository,
    private readonly viewing: ViewingRepository,
    private readonly notices: NoticesService,
  ) {}

  /** Township admins only (the route's @Roles). */
  async create(actor: Actor, body: CreateCampaignDto): Promise<CampaignResponse> {
    const deadline = new Date(body.deadline);
    if (deadline.getTime() <= Date.now()) throw invalid('截止时间必须晚于现在');
    if (body.headsFirst && !body.roles.includes(Role.UNIT_ADMIN)) throw invalid('领导先学需要把单位管理员列入观看角色');
    const video = await this.videos.findInTownship(actor.townshipId, body.videoId);
    if (!video) throw AppException.notFound(ErrorCode.VIDEO_NOT_FOUND);
    const ours = new Set((await this.units.listInTownship(actor.townshipId)).map((unit) => unit.id));
    if (!body.unitIds.every((unitId) => ours.has(unitId))) throw AppException.notFound(ErrorCode.UNIT_NOT_FOUND);
    const campaign: CampaignEntity = {
      id: newId(),
      townshipId: actor.townshipId,
      videoId: video.id,
      title: body.title,
      deadline,
      roles: body.roles.join(','),
      headsFirst: body.headsFirst ? 1 : 0,
      createdBy: actor.userId,
      createdAt: new Date(),
    };
    const links: CampaignUnitEntity[] = body.unitIds.map((unitId) => ({ id: newId(), townshipId: actor.townshipId, campaignId: campaign.id, unitId }));
    await this.campaigns.insert(campaign, links);
    return toCampaignResponse({ ...campaign, unitIds: body.unitIds }, video);
  }

  /** Township admins: every campaign; unit admins: those that include one of their units. */
  async list(actor: Actor): Promise<CampaignResponse[]> {
    const campaigns = actor.isTownshipAdmin()
      ? await this.campaigns.listInTownship(actor.townshipId)
      : await this.campaigns.listIncludingUnits(actor.townshipId, administeredUnits(actor));
    const videos = await this.videos.listInTownship(actor.townshipId);
    return campaigns.flatMap((campaign) => {
      const video = videos.find((v) => v.id === campaign.videoId);
      return video ? [toCampaignResponse(campaign, video)] : [];
    });
  }

  async progress(actor: Actor, campaignId: string, now = new Date()): Promise<CampaignProgressResponse> {
    const { campaign, video, unitIds } = await this.requireVisible(actor, campaignId);
    const rows = await this.viewerRows(campaign, video, unitIds, now);
    const heads = campaign.headsFirst ? await this.headsFirstStates(campaign, unitIds) : null;
    const names = await this.unitNames(actor, unitIds);
    const units: UnitProgress[] = unitIds.map((unitId) => {
      const people = rows.filter((row) => row.unitId === unitId);
      return {
        unitId,
        unitName: names.get(unitId) ?? '',
        required: people.length,
        done: people.filter((p) => p.status === ViewingStatus.DONE).length,
        overdue: people.filter((p) => p.status === ViewingStatus.OVERDUE).length,
        headsFirst: heads?.get(unitId) ?? null,
      };
    });
    return { campaign: toCampaignResponse(campaign, video), units };
  }

  async viewers(actor: Actor, campaignId: string, unitId: string, status?: ViewingStatus): Promise<ViewerStatusResponse[]> {
    const { campaign, video } = await this.requireVisible(actor, campaignId);
    this.requireAdministeredUnitOf(actor, campaign, unitId);
    const rows = await this.viewerRows(campaign, video, [unitId], new Date());
    return rows.filter((row) => !status || row.status === status).map(({ unitId: _unit, ...viewer }) => viewer);
  }

  async exportViewers(actor: Actor, campaignId: string, unitId: string): Promise<{ fileName: string; body: Buffer }> {
    const { campaign, video } = await this.requireVisible(actor, campaignId);
    this.requireAdministeredUnitOf(actor, campaign, unitId);
    const unit = await this.units.findInTownship(actor.townshipId, unitId);
    if (!unit) throw AppException.notFound(ErrorCode.UNIT_NOT_FOUND);
    const rows = await this.viewerRows(campaign, video, [unitId], new Date());
    return { fileName: `观看情况-${unit.name}.xlsx`, body: await viewersWorkbook(campaign.title, unit.name, rows) };
  }

  /** Reminds everyone not yet done in the given unit, or in every unit the caller administers in the campaign. */
  async remind(actor: Actor, campaignId: string, unitId?: string): Promise<RemindResponse> {
    const { campaign, video, unitIds } = await this.requireVisible(actor, campaignId);
    if (unitId) this.requireAdministeredUnitOf(actor, campaign, unitId);
    const rows = await this.viewerRows(campaign, video, unitId ? [unitId] : unitIds, new Date());
    const deadline = shanghaiTime(campaign.deadline);
    return this.notices.remind({
      townshipId: actor.townshipId,
      userIds: rows.filter((row) => row.status !== ViewingStatus.DONE).map((row) => row.userId),
      title: '观看打卡提醒',
      body: `请在 ${deadline} 前观看「${campaign.title}」并确认打卡。`,
      link: CAMPAIGNS_PAGE,
      wechatData: { thing1: campaign.title.slice(0, 20), time2: deadline, thing3: '请尽快完成观看打卡' },
    });
  }

  /** The campaign, its video, and the units of it the caller may see; a campaign without any is reported missing. */
  private async requireVisible(actor: Actor, campaignId: string): Promise<{ campaign: CampaignWithUnits; video: VideoEntity; unitIds: string[] }> {
    const campaign = await this.campaigns.findInTownship(actor.townshipId, campaignId);
    const unitIds = campaign ? campaign.unitIds.filter((unitId) => actor.canAdministerUnit(unitId)) : [];
    if (!campaign || unitIds.length === 0) throw AppException.notFound(ErrorCode.CAMPAIGN_NOT_FOUND);
    const video = await this.videos.findInTownship(actor.townshipId, campaign.videoId);
    if (!video) throw AppException.notFound(ErrorCode.VIDEO_NOT_FOUND);
    return { campaign, video, unitIds };
  }

  private requireAdministeredUnitOf(actor: Actor, campaign: CampaignWithUnits, unitId: string): void {
    if (!campaign.unitIds.includes(unitId)) throw AppException.notFound(ErrorCode.UNIT_NOT_FOUND);
    if (!actor.canAdministerUnit(unitId)) throw AppException.forbidden();
  }

  private async viewerRows(campaign: CampaignWithUnits, video: VideoEntity, unitIds: string[], now: Date): Promise<ViewerRow[]> {
    const members = await this.campaigns.requiredMembers(campaign, unitIds);
    const userIds = [...new Set(members.map((m) => m.userId))];
    const [progress, checkins, rejections] = await Promise.all([
      this.viewing.progressOf([campaign.id], userIds),
      this.viewing.checkinsOf([campaign.id], userIds),
      this.viewing.rejectionsOf(campaign.id, userIds),
    ]);
    return members.map((member) => {
      const own = progress.find((p) => p.userId === member.userId);
      const checkin = checkins.find((c) => c.userId === member.userId);
      const counts = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as RejectionCounts;
      for (const r of rejections.filter((r) => r.userId === member.userId)) counts[r.reason] = r.count;
      return {
        unitId: member.unitId,
        userId: member.userId,
        displayName: member.displayName,
        role: member.role,
        status: viewingStatus(campaign.deadline, now, !!checkin, !!own?.completedAt),
        percent: percentOf(own?.coveredMs ?? 0, video.durationMs),
        checkedInAt: checkin?.checkedInAt.toISOString() ?? null,
        late: !!checkin && checkin.checkedInAt.getTime() > campaign.deadline.getTime(),
        rejections: counts,
      };
    });
  }

  private async headsFirstStates(campaign: CampaignWithUnits, unitIds: string[]): Promise<Map<string, HeadsFirstState>> {
    const admins = await this.campaigns.unitAdmins(campaign.townshipId, unitIds);
    const checkins = await this.viewing.checkinsOf([campaign.id], admins.map((a) => a.userId));
    return new Map(
      unitIds.map((unitId) => {
        const heads = admins.filter((a) => a.unitId === unitId);
        if (heads.length === 0) return [unitId, HeadsFirstState.NO_ADMIN];
        return [unitId, heads.some((h) => checkins.some((c) => c.userId === h.userId)) ? HeadsFirstState.RELEASED : HeadsFirstState.WAITING];
      }),
    );
  }

  private async unitNames(actor: Actor, unitIds: string[]): Promise<Map<string, string>> {
    const units = await this.units.listInTownship(actor.townshipId);
    return new Map(units.filter((u) => unitIds.includes(u.id)).map((u) => [u.id, u.name]));
  }
}

function administeredUnits(actor: Actor): string[] {
  return actor.memberships.filter((m) => m.role === Role.UNIT_ADMIN).map((m) => m.unitId);
}

function invalid(message: string): AppException {
  return new AppException(ErrorCode.VALIDATION_FAILED, 400, message, [{ field: '', message }]);
}
