import { Text, View } from '@tarojs/components'

import './index.css'

interface ChoiceProps {
  label: string
  hint?: string
  checked: boolean
  onToggle: () => void
  className?: string
}

/**
 * One item of a choice (a consent, a unit, a role) as a whole row, so the tap target stays large in 大字模式;
 * its state shows as a mark, not only as a colour. In the main package so the report tab and admin pages share it.
 */
export function Choice({ label, hint, checked, onToggle, className }: ChoiceProps) {
  return (
    <View className={`row choice ${checked ? 'choice--on' : ''} ${className ?? ''}`} onClick={onToggle}>
      <View className='row__main'>
        <Text className='text'>{label}</Text>
        {hint && <Text className='hint'>{hint}</Text>}
      </View>
      <View className='choice__mark'>{checked ? '✓' : ''}</View>
    </View>
  )
}
