import { describe, expect, it } from '@jest/globals';
import { LIMITS, Role } from '@qmfz/contracts';
import ExcelJS from 'exceljs';
import { parseRosterFile, RosterFileError } from './roster-file.js';

const csv = (text: string) => Buffer.from(text, 'utf8');
const BOM = '\ufeff';

async function xlsx(rows: unknown[][], options: { sheetName?: string; startRow?: number } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheetName ?? '名册');
  rows.forEach((row, i) => {
    sheet.getRow((options.startRow ?? 1) + i).values = row as ExcelJS.CellValue[];
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function fileError(content: Buffer, maxRows?: number): Promise<RosterFileError> {
  const error = await parseRosterFile(content, maxRows).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RosterFileError);
  return error as RosterFileError;
}

describe('parseRosterFile with CSV', () => {
  it('should read a UTF-8 CSV with a byte order mark and Chinese headers', async () => {
    const parsed = await parseRosterFile(csv(`${BOM}姓名,手机号,角色\n张三,13812345678,工作人员\n李四,13912345678,单位管理员\n`));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { line: 2, name: '张三', phone: '13812345678', role: Role.STAFF },
      { line: 3, name: '李四', phone: '13912345678', role: Role.UNIT_ADMIN },
    ]);
  });

  it('should accept English headers in any case and order, and ignore extra columns', async () => {
    const parsed = await parseRosterFile(csv('Phone,备注,NAME,Role\r\n13812345678,x,Zhang San,police\r\n'));
    expect(parsed.rows).toEqual([{ line: 2, name: 'Zhang San', phone: '13812345678', role: Role.POLICE }]);
  });

  it('should default the role to staff when the column is missing or the cell is empty', async () => {
    const withoutColumn = await parseRosterFile(csv('姓名,手机号\n张三,13812345678\n'));
    const emptyCell = await parseRosterFile(csv('姓名,手机号,角色\n张三,13812345678,\n'));
    expect(withoutColumn.rows[0].role).toBe(Role.STAFF);
    expect(emptyCell.rows[0].role).toBe(Role.STAFF);
  });

  it('should normalise phone numbers written with +86, spaces or dashes', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号\n甲,+86 138-1234-5678\n乙,0086 13912345678\n'));
    expect(parsed.rows.map((r) => r.phone)).toEqual(['13812345678', '13912345678']);
  });

  it('should number lines as in the file, header as line 1, counting blank lines and multi-line cells', async () => {
    const text = '姓名,手机号\n张三,13812345678\n\n"李\n四",139\n王五,13712345678\n';
    const parsed = await parseRosterFile(csv(text));
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 6]);
    expect(parsed.errors).toEqual([{ line: 4, reason: expect.stringContaining('手机号格式不正确') }]);
  });

  it('should report a bad phone number with its line and keep the good lines', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号\n张三,12345\n李四,13912345678\n王五,023-79332042\n'));
    expect(parsed.rows.map((r) => r.name)).toEqual(['李四']);
    expect(parsed.errors).toEqual([
      { line: 2, reason: '手机号格式不正确，应为 11 位中国大陆手机号' },
      { line: 4, reason: '手机号格式不正确，应为 11 位中国大陆手机号' },
    ]);
  });

  it('should report an empty name, a missing phone and a name that is too long', async () => {
    const long = '长'.repeat(LIMITS.nameMax + 1);
    const parsed = await parseRosterFile(csv(`姓名,手机号\n  ,13812345678\n张三,\n${long},13912345678\n${'长'.repeat(LIMITS.nameMax)},13712345678\n`));
    expect(parsed.errors).toEqual([
      { line: 2, reason: '姓名不能为空' },
      { line: 3, reason: '手机号不能为空' },
      { line: 4, reason: `姓名不能超过 ${LIMITS.nameMax} 个字` },
    ]);
    expect(parsed.rows.map((r) => r.line)).toEqual([5]);
  });

  it('should refuse a name that spans lines or holds a control character, and keep the good lines', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号\n"张\n三",13812345678\n李\u0007四,13912345678\n王五,13712345678\n'));
    expect(parsed.errors).toEqual([
      { line: 2, reason: '姓名不能包含换行、制表符等控制字符' },
      { line: 4, reason: '姓名不能包含换行、制表符等控制字符' },
    ]);
    expect(parsed.rows.map((r) => r.name)).toEqual(['王五']);
  });

  it('should report every problem of a line together', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号,角色\n,123,村长\n'));
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0].reason).toContain('姓名不能为空');
    expect(parsed.errors[0].reason).toContain('手机号格式不正确');
    expect(parsed.errors[0].reason).toContain('角色“村长”无法识别');
  });

  it('should refuse a phone repeated in the same file on the later line only, whatever its spelling', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号\n张三,13812345678\n李四,13912345678\n张三二,+86 138 1234 5678\n'));
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(parsed.errors).toEqual([{ line: 4, reason: '手机号与第 2 行重复' }]);
  });

  it('should understand the Chinese and English role names and nothing else', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号,角色\n甲,13812345601,民警\n乙,13812345602,Unit_Admin\n丙,13812345603,township_admin\n'));
    expect(parsed.rows.map((r) => r.role)).toEqual([Role.POLICE, Role.UNIT_ADMIN]);
    expect(parsed.errors).toEqual([{ line: 4, reason: expect.stringContaining('无法识别') }]);
  });

  it('should skip blank lines without counting them against the row limit', async () => {
    const parsed = await parseRosterFile(csv('姓名,手机号\n甲,13812345601\n,\n\n乙,13812345602\n'), 2);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.errors).toEqual([]);
  });

  it('should refuse a file with more rows than the limit, as a whole', async () => {
    const lines = Array.from({ length: LIMITS.rosterMaxRows + 1 }, (_, i) => `人${i},138${String(i).padStart(8, '0')}`);
    const error = await fileError(csv(`姓名,手机号\n${lines.join('\n')}\n`));
    expect(error.kind).toBe('too_many_rows');
    expect(error.message).toContain(String(LIMITS.rosterMaxRows));
  });

  it('should accept exactly the row limit', async () => {
    const lines = Array.from({ length: LIMITS.rosterMaxRows }, (_, i) => `人${i},138${String(i).padStart(8, '0')}`);
    const parsed = await parseRosterFile(csv(`姓名,手机号\n${lines.join('\n')}\n`));
    expect(parsed.rows).toHaveLength(LIMITS.rosterMaxRows);
  });

  it('should refuse a header without the name or phone column and say which is missing', async () => {
    const error = await fileError(csv('名字,电话号码\n张三,13812345678\n'));
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('姓名、手机号');
  });

  it('should refuse an empty file', async () => {
    expect((await fileError(Buffer.alloc(0))).kind).toBe('invalid');
  });

  it('should refuse a CSV saved in GBK and say to use UTF-8', async () => {
    // "姓名,手机号" in GBK
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0xba, 0xc5, 0x0a]);
    const error = await fileError(gbk);
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('UTF-8');
  });

  it('should refuse a CSV with an unclosed quote', async () => {
    expect((await fileError(csv('姓名,手机号\n"张三,13812345678\n'))).kind).toBe('invalid');
  });
});

