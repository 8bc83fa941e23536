import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SubscribeKind, type NoticeResponse, type SubscribeConsentRequest, type SubscribeTemplatesResponse } from '@qmfz/contracts';
import { IsBoolean } from 'class-validator';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { Label, OneOf } from '../common/validation.js';
import { NoticesService } from './notices.service.js';

export class SubscribeConsentDto implements SubscribeConsentRequest {
  @Label('订阅类型')
  @OneOf(Object.values(SubscribeKind))
  kind: SubscribeKind;

  @Label('是否同意')
  @IsBoolean()
  accepted: boolean;
}

/** The signed-in person's own notices and WeChat subscribe consents. */
@ApiTags('notices')
@ApiBearerAuth()
@Controller()
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get('notices')
  @ApiOkResponse({ description: 'NoticeResponse[], newest first, at most 50' })
  list(@CurrentActor() actor: Actor): Promise<NoticeResponse[]> {
    return this.notices.list(actor);
  }

  @Post('notices/:noticeId/read')
  @HttpCode(204)
  @ApiNoContentResponse()
  read(@CurrentActor() actor: Actor, @Param('noticeId', ParseIdPipe) noticeId: string): Promise<void> {
    return this.notices.markRead(actor, noticeId);
  }

  @Get('subscriptions/templates')
  templates(): SubscribeTemplatesResponse {
    return this.notices.templates();
  }

  @Post('subscriptions/consents')
  @HttpCode(204)
  consent(@CurrentActor() actor: Actor, @Body() body: SubscribeConsentDto): Promise<void> {
    return this.notices.recordConsent(actor, body.kind, body.accepted);
  }
}
