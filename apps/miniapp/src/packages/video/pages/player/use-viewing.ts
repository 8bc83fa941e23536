import Taro, { useDidHide } from '@tarojs/taro'
import {
  REJECTION_REASON_LABELS,
  VIEWING_RULES,
  type HeartbeatResponse,
  type StartViewingResponse,
} from '@qmfz/contracts'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import { apiUrl, toApiError, type ApiError } from '../../../../api/transport'
import { viewingApi } from '../../../../api/viewing'
import { HeartbeatQueue } from '../../heartbeat-queue'
import { PlaybackTracker } from '../../playback-tracker'

export const VIDEO_ID = 'viewing-video'

/** What the server last said about this viewing. */
export interface Progress {
  coveredSeconds: number
  percent: number
  verified: boolean
}

export interface Viewing {
  session: StartViewingResponse | null
  /** The URL the <Video> plays: the session's link, made absolute. */
  src: string
  /** Where the <Video> starts playing `src`. */
  initialTime: number
  progress: Progress | null
  startError: ApiError | null
  /** The latest thing to tell the viewer about their heartbeats (a refusal, a skipped jump). */
  problem: string | null
  retry: () => void
  handlers: {
    onPlay: () => void
    onPause: () => void
    onEnded: () => void
    onTimeUpdate: (event: { detail: { currentTime: number } }) => void
    onSeekComplete: () => void
    onError: () => void
  }
}

/** An upload's link is an API path (`/api/videos/…`): it goes to the API's origin, like every call. */
export function playableUrl(videoUrl: string): string {
  if (/^https?:\/\//i.test(videoUrl)) return videoUrl
  return videoUrl.startsWith('/api/') ? apiUrl(videoUrl.slice('/api'.length)) : videoUrl
}

/** Until the first heartbeat answers, the session's own numbers, shown with the server's rounding (down). */
function initialProgress(start: StartViewingResponse): Progress {
  const percent = start.durationSeconds > 0 ? Math.floor((start.coveredSeconds * 100) / start.durationSeconds) : 0
  return { coveredSeconds: start.coveredSeconds, percent: Math.min(100, percent), verified: start.verified }
}

const rejectionNote = (reply: HeartbeatResponse) =>
  reply.rejected ? `${REJECTION_REASON_LABELS[reply.rejected]}：超出正常播放的部分不计入观看进度` : null

/**
 * One viewing session of a campaign: starts it, feeds the player's events to the heartbeat queue and keeps what
 * the server answers. Nothing is sent after the page unmounts except one last `hide` heartbeat.
 */
export function useViewing(campaignId: string): Viewing {
  const [session, setSession] = useState<StartViewingResponse | null>(null)
  const [src, setSrc] = useState('')
  const [initialTime, setInitialTime] = useState(0)
  const [progress, setProgress] = useState<Progress | null>(null)
  const [startError, setStartError] = useState<ApiError | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const alive = useRef(true)
  const tracker = useRef<PlaybackTracker | null>(null)
  const queue = useRef<HeartbeatQueue | null>(null)
  /** A newer session's link, used if the one playing stops working (upload links last one session). */
  const latestUrl = useRef('')

  const attach = useCallback(
    (start: StartViewingResponse) => {
      const interval = start.heartbeatIntervalSeconds > 0 ? start.heartbeatIntervalSeconds : VIEWING_RULES.heartbeatIntervalSeconds
      const beats = new HeartbeatQueue({
        sessionToken: start.sessionToken,
        send: (body) => viewingApi.heartbeat(campaignId, body),
        restart: () => viewingApi.startSession(campaignId),
        onReply: (reply) => {
          setProgress({ coveredSeconds: reply.coveredSeconds, percent: reply.percent, verified: reply.verified })
          // A note stays until there is a newer one: the next ordinary reply would otherwise hide it at once.
          const note = rejectionNote(reply)
          if (note) setProblem(note)
        },
        onRestart: (next) => {
          latestUrl.current = playableUrl(next.videoUrl)
          setProgress(initialProgress(next))
          moveBack(next.resumeAtSeconds)
        },
        onError: (error) => setProblem(error.message),
      })
      queue.current = beats
      tracker.current = new PlaybackTracker(beats, {
        startPosition: start.resumeAtSeconds,
        durationSeconds: start.durationSeconds,
        intervalSeconds: interval,
      })
      latestUrl.current = playableUrl(start.videoUrl)
      setSrc(latestUrl.current)
      setInitialTime(start.resumeAtSeconds)
      setSession(start)
      setProgress(initialProgress(start))
    },
    [campaignId],
  )

  const starting = useRef(false)
  const begin = useCallback(async () => {
    // One session per page: a second one would make the first stale at once (a double tap on 重试).
    if (!campaignId || queue.current || starting.current) return
    starting.current = true
    setStartError(null)
    try {
      const start = await viewingApi.startSession(campaignId)
      if (alive.current) attach(start)
    } catch (error) {
      if (alive.current) setStartError(toApiError(error))
    } finally {
      starting.current = false
    }
  }, [campaignId, attach])

  /** A new session resumes from the server's checkpoint: a player that is further on goes back to it. */
  function moveBack(resumeAt: number) {
    const current = tracker.current
    if (!current) return
    if (current.currentPosition > resumeAt + VIEWING_RULES.stepToleranceSeconds) {
      try {
        Taro.createVideoContext(VIDEO_ID).seek(resumeAt)
      } catch {
        // No player to move (it was never shown): the next heartbeats simply start from the checkpoint.
      }
    }
    current.moveTo(Math.min(current.currentPosition, resumeAt))
  }

  useEffect(() => {
    void begin()
    return () => {
      alive.current = false
      const current = tracker.current
      current?.close()
      queue.current?.close(current?.reported ? current.currentPosition : undefined)
    }
  }, [])

  useDidHide(() => tracker.current?.hide())

  const handlers = useMemo(
    () => ({
      onPlay: () => tracker.current?.play(),
      onPause: () => tracker.current?.pause(),
      onEnded: () => tracker.current?.ended(),
      onTimeUpdate: (event: { detail: { currentTime: number } }) => tracker.current?.timeUpdate(Number(event.detail?.currentTime)),
      onSeekComplete: () => tracker.current?.seekComplete(),
      onError: () => {
        if (latestUrl.current && latestUrl.current !== src) {
          setInitialTime(tracker.current?.currentPosition ?? 0)
          setSrc(latestUrl.current)
        } else setProblem('视频加载失败，请检查网络后重新打开本页')
      },
    }),
    [src],
  )

  return { session, src, initialTime, progress, startError, problem, retry: () => void begin(), handlers }
}
