import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { SubscribeKind } from '@qmfz/contracts'
import { useState } from 'react'

import { viewingApi } from '../../../../api/viewing'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'

/** WeChat answers per template: only `accept` lets the server send one message. */
async function askWechat(templateId: string): Promise<boolean> {
  try {
    const answer = await Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [templateId] })
    return Object.entries(answer).some(([key, value]) => key === templateId && value === 'accept')
  } catch {
    // Subscriptions switched off in WeChat's settings, or the sheet failed: no consent either way.
    return false
  }
}

/**
 * 开启截止提醒 (WeChat only): asks WeChat's subscribe-message sheet for the reminder template and tells the server
 * what the person chose. Hidden when the server has no template configured.
 */
export function DeadlineReminder() {
  const templates = useRemote(viewingApi.subscribeTemplates)
  const [outcome, setOutcome] = useState<string | null>(null)
  const templateId = templates.data?.templates[SubscribeKind.VIDEO_REMINDER]
  const subscribe = useAction(async (id: string) => {
    // Called straight from the tap: WeChat shows the sheet only in answer to one.
    const accepted = await askWechat(id)
    await viewingApi.subscribeConsent({ kind: SubscribeKind.VIDEO_REMINDER, accepted })
    setOutcome(accepted ? '已开启，截止前会通过微信提醒您' : '未开启提醒，需要时可再次开启')
  })

  if (!templateId) return null
  return (
    <View className='card reminder'>
      <Text className='hint'>截止前未完成观看时，通过微信服务通知提醒您（每次开启可收到一次）。</Text>
      <Button className='btn btn--block reminder__subscribe' loading={subscribe.busy} onClick={() => subscribe.run(templateId)}>
        开启截止提醒
      </Button>
      <FormMessage error={subscribe.error} success={outcome} />
    </View>
  )
}
