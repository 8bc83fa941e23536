import { Text } from '@tarojs/components'
import { MEMBERSHIP_STATUS_LABELS, type MembershipStatus } from '@qmfz/contracts'

export function StatusBadge({ status }: { status: MembershipStatus }) {
  return <Text className={`badge badge--${status}`}>{MEMBERSHIP_STATUS_LABELS[status]}</Text>
}
