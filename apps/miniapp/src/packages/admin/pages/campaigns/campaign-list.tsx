import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { CampaignResponse } from '@qmfz/contracts'

import { FormMessage } from '../../../../components/form-message'
import { ROUTES } from '../../../../routes'
import type { Remote } from '../../../../state/use-remote'
import { formatDateTime } from '../../../../utils/format'
import { ignoreCancel } from '../../../../utils/ignore-cancel'

/** 任务列表: every campaign, each opening its progress page. */
export function CampaignList({ campaigns }: { campaigns: Remote<CampaignResponse[]> }) {
  const list = campaigns.data ?? []
  return (
    <View className='card campaigns'>
      <Text className='card__title'>任务列表</Text>
      {!campaigns.loading && list.length === 0 && <Text className='hint'>还没有发布观看任务。</Text>}
      <FormMessage error={campaigns.error} />
      {list.map((campaign) => (
        <View key={campaign.id} className='row campaign-row'>
          <View className='row__main'>
            <Text className='text'>{campaign.title}</Text>
            <Text className='hint'>{`${campaign.video.title}，${campaign.unitIds.length} 个单位`}</Text>
            <Text className='hint'>{`截止 ${formatDateTime(campaign.deadline)}${campaign.headsFirst ? '，领导先学' : ''}`}</Text>
          </View>
          <Button className='btn campaign-row__open' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.campaignProgress(campaign.id) }))}>
            进度
          </Button>
        </View>
      ))}
    </View>
  )
}
