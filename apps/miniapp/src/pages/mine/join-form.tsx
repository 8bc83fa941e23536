import { Button, Input, Text, View } from '@tarojs/components'
import { LIMITS } from '@qmfz/contracts'
import { useState } from 'react'

import { orgApi } from '../../api/org'
import { FormMessage } from '../../components/form-message'
import { useAction } from '../../state/use-action'

/** Join a unit with the invite code its admin handed out; the membership waits for the admin's approval. */
export function JoinForm({ onJoined }: { onJoined: () => void }) {
  const [code, setCode] = useState('')
  const [joined, setJoined] = useState<string | null>(null)
  const join = useAction(async () => {
    const membership = await orgApi.join({ code: code.trim() })
    setJoined(`已申请加入“${membership.unitName}”，请等待单位管理员审批`)
    setCode('')
    onJoined()
  })

  return (
    <View className='card join-form'>
      <Text className='card__title'>加入单位</Text>
      <View className='field'>
        <Text className='field__label'>邀请码（向单位管理员索取）</Text>
        <Input
          className={join.error ? 'field__input field__input--invalid join-form__code' : 'field__input join-form__code'}
          value={code}
          maxlength={LIMITS.inviteCodeLength}
          placeholder='8 位邀请码'
          onInput={(event) => {
            setCode(event.detail.value.toUpperCase())
            setJoined(null)
            join.clearError()
          }}
        />
        <FormMessage error={join.error} success={joined} />
      </View>
      <Button className='btn btn--primary btn--block' disabled={join.busy || code.trim().length === 0} loading={join.busy} onClick={() => join.run()}>
        加入
      </Button>
    </View>
  )
}
