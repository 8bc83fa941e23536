import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Role,
  type InviteResponse,
  type MemberResponse,
  type MembershipResponse,
  type RosterEntryResponse,
  type RosterImportResponse,
  type TownshipResponse,
  type UnitResponse,
} from '@qmfz/contracts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { InvitesService } from './invites.service.js';
import { MembershipsService } from './memberships.service.js';
import {
  CreateInviteDto,
  CreateUnitDto,
  InviteResponseDto,
  JoinUnitDto,
  ListMembersQueryDto,
  ListUnitsQueryDto,
  MemberResponseDto,
  MembershipResponseDto,
  RosterEntryResponseDto,
  RosterImportResponseDto,
  RosterUploadDto,
  TownshipResponseDto,
  UnitResponseDto,
  UpdateUnitDto,
} from './org.dto.js';
import { readUploadedFile } from './roster-upload.js';
import { RosterService } from './roster.service.js';
import { UnitsService } from './units.service.js';

/** Township, units, invites, memberships and rosters. Every route is scoped to the caller's township by the services. */
@ApiTags('org')
@ApiBearerAuth()
@Controller()
@UseGuards(RateLimitGuard)
export class OrgController {
  constructor(
    private readonly units: UnitsService,
    private readonly invites: InvitesService,
    private readonly memberships: MembershipsService,
    private readonly roster: RosterService,
  ) {}

  @Get('townships/current')
  @ApiOkResponse({ type: TownshipResponseDto })
  currentTownship(@CurrentActor() actor: Actor): Promise<TownshipResponse> {
    return this.units.currentTownship(actor);
  }

  @Get('units')
  @ApiOperation({ summary: 'Units of the caller’s township (any signed-in user)' })
  @ApiOkResponse({ type: [UnitResponseDto] })
  listUnits(@CurrentActor() actor: Actor, @Query() query: ListUnitsQueryDto): Promise<UnitResponse[]> {
    return this.units.list(actor, query.kind);
  }

  @Post('units')
  @Roles(Role.TOWNSHIP_ADMIN)
  @ApiCreatedResponse({ type: UnitResponseDto })
  createUnit(@CurrentActor() actor: Actor, @Body() body: CreateUnitDto): Promise<UnitResponse> {
    return this.units.create(actor, body.name, body.kind);
  }

  @Patch('units/:unitId')
  @Roles(Role.TOWNSHIP_ADMIN)
  @ApiOkResponse({ type: UnitResponseDto })
  renameUnit(@CurrentActor() actor: Actor, @Param('unitId', ParseIdPipe) unitId: string, @Body() body: UpdateUnitDto): Promise<UnitResponse> {
    return this.units.rename(actor, unitId, body.name);
  }

  @Post('units/:unitId/invites')
  @ApiOperation({ summary: 'Issue an invite code (unit admin of the unit, or township admin)' })
  @ApiCreatedResponse({ type: InviteResponseDto })
  createInvite(@CurrentActor() actor: Actor, @Param('unitId', ParseIdPipe) unitId: string, @Body() body: CreateInviteDto): Promise<InviteResponse> {
    return this.invites.create(actor, unitId, body.role, body.validHours);
  }

  @Get('units/:unitId/invites')
  @ApiOkResponse({ type: [InviteResponseDto] })
  listInvites(@CurrentActor() actor: Actor, @Param('unitId', ParseIdPipe) unitId: string): Promise<InviteResponse[]> {
    return this.invites.list(actor, unitId);
  }

  @Delete('units/:unitId/invites/:inviteId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  revokeInvite(
    @CurrentActor() actor: Actor,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Param('inviteId', ParseIdPipe) inviteId: string,
  ): Promise<void> {
    return this.invites.revoke(actor, unitId, inviteId);
  }

  @Post('memberships/join')
  // Invite codes are short enough to guess at scale; ten tries a minute is plenty for a person.
  @RateLimit({ name: 'join', limit: 10, windowSeconds: 60, per: 'user' })
  @ApiOperation({ summary: 'Apply to join a unit with an invite code (any signed-in user)' })
  @ApiCreatedResponse({ type: MembershipResponseDto })
  join(@CurrentActor() actor: Actor, @Body() body: JoinUnitDto): Promise<MembershipResponse> {
    return this.memberships.join(actor, body.code);
  }

  @Get('units/:unitId/members')
  @ApiOkResponse({ type: [MemberResponseDto] })
  listMembers(
    @CurrentActor() actor: Actor,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Query() query: ListMembersQueryDto,
  ): Promise<MemberResponse[]> {
    return this.memberships.listMembers(actor, unitId, query.status);
  }

  @Post('units/:unitId/members/:membershipId/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: MemberResponseDto })
  approve(
    @CurrentActor() actor: Actor,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Param('membershipId', ParseIdPipe) membershipId: string,
  ): Promise<MemberResponse> {
    return this.memberships.approve(actor, unitId, membershipId);
  }

  @Post('units/:unitId/members/:membershipId/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: MemberResponseDto })
  reject(
    @CurrentActor() actor: Actor,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Param('membershipId', ParseIdPipe) membershipId: string,
  ): Promise<MemberResponse> {
    return this.memberships.reject(actor, unitId, membershipId);
  }

  @Post('units/:unitId/roster')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import a roster from CSV (UTF-8) or XLSX; good lines are saved, bad lines reported' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: RosterUploadDto })
  @ApiOkResponse({ type: RosterImportResponseDto })
  async importRoster(
    @CurrentActor() actor: Actor,
    @Param('unitId', ParseIdPipe) unitId: string,
    @Req() request: FastifyRequest,
  ): Promise<RosterImportResponse> {
    return this.roster.import(actor, unitId, await readUploadedFile(request));
  }

  @Get('units/:unitId/roster')
  @ApiOkResponse({ type: [RosterEntryResponseDto] })
  listRoster(@CurrentActor() actor: Actor, @Param('unitId', ParseIdPipe) unitId: string): Promise<RosterEntryResponse[]> {
    return this.roster.list(actor, unitId);
  }
}
