import { Role, UnitKind } from '@qmfz/contracts';

/**
 * The township of the reference work plan (白土乡, 黔江区). The unit kinds and offices are the plan's own
 * (派出所, 司法所, 文化服务中心, 平安办, 财政办, schools, villages and communities); village names are illustrative.
 */
export const DEMO_TOWNSHIP = { code: 'baitu', name: '白土乡' };

export const DEMO_UNITS: { name: string; kind: UnitKind }[] = [
  { name: '白土乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
  { name: '白土派出所', kind: UnitKind.POLICE_STATION },
  { name: '白土司法所', kind: UnitKind.DEPARTMENT },
  { name: '白土乡文化服务中心', kind: UnitKind.DEPARTMENT },
  { name: '白土乡财政办', kind: UnitKind.DEPARTMENT },
  { name: '白土乡中心小学', kind: UnitKind.SCHOOL },
  { name: '白土中学', kind: UnitKind.SCHOOL },
  { name: '白土社区', kind: UnitKind.COMMUNITY },
  { name: '三塘村', kind: UnitKind.VILLAGE },
  { name: '石门村', kind: UnitKind.VILLAGE },
  { name: '永安村', kind: UnitKind.VILLAGE },
];

export const DEMO_PEOPLE: { name: string; unit: string; role: Role }[] = [
  { name: '平安办管理员', unit: '白土乡平安办', role: Role.TOWNSHIP_ADMIN },
  { name: '王警官', unit: '白土派出所', role: Role.POLICE },
  { name: '派出所管理员', unit: '白土派出所', role: Role.UNIT_ADMIN },
  { name: '李所长', unit: '白土司法所', role: Role.UNIT_ADMIN },
  { name: '司法所干事', unit: '白土司法所', role: Role.STAFF },
  { name: '文化中心管理员', unit: '白土乡文化服务中心', role: Role.UNIT_ADMIN },
  { name: '财政办管理员', unit: '白土乡财政办', role: Role.UNIT_ADMIN },
  { name: '财政办会计', unit: '白土乡财政办', role: Role.STAFF },
  { name: '小学教导主任', unit: '白土乡中心小学', role: Role.UNIT_ADMIN },
  { name: '小学班主任', unit: '白土乡中心小学', role: Role.STAFF },
  { name: '中学教导主任', unit: '白土中学', role: Role.UNIT_ADMIN },
  { name: '社区书记', unit: '白土社区', role: Role.UNIT_ADMIN },
  { name: '社区网格员', unit: '白土社区', role: Role.STAFF },
  { name: '三塘村支书', unit: '三塘村', role: Role.UNIT_ADMIN },
  { name: '三塘村文书', unit: '三塘村', role: Role.STAFF },
  { name: '石门村支书', unit: '石门村', role: Role.UNIT_ADMIN },
  { name: '永安村支书', unit: '永安村', role: Role.UNIT_ADMIN },
];
