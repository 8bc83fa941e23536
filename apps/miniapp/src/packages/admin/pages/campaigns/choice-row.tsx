import { Text, View } from '@tarojs/components'

interface ChoiceRowProps {
  label: string
  hint?: string
  checked: boolean
  onToggle: () => void
  className?: string
}

/** One item of a multiple choice (units, roles): the whole row is the tap target, in 大字模式 too. */
export function ChoiceRow({ label, hint, checked, onToggle, className }: ChoiceRowProps) {
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
