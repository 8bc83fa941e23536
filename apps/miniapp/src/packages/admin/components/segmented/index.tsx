import { View } from '@tarojs/components'

import './index.css'

interface SegmentedProps<T extends string> {
  options: ReadonlyArray<{ value: T; label: string }>
  value: T
  onChange: (value: T) => void
  className?: string
}

/** A row of mutually exclusive choices (上传/外链, 全部/已逾期); each is a full-height tap target. */
export function Segmented<T extends string>({ options, value, onChange, className }: SegmentedProps<T>) {
  return (
    <View className={`segmented ${className ?? ''}`}>
      {options.map((option) => (
        <View
          key={option.value}
          className={option.value === value ? 'segmented__item segmented__item--on' : 'segmented__item'}
          onClick={() => {
            if (option.value !== value) onChange(option.value)
          }}
        >
          {option.label}
        </View>
      ))}
    </View>
  )
}
