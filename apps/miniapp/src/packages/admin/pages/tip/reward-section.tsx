import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import {
  REWARD_STATUS_LABELS,
  REWARD_TIER_AMOUNTS,
  REWARD_TIER_LABELS,
  REWARD_TIERS,
  RewardTier,
  TIP_TEXT_LIMITS,
  TipStatus,
  type DecideRewardRequest,
  type TipDetailResponse,
  type TipRewardSummary,
} from '@qmfz/contracts'
import { useState } from 'react'

import { triageApi } from '../../../../api/triage'
import { Choice } from '../../../../components/choice'
import { FormMessage } from '../../../../components/form-message'
import { ROUTES } from '../../../../routes'
import { useAction } from '../../../../state/use-action'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { formProblem } from '../campaigns/form'
import { formatYuan, REWARD_STATUS_BADGES } from '../tips/labels'

/** The reward decided for the tip, or, for a valid tip without one, the form to decide it. */
export function RewardSection({ tip, onChanged }: { tip: TipDetailResponse; onChanged: () => void }) {
  if (tip.reward) return <RewardSummary reward={tip.reward} />
  if (tip.status !== TipStatus.VALID) return null
  return <RewardForm tipId={tip.id} onDecided={onChanged} />
}

function RewardSummary({ reward }: { reward: TipRewardSummary }) {
  return (
    <View className='card tip-reward'>
      <Text className='card__title'>奖励</Text>
      <View className='row'>
        <Text className='text'>{`${REWARD_TIER_LABELS[reward.tier]}，${formatYuan(reward.amountYuan)}`}</Text>
        <Text className={REWARD_STATUS_BADGES[reward.status]}>{REWARD_STATUS_LABELS[reward.status]}</Text>
      </View>
      <Text className='hint'>{reward.claimed ? '举报人已申领' : '举报人尚未申领'}</Text>
      <Button className='btn btn--block tip-reward__open' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.rewardsAdmin }))}>
        奖励记录
      </Button>
    </View>
  )
}

/** The request the form describes, or a formProblem saying what is missing. */
function readDecision(tier: RewardTier, amount: string, reason: string): DecideRewardRequest {
  const why = reason.trim()
  if (!why) throw formProblem('请填写奖励理由')
  if (tier !== RewardTier.CUSTOM) return { tier, reason: why }
  const yuan = Number(amount.trim())
  if (!amount.trim() || !Number.isInteger(yuan) || yuan < 1 || yuan > TIP_TEXT_LIMITS.rewardYuanMax) {
    throw formProblem(`其他金额请填写 1–${TIP_TEXT_LIMITS.rewardYuanMax} 之间的整数（元）`)
  }
  return { tier, amountYuan: yuan, reason: why }
}

function RewardForm({ tipId, onDecided }: { tipId: string; onDecided: () => void }) {
  const [tier, setTier] = useState<RewardTier>(RewardTier.THIRD)
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const decide = useAction(async () => {
    const decision = readDecision(tier, amount, reason)
    const yuan = decision.amountYuan ?? REWARD_TIER_AMOUNTS[tier as Exclude<RewardTier, 'custom'>]
    const { confirm } = await Taro.showModal({
      title: '决定奖励',
      content: `${REWARD_TIER_LABELS[tier]}，${formatYuan(yuan)}。提交后由乡镇管理员审批（须由他人审批），该举报的状态不能再修改。`,
      confirmText: '确认提交',
    })
    if (!confirm) return
    await triageApi.decideReward(tipId, decision)
    onDecided()
  })

  return (
    <View className='card tip-reward-form'>
      <Text className='card__title'>决定奖励</Text>
      <Text className='hint'>举报属实，可给予奖励。</Text>
      {REWARD_TIERS.map((option) => (
        <Choice
          key={option}
          className='tip-reward-form__tier'
          label={REWARD_TIER_LABELS[option]}
          hint={option === RewardTier.CUSTOM ? '填写金额' : formatYuan(REWARD_TIER_AMOUNTS[option])}
          checked={tier === option}
          onToggle={() => setTier(option)}
        />
      ))}
      {tier === RewardTier.CUSTOM && (
        <View className='field'>
          <Text className='field__label'>金额（元）</Text>
          <Input
            className='field__input tip-reward-form__amount'
            type='number'
            value={amount}
            maxlength={6}
            placeholder={`1–${TIP_TEXT_LIMITS.rewardYuanMax}`}
            aria-label='奖励金额（元）'
            onInput={(event) => setAmount(event.detail.value)}
          />
        </View>
      )}
      <View className='field'>
        <Text className='field__label'>奖励理由</Text>
        <Textarea
          className='field__input tip-reward-form__reason'
          value={reason}
          maxlength={TIP_TEXT_LIMITS.reasonMax}
          placeholder='如：提供的银行卡号协助冻结涉诈资金'
          aria-label='奖励理由'
          onInput={(event) => setReason(event.detail.value)}
        />
      </View>
      <FormMessage error={decide.error} />
      <Button className='btn btn--primary btn--block tip-reward-form__submit' loading={decide.busy} disabled={decide.busy} onClick={() => decide.run()}>
        提交奖励决定
      </Button>
    </View>
  )
}