describe('parseRosterFile with XLSX', () => {
  it('should read the first sheet of a workbook, with numeric phones and rich text', async () => {
    const file = await xlsx([
      ['姓名', '手机号', '角色'],
      ['张三', 13812345678, '工作人员'],
      [{ richText: [{ text: '李' }, { text: '四' }] }, '139 1234 5678', ''],
    ]);
    const parsed = await parseRosterFile(file);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { line: 2, name: '张三', phone: '13812345678', role: Role.STAFF },
      { line: 3, name: '李四', phone: '13912345678', role: Role.STAFF },
    ]);
  });

  it('should use sheet row numbers as line numbers, skipping empty rows', async () => {
    const file = await xlsx([['name', 'phone'], ['甲', '13812345601'], [], [], ['乙', 'bad'], ['', '13812345602']]);
    const parsed = await parseRosterFile(file);
    expect(parsed.rows.map((r) => r.line)).toEqual([2]);
    expect(parsed.errors).toEqual([
      { line: 5, reason: '手机号格式不正确，应为 11 位中国大陆手机号' },
      { line: 6, reason: '姓名不能为空' },
    ]);
  });

  it('should recognise a workbook by its content even when the first bytes look like nothing else', async () => {
    const file = await xlsx([['姓名', '手机号'], ['张三', '13812345678']]);
    expect(file.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect((await parseRosterFile(file)).rows).toHaveLength(1);
  });

  it('should refuse a workbook whose first row is not the header', async () => {
    const file = await xlsx([['姓名', '手机号'], ['张三', '13812345678']], { startRow: 3 });
    expect((await fileError(file)).kind).toBe('invalid');
  });

  it('should refuse a workbook with more rows than the limit', async () => {
    const file = await xlsx([['姓名', '手机号'], ['甲', '13812345601'], ['乙', '13812345602'], ['丙', '13812345603']]);
    expect((await fileError(file, 2)).kind).toBe('too_many_rows');
  });
});

describe('parseRosterFile with disguised or damaged files', () => {
  it('should refuse a PNG image even if it was named roster.csv', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 0)]);
    expect((await fileError(png)).kind).toBe('invalid');
  });

  it('should refuse text with NUL bytes, such as a UTF-16 export', async () => {
    const utf16 = Buffer.from('姓名,手机号\n张三,13812345678\n', 'utf16le');
    expect((await fileError(utf16)).kind).toBe('invalid');
  });

  it('should refuse a zip archive that is not a workbook', async () => {
    const notWorkbook = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('not really a zip file at all')]);
    expect((await fileError(notWorkbook)).kind).toBe('invalid');
  });

  it('should refuse a truncated workbook', async () => {
    const file = await xlsx([['姓名', '手机号'], ['张三', '13812345678']]);
    expect((await fileError(file.subarray(0, Math.floor(file.length / 2)))).kind).toBe('invalid');
  });
});
