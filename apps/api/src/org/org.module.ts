import { Global, Module } from '@nestjs/common';
import { InvitesRepository } from './invites.repository.js';
import { InvitesService } from './invites.service.js';
import { MembershipsRepository } from './memberships.repository.js';
import { MembershipsService } from './memberships.service.js';
import { OrgController } from './org.controller.js';
import { RosterRepository } from './roster.repository.js';
import { RosterService } from './roster.service.js';
import { TownshipsRepository } from './townships.repository.js';
import { UnitsRepository } from './units.repository.js';
import { UnitsService } from './units.service.js';

const REPOSITORIES = [TownshipsRepository, UnitsRepository, MembershipsRepository, RosterRepository, InvitesRepository];

@Global()
@Module({
  controllers: [OrgController],
  providers: [...REPOSITORIES, UnitsService, InvitesService, MembershipsService, RosterService],
  exports: [...REPOSITORIES],
})
export class OrgModule {}
