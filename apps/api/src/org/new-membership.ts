import { MembershipStatus } from '@qmfz/contracts';
import { newId } from '../common/ids.js';
import type { MembershipEntity } from '../database/entities/index.js';

/**
 * A membership row of the user in the unit. Pending ones wait for a decision; active ones are decided at
 * creation (by `decidedBy`, or by nobody for the seed, the demo login and roster claims).
 */
export function newMembership(
  fields: Pick<MembershipEntity, 'townshipId' | 'unitId' | 'userId' | 'role' | 'status'>,
  now: Date,
  decidedBy: string | null = null,
): MembershipEntity {
  const decided = fields.status !== MembershipStatus.PENDING;
  return {
    id: newId(),
    ...fields,
    createdAt: now,
    decidedAt: decided ? now : null,
    decidedBy: decided ? decidedBy : null,
  };
}
