import { Text, View } from '@tarojs/components'
import { RewardStatus, type RevealedIdentityResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { orgApi } from '../../../../api/org'
import { rewardsApi } from '../../../../api/rewards'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { useKeyedRemote, useRemote } from '../../../../state/use-remote'
import { isTownshipAdmin } from '../../../../utils/memberships'
import { Segmented } from '../../components/segmented'
import { IdentityDialog } from './identity-dialog'
import { RewardCard } from './reward-card'

import './index.css'

const STATUS_OPTIONS = [
  { value: RewardStatus.DECIDED, label: '待审批' },
  { value: RewardStatus.APPROVED, label: '待发放' },
  { value: RewardStatus.REJECTED, label: '未批准' },
  { value: RewardStatus.PAID, label: '已发放' },
] as const

const EMPTY: Record<RewardStatus, string> = {
  decided: '没有待审批的奖励。',
  approved: '没有待发放的奖励。',
  rejected: '没有未批准的奖励。',
  paid: '还没有已发放的奖励。',
}

/** 奖励审批: a township admin approves or rejects police decisions, reveals the reporter at payout and records it; police read along. */
export default function RewardsAdmin() {
  const me = useRemote(orgApi.me)
  const [status, setStatus] = useState<RewardStatus>(RewardStatus.DECIDED)
  const rewards = useKeyedRemote(status, () => rewardsApi.list(status))
  const [identity, setIdentity] = useState<RevealedIdentityResponse | null>(null)
  const viewer = me.data ? { userId: me.data.id, reviewer: isTownshipAdmin(me.data.memberships) } : null
  const list = rewards.data

  return (
    <PageShell>
      <Text className='title'>{viewer && !viewer.reviewer ? '奖励记录' : '奖励审批'}</Text>
      {viewer && !viewer.reviewer && (
        <Text className='hint rewards__read-only'>您可查看奖励进度；审批和发放由乡镇管理员办理。</Text>
      )}
      <Segmented options={STATUS_OPTIONS} value={status} onChange={setStatus} />
      <FormMessage error={rewards.error ?? me.error} />
      {!list && !rewards.error && <Text className='hint'>正在加载…</Text>}
      {list?.length === 0 && (
        <View className='card'>
          <Text className='hint rewards__empty'>{EMPTY[status]}</Text>
        </View>
      )}
      {list?.map((reward) => (
        <RewardCard
          key={reward.tipId}
          reward={reward}
          viewer={viewer ?? { userId: '', reviewer: false }}
          onChanged={rewards.reload}
          onRevealed={setIdentity}
        />
      ))}
      {identity && <IdentityDialog identity={identity} onClose={() => setIdentity(null)} />}
    </PageShell>
  )
}
