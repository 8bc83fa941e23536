import { Text, View } from '@tarojs/components'

import { FormMessage } from '../../components/form-message'
import './choice.css'

interface ChoiceProps {
  label: string
  hint?: string
  checked: boolean
  onToggle: () => void
  className?: string
}

/** A checkbox or radio as a whole row, so the tap target stays large in 大字模式; its state is in its label too. */
export function Choice({ label, hint, checked, onToggle, className }: ChoiceProps) {
  return (
    <View
      className={`row choice ${checked ? 'choice--on' : ''} ${className ?? ''}`}
      onClick={onToggle}
    >
      <View className='row__main'>
        <Text className='text'>{label}</Text>
        {hint && <Text className='hint'>{hint}</Text>}
      </View>
      <View className='choice__mark'>{checked ? '✓' : ''}</View>
    </View>
  )
}

/** A field's problem in red beside it; nothing when there is none. */
export function FieldError({ message }: { message?: string | null }) {
  return <FormMessage error={message ? { message } : null} />
}
