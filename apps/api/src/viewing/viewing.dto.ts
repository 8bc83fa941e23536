import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HEARTBEAT_EVENTS, VIDEO_LIMITS, type CheckInRequest, type HeartbeatEvent, type HeartbeatRequest } from '@qmfz/contracts';
import { Label, OptionalText } from '../common/validation.js';
import { CLIENT_TIME_MAX_MS, POSITION_MAX, TOKEN_MAX } from './heartbeat-body.js';

/** The heartbeat's shape for the API docs only: parseHeartbeat (heartbeat-body.ts) checks the body by hand. */
export class HeartbeatDocDto implements HeartbeatRequest {
  @ApiProperty({ maxLength: TOKEN_MAX })
  sessionToken: string;

  @ApiProperty({ minimum: 0, maximum: POSITION_MAX, description: 'seconds, at most 3 decimals' })
  position: number;

  @ApiProperty({ minimum: 0, maximum: CLIENT_TIME_MAX_MS })
  clientTimeMs: number;

  @ApiProperty({ enum: HEARTBEAT_EVENTS })
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
