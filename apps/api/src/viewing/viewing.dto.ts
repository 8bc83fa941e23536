import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HEARTBEAT_EVENTS, VIDEO_LIMITS, type CheckInRequest, type HeartbeatEvent, type HeartbeatRequest } from '@qmfz/contracts';
import { IsInt, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { Label, OneOf, OptionalText } from '../common/validation.js';

/** A signed viewing token is a few hundred bytes; anything far larger is not ours. */
const TOKEN_MAX = 4096;
/** Two days of a player's clock: a session expires long before. */
const CLIENT_TIME_MAX_MS = 48 * 3600 * 1000;

export class HeartbeatDto implements HeartbeatRequest {
  @Label('观看会话')
  @ApiProperty({ maxLength: TOKEN_MAX })
  @IsString()
  @MaxLength(TOKEN_MAX)
  sessionToken: string;

  @Label('播放进度')
  @ApiProperty({ minimum: 0, maximum: VIDEO_LIMITS.durationMaxSeconds })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Min(0)
  @Max(VIDEO_LIMITS.durationMaxSeconds + 1)
  position: number;

  @Label('播放时钟')
  @ApiProperty({ minimum: 0, maximum: CLIENT_TIME_MAX_MS })
  @IsInt()
  @Min(0)
  @Max(CLIENT_TIME_MAX_MS)
  clientTimeMs: number;

  @Label('播放事件')
  @OneOf(HEARTBEAT_EVENTS)
  event: HeartbeatEvent;
}

export class CheckInDto implements CheckInRequest {
  @Label('设备型号')
  @OptionalText(VIDEO_LIMITS.deviceFieldMax)
  deviceModel?: string;

  @Label('系统版本')
  @OptionalText(VIDEO_LIMITS.deviceFieldMax)
  system?: string;

  @Label('平台')
  @ApiPropertyOptional()
  @OptionalText(VIDEO_LIMITS.deviceFieldMax)
  platform?: string;
}
