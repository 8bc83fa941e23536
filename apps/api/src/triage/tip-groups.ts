import type { GroupMember } from './triage.repository.js';

export interface GroupInfo {
  size: number;
  /** The earliest tip of the group (by creation time, then id): its reporter keeps priority. */
  firstId: string;
}

/** Size and earliest tip of each group, from all members of those groups. */
export function groupInfo(members: GroupMember[]): Map<string, GroupInfo> {
  const groups = new Map<string, GroupInfo & { firstAt: number }>();
  for (const member of members) {
    const at = member.createdAt.getTime();
    const group = groups.get(member.groupId);
    if (!group) {
      groups.set(member.groupId, { size: 1, firstId: member.id, firstAt: at });
      continue;
    }
    group.size += 1;
    if (at < group.firstAt || (at === group.firstAt && member.id < group.firstId)) {
      group.firstId = member.id;
      group.firstAt = at;
    }
  }
  return new Map([...groups].map(([id, { size, firstId }]) => [id, { size, firstId }]));
}
