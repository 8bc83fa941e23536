import type { Role } from '@qmfz/contracts';

/** Identity of a development-login user: the same inputs always give the same demo person. */
export function devKeyFor(townshipCode: string, role: Role | 'resident', unitId: string | null, name: string): string {
  return [townshipCode, role, unitId ?? '-', name].join(':');
}
