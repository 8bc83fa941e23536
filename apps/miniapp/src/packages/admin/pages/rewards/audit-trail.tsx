import { Text, View } from '@tarojs/components'
import type { RewardAuditEntry } from '@qmfz/contracts'

import { formatDateTime } from '../../../../utils/format'

/** Names for the actions the server records; anything else is shown as the server wrote it. */
const ACTION_LABELS: Record<string, string> = {
  'reward.decided': '决定奖励',
  'reward.approved': '批准',
  'reward.rejected': '驳回',
  'reward.paid': '标记已发放',
  'identity.revealed': '查看举报人身份',
}

const actionLabel = (action: string) => ACTION_LABELS[action] ?? action

/** A reward's append-only audit record: who did what, when. */
export function AuditTrail({ entries }: { entries: RewardAuditEntry[] }) {
  return (
    <View className='reward-audit'>
      {entries.length === 0 && <Text className='hint'>暂无审计记录。</Text>}
      {entries.map((entry) => (
        <View key={entry.id} className='reward-audit__entry'>
          <Text className='text'>{`${entry.actorName}：${actionLabel(entry.action)}`}</Text>
          <Text className='hint'>{[formatDateTime(entry.createdAt), entry.detail].filter(Boolean).join('，')}</Text>
        </View>
      ))}
    </View>
  )
}
