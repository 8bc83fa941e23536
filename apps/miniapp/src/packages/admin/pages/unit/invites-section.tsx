import { Button, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ROLE_LABELS, Role, UnitKind, type InviteResponse, type UnitResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { orgApi } from '../../../../api/org'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'
import { formatDateTime } from '../../../../utils/format'

/** Roles an invite may carry in this kind of unit; the server still decides who may issue which. */
function invitableRoles(kind: UnitKind | undefined): Role[] {
  if (kind === UnitKind.POLICE_STATION) return [Role.STAFF, Role.POLICE, Role.UNIT_ADMIN]
  if (kind === UnitKind.TOWNSHIP_OFFICE) return [Role.STAFF, Role.UNIT_ADMIN, Role.TOWNSHIP_ADMIN]
  return [Role.STAFF, Role.UNIT_ADMIN]
}

export function InvitesSection({ unitId, unit }: { unitId: string; unit?: UnitResponse }) {
  const invites = useRemote(() => orgApi.invites(unitId))
  const roles = invitableRoles(unit?.kind)
  const [roleIndex, setRoleIndex] = useState(0)
  const create = useAction(async () => {
    await orgApi.createInvite(unitId, { role: roles[roleIndex] })
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
      <Picker mode='selector' range={roles.map((role) => ROLE_LABELS[role])} value={roleIndex} onChange={(event) => setRoleIndex(Number(event.detail.value))}>
        <View className='row invites__role'>
          <Text className='text'>加入后的角色</Text>
          <Text className='text'>{`${ROLE_LABELS[roles[roleIndex]]} ›`}</Text>
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
            <Button className='btn' onClick={() => Taro.setClipboardData({ data: invite.code })}>
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
