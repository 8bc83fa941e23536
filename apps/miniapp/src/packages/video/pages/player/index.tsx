import { Button, Text, Video, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { VIEWING_RULES, type CheckInResponse } from '@qmfz/contracts'
import { useState } from 'react'

import { viewingApi } from '../../../../api/viewing'
import { FormMessage } from '../../../../components/form-message'
import { PageShell } from '../../../../components/page-shell'
import { IN_WECHAT } from '../../../../env'
import { useAction } from '../../../../state/use-action'
import { useRemote } from '../../../../state/use-remote'
import { formatClock, formatDateTime } from '../../../../utils/format'
import '../../video.css'
import { deviceInfo } from './device'
import { useViewing, VIDEO_ID, type Progress } from './use-viewing'

const REQUIRED_PERCENT = Math.round(VIEWING_RULES.completionRatio * 100)

/** The player of one campaign: the server counts what was watched; 确认已观看 once it says the viewing is complete. */
export default function Player() {
  const campaignId = useRouter().params.campaignId ?? ''
  const viewing = useViewing(campaignId)
  const campaigns = useRemote(() => (campaignId ? viewingApi.myCampaigns() : Promise.resolve([])))
  const campaign = campaigns.data?.find((candidate) => candidate.id === campaignId)
  const { session, progress } = viewing

  return (
    <PageShell>
      <Text className='title'>{campaign?.title ?? '观看视频'}</Text>
      {campaign && <Text className='hint player__meta'>{`${campaign.videoTitle} · 截止 ${formatDateTime(campaign.deadline)}`}</Text>}
      {!campaignId && (
        <View className='card'>
          <Text className='text'>没有指定观看任务，请从“观看打卡”进入。</Text>
        </View>
      )}
      {viewing.startError && (
        <View className='card player__start-error'>
          <FormMessage error={viewing.startError} />
          <Button className='btn btn--block' onClick={viewing.retry}>
            重试
          </Button>
        </View>
      )}
      {campaignId && !session && !viewing.startError && <Text className='hint'>正在打开视频…</Text>}
      {session && (
        <>
          {/* The H5 <Video> is absolutely positioned: this frame gives it its size. */}
          <View className='player__frame'>
            <Video
              id={VIDEO_ID}
              className='player__video'
              src={viewing.src}
              initialTime={viewing.initialTime}
              title={campaign?.videoTitle ?? ''}
              // Seeking by gesture or (on the web) by the progress bar is not offered; the server ignores jumps anyway.
              enableProgressGesture={false}
              showProgress={IN_WECHAT}
              enablePlayGesture={false}
              vslideGesture={false}
              onPlay={viewing.handlers.onPlay}
              onPause={viewing.handlers.onPause}
              onEnded={viewing.handlers.onEnded}
              onTimeUpdate={viewing.handlers.onTimeUpdate}
              onSeekComplete={viewing.handlers.onSeekComplete}
              onError={viewing.handlers.onError}
            />
          </View>
          {progress && <ProgressCard progress={progress} durationSeconds={session.durationSeconds} problem={viewing.problem} />}
          <CheckIn campaignId={campaignId} verified={progress?.verified ?? false} earlier={campaign?.checkedInAt ?? null} />
        </>
      )}
    </PageShell>
  )
}

function ProgressCard({ progress, durationSeconds, problem }: { progress: Progress; durationSeconds: number; problem: string | null }) {
  return (
    <View className='card player__progress'>
      <Text className='text player__percent'>{`已计入观看 ${progress.percent}%`}</Text>
      <View className='meter'>
        <View className={progress.verified ? 'meter__bar meter__bar--done' : 'meter__bar'} style={{ width: `${progress.percent}%` }} />
      </View>
      <Text className='hint'>{`${formatClock(progress.coveredSeconds)} / ${formatClock(Math.round(durationSeconds))}`}</Text>
      <Text className='hint'>{`由系统按实际播放核验，达到 ${REQUIRED_PERCENT}% 即可确认；拖动跳过的部分不计入。`}</Text>
      {problem && <Text className='message message--error player__problem'>{problem}</Text>}
    </View>
  )
}

function CheckIn({ campaignId, verified, earlier }: { campaignId: string; verified: boolean; earlier: string | null }) {
  const [checkedIn, setCheckedIn] = useState<CheckInResponse | null>(null)
  const confirm = useAction(async () => setCheckedIn(await viewingApi.checkIn(campaignId, deviceInfo())))
  const checkedInAt = checkedIn?.checkedInAt ?? earlier

  if (checkedInAt) {
    return (
      <View className='card player__checked-in'>
        <Text className='text player__done'>{`已完成打卡 ${formatDateTime(checkedInAt)}`}</Text>
      </View>
    )
  }
  return (
    <View className='card player__confirm'>
      <Text className='hint'>{verified ? '系统已核验您看完了视频，请确认。' : `观看进度达到 ${REQUIRED_PERCENT}% 后才能确认。`}</Text>
      <FormMessage error={confirm.error} />
      <Button
        // A class, not [disabled]: Taro's web button writes disabled="false" too, and app.css styles buttons itself.
        className={verified ? 'btn btn--primary btn--block player__confirm-button' : 'btn btn--block player__confirm-button player__confirm-button--waiting'}
        disabled={!verified || confirm.busy}
        loading={confirm.busy}
        onClick={() => {
          if (verified) void confirm.run()
        }}
      >
        确认已观看
      </Button>
    </View>
  )
}
