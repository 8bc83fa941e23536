import type { AuditEntry } from '../audit/audit-log.repository.js';

export const AuditAction = {
  REWARD_DECIDED: 'reward.decided',
  REWARD_APPROVED: 'reward.approved',
  REWARD_REJECTED: 'reward.rejected',
  REWARD_PAID: 'reward.paid',
  IDENTITY_REVEALED: 'identity.revealed',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** Rewards are addressed by their tip, so every entry about a reward or a reporter's identity names the tip. */
export const AUDIT_SUBJECT_TIP = 'tip';

/** The audit entry of an act on a tip's reward or reporter. */
export function tipAuditEntry(actor: { townshipId: string; userId: string }, tipId: string, action: AuditAction, detail: string, at: Date): AuditEntry {
  return { townshipId: actor.townshipId, actorId: actor.userId, action, subjectType: AUDIT_SUBJECT_TIP, subjectId: tipId, detail, at };
}
