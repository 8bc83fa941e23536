import { Button, Text, View } from '@tarojs/components'
import { useDidHide } from '@tarojs/taro'
import type { RevealedIdentityResponse } from '@qmfz/contracts'

const SOURCES: Record<RevealedIdentityResponse['source'], string> = {
  tip: '举报时提供',
  claim: '申领奖励时提供',
}

/**
 * The reporter's identity, shown once to the approver for the payout. It lives only in this dialog's props: closing
 * it, or leaving the page, drops it, and nothing is written to storage.
 */
export function IdentityDialog({ identity, onClose }: { identity: RevealedIdentityResponse; onClose: () => void }) {
  useDidHide(onClose)
  return (
    <View className='identity-dialog'>
      <View className='identity-dialog__panel' role='dialog' aria-modal='true' aria-label='举报人身份'>
        <Text className='card__title'>举报人身份</Text>
        <Text className='text identity-dialog__name'>{`姓名：${identity.name ?? '未提供'}`}</Text>
        <Text className='text identity-dialog__phone'>{`手机号码：${identity.phone ?? '未提供'}`}</Text>
        <Text className='hint'>{`来源：${SOURCES[identity.source]}`}</Text>
        <Text className='message message--error identity-dialog__notice'>
          本次查看已记入审计日志。身份信息仅用于发放奖励，请勿截图、转发或另行记录。
        </Text>
        <Button className='btn btn--primary btn--block identity-dialog__close' onClick={onClose}>
          关闭
        </Button>
      </View>
    </View>
  )
}
