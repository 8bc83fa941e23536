import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role, type CampaignProgressResponse, type CampaignResponse, type RemindResponse, type ViewerStatusResponse } from '@qmfz/contracts';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { CreateCampaignDto, RemindDto, ViewersQueryDto } from './campaigns.dto.js';
import { CampaignsService } from './campaigns.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Campaign administration. Township admins see every unit; unit admins only their own (checked in the service). */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
@UseGuards(RateLimitGuard)
@Roles(Role.TOWNSHIP_ADMIN, Role.UNIT_ADMIN)
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiOkResponse({ description: 'CampaignResponse[]' })
  list(@CurrentActor() actor: Actor): Promise<CampaignResponse[]> {
    return this.campaigns.list(actor);
  }

  @Post()
  @Roles(Role.TOWNSHIP_ADMIN)
  @ApiCreatedResponse({ description: 'CampaignResponse' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateCampaignDto): Promise<CampaignResponse> {
    return this.campaigns.create(actor, body);
  }

  @Get(':campaignId/progress')
  @ApiOkResponse({ description: 'CampaignProgressResponse' })
  progress(@CurrentActor() actor: Actor, @Param('campaignId', ParseIdPipe) campaignId: string): Promise<CampaignProgressResponse> {
    return this.campaigns.progress(actor, campaignId);
  }

  @Get(':campaignId/units/:unitId/viewers')
  @ApiOkResponse({ description: 'ViewerStatusResponse[]; status=overdue for the overdue list' })
  viewers(
    @CurrentActor() actor: Actor,
    @Param('campaignId', ParseIdPipe) campaignId: string,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Query() query: ViewersQueryDto,
  ): Promise<ViewerStatusResponse[]> {
    return this.campaigns.viewers(actor, campaignId, unitId, query.status);
  }

  @Get(':campaignId/units/:unitId/export')
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({ summary: 'The unit’s viewers as an XLSX workbook' })
  async export(
    @CurrentActor() actor: Actor,
    @Param('campaignId', ParseIdPipe) campaignId: string,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.campaigns.exportViewers(actor, campaignId, unitId);
    await reply
      .type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="viewers.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('cache-control', 'no-store')
      .send(file.body);
  }

  @Post(':campaignId/reminders')
  @HttpCode(200)
  @RateLimit({ name: 'campaign-remind', limit: 6, windowSeconds: 60, per: 'user' })
  @ApiOkResponse({ description: 'RemindResponse' })
  remind(@CurrentActor() actor: Actor, @Param('campaignId', ParseIdPipe) campaignId: string, @Body() body: RemindDto): Promise<RemindResponse> {
    return this.campaigns.remind(actor, campaignId, body.unitId);
  }
}
