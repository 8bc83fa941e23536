import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { ROLE_LABELS, type CampaignResponse, type UnitProgress } from '@qmfz/contracts'
import { useEffect, useState } from 'react'

import { campaignsApi } from '../../../../api/campaigns'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { useRemote } from '../../../../state/use-remote'
import { formatDateTime } from '../../../../utils/format'
import { formatDurationWords } from '../../../../utils/format'
import { RemindButton } from './remind-button'
import { UnitProgressList } from './unit-progress-list'
import { ViewersSection } from './viewers-section'

import './index.css'

/** One campaign's progress for a unit admin (their units) or a township admin (every unit). */
export default function CampaignProgress() {
  const campaignId = useRouter().params.campaignId ?? ''
  const progress = useRemote(() => campaignsApi.progress(campaignId))
  const [unitId, setUnitId] = useState<string>()
  const units = progress.data?.units ?? []
  // An admin of a single unit has nothing to choose: show its people straight away.
  useEffect(() => {
    if (unitId === undefined && units.length === 1) setUnitId(units[0].unitId)
  }, [progress.data])
  const campaign = progress.data?.campaign

  return (
    <PageShell>
      <Text className='title'>{campaign?.title ?? '观看进度'}</Text>
      <FormMessage error={progress.error} />
      {campaign && <CampaignSummary campaign={campaign} units={units} />}
      {units.length > 0 && <UnitProgressList units={units} selectedId={unitId} onSelect={setUnitId} />}
      <ViewersSection campaignId={campaignId} unit={units.find((unit) => unit.unitId === unitId)} />
    </PageShell>
  )
}

function CampaignSummary({ campaign, units }: { campaign: CampaignResponse; units: UnitProgress[] }) {
  const required = units.reduce((sum, unit) => sum + unit.required, 0)
  const done = units.reduce((sum, unit) => sum + unit.done, 0)
  const overdue = units.reduce((sum, unit) => sum + unit.overdue, 0)
  const closed = Date.parse(campaign.deadline) <= Date.now()
  return (
    <View className='card campaign-summary'>
      <Text className='text'>{`视频：${campaign.video.title}（${formatDurationWords(campaign.video.durationSeconds)}）`}</Text>
      <Text className='hint'>{`截止：${formatDateTime(campaign.deadline)}${closed ? '（已截止）' : ''}`}</Text>
      <Text className='hint'>{`应观看：${campaign.roles.map((role) => ROLE_LABELS[role]).join('、')}`}</Text>
      {campaign.headsFirst && <Text className='hint'>领导先学：单位管理员看完后，本单位其他人员才能观看。</Text>}
      <Text className='text campaign-summary__totals'>{`已完成 ${done}/${required} 人，逾期 ${overdue} 人`}</Text>
      {units.length > 1 && required > done && (
        <RemindButton campaignId={campaign.id} pending={required - done} label='提醒全部未完成' />
      )}
    </View>
  )
}
