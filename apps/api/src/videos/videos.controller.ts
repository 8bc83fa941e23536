import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, type VideoResponse } from '@qmfz/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Public, Roles } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { CreateExternalVideoDto } from './videos.dto.js';
import { VideosService } from './videos.service.js';

@ApiTags('videos')
@ApiBearerAuth()
@Controller('videos')
export class VideosController {
  constructor(private readonly videos: VideosService) {}

  @Get()
  @Roles(Role.TOWNSHIP_ADMIN)
  @ApiOkResponse({ description: 'VideoResponse[]' })
  list(@CurrentActor() actor: Actor): Promise<VideoResponse[]> {
    return this.videos.list(actor);
  }

  @Post()
  @Roles(Role.TOWNSHIP_ADMIN)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Upload an MP4 or WebM video: fields title, durationSeconds (when the file has none), file' })
  @ApiCreatedResponse({ description: 'VideoResponse' })
  upload(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<VideoResponse> {
    const parts = request.parts({ limits: { fileSize: this.videos.maxUploadBytes, files: 1, fields: 4 } });
    return this.videos.upload(actor, parts);
  }

  @Post('external')
  @Roles(Role.TOWNSHIP_ADMIN)
  @ApiCreatedResponse({ description: 'VideoResponse' })
  createExternal(@CurrentActor() actor: Actor, @Body() body: CreateExternalVideoDto): Promise<VideoResponse> {
    return this.videos.createExternal(actor, body);
  }

  @Get(':videoId/stream')
  @Public()
  @ApiOperation({ summary: 'Bytes of an uploaded video, for a signed link handed out with a viewing session; Range supported' })
  async stream(
    @Param('videoId', ParseIdPipe) videoId: string,
    @Query('exp') exp: string | undefined,
    @Query('sig') sig: string | undefined,
    @Headers('range') range: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const video = await this.videos.stream(videoId, exp, sig, range);
    reply.header('accept-ranges', 'bytes').header('cache-control', 'private, max-age=600').type(video.type);
    if (video.status === 416) {
      await reply.code(416).header('content-range', `bytes */${video.size}`).send();
      return;
    }
    if (video.range) reply.header('content-range', `bytes ${video.range.start}-${video.range.end}/${video.size}`);
    await reply.code(video.status).header('content-length', video.length).send(video.body);
  }
}
