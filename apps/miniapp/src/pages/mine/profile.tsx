import { Button, Text, View } from '@tarojs/components'
import type { MeResponse } from '@qmfz/contracts'

import { orgApi } from '../../api/org'
import { FormMessage } from '../../components/form-message'
import { IN_WECHAT } from '../../env'
import { useAction } from '../../state/use-action'

/** Who is signed in; in WeChat, staff verify their phone here so a roster entry can make them a member. */
export function Profile({ me, onChanged }: { me: MeResponse; onChanged: () => void }) {
  const bind = useAction(async (code: string) => {
    await orgApi.bindPhone(code)
    onChanged()
  }, '手机号已验证')

  return (
    <View className='card profile'>
      <Text className='title profile__name'>{me.displayName}</Text>
      <Text className='hint'>{me.township.name}</Text>
      <Text className='hint'>{me.phoneMasked ? `手机号 ${me.phoneMasked}` : '未验证手机号'}</Text>
      {IN_WECHAT && !me.phoneMasked && (
        <Button
          className='btn btn--block'
          openType='getPhoneNumber'
          loading={bind.busy}
          onGetPhoneNumber={(event) => {
            if (event.detail.code) void bind.run(event.detail.code)
          }}
        >
          验证手机号（名册中的工作人员将自动加入单位）
        </Button>
      )}
      <FormMessage error={bind.error} />
    </View>
  )
}
