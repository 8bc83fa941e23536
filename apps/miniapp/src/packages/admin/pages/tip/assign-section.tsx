import { Picker, Text, View } from '@tarojs/components'
import type { PersonRef, TipDetailResponse } from '@qmfz/contracts'

import { triageApi } from '../../../../api/triage'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'
import type { Remote } from '../../../../state/use-remote'

const NOBODY = '不指派'

interface AssignSectionProps {
  tip: TipDetailResponse
  officers: Remote<PersonRef[]>
  onChanged: () => void
}

/** 承办民警: one officer of the township, or nobody. */
export function AssignSection({ tip, officers, onChanged }: AssignSectionProps) {
  const list = officers.data ?? []
  const assign = useAction(async (assigneeUserId: string | null) => {
    if (assigneeUserId === (tip.assignee?.userId ?? null)) return
    await triageApi.update(tip.id, { assigneeUserId })
    onChanged()
  }, '已指派')
  const current = tip.assignee?.displayName ?? '未指派'

  return (
    <View className='card tip-assign'>
      <Text className='card__title'>承办民警</Text>
      <Picker
        mode='selector'
        range={[NOBODY, ...list.map((officer) => officer.displayName)]}
        value={Math.max(0, list.findIndex((officer) => officer.userId === tip.assignee?.userId) + 1)}
        disabled={assign.busy || !officers.data}
        onChange={(event) => {
          const index = Number(event.detail.value)
          void assign.run(index === 0 ? null : (list[index - 1]?.userId ?? null))
        }}
      >
        <View className='row tip-assign__picker' aria-label={`指派承办民警，当前：${current}`}>
          <Text className='text'>指派给</Text>
          <Text className='text tip-assign__current'>{`${current} ›`}</Text>
        </View>
      </Picker>
      <FormMessage error={assign.error ?? officers.error} />
    </View>
  )
}
