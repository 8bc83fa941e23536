import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { formatReceiptCode, FRAUD_TYPE_LABELS } from '@qmfz/contracts'
import { useState } from 'react'

import { ROUTES } from '../../routes'
import { formatDateTime } from '../../utils/format'
import { Choice } from '../../components/choice'
import { forgetReceipt, handOverReceipt, isKept, keepReceipt } from './receipts'
import type { IssuedReceipt } from './use-submission'

/**
 * The receipt code, shown this once: the server keeps only its hash. Copying and keeping it on the device are the
 * person's choice; leaving asks for confirmation first.
 */
export function ReceiptPanel({ receipt, onClose }: { receipt: IssuedReceipt; onClose: () => void }) {
  const formatted = formatReceiptCode(receipt.code)
  const [kept, setKept] = useState(() => isKept(receipt.code))

  const toggleKept = () => {
    if (kept) forgetReceipt(receipt.code)
    else keepReceipt({ code: receipt.code, fraudType: receipt.fraudType, createdAt: receipt.createdAt })
    setKept(!kept)
  }
  const copy = () => Taro.setClipboardData({ data: formatted }).catch(() => undefined)
  const close = async () => {
    const answer = await Taro.showModal({
      title: '确认已保存回执码？',
      content: '离开后回执码不会再显示，也无法找回。',
      confirmText: '已保存',
      cancelText: '再看看',
    }).catch(() => null)
    if (answer?.confirm) onClose()
  }

  return (
    <View className='card tip-receipt'>
      <Text className='card__title'>举报已提交</Text>
      <Text className='hint'>{`${FRAUD_TYPE_LABELS[receipt.fraudType]} · ${formatDateTime(receipt.createdAt)}`}</Text>
      <Text className='field__label tip-receipt__label'>您的回执码</Text>
      <Text className='tip-receipt__code' userSelect>
        {formatted}
      </Text>
      <Button className='btn btn--primary btn--block tip-receipt__copy' onClick={copy}>
        复制
      </Button>
      <Text className='message message--error tip-receipt__warning'>
        请立即抄下或复制保存。回执码是查看处理进度、补充信息和领取奖励的唯一凭证，离开本页后不会再显示，丢失后无法找回。
      </Text>
      {receipt.superseded && (
        <Text className='hint tip-receipt__superseded'>网络中断后您做的修改没有提交成功，民警收到的是修改前的内容。如需更正，请在“举报进度”中补充说明。</Text>
      )}
      <Choice
        className='tip-receipt__keep'
        label='在本机保存回执码'
        hint='保存后可在“举报进度”中直接选择查看。拿到这部手机的人也能查看进度、领取奖励，可随时删除。'
        checked={kept}
        onToggle={toggleKept}
      />
      <Button
        className='btn btn--block tip-receipt__follow-up'
        onClick={() => {
          handOverReceipt(receipt.code)
          void Taro.navigateTo({ url: ROUTES.tipFollowUp }).catch(() => undefined)
        }}
      >
        查看举报进度
      </Button>
      <Button className='btn btn--block tip-receipt__done' onClick={close}>
        我已保存，继续举报
      </Button>
    </View>
  )
}
