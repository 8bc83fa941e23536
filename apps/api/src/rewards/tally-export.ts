import type { RewardTallyResponse, TallyRow } from '@qmfz/contracts';
import { xlsxWorkbook, type SheetCell } from '../common/spreadsheet.js';

const HEADINGS = ['奖励数', '金额(元)', '已发放(元)'];

function sheetRows(first: string, rows: TallyRow[], total: TallyRow): SheetCell[][] {
  const line = (row: TallyRow): SheetCell[] => [row.label, row.count, row.amountYuan, row.paidYuan];
  return [[first, ...HEADINGS], ...rows.map(line), line(total)];
}

/** Three sheets: per period, per unit, per reporter (masked phones only), each ending with the total. */
export function tallyWorkbook(tally: RewardTallyResponse): Promise<Buffer> {
  const sheet = (name: string, first: string, rows: TallyRow[]) => ({
    name,
    rows: sheetRows(first, rows, tally.total),
    boldRows: [1, rows.length + 2],
    columnWidth: 16,
  });
  return xlsxWorkbook([
    sheet(tally.period === 'week' ? '按周' : '按月', tally.period === 'week' ? '周' : '月份', tally.periods),
    sheet('按单位', '单位', tally.units),
    sheet('按举报人', '举报人', tally.reporters),
  ]);
}
