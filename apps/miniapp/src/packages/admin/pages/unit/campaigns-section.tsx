import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

import { campaignsApi } from '../../../../api/campaigns'
import { FormMessage } from '../../../../components/form-message'
import { ROUTES } from '../../../../routes'
import { useRemote } from '../../../../state/use-remote'
import { formatDateTime } from '../../../../utils/format'
import { ignoreCancel } from '../../../../utils/ignore-cancel'

/** 观看任务 that include this unit, each opening its progress page (who has watched, reminders, export). */
export function CampaignsSection({ unitId }: { unitId: string }) {
  // The server returns what the caller may see; this page shows the ones for this unit.
  const campaigns = useRemote(campaignsApi.campaigns)
  const mine = (campaigns.data ?? []).filter((campaign) => campaign.unitIds.includes(unitId))
  return (
    <View className='card unit-campaigns'>
      <Text className='card__title'>观看任务</Text>
      {campaigns.data && mine.length === 0 && <Text className='hint'>暂无本单位的观看任务。</Text>}
      <FormMessage error={campaigns.error} />
      {mine.map((campaign) => (
        <View key={campaign.id} className='row unit-campaign'>
          <View className='row__main'>
            <Text className='text'>{campaign.title}</Text>
            <Text className='hint'>{`截止 ${formatDateTime(campaign.deadline)}`}</Text>
          </View>
          <Button className='btn unit-campaign__open' onClick={() => ignoreCancel(Taro.navigateTo({ url: ROUTES.campaignProgress(campaign.id) }))}>
            查看进度
          </Button>
        </View>
      ))}
    </View>
  )
}
