import { Button, Input, Text, View } from '@tarojs/components'
import {
  ErrorCode,
  REWARD_STATUS_LABELS,
  REWARD_TIER_LABELS,
  TIP_TEXT_LIMITS,
  type ClaimRewardRequest,
  type ClaimRewardResponse,
  type TipFollowUpResponse,
} from '@qmfz/contracts'
import { useState } from 'react'

import { tipsApi } from '../../../../api/tips'
import { toApiError } from '../../../../api/transport'
import { FormMessage } from '../../../../components/form-message'
import { IN_WECHAT } from '../../../../env'
import { reporterNameProblem, reporterPhoneProblem } from '../../../../pages/report/validate'
import { useAction } from '../../../../state/use-action'

type Reward = NonNullable<TipFollowUpResponse['reward']>

interface RewardCardProps {
  code: string
  reward: Reward
  onClaimed: (reward: ClaimRewardResponse) => void
}

/** A reward can be claimed once it is decided, until it is rejected or paid. */
export function claimable(reward: Reward): boolean {
  return !reward.claimed && (reward.status === 'decided' || reward.status === 'approved')
}

export function RewardCard({ code, reward, onClaimed }: RewardCardProps) {
  return (
    <View className='card follow-up__reward'>
      <Text className='card__title'>举报奖励</Text>
      <View className='row'>
        <Text className='text row__main'>{`${REWARD_TIER_LABELS[reward.tier]}：${reward.amountYuan} 元`}</Text>
        <Text className='badge follow-up__reward-status'>{REWARD_STATUS_LABELS[reward.status]}</Text>
      </View>
      {reward.claimed && <Text className='hint follow-up__claimed'>您已申领，审批通过后发放。</Text>}
      {claimable(reward) && <ClaimForm code={code} needsContact={reward.claimNeedsContact} onClaimed={onClaimed} />}
    </View>
  )
}

interface ClaimFormProps {
  code: string
  needsContact: boolean
  onClaimed: (reward: ClaimRewardResponse) => void
}

/** Anonymous tips give a name and phone here (the payout needs them); named ones already did, so they confirm. */
function ClaimForm({ code, needsContact, onClaimed }: ClaimFormProps) {
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [phoneCode, setPhoneCode] = useState('')
  const [problems, setProblems] = useState<{ name?: string; phone?: string }>({})
  const claim = useAction(async (body: ClaimRewardRequest) => {
    try {
      onClaimed(await tipsApi.claimReward(body))
    } catch (error) {
      // WeChat's phone code is single-use and short-lived: a refused one must be fetched again.
      if (toApiError(error).code === ErrorCode.WECHAT_CODE_INVALID) setPhoneCode('')
      throw error
    }
  }, '已提交申领')

  const submit = () => {
    if (!needsContact) return void claim.run({ receiptCode: code })
    const found = {
      name: name.trim() ? reporterNameProblem(name) : '请填写姓名',
      phone: phoneCode ? undefined : reporterPhoneProblem(phone),
    }
    setProblems(found)
    if (found.name || found.phone) return
    void claim.run({ receiptCode: code, name: name.trim(), ...(phoneCode ? { phoneCode } : { phone: phone.trim() }) })
  }

  return (
    <View className='follow-up__claim'>
      {needsContact ? (
        <>
          <Text className='hint'>匿名举报领取奖励需留下姓名和电话，只用于发放奖励，仅审批发放的工作人员可见。</Text>
          <View className='field'>
            <Text className='field__label'>姓名</Text>
            <Input
              className={`field__input follow-up__claim-name ${problems.name ? 'field__input--invalid' : ''}`}
              value={name}
              maxlength={TIP_TEXT_LIMITS.reporterNameMax}
              onInput={(event) => setName(event.detail.value)}
            />
            <FormMessage error={problems.name ? { message: problems.name } : null} />
          </View>
          {IN_WECHAT && (
            <Button
              className='btn btn--block follow-up__claim-wechat-phone'
              openType='getPhoneNumber'
              onGetPhoneNumber={(event) => {
                if (event.detail.code) setPhoneCode(event.detail.code)
              }}
            >
              {phoneCode ? '已使用微信验证的手机号' : '使用微信绑定的手机号'}
            </Button>
          )}
          {!phoneCode && (
            <View className='field'>
              <Text className='field__label'>{IN_WECHAT ? '或手动填写手机号码' : '手机号码'}</Text>
              <Input
                className={`field__input follow-up__claim-phone ${problems.phone ? 'field__input--invalid' : ''}`}
                type='number'
                maxlength={20}
                value={phone}
                onInput={(event) => setPhone(event.detail.value)}
              />
            </View>
          )}
          <FormMessage error={problems.phone ? { message: problems.phone } : null} />
        </>
      ) : (
        <Text className='hint'>将使用举报时留下的联系方式发放奖励。</Text>
      )}
      <FormMessage error={claim.error} />
      <Button className='btn btn--primary btn--block follow-up__claim-submit' loading={claim.busy} disabled={claim.busy} onClick={submit}>
        {needsContact ? '提交申领' : '确认申领奖励'}
      </Button>
    </View>
  )
}
