import { Text } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'

import { triageApi } from '../../../../api/triage'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { useRemote } from '../../../../state/use-remote'
import { AssignSection } from './assign-section'
import { AttachmentsSection } from './attachments-section'
import { LabelsSection } from './labels-section'
import { ReplySection } from './reply-section'
import { RewardSection } from './reward-section'
import { StatusSection } from './status-section'
import { TipSummary } from './tip-summary'
import { LinkedTips, Timeline } from './timeline'

import './index.css'

/** One tip for the police: what was reported, in full, and everything they do with it. */
export default function TipTriage() {
  const tipId = useRouter().params.tipId ?? ''
  const tip = useRemote(() => triageApi.detail(tipId))
  // Loaded with the page: a section mounted once the tip is in would miss the page's show.
  const officers = useRemote(triageApi.officers)
  const data = tip.data

  return (
    <PageShell>
      <Text className='title'>举报详情</Text>
      <FormMessage error={tip.error} />
      {!data && !tip.error && <Text className='hint'>正在加载…</Text>}
      {data && (
        <>
          <TipSummary tip={data} />
          <AttachmentsSection tipId={data.id} attachments={data.attachments} />
          <StatusSection tip={data} onChanged={tip.reload} />
          <AssignSection tip={data} officers={officers} onChanged={tip.reload} />
          <LabelsSection tip={data} onChanged={tip.reload} />
          <RewardSection tip={data} onChanged={tip.reload} />
          <ReplySection tipId={data.id} onSent={tip.reload} />
          <Timeline events={data.events} />
          <LinkedTips linked={data.linked} />
        </>
      )}
    </PageShell>
  )
}
