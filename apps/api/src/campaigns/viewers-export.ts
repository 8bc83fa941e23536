import { REJECTION_REASON_LABELS, REJECTION_REASONS, ROLE_LABELS, VIEWING_STATUS_LABELS, type ViewerStatusResponse } from '@qmfz/contracts';
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

/** One sheet: each required person of the unit with status, progress, check-in time and rejected heartbeats. */
export async function viewersWorkbook(campaignTitle: string, unitName: string, viewers: ViewerStatusResponse[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('观看情况');
  sheet.addRow([spreadsheetText(`${campaignTitle} — ${unitName}`)]);
  sheet.addRow(['姓名', '角色', '状态', '观看进度(%)', '确认时间', '逾期确认', ...REJECTION_REASONS.map((r) => `异常:${REJECTION_REASON_LABELS[r]}`)]);
  for (const viewer of viewers) {
    sheet.addRow([
      spreadsheetText(viewer.displayName),
      ROLE_LABELS[viewer.role],
      VIEWING_STATUS_LABELS[viewer.status],
      viewer.percent,
      viewer.checkedInAt ? shanghaiTime(new Date(viewer.checkedInAt)) : '',
      viewer.late ? '是' : '',
      ...REJECTION_REASONS.map((r) => viewer.rejections[r]),
    ]);
  }
  sheet.getRow(2).font = { bold: true };
  sheet.columns.forEach((column) => (column.width = 14));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
