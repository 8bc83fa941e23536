import { ApiProperty } from '@nestjs/swagger';
import { ROLES, VIDEO_LIMITS, VIEWING_STATUSES, type CampaignResponse, type CreateCampaignRequest, type RemindRequest, type Role, type ViewingStatus } from '@qmfz/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsISO8601, IsString, Matches } from 'class-validator';
import { Label, OneOf, OptionalId, RequiredText, ULID_PATTERN } from '../common/validation.js';
import type { VideoEntity } from '../database/entities/index.js';
import { toVideoResponse } from '../videos/videos.dto.js';
import { rolesOf, type CampaignWithUnits } from './campaigns.repository.js';

export class CreateCampaignDto implements CreateCampaignRequest {
  @Label('任务名称')
  @RequiredText(VIDEO_LIMITS.titleMax, '全体干部观看反诈宣传片')
  title: string;

  @Label('视频')
  @ApiProperty({ pattern: ULID_PATTERN.source })
  @IsString()
  @Matches(ULID_PATTERN)
  videoId: string;

  @Label('截止时间')
  @ApiProperty({ example: '2026-12-31T10:00:00.000Z' })
  @IsISO8601({ strict: true })
  deadline: string;

  @Label('单位')
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(VIDEO_LIMITS.campaignUnitsMax)
  @ArrayUnique()
  @Matches(ULID_PATTERN, { each: true })
  unitIds: string[];

  @Label('观看角色')
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @Label('领导先学')
  @ApiProperty()
  @IsBoolean()
  headsFirst: boolean;
}

export class RemindDto implements RemindRequest {
  @Label('单位')
  @OptionalId()
  unitId?: string;
}

export class ViewersQueryDto {
  @Label('状态')
  @OneOf(VIEWING_STATUSES, false)
  status?: ViewingStatus;
}

export function toCampaignResponse(campaign: CampaignWithUnits, video: VideoEntity): CampaignResponse {
  return {
    id: campaign.id,
    title: campaign.title,
    video: toVideoResponse(video),
    deadline: campaign.deadline.toISOString(),
    unitIds: campaign.unitIds,
    roles: rolesOf(campaign),
    headsFirst: campaign.headsFirst === 1,
    createdAt: campaign.createdAt.toISOString(),
  };
}
