import { describe, expect, it } from '@jest/globals';
import { Role, UnitKind, type UnitKind as Kind } from '@qmfz/contracts';
import { Actor } from '../auth/actor.js';
import { grantableRoles, mayGrantRole } from './unit-access.js';

const office = { id: 'OFFICE', kind: UnitKind.TOWNSHIP_OFFICE as Kind };
const station = { id: 'STATION', kind: UnitKind.POLICE_STATION as Kind };
const village = { id: 'VILLAGE', kind: UnitKind.VILLAGE as Kind };
const otherVillage = { id: 'OTHER', kind: UnitKind.VILLAGE as Kind };

const townshipAdmin = new Actor('u1', 't1', [{ unitId: office.id, unitKind: office.kind, role: Role.TOWNSHIP_ADMIN }]);
const villageAdmin = new Actor('u2', 't1', [{ unitId: village.id, unitKind: village.kind, role: Role.UNIT_ADMIN }]);
const stationAdmin = new Actor('u3', 't1', [{ unitId: station.id, unitKind: station.kind, role: Role.UNIT_ADMIN }]);
const villageStaff = new Actor('u4', 't1', [{ unitId: village.id, unitKind: village.kind, role: Role.STAFF }]);

describe('mayGrantRole', () => {
  it('should let a unit admin bring in staff of their own unit but not make admins', () => {
    expect(mayGrantRole(villageAdmin, village, Role.STAFF)).toBe(true);
    expect(mayGrantRole(villageAdmin, village, Role.UNIT_ADMIN)).toBe(false);
    expect(mayGrantRole(villageAdmin, village, Role.TOWNSHIP_ADMIN)).toBe(false);
  });

  it('should let a police station admin bring in police, and no other unit admin', () => {
    expect(mayGrantRole(stationAdmin, station, Role.POLICE)).toBe(true);
    expect(mayGrantRole(villageAdmin, village, Role.POLICE)).toBe(false);
  });

  it('should give a unit admin no rights in another unit', () => {
    expect(grantableRoles(villageAdmin, otherVillage)).toEqual([]);
  });

  it('should give staff no rights at all', () => {
    expect(grantableRoles(villageStaff, village)).toEqual([]);
  });

  it('should let a township admin grant every role that fits the unit kind', () => {
    expect(grantableRoles(townshipAdmin, village)).toEqual([Role.STAFF, Role.UNIT_ADMIN]);
    expect(grantableRoles(townshipAdmin, station)).toEqual([Role.STAFF, Role.UNIT_ADMIN, Role.POLICE]);
    expect(grantableRoles(townshipAdmin, office)).toEqual([Role.STAFF, Role.UNIT_ADMIN, Role.TOWNSHIP_ADMIN]);
  });
});
