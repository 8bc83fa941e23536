import { describe, expect, it } from '@jest/globals';
import { groupInfo } from './tip-groups.js';

const member = (id: string, groupId: string, iso: string) => ({ id, groupId, status: 'received' as const, createdAt: new Date(iso) });

describe('groupInfo', () => {
  it('should size each group and name its earliest tip, whatever the input order', () => {
    const groups = groupInfo([member('C', 'A', '2026-11-03T00:00:00Z'), member('A', 'A', '2026-11-01T00:00:00Z'), member('B', 'A', '2026-11-02T00:00:00Z'), member('Z', 'Z', '2026-11-05T00:00:00Z')]);
    expect(groups.get('A')).toEqual({ size: 3, firstId: 'A' });
    expect(groups.get('Z')).toEqual({ size: 1, firstId: 'Z' });
  });

  it('should break a tie in creation time by the smaller id', () => {
    const at = '2026-11-01T00:00:00Z';
    expect(groupInfo([member('N', 'G', at), member('M', 'G', at)]).get('G')?.firstId).toBe('M');
  });
});
