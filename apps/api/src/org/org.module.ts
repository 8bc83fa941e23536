import { Global, Module } from '@nestjs/common';
import { MembershipsRepository } from './memberships.repository.js';
import { RosterRepository } from './roster.repository.js';
import { TownshipsRepository } from './townships.repository.js';
import { UnitsRepository } from './units.repository.js';

const REPOSITORIES = [TownshipsRepository, UnitsRepository, MembershipsRepository, RosterRepository];

@Global()
@Module({
  providers: [...REPOSITORIES],
  exports: [...REPOSITORIES],
})
export class OrgModule {}
