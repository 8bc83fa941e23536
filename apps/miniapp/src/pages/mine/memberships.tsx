import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ROLE_LABELS, type MembershipResponse } from '@qmfz/contracts'

import { StatusBadge } from '../../components/status-badge'
import { ROUTES } from '../../routes'
import { ignoreCancel } from '../../utils/ignore-cancel'
import { canManage, isTownshipAdmin } from '../../utils/memberships'

export function Memberships({ memberships }: { memberships: MembershipResponse[] }) {
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
                onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.unitAdmin(membership.unitId) }))}
              >
                管理
              </Button>
            )}
          </View>
        </View>
      ))}
      {isTownshipAdmin(memberships) && (
        <Button className='btn btn--block memberships__units' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.townshipUnits }))}>
          管理本乡镇单位
        </Button>
      )}
    </View>
  )
}
