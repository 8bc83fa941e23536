import { REJECTION_REASON_LABELS, REJECTION_REASONS, ROLE_LABELS, VIEWING_STATUS_LABELS, type ViewerStatusResponse } from '@qmfz/contracts';
import { shanghaiTime, xlsxWorkbook } from '../common/spreadsheet.js';

/** One sheet: each required person of the unit with status, progress, check-in time and rejected heartbeats. */
export async function viewersWorkbook(campaignTitle: string, unitName: string, viewers: ViewerStatusResponse[]): Promise<Buffer> {
  const rows = [
    [`${campaignTitle} — ${unitName}`],
    ['姓名', '角色', '状态', '观看进度(%)', '确认时间', '逾期确认', ...REJECTION_REASONS.map((r) => `异常:${REJECTION_REASON_LABELS[r]}`)],
    ...viewers.map((viewer) => [
      viewer.displayName,
      ROLE_LABELS[viewer.role],
      VIEWING_STATUS_LABELS[viewer.status],
      viewer.percent,
      viewer.checkedInAt ? shanghaiTime(new Date(viewer.checkedInAt)) : '',
      viewer.late ? '是' : '',
      ...REJECTION_REASONS.map((r) => viewer.rejections[r]),
    ]),
  ];
  return xlsxWorkbook([{ name: '观看情况', rows, boldRows: [2] }]);
}
