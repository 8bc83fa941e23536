import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  Role,
  type PersonRef,
  type RewardResponse,
  type SignedLinkResponse,
  type TipDetailResponse,
  type TipEventResponse,
  type TipListResponse,
} from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { DecideRewardDto } from '../rewards/rewards.dto.js';
import { TipListQueryDto, TipReplyDto, UpdateTipDto } from './triage.dto.js';
import { TriageService } from './triage.service.js';

/** Police triage of the tips of their township (docs/api-tips.md). Nobody else may call these routes. */
@ApiTags('triage')
@ApiBearerAuth()
@Controller('tips')
@Roles(Role.POLICE)
export class TriageController {
  constructor(private readonly triage: TriageService) {}

  @Get()
  @ApiOkResponse({ description: 'TipListResponse, newest first' })
  list(@CurrentActor() actor: Actor, @Query() query: TipListQueryDto): Promise<TipListResponse> {
    return this.triage.list(actor, query);
  }

  @Get('officers')
  @ApiOkResponse({ description: 'PersonRef[]: active police of the township' })
  officers(@CurrentActor() actor: Actor): Promise<PersonRef[]> {
    return this.triage.officers(actor);
  }

  @Get(':tipId')
  @ApiOkResponse({ description: 'TipDetailResponse' })
  detail(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string): Promise<TipDetailResponse> {
    return this.triage.detail(actor, tipId);
  }

  @Patch(':tipId')
  @ApiOkResponse({ description: 'TipDetailResponse after the change' })
  update(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string, @Body() body: UpdateTipDto): Promise<TipDetailResponse> {
    return this.triage.update(actor, tipId, body);
  }

  @Post(':tipId/replies')
  @ApiCreatedResponse({ description: 'TipEventResponse' })
  reply(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string, @Body() body: TipReplyDto): Promise<TipEventResponse> {
    return this.triage.reply(actor, tipId, body);
  }

  @Post(':tipId/attachments/:attachmentId/link')
  @HttpCode(200)
  @ApiOkResponse({ description: 'SignedLinkResponse, valid 5 minutes' })
  attachmentLink(
    @CurrentActor() actor: Actor,
    @Param('tipId', ParseIdPipe) tipId: string,
    @Param('attachmentId', ParseIdPipe) attachmentId: string,
  ): Promise<SignedLinkResponse> {
    return this.triage.attachmentLink(actor, tipId, attachmentId);
  }

  @Put(':tipId/reward')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'RewardResponse (status decided); one decision per tip' })
  decideReward(@CurrentActor() actor: Actor, @Param('tipId', ParseIdPipe) tipId: string, @Body() body: DecideRewardDto): Promise<RewardResponse> {
    return this.triage.decideReward(actor, tipId, body);
  }
}
