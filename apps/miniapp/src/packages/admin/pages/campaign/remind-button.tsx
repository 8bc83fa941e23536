import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { RemindResponse, UnitProgress } from '@qmfz/contracts'
import { useState } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'

interface RemindButtonProps {
  campaignId: string
  /** One unit, or every unit the caller administers when absent. */
  unit?: UnitProgress
  /** People not done yet in that scope: what the confirmation names. */
  pending: number
  label: string
}

/** Reminds everyone not done, after a confirmation (each tap sends WeChat messages), then says who was reached. */
export function RemindButton({ campaignId, unit, pending, label }: RemindButtonProps) {
  const [result, setResult] = useState<RemindResponse | null>(null)
  const remind = useAction(async () => {
    setResult(null)
    const scope = unit ? `“${unit.unitName}”` : '所有单位'
    const { confirm } = await Taro.showModal({
      title: '提醒未完成',
      content: `将提醒${scope}尚未完成观看的 ${pending} 人：发送站内通知，已订阅的同时发送微信提醒。`,
      confirmText: '提醒',
    })
    if (!confirm) return
    setResult(await campaignsApi.remind(campaignId, unit ? { unitId: unit.unitId } : {}))
  })
  return (
    <View className='remind'>
      <Button className='btn btn--primary btn--block remind__button' loading={remind.busy} disabled={remind.busy} onClick={() => remind.run()}>
        {label}
      </Button>
      <FormMessage error={remind.error} success={result && remindSummary(result)} />
    </View>
  )
}

function remindSummary(result: RemindResponse): string {
  const failed = result.wechatFailed ? `，发送失败 ${result.wechatFailed} 人` : ''
  return `站内通知 ${result.notified} 人，微信提醒 ${result.wechatSent} 人，未订阅 ${result.wechatNoConsent} 人${failed}`
}
