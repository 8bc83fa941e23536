import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components'
import { TIP_LIMITS } from '@qmfz/contracts'

import { FieldError } from './field-error'
import type { TipDraft } from './draft'
import type { DraftProblems } from './validate'

type Incident = Pick<TipDraft, 'description' | 'lossYuan' | 'occurredDate' | 'occurredTime'>

interface IncidentFieldsProps {
  value: Incident
  problems: Pick<DraftProblems, 'description' | 'lossYuan' | 'occurred'>
  onChange: (change: Partial<Incident>) => void
}

const pad = (value: number) => String(value).padStart(2, '0')
const pickerDate = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
const pickerTime = (date: Date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`

/** What happened, what it cost and when. */
export function IncidentFields({ value, problems, onChange }: IncidentFieldsProps) {
  const now = new Date()
  const today = pickerDate(now)
  return (
    <>
      <View className='field'>
        <Text className='field__label'>经过（对方如何联系您、说了什么、让您做了什么）</Text>
        <Textarea
          className={`field__input tip-form__description ${problems.description ? 'field__input--invalid' : ''}`}
          value={value.description}
          maxlength={TIP_LIMITS.descriptionMax}
          autoHeight
          placeholder={`至少 ${TIP_LIMITS.descriptionMin} 个字`}
          onInput={(event) => onChange({ description: event.detail.value })}
        />
        <Text className='hint tip-form__counter'>{`${value.description.trim().length}/${TIP_LIMITS.descriptionMax}`}</Text>
        <FieldError message={problems.description} />
      </View>

      <View className='field'>
        <Text className='field__label'>损失金额（元，选填）</Text>
        <Input
          className={`field__input tip-form__loss ${problems.lossYuan ? 'field__input--invalid' : ''}`}
          type='number'
          value={value.lossYuan}
          maxlength={13}
          placeholder='没有损失可不填'
          onInput={(event) => onChange({ lossYuan: event.detail.value })}
        />
        <FieldError message={problems.lossYuan} />
      </View>

      <View className='field'>
        <Text className='field__label'>发生时间（选填）</Text>
        <Picker
          mode='date'
          value={value.occurredDate || today}
          end={today}
          onChange={(event) => {
            const date = event.detail.value
            // A time the person has not chosen yet defaults to now on today (never in the future), else noon.
            onChange({ occurredDate: date, occurredTime: value.occurredTime || (date === today ? pickerTime(now) : '12:00') })
          }}
        >
          <View className='row tip-form__date'>
            <Text className='text'>日期</Text>
            <Text className='text'>{`${value.occurredDate || '请选择'} ›`}</Text>
          </View>
        </Picker>
        <Picker mode='time' value={value.occurredTime || '12:00'} onChange={(event) => onChange({ occurredTime: event.detail.value })}>
          <View className='row tip-form__time'>
            <Text className='text'>时间（大概即可）</Text>
            <Text className='text'>{`${value.occurredTime || '请选择'} ›`}</Text>
          </View>
        </Picker>
        {(value.occurredDate || value.occurredTime) && (
          <Button className='btn tip-form__clear-time' onClick={() => onChange({ occurredDate: '', occurredTime: '' })}>
            清除发生时间
          </Button>
        )}
        <FieldError message={problems.occurred} />
      </View>
    </>
  )
}
