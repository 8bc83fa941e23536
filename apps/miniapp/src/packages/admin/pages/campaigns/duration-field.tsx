import { Input, Text, View } from '@tarojs/components'

import type { DurationDraft } from './form'

interface DurationFieldProps {
  value: DurationDraft
  onChange: (value: DurationDraft) => void
  /** Says whether the field may stay empty, and why. */
  hint: string
  className?: string
}

/** Minutes and seconds in two boxes: easier to type from a player's display than a count of seconds. */
export function DurationField({ value, onChange, hint, className }: DurationFieldProps) {
  return (
    <View className={`field duration-field ${className ?? ''}`}>
      <Text className='field__label'>视频时长</Text>
      <View className='duration-field__inputs'>
        <Input
          className='field__input duration-field__minutes'
          type='number'
          maxlength={3}
          value={value.minutes}
          placeholder='0'
          onInput={(event) => onChange({ ...value, minutes: event.detail.value })}
        />
        <Text className='text'>分</Text>
        <Input
          className='field__input duration-field__seconds'
          type='number'
          maxlength={2}
          value={value.seconds}
          placeholder='0'
          onInput={(event) => onChange({ ...value, seconds: event.detail.value })}
        />
        <Text className='text'>秒</Text>
      </View>
      <Text className='hint'>{hint}</Text>
    </View>
  )
}
