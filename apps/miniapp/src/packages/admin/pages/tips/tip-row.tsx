import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import {
  FRAUD_TYPE_LABELS,
  IDENTIFIER_KIND_LABELS,
  REWARD_STATUS_LABELS,
  TIP_STATUS_LABELS,
  type TipSummaryResponse,
} from '@qmfz/contracts'

import { ROUTES } from '../../../../routes'
import { formatDateTime } from '../../../../utils/format'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { formatYuan, TIP_STATUS_BADGES } from './labels'

interface TipRowProps {
  tip: TipSummaryResponse
  /** Tapping the linked-group badge narrows the list to that group. */
  onGroup: (groupId: string) => void
}

/** One tip in the triage list: masked identifiers only; the full ones are on the tip's own page. */
export function TipRow({ tip, onGroup }: TipRowProps) {
  const type = FRAUD_TYPE_LABELS[tip.fraudType]
  const created = formatDateTime(tip.createdAt)
  return (
    <View className='card tip-row'>
      <View className='tip-row__head'>
        <Text className='text tip-row__type'>{type}</Text>
        <Text className={TIP_STATUS_BADGES[tip.status]}>{TIP_STATUS_LABELS[tip.status]}</Text>
      </View>
      <Text className='hint'>{`${created}，${tip.reporterMode === 'anonymous' ? '匿名' : '实名'}，图片 ${tip.attachmentCount} 张`}</Text>
      {tip.identifiers.map((identifier, index) => (
        <Text key={index} className='text tip-row__identifier'>{`${IDENTIFIER_KIND_LABELS[identifier.kind]} ${identifier.masked}`}</Text>
      ))}
      <Text className='hint'>{tip.assignee ? `承办：${tip.assignee.displayName}` : '未指派'}</Text>
      {tip.labels.length > 0 && <Text className='hint tip-row__labels'>{`标签：${tip.labels.join('、')}`}</Text>}
      {tip.reward && <Text className='hint'>{`奖励：${formatYuan(tip.reward.amountYuan)}，${REWARD_STATUS_LABELS[tip.reward.status]}`}</Text>}
      <View className='tip-row__actions'>
        {tip.groupSize > 1 ? (
          <View
            className='badge tip-row__group'
            aria-label={`关联 ${tip.groupSize} 条举报${tip.firstInGroup ? '，本条为首报' : ''}，点击只看这一组`}
            onClick={() => onGroup(tip.groupId)}
          >
            {`关联 ${tip.groupSize} 条${tip.firstInGroup ? '·首报' : ''}`}
          </View>
        ) : (
          <View />
        )}
        <Button
          className='btn tip-row__open'
          aria-label={`查看详情：${type}，${created}`}
          onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.tipTriage(tip.id) }))}
        >
          查看详情
        </Button>
      </View>
    </View>
  )
}
