import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { FRAUD_TYPE_LABELS, IDENTIFIER_KIND_LABELS, TIP_STATUS_LABELS, type TipDetailResponse } from '@qmfz/contracts'

import { formatDateTime } from '../../../../utils/format'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { formatYuan, reporterText, TIP_STATUS_BADGES } from '../tips/labels'

/** What was reported: type, when, loss, the reporter (masked), the description and the suspects' full identifiers. */
export function TipSummary({ tip }: { tip: TipDetailResponse }) {
  return (
    <>
      <View className='card tip-summary'>
        <View className='tip-summary__head'>
          <Text className='text tip-summary__type'>{FRAUD_TYPE_LABELS[tip.fraudType]}</Text>
          <Text className={`${TIP_STATUS_BADGES[tip.status]} tip-summary__status`}>{TIP_STATUS_LABELS[tip.status]}</Text>
        </View>
        <Text className='hint'>{`举报时间：${formatDateTime(tip.createdAt)}`}</Text>
        {tip.occurredAt && <Text className='hint'>{`发生时间：${formatDateTime(tip.occurredAt)}`}</Text>}
        {tip.lossYuan !== null && <Text className='hint'>{`损失金额：${formatYuan(tip.lossYuan)}`}</Text>}
        <Text className='hint tip-summary__reporter'>{`举报人：${reporterText(tip.reporterMode, tip.reporterMasked)}`}</Text>
        {tip.unit && <Text className='hint'>{`所在村/单位：${tip.unit.name}`}</Text>}
        {tip.groupSize > 1 && (
          <Text className='hint'>{`关联举报 ${tip.groupSize} 条${tip.firstInGroup ? '，本条为首报（优先）' : ''}`}</Text>
        )}
      </View>
      <View className='card'>
        <Text className='card__title'>举报内容</Text>
        <Text className='text tip-summary__description' userSelect>
          {tip.description}
        </Text>
      </View>
      <View className='card tip-identifiers'>
        <Text className='card__title'>可疑号码/账号</Text>
        <Text className='hint'>完整号码仅供办案使用，请勿外传。</Text>
        {tip.identifiers.map((identifier) => (
          <View key={identifier.id} className='row tip-identifier'>
            <View className='row__main'>
              <Text className='hint'>{IDENTIFIER_KIND_LABELS[identifier.kind]}</Text>
              <Text className='text tip-identifier__value' userSelect>
                {identifier.value}
              </Text>
            </View>
            <Button
              className='btn tip-identifier__copy'
              aria-label={`复制${IDENTIFIER_KIND_LABELS[identifier.kind]} ${identifier.value}`}
              onClick={() => ignoreCancel(Taro.setClipboardData({ data: identifier.value }))}
            >
              复制
            </Button>
          </View>
        ))}
      </View>
    </>
  )
}
