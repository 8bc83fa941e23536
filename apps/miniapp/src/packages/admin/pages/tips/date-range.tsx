import { Button, Picker, Text, View } from '@tarojs/components'

import { pickerDate } from '../campaigns/deadline'

export interface DateRangeValue {
  /** `YYYY-MM-DD`, inclusive. */
  from?: string
  to?: string
}

interface DateRangeProps extends DateRangeValue {
  onChange: (range: DateRangeValue) => void
  /** Either end may be left open (不限), and a 清除日期 button clears both. */
  optional?: boolean
}

/** Two day pickers; a start after the end moves the end with it (and the other way round), so the range is never empty. */
export function DateRange({ from, to, onChange, optional = false }: DateRangeProps) {
  const today = pickerDate(new Date())
  const pickFrom = (day: string) => onChange({ from: day, to: to && to < day ? day : to })
  const pickTo = (day: string) => onChange({ from: from && from > day ? day : from, to: day })
  return (
    <View className='date-range'>
      <Picker mode='date' value={from ?? to ?? today} end={today} onChange={(event) => pickFrom(event.detail.value)}>
        <View className='row date-range__from' aria-label={`开始日期：${from ?? '不限'}`}>
          <Text className='text'>开始日期</Text>
          <Text className='text'>{`${from ?? '不限'} ›`}</Text>
        </View>
      </Picker>
      <Picker mode='date' value={to ?? today} end={today} onChange={(event) => pickTo(event.detail.value)}>
        <View className='row date-range__to' aria-label={`结束日期：${to ?? '不限'}`}>
          <Text className='text'>结束日期</Text>
          <Text className='text'>{`${to ?? '不限'} ›`}</Text>
        </View>
      </Picker>
      {optional && (from || to) && (
        <Button className='btn btn--block date-range__clear' onClick={() => onChange({ from: undefined, to: undefined })}>
          清除日期
        </Button>
      )}
    </View>
  )
}
