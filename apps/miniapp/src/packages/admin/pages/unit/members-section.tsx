import { Button, Text, View } from '@tarojs/components'
import { ROLE_LABELS, type MemberResponse } from '@qmfz/contracts'

import { orgApi } from '../../../../api/org'
import { FormMessage } from '../../../../components/form-message'
import { StatusBadge } from '../../../../components/status-badge'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'

/** Applications to decide first, then everyone else in the unit. */
export function MembersSection({ unitId }: { unitId: string }) {
  const members = useRemote(() => orgApi.members(unitId))
  const decide = useAction(async (member: MemberResponse, approve: boolean) => {
    await (approve ? orgApi.approve(unitId, member.id) : orgApi.reject(unitId, member.id))
    await members.reload()
  })
  const all = members.data ?? []
  const pending = all.filter((member) => member.status === 'pending')
  const decided = all.filter((member) => member.status !== 'pending')
  const active = decided.filter((member) => member.status === 'active')

  return (
    <>
      <View className='card members-pending'>
        <Text className='card__title'>{`待审批（${pending.length}）`}</Text>
        {pending.length === 0 && <Text className='hint'>暂无待审批的申请</Text>}
        {pending.map((member) => (
          <View key={member.id} className='row member'>
            <MemberSummary member={member} />
            <View className='row__actions'>
              <Button className='btn btn--danger member__reject' disabled={decide.busy} onClick={() => decide.run(member, false)}>
                拒绝
              </Button>
              <Button className='btn btn--primary member__approve' disabled={decide.busy} onClick={() => decide.run(member, true)}>
                批准
              </Button>
            </View>
          </View>
        ))}
        <FormMessage error={decide.error ?? members.error} />
      </View>
      <View className='card members'>
        <Text className='card__title'>{`成员（${active.length}）`}</Text>
        {decided.map((member) => (
          <View key={member.id} className='row member'>
            <MemberSummary member={member} />
            <StatusBadge status={member.status} />
          </View>
        ))}
      </View>
    </>
  )
}

/** Name, role and masked phone: what an admin needs to recognise a person, never the full number. */
function MemberSummary({ member }: { member: MemberResponse }) {
  return (
    <View className='row__main'>
      <Text className='text'>{member.displayName}</Text>
      <Text className='hint'>{`${ROLE_LABELS[member.role]} ${member.phoneMasked ?? '未验证手机号'}`}</Text>
    </View>
  )
}
