import { Text, View } from '@tarojs/components'
import {
  FRAUD_TYPE_LABELS,
  IDENTIFIER_KIND_LABELS,
  TIP_STATUS_LABELS,
  type TipEventResponse,
  type TipFollowUpResponse,
} from '@qmfz/contracts'

import { formatDateTime } from '../../../../utils/format'

/** One line of the history, as the reporter reads it; other kinds (assignment, labels) stay with the police. */
function eventText(event: TipEventResponse): string | null {
  switch (event.kind) {
    case 'status':
      return event.status ? `处理状态：${TIP_STATUS_LABELS[event.status]}` : null
    case 'reply':
      return `民警回复：${event.body ?? ''}`
    case 'addition':
      return `我补充的信息：${event.body ?? ''}`
    default:
      return null
  }
}

export function TipProgress({ tip }: { tip: TipFollowUpResponse }) {
  const events = tip.events.flatMap((event) => {
    const text = eventText(event)
    return text ? [{ id: event.id, kind: event.kind, text, at: formatDateTime(event.createdAt) }] : []
  })
  return (
    <View className='card follow-up__tip'>
      <View className='row'>
        <Text className='text row__main'>{FRAUD_TYPE_LABELS[tip.fraudType]}</Text>
        <Text className={`badge follow-up__status follow-up__status--${tip.status}`}>{TIP_STATUS_LABELS[tip.status]}</Text>
      </View>
      <Text className='hint'>{`提交于 ${formatDateTime(tip.createdAt)}，最近更新 ${formatDateTime(tip.updatedAt)}`}</Text>
      <Text className='field__label follow-up__section'>举报的号码和账号</Text>
      {tip.identifiers.map((identifier, index) => (
        <Text key={index} className='text follow-up__identifier'>{`${IDENTIFIER_KIND_LABELS[identifier.kind]}：${identifier.masked}`}</Text>
      ))}
      {tip.attachmentCount > 0 && <Text className='hint'>{`附图片 ${tip.attachmentCount} 张`}</Text>}
      <Text className='field__label follow-up__section'>处理记录</Text>
      {events.length === 0 && <Text className='hint'>暂无记录</Text>}
      {events.map((event) => (
        <View key={event.id} className={`follow-up__event follow-up__event--${event.kind}`}>
          <Text className='hint'>{event.at}</Text>
          <Text className='text'>{event.text}</Text>
        </View>
      ))}
    </View>
  )
}
