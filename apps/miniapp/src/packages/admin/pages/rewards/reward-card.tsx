import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import {
  FRAUD_TYPE_LABELS,
  REWARD_STATUS_LABELS,
  REWARD_TIER_LABELS,
  TIP_TEXT_LIMITS,
  type RevealedIdentityResponse,
  type RewardAuditEntry,
  type RewardResponse,
} from '@qmfz/contracts'
import { useState } from 'react'

import { rewardsApi } from '../../../../api/rewards'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { formatDateTime } from '../../../../utils/format'
import { formProblem } from '../campaigns/form'
import { formatYuan, reporterText, REWARD_STATUS_BADGES } from '../tips/labels'
import { AuditTrail } from './audit-trail'

export interface Viewer {
  userId: string
  /** A township admin approves, rejects, reveals and pays; anyone else reads. */
  reviewer: boolean
}

interface RewardCardProps {
  reward: RewardResponse
  viewer: Viewer
  onChanged: () => void
  onRevealed: (identity: RevealedIdentityResponse) => void
}

/** One reward: what was decided and by whom, where it stands, and what the viewer may do next. */
export function RewardCard({ reward, viewer, onChanged, onRevealed }: RewardCardProps) {
  const [audit, setAudit] = useState<RewardAuditEntry[] | null>(null)
  const loadAudit = useAction(async () => setAudit(await rewardsApi.audit(reward.tipId)))
  const label = `${FRAUD_TYPE_LABELS[reward.tip.fraudType]}，${formatYuan(reward.amountYuan)}`

  return (
    <View className='card reward-card'>
      <View className='reward-card__head'>
        <Text className='text reward-card__title'>{label}</Text>
        <Text className={REWARD_STATUS_BADGES[reward.status]}>{REWARD_STATUS_LABELS[reward.status]}</Text>
      </View>
      <RewardFacts reward={reward} />
      {viewer.reviewer && (
        <ReviewActions reward={reward} viewer={viewer} label={label} onChanged={onChanged} onRevealed={onRevealed} audit={audit ? loadAudit.run : undefined} />
      )}
      <Button
        className='btn btn--block reward-card__audit'
        loading={loadAudit.busy}
        aria-label={`${audit ? '收起' : '查看'}审计记录：${label}`}
        onClick={() => (audit ? setAudit(null) : loadAudit.run())}
      >
        {audit ? '收起审计记录' : '审计记录'}
      </Button>
      <FormMessage error={loadAudit.error} />
      {audit && <AuditTrail entries={audit} />}
    </View>
  )
}

function RewardFacts({ reward }: { reward: RewardResponse }) {
  return (
    <>
      <Text className='text'>{REWARD_TIER_LABELS[reward.tier]}</Text>
      <Text className='hint'>{`举报时间：${formatDateTime(reward.tip.createdAt)}${reward.tip.unitName ? `，${reward.tip.unitName}` : ''}`}</Text>
      <Text className='hint reward-card__reporter'>{`举报人：${reporterText(reward.tip.reporterMode, reward.tip.reporterMasked)}`}</Text>
      <Text className='hint'>{`理由：${reward.reason}`}</Text>
      <Text className='hint'>{`决定：${reward.decidedBy.displayName}，${formatDateTime(reward.decidedAt)}`}</Text>
      <Text className='hint'>{reward.claimedAt ? `举报人已申领：${formatDateTime(reward.claimedAt)}` : '举报人尚未申领'}</Text>
      {reward.reviewedBy && reward.reviewedAt && (
        <Text className='hint'>
          {`审批：${reward.reviewedBy.displayName}，${formatDateTime(reward.reviewedAt)}${reward.reviewNote ? `，意见：${reward.reviewNote}` : ''}`}
        </Text>
      )}
      {reward.paidAt && <Text className='hint'>{`发放：${formatDateTime(reward.paidAt)}`}</Text>}
    </>
  )
}

interface ReviewActionsProps extends RewardCardProps {
  label: string
  /** Reloads the open audit trail after an act that adds to it. */
  audit: (() => Promise<boolean>) | undefined
}

/** A township admin's next step: approve or reject a decision, reveal the reporter and pay an approved one. */
function ReviewActions({ reward, viewer, label, onChanged, onRevealed, audit }: ReviewActionsProps) {
  const [note, setNote] = useState('')
  const act = useAction(async (step: Step) => {
    if (step === 'reject' && !note.trim()) throw formProblem('驳回须填写理由')
    const question = CONFIRMATIONS[step]?.(reward)
    if (question && !(await Taro.showModal(question)).confirm) return
    if (step === 'approve') await rewardsApi.approve(reward.tipId, note.trim() ? { note: note.trim() } : {})
    if (step === 'reject') await rewardsApi.reject(reward.tipId, { note: note.trim() })
    if (step === 'paid') await rewardsApi.markPaid(reward.tipId)
    if (step === 'reveal') onRevealed(await rewardsApi.reveal(reward.tipId))
    else onChanged()
    if (audit) void audit()
  })

  if (reward.status === 'decided' && reward.decidedBy.userId === viewer.userId) {
    return <Text className='hint reward-card__own'>这笔奖励由您决定，须由另一位乡镇管理员审批。</Text>
  }
  if (reward.status === 'decided') {
    return (
      <View className='reward-card__review'>
        <Input
          className='field__input reward-card__note'
          value={note}
          maxlength={TIP_TEXT_LIMITS.reasonMax}
          placeholder='审批意见（驳回时必填）'
          aria-label={`审批意见：${label}`}
          onInput={(event) => setNote(event.detail.value)}
        />
        <View className='row__actions reward-card__actions'>
          <Button className='btn btn--danger reward-card__reject' disabled={act.busy} aria-label={`驳回：${label}`} onClick={() => act.run('reject')}>
            驳回
          </Button>
          <Button className='btn btn--primary reward-card__approve' disabled={act.busy} aria-label={`批准：${label}`} onClick={() => act.run('approve')}>
            批准
          </Button>
        </View>
        <FormMessage error={act.error} />
      </View>
    )
  }
  if (reward.status !== 'approved') return null
  const approver = reward.reviewedBy?.userId === viewer.userId
  return (
    <View className='reward-card__review'>
      {approver ? (
        <Button className='btn btn--block reward-card__reveal' disabled={act.busy} aria-label={`查看举报人身份：${label}`} onClick={() => act.run('reveal')}>
          查看举报人身份
        </Button>
      ) : (
        <Text className='hint'>仅审批人可查看举报人身份。</Text>
      )}
      <Button className='btn btn--primary btn--block reward-card__paid' disabled={act.busy} aria-label={`标记已发放：${label}`} onClick={() => act.run('paid')}>
        标记已发放
      </Button>
      <FormMessage error={act.error} />
    </View>
  )
}

type Step = 'approve' | 'reject' | 'reveal' | 'paid'
type Confirmation = { title: string; content: string; confirmText: string }

/** What is asked before each step; a rejection asks nothing, its required note is deliberate enough. */
const CONFIRMATIONS: Partial<Record<Step, (reward: RewardResponse) => Confirmation>> = {
  approve: (reward) => ({ title: '批准奖励', content: `批准发放 ${formatYuan(reward.amountYuan)}？`, confirmText: '确认批准' }),
  reveal: () => ({
    title: '查看举报人身份',
    content: '仅用于发放奖励。本次查看将记入审计日志（查看人、时间），记录不可删除。',
    confirmText: '确认查看',
  }),
  paid: (reward) => ({ title: '标记已发放', content: `确认已向举报人发放 ${formatYuan(reward.amountYuan)}？`, confirmText: '确认发放' }),
}
