import { Picker, Text, View } from '@tarojs/components'
import { FRAUD_TYPE_LABELS, FRAUD_TYPES, type FraudType } from '@qmfz/contracts'

import { FieldError } from './field-error'

interface FraudTypeFieldProps {
  value: FraudType | ''
  onChange: (value: FraudType) => void
  error?: string
}

export function FraudTypeField({ value, onChange, error }: FraudTypeFieldProps) {
  return (
    <View className='field'>
      <Picker
        mode='selector'
        range={FRAUD_TYPES.map((type) => FRAUD_TYPE_LABELS[type])}
        value={Math.max(0, value ? FRAUD_TYPES.indexOf(value) : 0)}
        onChange={(event) => onChange(FRAUD_TYPES[Number(event.detail.value)])}
      >
        <View className={`row tip-form__fraud-type ${error ? 'row--invalid' : ''}`}>
          <Text className='text'>诈骗类型</Text>
          <Text className='text'>{`${value ? FRAUD_TYPE_LABELS[value] : '请选择'} ›`}</Text>
        </View>
      </Picker>
      <FieldError message={error} />
    </View>
  )
}
