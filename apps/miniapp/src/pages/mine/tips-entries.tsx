import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Role, type MembershipResponse } from '@qmfz/contracts'

import { ROUTES } from '../../routes'
import { ignoreCancel } from '../../utils/ignore-cancel'

const holds = (memberships: readonly MembershipResponse[], role: Role) =>
  memberships.some((membership) => membership.status === 'active' && membership.role === role)

/** 有奖举报 work by role: police triage tips, township admins approve rewards; both read the tallies. */
export function TipsEntries({ memberships }: { memberships: readonly MembershipResponse[] }) {
  const police = holds(memberships, Role.POLICE)
  const township = holds(memberships, Role.TOWNSHIP_ADMIN)
  if (!police && !township) return null
  const open = (url: string) => ignoreCancel(Taro.navigateTo({ url }))

  return (
    <View className='card tips-entries'>
      <Text className='card__title'>有奖举报</Text>
      {police && (
        <Button className='btn btn--block tips-entries__triage' onClick={() => open(ROUTES.tipsTriage)}>
          举报研判
        </Button>
      )}
      {township && (
        <Button className='btn btn--block tips-entries__rewards' onClick={() => open(ROUTES.rewardsAdmin)}>
          奖励审批
        </Button>
      )}
      <Button className='btn btn--block tips-entries__tallies' onClick={() => open(ROUTES.rewardTallies)}>
        奖励统计
      </Button>
    </View>
  )
}
