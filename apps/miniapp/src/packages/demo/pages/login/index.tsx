import { Button, Input, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ErrorCode, LIMITS, ROLE_LABELS, ROLES, type Role, type UnitResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { demoLogin } from '../../../../api/demo-login'
import { orgApi } from '../../../../api/org'
import { session } from '../../../../api/session'
import { ApiError } from '../../../../api/transport'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { ROUTES } from '../../../../routes'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'

/** Index 0 is a plain resident, who needs no unit. */
const IDENTITIES: (Role | null)[] = [null, ...ROLES]
const IDENTITY_LABELS = ['居民', ...ROLES.map((role) => ROLE_LABELS[role])]

/**
 * Listing units needs a signed-in user: without one (or with a login that has run out) a visitor is first
 * signed in as a demo resident.
 */
async function loadUnits(): Promise<UnitResponse[]> {
  if (session.signedIn) {
    try {
      return await orgApi.units()
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== ErrorCode.AUTH_REQUIRED) throw error
    }
  }
  await demoLogin({ name: '演示访客' })
  return orgApi.units()
}

/** Demo builds only: sign in as anyone, to try every role on a laptop or in the browser tests. */
export default function DemoLogin() {
  const units = useRemote(loadUnits)
  const [name, setName] = useState('演示用户')
  const [identityIndex, setIdentityIndex] = useState(0)
  const [unitIndex, setUnitIndex] = useState(0)
  const role = IDENTITIES[identityIndex]
  const unitList = units.data ?? []
  const unit = unitList[unitIndex]

  const login = useAction(async () => {
    await demoLogin({ name: name.trim(), ...(role && unit ? { role, unitId: unit.id } : {}) })
    await Taro.switchTab({ url: ROUTES.mine })
  })

  return (
    <PageShell>
      <Text className='title'>演示登录</Text>
      <Text className='hint'>仅用于演示和测试：正式版本不包含此页面，服务器也会拒绝演示登录。</Text>
      <View className='card demo-login'>
        <View className='field'>
          <Text className='field__label'>姓名</Text>
          <Input className='field__input demo-login__name' value={name} maxlength={LIMITS.nameMax} onInput={(event) => setName(event.detail.value)} />
        </View>
        <Picker mode='selector' range={IDENTITY_LABELS} value={identityIndex} onChange={(event) => setIdentityIndex(Number(event.detail.value))}>
          <View className='row demo-login__role'>
            <Text className='text'>身份</Text>
            <Text className='text'>{`${IDENTITY_LABELS[identityIndex]} ›`}</Text>
          </View>
        </Picker>
        {role && (
          <Picker mode='selector' range={unitList.map((candidate) => candidate.name)} value={unitIndex} onChange={(event) => setUnitIndex(Number(event.detail.value))}>
            <View className='row demo-login__unit'>
              <Text className='text'>单位</Text>
              <Text className='text'>{`${unit?.name ?? '加载中…'} ›`}</Text>
            </View>
          </Picker>
        )}
        <FormMessage error={login.error ?? units.error} />
        <Button
          className='btn btn--primary btn--block demo-login__submit'
          disabled={login.busy || !name.trim() || (role !== null && !unit)}
          loading={login.busy}
          onClick={() => login.run()}
        >
          登录
        </Button>
      </View>
    </PageShell>
  )
}
