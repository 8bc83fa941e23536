import { Button, Input, Picker, Text, View } from '@tarojs/components'
import { IDENTIFIER_KIND_LABELS, IDENTIFIER_KINDS, IdentifierKind, TIP_LIMITS } from '@qmfz/contracts'

import { FieldError } from './field-error'
import type { DraftIdentifier } from './draft'

const PLACEHOLDERS: Record<IdentifierKind, string> = {
  phone: '如 138 1234 5678 或 023-7933 2042',
  bank_card: '对方的银行卡号',
  payment_account: '支付宝等账号：手机号、邮箱或账户名',
  url: '如 www.example.com',
  wechat: '对方的微信号（不是昵称）',
  qq: '对方的 QQ 号',
}

interface IdentifiersFieldProps {
  identifiers: DraftIdentifier[]
  /** One problem per row (null when fine), shown under its row. */
  rowErrors: (string | null | undefined)[]
  error?: string
  onChange: (identifiers: DraftIdentifier[]) => void
}

/** The suspect's numbers and accounts: a kind and a value per row, checked as they are typed. */
export function IdentifiersField({ identifiers, rowErrors, error, onChange }: IdentifiersFieldProps) {
  const replace = (index: number, row: DraftIdentifier) => onChange(identifiers.map((current, at) => (at === index ? row : current)))
  return (
    <View className='field tip-form__identifiers'>
      <Text className='field__label'>{`可疑号码或账号（至少 1 个，最多 ${TIP_LIMITS.identifiersMax} 个）`}</Text>
      {identifiers.map((row, index) => (
        <View key={index} className='tip-identifier'>
          <View className='tip-identifier__line'>
            <Picker
              mode='selector'
              range={IDENTIFIER_KINDS.map((kind) => IDENTIFIER_KIND_LABELS[kind])}
              value={IDENTIFIER_KINDS.indexOf(row.kind)}
              onChange={(event) => replace(index, { ...row, kind: IDENTIFIER_KINDS[Number(event.detail.value)] })}
            >
              <View className='tip-identifier__kind'>
                <Text className='text'>{`${IDENTIFIER_KIND_LABELS[row.kind]} ▾`}</Text>
              </View>
            </Picker>
            <Input
              className={`field__input tip-identifier__value ${rowErrors[index] ? 'field__input--invalid' : ''}`}
              value={row.value}
              // Text even for cards: numbers are pasted from messages with spaces, which a number field drops.
              type='text'
              maxlength={TIP_LIMITS.identifierRawMax}
              placeholder={PLACEHOLDERS[row.kind]}
              onInput={(event) => replace(index, { ...row, value: event.detail.value })}
            />
          </View>
          <FieldError message={rowErrors[index]} />
          {identifiers.length > 1 && (
            <Button className='btn btn--danger tip-identifier__remove' onClick={() => onChange(identifiers.filter((_, at) => at !== index))}>
              {`删除第 ${index + 1} 个`}
            </Button>
          )}
        </View>
      ))}
      <FieldError message={error} />
      {identifiers.length < TIP_LIMITS.identifiersMax && (
        <Button className='btn btn--block tip-identifier__add' onClick={() => onChange([...identifiers, { kind: IdentifierKind.PHONE, value: '' }])}>
          再添加一个号码或账号
        </Button>
      )}
    </View>
  )
}
