import ExcelJS from 'exceljs';

const TIME_ZONE = 'Asia/Shanghai';

/** "2026-12-31 18:00" in China's time, for people (exports, reminders). */
export function shanghaiTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, and tab/CR that some readers strip first) is written
 * with a leading apostrophe: names come from people and rosters, and an export must never execute them.
 */
export function spreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export type SheetCell = string | number | null;

export interface SheetSpec {
  name: string;
  rows: SheetCell[][];
  /** 1-based numbers of the rows to set in bold (headings, totals). */
  boldRows?: number[];
  columnWidth?: number;
}

/** An XLSX workbook of plain sheets. Every text cell passes through `spreadsheetText`, so none can be a formula. */
export async function xlsxWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    for (const row of spec.rows) sheet.addRow(row.map((cell) => (typeof cell === 'string' ? spreadsheetText(cell) : cell)));
    for (const number of spec.boldRows ?? []) sheet.getRow(number).font = { bold: true };
    sheet.columns.forEach((column) => (column.width = spec.columnWidth ?? 14));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
