import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ROLE_LABELS, Role, type MembershipResponse } from '@qmfz/contracts'

import { StatusBadge } from '../../components/status-badge'

/** Roles that manage a unit's people from 我的. */
const MANAGING_ROLES: readonly Role[] = [Role.UNIT_ADMIN, Role.TOWNSHIP_ADMIN]

export function canManage(membership: MembershipResponse): boolean {
  return membership.status === 'active' && MANAGING_ROLES.includes(membership.role)
}

export function Memberships({ memberships }: { memberships: MembershipResponse[] }) {
  const isTownshipAdmin = memberships.some((m) => m.status === 'active' && m.role === Role.TOWNSHIP_ADMIN)
  return (
    <View className='card memberships'>
      <Text className='card__title'>我的单位</Text>
      {memberships.length === 0 && <Text className='hint'>还没有加入任何单位。单位工作人员请用邀请码加入。</Text>}
      {memberships.map((membership) => (
        <View key={membership.id} className='row membership'>
          <View className='row__main'>
            <Text className='text'>{membership.unitName}</Text>
            <Text className='hint'>{ROLE_LABELS[membership.role]}</Text>
          </View>
          <View className='row__actions'>
            <StatusBadge status={membership.status} />
            {canManage(membership) && (
              <Button
                className='btn membership__manage'
                onClick={() => Taro.navigateTo({ url: `/packages/admin/pages/unit/index?unitId=${membership.unitId}` })}
              >
                管理
              </Button>
            )}
          </View>
        </View>
      ))}
      {isTownshipAdmin && (
        <Button className='btn btn--block memberships__units' onClick={() => Taro.navigateTo({ url: '/packages/admin/pages/units/index' })}>
          管理本乡镇单位
        </Button>
      )}
    </View>
  )
}
