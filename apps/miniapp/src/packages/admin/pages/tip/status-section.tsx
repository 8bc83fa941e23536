import { Button, Text, View } from '@tarojs/components'
import { ERROR_MESSAGES, TIP_STATUS_LABELS, TIP_STATUS_TRANSITIONS, type TipDetailResponse, type TipStatus } from '@qmfz/contracts'

import { triageApi } from '../../../../api/triage'
import { FormMessage } from '../../../../components/form-message'
import { useAction } from '../../../../state/use-action'

/**
 * Moves the tip on, offering only the statuses the contract allows from where it is. The reporter sees each
 * change when following the tip up. A tip with a reward decision keeps its status.
 */
export function StatusSection({ tip, onChanged }: { tip: TipDetailResponse; onChanged: () => void }) {
  const change = useAction(async (status: TipStatus) => {
    await triageApi.update(tip.id, { status })
    onChanged()
  }, '状态已更新')
  const next = TIP_STATUS_TRANSITIONS[tip.status]

  return (
    <View className='card tip-status'>
      <Text className='card__title'>处理状态</Text>
      <Text className='text'>{`当前：${TIP_STATUS_LABELS[tip.status]}`}</Text>
      {tip.reward ? (
        <Text className='hint'>{ERROR_MESSAGES.TIP_LOCKED_BY_REWARD}</Text>
      ) : (
        <>
          <Text className='hint'>状态变更会显示在举报人凭回执码看到的进度中。</Text>
          <View className='tip-status__actions'>
            {next.map((status) => (
              <Button
                key={status}
                className={`btn tip-status__to ${status === 'valid' ? 'btn--primary' : ''}`}
                disabled={change.busy}
                onClick={() => change.run(status)}
              >
                {`标记为${TIP_STATUS_LABELS[status]}`}
              </Button>
            ))}
          </View>
        </>
      )}
      <FormMessage error={change.error} />
    </View>
  )
}
