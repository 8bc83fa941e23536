import { Button, Text, View } from '@tarojs/components'
import { formatReceiptCode } from '@qmfz/contracts'

import { PageShell } from '../../../../components/page-shell'
import { AdditionForm } from './addition-form'
import { CodeEntry } from './code-entry'
import { RewardCard } from './reward-card'
import { TipProgress } from './tip-progress'
import { useFollowUp } from './use-follow-up'
import './index.css'

/** 举报进度: a tip's status, police replies, the reporter's additions and the reward, by receipt code alone. */
export default function TipFollowUp() {
  const followUp = useFollowUp()
  const { code, tip } = followUp
  return (
    <PageShell>
      <Text className='title'>举报进度</Text>
      {code && tip ? (
        <>
          <View className='card follow-up__header'>
            <Text className='hint'>{`回执码 ${formatReceiptCode(code)}`}</Text>
            <Button className='btn btn--block follow-up__other' onClick={followUp.close}>
              查询其他回执码
            </Button>
          </View>
          {followUp.error && <Text className='message message--error follow-up__reload-error'>{followUp.error.message}</Text>}
          <TipProgress tip={tip} />
          {tip.reward ? (
            <RewardCard code={code} reward={tip.reward} onClaimed={(reward) => followUp.show({ ...tip, reward })} />
          ) : (
            <Text className='hint card follow-up__no-reward'>经核查属实的举报可获得奖励；评定后可在本页申领。</Text>
          )}
          <AdditionForm code={code} onAdded={followUp.show} />
        </>
      ) : (
        <>
          <Text className='hint follow-up__intro'>输入举报时得到的回执码，查看处理进度和民警回复、补充信息、申领奖励。</Text>
          <CodeEntry busy={followUp.loading} error={followUp.error} onOpen={(next) => void followUp.open(next)} />
        </>
      )}
    </PageShell>
  )
}
