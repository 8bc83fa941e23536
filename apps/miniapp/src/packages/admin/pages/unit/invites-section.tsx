import { Button, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { grantableRoles, ROLE_LABELS, Role, type InviteResponse, type UnitResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { orgApi } from '../../../../api/org'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { useRemote } from '../../../../state/use-remote'
import { formatDateTime } from '../../../../utils/format'

interface InvitesSectionProps {
  unitId: string
  /** Until it has loaded, only staff invites are offered. */
  unit?: UnitResponse
  granter: 'township_admin' | 'unit_admin'
}

export function InvitesSection({ unitId, unit, granter }: InvitesSectionProps) {
  const invites = useRemote(() => orgApi.invites(unitId))
  const roles = unit ? grantableRoles(unit.kind, granter) : [Role.STAFF]
  // The role itself, not its place in the list: the list changes when the unit or the viewer's rights load.
  const [chosen, setChosen] = useState<Role>(Role.STAFF)
  const role = roles.includes(chosen) ? chosen : Role.STAFF
  const create = useAction(async () => {
    await orgApi.createInvite(unitId, { role })
    await invites.reload()
  }, '邀请码已生成')
  const revoke = useAction(async (invite: InviteResponse) => {
    // One tap next to 复制 must not end a code people may already have been sent.
    const { confirm } = await Taro.showModal({ title: '撤销邀请码', content: `撤销后 ${invite.code} 将无法再用于加入本单位。`, confirmText: '撤销' })
    if (!confirm) return
    await orgApi.revokeInvite(unitId, invite.id)
    void Taro.showToast({ title: '已撤销', icon: 'success' })
    await invites.reload()
  })
  const now = Date.now()
  const usable = (invites.data ?? []).filter((invite) => !invite.revokedAt && Date.parse(invite.expiresAt) > now)

  return (
    <View className='card invites'>
      <Text className='card__title'>邀请码</Text>
      <Text className='hint'>把邀请码发给本单位工作人员，他们在“我的”中输入后由您审批。</Text>
      <Picker mode='selector' range={roles.map((option) => ROLE_LABELS[option])} value={roles.indexOf(role)} onChange={(event) => setChosen(roles[Number(event.detail.value)])}>
        <View className='row invites__role'>
          <Text className='text'>加入后的角色</Text>
          <Text className='text'>{`${ROLE_LABELS[role]} ›`}</Text>
        </View>
      </Picker>
      <Button className='btn btn--primary btn--block invites__create' loading={create.busy} disabled={create.busy} onClick={() => create.run()}>
        生成邀请码
      </Button>
      <FormMessage error={create.error ?? revoke.error ?? invites.error} />
      {usable.map((invite) => (
        <View key={invite.id} className='row invite'>
          <View className='row__main'>
            <Text className='text invite__code' userSelect>
              {invite.code}
            </Text>
            <Text className='hint'>{`${ROLE_LABELS[invite.role]}，${formatDateTime(invite.expiresAt)} 前有效`}</Text>
          </View>
          <View className='row__actions'>
            <Button className='btn' onClick={() => ignoreCancel(Taro.setClipboardData({ data: invite.code }))}>
              复制
            </Button>
            <Button className='btn btn--danger invite__revoke' disabled={revoke.busy} onClick={() => revoke.run(invite)}>
              撤销
            </Button>
          </View>
        </View>
      ))}
    </View>
  )
}
