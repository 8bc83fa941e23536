import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role, type ClaimRewardResponse, type RevealedIdentityResponse, type RewardAuditEntry, type RewardResponse, type RewardTallyResponse } from '@qmfz/contracts';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Public, Roles } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { ClaimRewardDto, RewardListQueryDto, RewardReviewDto, TallyQueryDto } from './rewards.dto.js';
import { RewardsService } from './rewards.service.js';
import { TalliesService } from './tallies.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Review, payout and tallies of rewards. Township admins act; police may read lists and tallies. */
@ApiTags('rewards')
@ApiBearerAuth()
@Controller('rewards')
@Roles(Role.TOWNSHIP_ADMIN)
export class RewardsController {
  constructor(
    private readonly rewards: RewardsService,
    private readonly tallies: TalliesService,
  ) {}

  @Get()
  @Roles(Role.TOWNSHIP_ADMIN, Role.POLICE)
  @ApiOkResponse({ description: 'RewardResponse[], newest decision first' })
  list(@CurrentActor() actor: Actor, @Query() query: RewardListQueryDto): Promise<RewardResponse[]> {
    return this.rewards.list(actor, query.status);
  }

  @Get('tallies')
  @Roles(Role.TOWNSHIP_ADMIN, Role.POLICE)
  @ApiOkResponse({ description: 'RewardTallyResponse' })
  tally(@CurrentActor() actor: Actor, @Query() query: TallyQueryDto): Promise<RewardTallyResponse> {
    return this.tallies.tallies(actor, query);
  }

  @Get('tallies/export')
  @Roles(Role.TOWNSHIP_ADMIN, Role.POLICE)
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({ summary: 'The tallies as an XLSX workbook: per period, per unit, per reporter' })
  async export(@CurrentActor() actor: Actor, @Query() query: TallyQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.tallies.exportTallies(actor, query);
    await reply
      .type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="reward-tallies.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('cache-control', 'no-store')
      .send(file.body);
  }

  @Post(':tipId/approve')
  @HttpCode(200)
  @ApiOkResponse({ description: 'RewardResponse' })
  approve(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string, @Body() body: RewardReviewDto): Promise<RewardResponse> {
    return this.rewards.approve(actor, tipId, body.note);
  }

  @Post(':tipId/reject')
  @HttpCode(200)
  @ApiOkResponse({ description: 'RewardResponse' })
  reject(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string, @Body() body: RewardReviewDto): Promise<RewardResponse> {
    return this.rewards.reject(actor, tipId, body.note);
  }

  @Post(':tipId/reveal')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ description: 'RevealedIdentityResponse; audited on every call' })
  reveal(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string): Promise<RevealedIdentityResponse> {
    return this.rewards.reveal(actor, tipId);
  }

  @Post(':tipId/paid')
  @HttpCode(200)
  @ApiOkResponse({ description: 'RewardResponse' })
  paid(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string): Promise<RewardResponse> {
    return this.rewards.markPaid(actor, tipId);
  }

  @Get(':tipId/audit')
  @ApiOkResponse({ description: 'RewardAuditEntry[], oldest first' })
  audit(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string): Promise<RewardAuditEntry[]> {
    return this.rewards.auditTrail(actor, tipId);
  }
}

/** The reporter's reward claim, by receipt code: no account needed, so limited per address. */
@ApiTags('rewards')
@Controller('tips/follow-up')
@UseGuards(RateLimitGuard)
export class RewardClaimController {
  constructor(private readonly rewards: RewardsService) {}

  @Post('claim')
  @Public()
  @HttpCode(200)
  @RateLimit({ name: 'tip-reward-claim', limit: 10, windowSeconds: 60 })
  @ApiOkResponse({ description: 'ClaimRewardResponse; a repeat claim answers the same' })
  claim(@Body() body: ClaimRewardDto): Promise<ClaimRewardResponse> {
    return this.rewards.claim(body);
  }
}
