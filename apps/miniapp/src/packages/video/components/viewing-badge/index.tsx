import { Text } from '@tarojs/components'
import { VIEWING_STATUS_LABELS, type ViewingStatus } from '@qmfz/contracts'

/** 待观看 / 待确认 / 已完成 / 已逾期, coloured by status (video.css). */
export function ViewingBadge({ status }: { status: ViewingStatus }) {
  return <Text className={`badge badge--viewing-${status}`}>{VIEWING_STATUS_LABELS[status]}</Text>
}
