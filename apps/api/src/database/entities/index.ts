import { InviteCodeEntity } from './invite-code.entity.js';
import { MembershipEntity } from './membership.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RosterEntryEntity } from './roster-entry.entity.js';
import { TownshipEntity } from './township.entity.js';
import { UnitEntity } from './unit.entity.js';
import { UserEntity } from './user.entity.js';

export { InviteCodeEntity, MembershipEntity, RefreshTokenEntity, RosterEntryEntity, TownshipEntity, UnitEntity, UserEntity };

export const ENTITIES = [TownshipEntity, UnitEntity, UserEntity, MembershipEntity, InviteCodeEntity, RosterEntryEntity, RefreshTokenEntity];
