import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@qmfz/contracts';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DatabaseProbe } from './database-probe.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseProbe,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 200 when the database answers, 503 otherwise, so a load balancer can take the instance out. */
  @Public()
  @Get()
  @ApiOkResponse({ description: 'Database reachable' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const up = await this.database.isReachable();
    if (!up) reply.status(503);
    return { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down', driver: this.config.database.type, time: new Date().toISOString() };
  }
}
