import { Text, View } from '@tarojs/components'
import type { TallyRow } from '@qmfz/contracts'

import { formatYuan } from '../tips/labels'

interface TallyTableProps {
  title: string
  /** The first column's heading: 周/月, 村/单位, 举报人. */
  nameHeading: string
  rows: TallyRow[]
  className?: string
}

/**
 * Rows of reward-eligible tips with their amounts. Views, not a table (mini-programs have none); in 大字模式 each
 * row wraps so the name takes its own line above the figures.
 */
export function TallyTable({ title, nameHeading, rows, className }: TallyTableProps) {
  return (
    <View className={`card tally ${className ?? ''}`}>
      <Text className='card__title'>{title}</Text>
      {rows.length === 0 ? (
        <Text className='hint'>该时段没有获得奖励的举报。</Text>
      ) : (
        <>
          <View className='tally__row tally__row--head'>
            <Text className='tally__name'>{nameHeading}</Text>
            <Text className='tally__figure'>件数</Text>
            <Text className='tally__figure'>奖励金额</Text>
            <Text className='tally__figure'>已发放</Text>
          </View>
          {rows.map((row) => (
            <View key={row.key} className='tally__row' aria-label={`${row.label}：${row.count} 件，奖励 ${formatYuan(row.amountYuan)}，已发放 ${formatYuan(row.paidYuan)}`}>
              <Text className='tally__name'>{row.label}</Text>
              <Text className='tally__figure'>{String(row.count)}</Text>
              <Text className='tally__figure'>{formatYuan(row.amountYuan)}</Text>
              <Text className='tally__figure'>{formatYuan(row.paidYuan)}</Text>
            </View>
          ))}
        </>
      )}
    </View>
  )
}
