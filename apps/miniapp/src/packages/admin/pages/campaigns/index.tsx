import { Text } from '@tarojs/components'

import { campaignsApi } from '../../../../api/campaigns'
import { PageShell } from '../../../../components/page-shell'
import { useRemote } from '../../../../state/use-remote'
import { CampaignList } from './campaign-list'
import { PublishSection } from './publish-section'
import { VideosSection } from './videos-section'

import './index.css'

/** The township admin's 观看任务: videos, publishing a campaign, and every campaign's progress. */
export default function CampaignsAdmin() {
  const videos = useRemote(campaignsApi.videos)
  const campaigns = useRemote(campaignsApi.campaigns)
  return (
    <PageShell>
      <Text className='title'>观看任务</Text>
      <VideosSection videos={videos} />
      <PublishSection videos={videos.data ?? []} onPublished={campaigns.reload} />
      <CampaignList campaigns={campaigns} />
    </PageShell>
  )
}
