import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { REPORTER_VISIBLE_EVENTS, TIP_STATUS_LABELS, type TipDetailResponse, type TipEventResponse } from '@qmfz/contracts'

import { ROUTES } from '../../../../routes'
import { formatDateTime } from '../../../../utils/format'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { TIP_EVENT_LABELS, TIP_STATUS_BADGES } from '../tips/labels'

/** 处理记录, oldest first: status changes, replies, the reporter's additions, assignments and labels. */
export function Timeline({ events }: { events: TipEventResponse[] }) {
  return (
    <View className='card tip-timeline'>
      <Text className='card__title'>处理记录</Text>
      {events.length === 0 && <Text className='hint'>暂无处理记录。</Text>}
      {events.map((event) => (
        <View key={event.id} className='tip-event'>
          <Text className='hint'>
            {[formatDateTime(event.createdAt), event.author?.displayName, REPORTER_VISIBLE_EVENTS.includes(event.kind) ? '举报人可见' : '仅民警可见']
              .filter(Boolean)
              .join('，')}
          </Text>
          <Text className='text tip-event__title'>
            {event.kind === 'status' && event.status ? `状态改为：${TIP_STATUS_LABELS[event.status]}` : TIP_EVENT_LABELS[event.kind]}
          </Text>
          {event.body && <Text className='text tip-event__body'>{event.body}</Text>}
        </View>
      ))}
    </View>
  )
}

/** Other tips naming the same identifier; the earliest keeps priority. */
export function LinkedTips({ linked }: { linked: TipDetailResponse['linked'] }) {
  if (linked.length === 0) return null
  return (
    <View className='card tip-linked'>
      <Text className='card__title'>{`关联举报（${linked.length}）`}</Text>
      <Text className='hint'>与本条举报有相同的可疑号码或账号；最早的一条为首报，优先处理奖励。</Text>
      {linked.map((other) => {
        const created = formatDateTime(other.createdAt)
        return (
          <View key={other.id} className='row tip-linked__row'>
            <View className='row__main'>
              <Text className='text'>{`${created}${other.firstInGroup ? '（首报）' : ''}`}</Text>
              <Text className={TIP_STATUS_BADGES[other.status]}>{TIP_STATUS_LABELS[other.status]}</Text>
            </View>
            <Button
              className='btn tip-linked__open'
              aria-label={`查看关联举报：${created}`}
              onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.tipTriage(other.id) }))}
            >
              查看
            </Button>
          </View>
        )
      })}
    </View>
  )
}
