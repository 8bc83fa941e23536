import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { FRAUD_TYPE_LABELS, normalizeReceiptCode } from '@qmfz/contracts'
import { useState } from 'react'

import { FormMessage } from '../../../../components/form-message'
import { forgetReceipt, useKeptReceipts } from '../../../../pages/report/receipts'
import { formatDateTime } from '../../../../utils/format'

/** A kept code in a list: enough to tell codes apart, not enough to read one off the screen. */
export function maskReceipt(code: string): string {
  return `${code.slice(0, 5)}-•••••-•••••-${code.slice(-5)}`
}

/** Removing is for good: the code exists nowhere else unless the person wrote it down. */
async function confirmForget(code: string): Promise<void> {
  const answer = await Taro.showModal({ title: '从本机删除回执码？', content: '删除后无法在本机找回，请确认已另外记下。', confirmText: '删除' }).catch(() => null)
  if (answer?.confirm) forgetReceipt(code)
}

interface CodeEntryProps {
  busy: boolean
  /** The server's refusal (wrong code, too many tries), shown under the field. */
  error: { message: string } | null
  onOpen: (code: string) => void
}

/** Type or paste a receipt code, or pick one this device keeps. */
export function CodeEntry({ busy, error, onOpen }: CodeEntryProps) {
  const [typed, setTyped] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const kept = useKeptReceipts()

  const submit = () => {
    const code = normalizeReceiptCode(typed)
    if (!code) {
      setProblem('回执码为 20 位字母和数字（可带短横线），请核对')
      return
    }
    setProblem(null)
    onOpen(code)
  }

  return (
    <>
      <View className='card follow-up__entry'>
        <View className='field'>
          <Text className='field__label'>回执码</Text>
          <Input
            className={`field__input follow-up__code ${problem || error ? 'field__input--invalid' : ''}`}
            value={typed}
            maxlength={40}
            placeholder='如 ABCDE-FGHJK-MNPQR-STUVW'
            onInput={(event) => {
              setTyped(event.detail.value.toUpperCase())
              setProblem(null)
            }}
          />
          <FormMessage error={problem ? { message: problem } : error} />
        </View>
        <Button className='btn btn--primary btn--block follow-up__open' loading={busy} disabled={busy} onClick={submit}>
          查询进度
        </Button>
      </View>
      {kept.length > 0 && (
        <View className='card follow-up__kept'>
          <Text className='card__title'>本机保存的回执码</Text>
          {kept.map((receipt) => (
            <View key={receipt.code} className='row follow-up__kept-item'>
              <View className='row__main'>
                <Text className='text'>{`${FRAUD_TYPE_LABELS[receipt.fraudType]} · ${formatDateTime(receipt.createdAt)}`}</Text>
                <Text className='hint'>{maskReceipt(receipt.code)}</Text>
              </View>
              <View className='row__actions'>
                <Button className='btn follow-up__kept-open' disabled={busy} onClick={() => onOpen(receipt.code)}>
                  查看
                </Button>
                <Button className='btn btn--danger follow-up__kept-remove' onClick={() => void confirmForget(receipt.code)}>
                  删除
                </Button>
              </View>
            </View>
          ))}
        </View>
      )}
    </>
  )
}
