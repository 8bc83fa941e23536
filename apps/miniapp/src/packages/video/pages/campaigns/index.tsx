import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { HEADS_FIRST_LABELS, type MyCampaignResponse } from '@qmfz/contracts'

import { viewingApi } from '../../../../api/viewing'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { IN_WECHAT } from '../../../../env'
import { ROUTES } from '../../../../routes'
import { useRemote } from '../../../../state/use-remote'
import { formatDateTime } from '../../../../utils/format'
import { ignoreCancel } from '../../../../utils/ignore-cancel'
import { ViewingBadge } from '../../components/viewing-badge'
import '../../video.css'
import { DeadlineReminder } from './deadline-reminder'

/** 我的观看任务: the campaigns this person must watch, in the order the server gives. */
export default function VideoCampaigns() {
  const campaigns = useRemote(viewingApi.myCampaigns)

  return (
    <PageShell>
      <Text className='title'>我的观看任务</Text>
      {IN_WECHAT && <DeadlineReminder />}
      {campaigns.error && (
        <View className='card'>
          <FormMessage error={campaigns.error} />
          <Button className='btn btn--block' onClick={() => campaigns.reload()}>
            重试
          </Button>
        </View>
      )}
      {campaigns.loading && !campaigns.data && !campaigns.error && <Text className='hint'>加载中…</Text>}
      {campaigns.data?.length === 0 && (
        <View className='card campaigns__empty'>
          <Text className='text'>暂无需要观看的视频</Text>
          <Text className='hint'>乡镇下发观看任务后会显示在这里。</Text>
        </View>
      )}
      {campaigns.data?.map((campaign) => <CampaignCard key={campaign.id} campaign={campaign} />)}
    </PageShell>
  )
}

const ACTION_LABELS = { pending: '去观看', completed: '去确认', done: '再看一遍', overdue: '补看' } as const

function CampaignCard({ campaign }: { campaign: MyCampaignResponse }) {
  const action = campaign.status === 'pending' && campaign.percent > 0 ? '继续观看' : ACTION_LABELS[campaign.status]
  return (
    <View className={`card campaign campaign--${campaign.status}`}>
      <View className='row campaign__head'>
        <Text className='text campaign__title'>{campaign.title}</Text>
        <ViewingBadge status={campaign.status} />
      </View>
      <Text className='hint'>{`视频：${campaign.videoTitle}`}</Text>
      <Text className='hint'>{`截止：${formatDateTime(campaign.deadline)}`}</Text>
      <Text className='hint'>{`已观看 ${campaign.percent}%`}</Text>
      {campaign.checkedInAt && <Text className='hint'>{`已于 ${formatDateTime(campaign.checkedInAt)} 打卡`}</Text>}
      {campaign.waitingForHead ? (
        // Heads-first: the server refuses a session until the unit's head has checked in, so nothing to tap yet.
        <Text className='text campaign__waiting'>{HEADS_FIRST_LABELS.waiting}</Text>
      ) : (
        <Button
          className={campaign.status === 'done' ? 'btn btn--block campaign__open' : 'btn btn--primary btn--block campaign__open'}
          onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.videoPlayer(campaign.id) }))}
        >
          {action}
        </Button>
      )}
    </View>
  )
}
