import { Body, Controller, Get, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CheckInResponse, HeartbeatResponse, MyCampaignResponse, StartViewingResponse } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, IdentityOnly } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { parseHeartbeat } from './heartbeat-body.js';
import { CheckInDto, HeartbeatDocDto } from './viewing.dto.js';
import { ViewingService } from './viewing.service.js';

/** What the signed-in person must watch, and their viewing. Every check of who may do what is in the service. */
@ApiTags('viewing')
@ApiBearerAuth()
@Controller('viewing/campaigns')
@UseGuards(RateLimitGuard)
export class ViewingController {
  constructor(private readonly viewing: ViewingService) {}

  @Get()
  @ApiOkResponse({ description: 'MyCampaignResponse[]: campaigns the caller must watch' })
  mine(@CurrentActor() actor: Actor): Promise<MyCampaignResponse[]> {
    return this.viewing.myCampaigns(actor);
  }

  @Post(':campaignId/sessions')
  // Each session has its own small clock slack; starting many would add them up.
  @RateLimit({ name: 'viewing-session', limit: 6, windowSeconds: 60, per: 'user' })
  @ApiCreatedResponse({ description: 'StartViewingResponse' })
  start(@CurrentActor() actor: Actor, @Param('campaignId', ParseIdPipe) campaignId: string): Promise<StartViewingResponse> {
    return this.viewing.startSession(actor, campaignId);
  }

  @Post(':campaignId/heartbeats')
  @HttpCode(200)
  @IdentityOnly()
  @ApiOperation({ summary: 'One heartbeat; the reply carries the session token to send with the next' })
  @ApiBody({ type: HeartbeatDocDto })
  @ApiOkResponse({ description: 'HeartbeatResponse' })
  heartbeat(@CurrentActor() actor: Actor, @Param('campaignId', ParseIdPipe) campaignId: string, @Body() body: unknown): Promise<HeartbeatResponse> {
    return this.viewing.heartbeat(actor, campaignId, parseHeartbeat(body));
  }

  @Post(':campaignId/check-in')
  @ApiOperation({ summary: '确认已观看: only after the server verified the viewing; a repeat returns the same check-in' })
  @ApiCreatedResponse({ description: 'CheckInResponse' })
  checkIn(
    @CurrentActor() actor: Actor,
    @Param('campaignId', ParseIdPipe) campaignId: string,
    @Body() body: CheckInDto,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<CheckInResponse> {
    return this.viewing.checkIn(actor, campaignId, body, userAgent);
  }
}
