import { Button, Text, View } from '@tarojs/components'
import {
  REJECTION_REASON_LABELS,
  REJECTION_REASONS,
  ROLE_LABELS,
  VIEWING_STATUS_LABELS,
  ViewingStatus,
  type RejectionCounts,
  type UnitProgress,
  type ViewerStatusResponse,
} from '@qmfz/contracts'
import { useState } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { formatDateTime } from '../../../../utils/format'
import { Segmented } from '../../components/segmented'
import { RemindButton } from './remind-button'
import { useViewers } from './use-viewers'

type Filter = 'all' | 'overdue'
const FILTERS = [
  { value: 'all', label: '全部' },
  { value: 'overdue', label: '已逾期' },
] as const

const STATUS_BADGES: Record<ViewingStatus, string> = {
  pending: 'badge',
  completed: 'badge badge--pending',
  done: 'badge badge--active',
  overdue: 'badge badge--rejected',
}

/** The chosen unit's people: status, progress, check-in and refused heartbeats; reminders and the XLSX export. */
export function ViewersSection({ campaignId, unit }: { campaignId: string; unit: UnitProgress | undefined }) {
  const [filter, setFilter] = useState<Filter>('all')
  const viewers = useViewers(campaignId, unit?.unitId, filter === 'overdue' ? ViewingStatus.OVERDUE : undefined)
  const exportFile = useAction(async () => {
    if (unit) await campaignsApi.exportViewers(campaignId, unit.unitId, unit.unitName)
  })
  if (!unit) return null
  const list = viewers.data
  const pending = unit.required - unit.done

  return (
    <View className='card viewers'>
      <Text className='card__title'>{unit.unitName}</Text>
      <Segmented className='viewers__filter' options={FILTERS} value={filter} onChange={setFilter} />
      <FormMessage error={viewers.error} />
      {!list && !viewers.error && <Text className='hint'>正在加载…</Text>}
      {list && list.length === 0 && <Text className='hint'>{filter === 'overdue' ? '没有逾期未完成的人员。' : '本单位没有需要观看的人员。'}</Text>}
      {list?.map((viewer) => <ViewerRow key={viewer.userId} viewer={viewer} />)}
      {pending > 0 ? (
        <RemindButton campaignId={campaignId} unit={unit} pending={pending} label='提醒未完成' />
      ) : (
        <Text className='message message--ok'>本单位已全部完成观看。</Text>
      )}
      <Button className='btn btn--block viewers__export' loading={exportFile.busy} disabled={exportFile.busy} onClick={() => exportFile.run()}>
        导出 Excel
      </Button>
      <FormMessage error={exportFile.error} />
    </View>
  )
}

function ViewerRow({ viewer }: { viewer: ViewerStatusResponse }) {
  const rejections = rejectionSummary(viewer.rejections)
  const checkedIn = viewer.checkedInAt ? `，${formatDateTime(viewer.checkedInAt)} 打卡${viewer.late ? '（逾期）' : ''}` : ''
  return (
    <View className={`row viewer ${rejections ? 'viewer--flagged' : ''}`}>
      <View className='row__main'>
        <Text className='text'>{viewer.displayName}</Text>
        <Text className='hint'>{`${ROLE_LABELS[viewer.role]}，已看 ${viewer.percent}%${checkedIn}`}</Text>
        {rejections && <Text className='message message--error viewer__rejections'>{`异常记录：${rejections}`}</Text>}
      </View>
      <Text className={`${STATUS_BADGES[viewer.status]} viewer__status`}>{VIEWING_STATUS_LABELS[viewer.status]}</Text>
    </View>
  )
}

/** Only the reasons that occurred, e.g. 跳跃拖动 3 次，进度超前 1 次; empty when none did. */
function rejectionSummary(counts: Partial<RejectionCounts>): string {
  return REJECTION_REASONS.filter((reason) => (counts[reason] ?? 0) > 0)
    .map((reason) => `${REJECTION_REASON_LABELS[reason]} ${counts[reason]} 次`)
    .join('，')
}
