import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreateTipResponse, TipAttachmentResponse, TipFollowUpResponse } from '@qmfz/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { FollowUpService } from './follow-up.service.js';
import { TipAttachmentsService, UPLOAD_LIMITS } from './tip-attachments.service.js';
import { TipsService } from './tips.service.js';

/** Rate limits of the resident side (docs/api-tips.md). */
export const TIP_RATE_LIMITS = {
  submitPerUser: { name: 'tip-submit-user', limit: 10, windowSeconds: 3600, per: 'user' },
  submitPerIp: { name: 'tip-submit-ip', limit: 60, windowSeconds: 3600, per: 'ip' },
  uploadPerUser: { name: 'tip-upload-user', limit: 40, windowSeconds: 3600, per: 'user' },
  followUpPerIp: { name: 'tip-follow-up-ip', limit: 30, windowSeconds: 60, per: 'ip' },
  additionPerIp: { name: 'tip-addition-ip', limit: 20, windowSeconds: 3600, per: 'ip' },
} as const;

/**
 * The resident side of 有奖举报: images, submission, follow-up by receipt code, and the signed image links police
 * screens load. Bodies are checked by hand in the services (tip-request.ts), hence `body: unknown`.
 */
@ApiTags('tips')
@Controller('tips')
@UseGuards(RateLimitGuard)
export class TipsController {
  constructor(
    private readonly tips: TipsService,
    private readonly attachments: TipAttachmentsService,
    private readonly followUps: FollowUpService,
  ) {}

  @Post()
  @ApiBearerAuth()
  @RateLimit([TIP_RATE_LIMITS.submitPerUser, TIP_RATE_LIMITS.submitPerIp])
  @ApiBody({ schema: { type: 'object' }, description: 'CreateTipRequest (packages/contracts/src/tips.ts)' })
  @ApiCreatedResponse({ description: 'CreateTipResponse; 200 with the same receipt for a retry of a stored submission' })
  async submit(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CreateTipResponse> {
    const { receipt, created } = await this.tips.submit(actor, request.body);
    if (!created) reply.status(200);
    return receipt;
  }

  @Post('attachments')
  @ApiBearerAuth()
  @RateLimit(TIP_RATE_LIMITS.uploadPerUser)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'One JPEG, PNG or WebP image (≤ 5 MB) in the field `file`, checked by content and stripped of metadata' })
  @ApiCreatedResponse({ description: 'TipAttachmentResponse' })
  upload(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<TipAttachmentResponse> {
    return this.attachments.upload(actor, request.parts({ limits: UPLOAD_LIMITS }));
  }

  @Get('attachments/:attachmentId/content')
  @Public()
  @ApiOperation({ summary: 'A tip image for a signed link minted by police triage' })
  async content(
    @Param('attachmentId') attachmentId: string,
    @Query('exp') exp: string | undefined,
    @Query('sig') sig: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const image = await this.attachments.content(attachmentId, exp, sig);
    await reply
      .type(image.type)
      .header('content-length', image.size)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .send(image.body);
  }

  @Post('follow-up')
  @Public()
  @HttpCode(200)
  @RateLimit(TIP_RATE_LIMITS.followUpPerIp)
  @ApiBody({ schema: { type: 'object' }, description: 'ReceiptRequest: the code travels in the body, never in a URL that logs and proxies keep' })
  @ApiOkResponse({ description: 'TipFollowUpResponse' })
  followUp(@Req() request: FastifyRequest): Promise<TipFollowUpResponse> {
    return this.followUps.followUp(request.body);
  }

  @Post('follow-up/additions')
  @Public()
  @HttpCode(200)
  @RateLimit(TIP_RATE_LIMITS.additionPerIp)
  @ApiBody({ schema: { type: 'object' }, description: 'AddTipInfoRequest' })
  @ApiOkResponse({ description: 'TipFollowUpResponse with the addition' })
  addInfo(@Req() request: FastifyRequest): Promise<TipFollowUpResponse> {
    return this.followUps.addInfo(request.body);
  }
}
