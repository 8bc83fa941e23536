import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { VIDEO_LIMITS, type CreateExternalVideoRequest, type VideoResponse } from '@qmfz/contracts';
import { IsInt, IsOptional, IsUrl, Max, MaxLength, Min } from 'class-validator';
import type { VideoEntity } from '../database/entities/index.js';
import { Label, RequiredText } from '../common/validation.js';

const DURATION = { minimum: 1, maximum: VIDEO_LIMITS.durationMaxSeconds };

export class CreateExternalVideoDto implements CreateExternalVideoRequest {
  @Label('视频标题')
  @RequiredText(VIDEO_LIMITS.titleMax, '反诈宣传片')
  title: string;

  @Label('视频地址')
  @ApiProperty({ maxLength: VIDEO_LIMITS.urlMax, example: 'https://video.example.cn/fanzha.mp4' })
  @MaxLength(VIDEO_LIMITS.urlMax)
  // Players in WeChat load only https; http is allowed for a township's intranet server on the web.
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  url: string;

  @Label('视频时长')
  @ApiProperty(DURATION)
  @IsInt()
  @Min(DURATION.minimum)
  @Max(DURATION.maximum)
  durationSeconds: number;

  @Label('视频大小')
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  sizeBytes?: number;
}

/** The text fields of a multipart upload, validated by the same pipe as JSON bodies. */
export class UploadVideoFieldsDto {
  @Label('视频标题')
  @RequiredText(VIDEO_LIMITS.titleMax)
  title: string;

  @Label('视频时长')
  @IsOptional()
  @IsInt()
  @Min(DURATION.minimum)
  @Max(DURATION.maximum)
  durationSeconds?: number;
}

export function toVideoResponse(video: VideoEntity): VideoResponse {
  return {
    id: video.id,
    title: video.title,
    source: video.source,
    url: video.url,
    contentType: video.contentType,
    durationSeconds: Math.round(video.durationMs / 1000),
    sizeBytes: video.sizeBytes,
    createdAt: video.createdAt.toISOString(),
  };
}
