import { LIMITS, Role, type RosterImportRowError } from '@qmfz/contracts';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { normalizeMobile } from '../common/phone.js';
import { isPlainText } from '../common/text.js';
import { zipWithinLimits } from './zip-guard.js';

/** A roster line that passed the file-level checks; the caller still decides whether the role may be granted. */
export interface RosterRow {
  line: number;
  name: string;
  /** Normalised mainland mobile number (11 digits). */
  phone: string;
  role: Role;
}

export interface ParsedRoster {
  rows: RosterRow[];
  errors: RosterImportRowError[];
}

/** The file as a whole cannot be used; nothing of it may be imported. */
export class RosterFileError extends Error {
  constructor(
    readonly kind: 'invalid' | 'too_many_rows',
    message: string,
  ) {
    super(message);
    this.name = 'RosterFileError';
  }
}

interface TableRow {
  line: number;
  cells: string[];
}

type Column = 'name' | 'phone' | 'role';

const HEADER_ALIASES: Record<string, Column> = {
  姓名: 'name',
  name: 'name',
  手机号: 'phone',
  手机号码: 'phone',
  手机: 'phone',
  phone: 'phone',
  mobile: 'phone',
  角色: 'role',
  role: 'role',
};

const ROLE_ALIASES: Record<string, Role> = {
  工作人员: Role.STAFF,
  staff: Role.STAFF,
  单位管理员: Role.UNIT_ADMIN,
  unit_admin: Role.UNIT_ADMIN,
  民警: Role.POLICE,
  police: Role.POLICE,
};

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Reads a roster (CSV in UTF-8, or XLSX recognised by its zip signature, never by name) into checked rows.
 * Line numbers are 1-based with the header as line 1; blank lines are skipped and not counted against the limit.
 */
export async function parseRosterFile(content: Buffer, maxRows: number = LIMITS.rosterMaxRows): Promise<ParsedRoster> {
  const table = content.subarray(0, 4).equals(ZIP_MAGIC) ? await readXlsx(content) : readCsv(content);
  const [header, ...body] = table;
  if (!header || header.line !== 1) throw new RosterFileError('invalid', '第 1 行应为表头：姓名、手机号、角色（可选）');
  const columns = locateColumns(header.cells);
  const rows = body.filter((row) => row.cells.some((cell) => cell !== ''));
  if (rows.length > maxRows) throw new RosterFileError('too_many_rows', `名册最多 ${maxRows} 行，本文件有 ${rows.length} 行`);
  return checkRows(rows, columns);
}

function readCsv(content: Buffer): TableRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new RosterFileError('invalid', '名册文件无法读取：CSV 须以 UTF-8 编码保存，或上传 XLSX 文件');
  }
  if (text.includes('\u0000')) throw new RosterFileError('invalid', '名册文件无法读取，请上传 CSV 或 XLSX 文件');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` csv-parse returns {record, info} objects; its typings only describe plain records.
    const options = { bom: true, delimiter: [',', '\t'], relax_column_count: true, skip_empty_lines: false, info: true };
    records = parse(text, options) as unknown as typeof records;
  } catch {
    throw new RosterFileError('invalid', '名册文件无法读取：CSV 格式有误（请检查引号是否成对）');
  }
  // csv-parse reports the line a record ends on; a record starts one line after the previous one ended.
  let previousEnd = 0;
  return records.map(({ record, info }) => {
    const row = { line: previousEnd + 1, cells: record.map((cell) => cell.trim()) };
    previousEnd = info.lines;
    return row;
  });
}

async function readXlsx(content: Buffer): Promise<TableRow[]> {
  if (!zipWithinLimits(content)) throw new RosterFileError('invalid', '名册文件无法读取：XLSX 文件已损坏或过大');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings declare their own `Buffer` as an ArrayBuffer; hand it a copy of exactly that.
    await workbook.xlsx.load(new Uint8Array(content).buffer);
  } catch {
    throw new RosterFileError('invalid', '名册文件无法读取：不是有效的 XLSX 文件');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new RosterFileError('invalid', '名册文件中没有工作表');
  // Only rows and cells that exist: a stray cell far down or right must not make us walk empty space.
  const rows: TableRow[] = [];
  sheet.eachRow((row, line) => {
    const cells: string[] = [];
    row.eachCell((cell, column) => {
      cells[column - 1] = cell.text.trim();
    });
    rows.push({ line, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  return rows;
}

function locateColumns(header: string[]): Record<Column, number | undefined> {
  const columns: Record<Column, number | undefined> = { name: undefined, phone: undefined, role: undefined };
  header.forEach((title, index) => {
    const column = HEADER_ALIASES[title.replace(/\s+/g, '').toLowerCase()];
    if (column && columns[column] === undefined) columns[column] = index;
  });
  const missing = [columns.name === undefined ? '姓名' : null, columns.phone === undefined ? '手机号' : null].filter(Boolean);
  if (missing.length) throw new RosterFileError('invalid', `名册表头缺少列：${missing.join('、')}（第 1 行应为：姓名、手机号、角色）`);
  return columns;
}

function checkRows(rows: TableRow[], columns: Record<Column, number | undefined>): ParsedRoster {
  const parsed: ParsedRoster = { rows: [], errors: [] };
  const firstLineOfPhone = new Map<string, number>();
  for (const { line, cells } of rows) {
    const cell = (column: Column) => (columns[column] === undefined ? '' : (cells[columns[column]!] ?? ''));
    const problems: string[] = [];
    const name = cell('name');
    if (!name) problems.push('姓名不能为空');
    else if ([...name].length > LIMITS.nameMax) problems.push(`姓名不能超过 ${LIMITS.nameMax} 个字`);
    else if (!isPlainText(name)) problems.push('姓名不能包含换行、制表符等控制字符');

    const phone = cell('phone') ? normalizeMobile(cell('phone')) : null;
    if (!cell('phone')) problems.push('手机号不能为空');
    else if (!phone) problems.push('手机号格式不正确，应为 11 位中国大陆手机号');
    else if (firstLineOfPhone.has(phone)) problems.push(`手机号与第 ${firstLineOfPhone.get(phone)} 行重复`);
    else firstLineOfPhone.set(phone, line);

    const role = cell('role') ? ROLE_ALIASES[cell('role').toLowerCase()] : Role.STAFF;
    if (!role) problems.push(`角色“${[...cell('role')].slice(0, 20).join('')}”无法识别，可填：工作人员、单位管理员、民警`);

    if (problems.length) parsed.errors.push({ line, reason: problems.join('；') });
    else parsed.rows.push({ line, name, phone: phone!, role: role! });
  }
  return parsed;
}
