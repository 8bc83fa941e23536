/// <reference types="jest" />
import {
  ErrorCode,
  ERROR_MESSAGES,
  type CheckInRequest,
  type HeartbeatRequest,
  type MyCampaignResponse,
  type StartViewingResponse,
} from '@qmfz/contracts'

import { settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { networkFailure, taroMock, type Reply } from '../../../../../test/jest/taro'
import { formatDateTime } from '../../../../utils/format'

const CHECKED_IN_AT = '2025-03-01T02:30:00.000Z'

const campaign: MyCampaignResponse = {
  id: 'c1',
  title: '三月反诈学习',
  deadline: '2025-03-31T10:00:00.000Z',
  videoTitle: '识破刷单诈骗',
  durationSeconds: 60,
  status: 'pending',
  coveredSeconds: 0,
  percent: 0,
  verified: false,
  waitingForHead: false,
  checkedInAt: null,
}

const refusal = (status: number, code: ErrorCode): Reply => ({ statusCode: status, data: { code, message: ERROR_MESSAGES[code], requestId: 'r' } })

type Outcome = Reply | 'offline'

/**
 * The viewing routes of one campaign, in memory. Sessions and replies number their tokens (`session-1`,
 * `reply-1`, …) so a test can follow the chain; `heartbeatOutcomes` and `sessionOutcomes` script the next answers.
 */
function fakeViewingServer(options: { videoUrl?: string; resumes?: number[]; intervalSeconds?: number } = {}) {
  const heartbeats: HeartbeatRequest[] = []
  const checkIns: CheckInRequest[] = []
  const sessionOutcomes: Outcome[] = []
  const heartbeatOutcomes: Outcome[] = []
  let sessions = 0
  let replies = 0
  let verified = false

  taroMock.handleRequests((request) => {
    const route = `${request.method} ${request.url.replace('https://api.test/api', '')}`
    switch (route) {
      case 'GET /viewing/campaigns':
        return { statusCode: 200, data: [campaign] }
      case 'POST /viewing/campaigns/c1/sessions': {
        const scripted = sessionOutcomes.shift()
        if (scripted === 'offline') throw networkFailure()
        if (scripted) return scripted
        sessions++
        const start: StartViewingResponse = {
          sessionToken: `session-${sessions}`,
          videoUrl: options.videoUrl ?? '/api/videos/v1/stream?exp=1&sig=abc',
          durationSeconds: 60,
          resumeAtSeconds: options.resumes?.[sessions - 1] ?? 0,
          coveredSeconds: 6,
          verified,
          heartbeatIntervalSeconds: options.intervalSeconds ?? 12,
        }
        return { statusCode: 201, data: start }
      }
      case 'POST /viewing/campaigns/c1/heartbeats': {
        heartbeats.push(request.data as HeartbeatRequest)
        const scripted = heartbeatOutcomes.shift()
        if (scripted === 'offline') throw networkFailure()
        if (scripted) return scripted
        replies++
        const coveredSeconds = verified ? 58 : 6 + replies * 6
        return { statusCode: 200, data: { sessionToken: `reply-${replies}`, coveredSeconds, percent: Math.floor((coveredSeconds * 100) / 60), verified, rejected: null } }
      }
      case 'POST /viewing/campaigns/c1/check-in':
        checkIns.push(request.data as CheckInRequest)
        return { statusCode: 201, data: { campaignId: 'c1', checkedInAt: CHECKED_IN_AT, coveredSeconds: 58 } }
      default:
        return refusal(404, ErrorCode.NOT_FOUND)
    }
  })

  return {
    heartbeats,
    checkIns,
    sessionOutcomes,
    heartbeatOutcomes,
    get sessions() {
      return sessions
    },
    /** From now on the server has verified the viewing. */
    verify: () => {
      verified = true
    },
  }
}

function openPlayer() {
  taroMock.setRouterParams({ campaignId: 'c1' })
  const app = isolated(() => ({
    Player: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const view = app.rtl.render(<app.Player />)
  const { rtl } = app

  /** The H5 <Video> element, once the session started; its events are what Taro's Video emits to the page's props. */
  const video = async () => {
    await view.findByText(/^已计入观看/)
    const element = view.container.querySelector('taro-video-core')
    if (!element) throw new Error('no <Video> rendered')
    return element
  }
  /** Fires player events in one go, with no time passing between them (a tick could otherwise slip in). */
  const fire = async (...events: Array<['play' | 'pause' | 'ended'] | ['timeupdate', number]>) => {
    const element = await video()
    rtl.act(() => {
      for (const [type, currentTime] of events) {
        element.dispatchEvent(new CustomEvent(type, { detail: currentTime === undefined ? undefined : { currentTime, duration: 60 } }))
      }
    })
  }
  const waitFor = (check: () => void, timeout = 1_000) => rtl.waitFor(check, { timeout })
  return { ...app, ...view, video, fire, waitFor }
}

const summary = (beats: HeartbeatRequest[]) => beats.map((beat) => `${beat.event}@${beat.position} ${beat.sessionToken}`)

beforeEach(() => {
  // jsdom plays no media; Taro's H5 <Video> loads its source when it mounts.
  jest.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined)
})

describe('video player page', () => {
  it('should start a session and play its video from the resume point, an upload’s API path on the API’s origin', async () => {
    const server = fakeViewingServer({ resumes: [24] })
    const { video, findByText } = openPlayer()

    const element = await video()

    expect(server.sessions).toBe(1)
    expect(element.getAttribute('src')).toBe('https://api.test/api/videos/v1/stream?exp=1&sig=abc')
    expect(Reflect.get(element, 'initialTime')).toBe(24)
    expect(Reflect.get(element, 'enableProgressGesture')).toBe(false)
    // The web player's progress bar can be dragged, so it is not shown there.
    expect(Reflect.get(element, 'showProgress')).toBe(false)
    expect(await findByText('三月反诈学习')).toBeTruthy()
    expect(await findByText('已计入观看 10%')).toBeTruthy()
  })

  it('should play an external video from its own absolute URL', async () => {
    fakeViewingServer({ videoUrl: 'https://cdn.example.cn/fraud.mp4' })
    const { video } = openPlayer()

    expect((await video()).getAttribute('src')).toBe('https://cdn.example.cn/fraud.mp4')
  })

  it('should send play, tick, pause and ended heartbeats from the player’s events, each with the previous reply’s token', async () => {
    const server = fakeViewingServer({ intervalSeconds: 0.05 })
    const { fire, waitFor, findByText } = openPlayer()

    await fire(['play'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(1))
    await fire(['timeupdate', 1.25])
    await waitFor(() => expect(server.heartbeats).toHaveLength(2))
    await fire(['pause'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(3))
    await fire(['play'], ['timeupdate', 2], ['ended'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(5))

    expect(summary(server.heartbeats)).toEqual([
      'play@0 session-1',
      'tick@1.25 reply-1',
      'pause@1.25 reply-2',
      'play@1.25 reply-3',
      // The end adds the few milliseconds played since the last time update.
      expect.stringMatching(/^ended@2(\.0\d*)? reply-4$/),
    ])
    const clock = server.heartbeats.map((beat) => beat.clientTimeMs)
    expect(clock).toEqual([...clock].sort((a, b) => a - b))
    expect(new Set(clock).size).toBe(clock.length)
    expect(await findByText('已计入观看 60%')).toBeTruthy()
  })

  it('should report a jump in playback as a seek', async () => {
    const server = fakeViewingServer()
    const { fire, waitFor } = openPlayer()

    await fire(['play'], ['timeupdate', 45])
    await waitFor(() => expect(server.heartbeats).toHaveLength(2))

    expect(summary(server.heartbeats)).toEqual(['play@0 session-1', 'seek@45 reply-1'])
  })

  it('should keep heartbeats through a network failure and send them again, in order, once it is back', async () => {
    const server = fakeViewingServer()
    server.heartbeatOutcomes.push('offline')
    const { fire, waitFor, queryByText } = openPlayer()

    await fire(['play'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(1))
    await fire(['timeupdate', 1], ['pause'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(3), 3_000)

    expect(summary(server.heartbeats)).toEqual(['play@0 session-1', 'play@0 session-1', 'pause@1 reply-1'])
    expect(server.heartbeats[1].clientTimeMs).toBe(server.heartbeats[0].clientTimeMs)
    expect(queryByText(/网络/)).toBeNull()
  })

  it('should drop a heartbeat the server calls a duplicate, keep its token, and say nothing', async () => {
    const server = fakeViewingServer()
    server.heartbeatOutcomes.push(refusal(409, ErrorCode.VIEWING_HEARTBEAT_DUPLICATE))
    const { fire, waitFor, rtl, queryByText } = openPlayer()

    await fire(['play'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(1))
    await fire(['pause'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(2))
    await settled(rtl)

    expect(summary(server.heartbeats)).toEqual(['play@0 session-1', 'pause@0 session-1'])
    expect(queryByText(ERROR_MESSAGES.VIEWING_HEARTBEAT_DUPLICATE)).toBeNull()
  })

  it('should start a new session when the server calls this one stale, move the player back to its checkpoint, and go on with its token', async () => {
    const server = fakeViewingServer({ resumes: [40, 35] })
    const { fire, waitFor } = openPlayer()
    await fire(['play'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(1))
    server.heartbeatOutcomes.push(refusal(409, ErrorCode.VIEWING_SESSION_STALE))

    await fire(['timeupdate', 41], ['pause'])
    await waitFor(() => expect(server.sessions).toBe(2))
    await fire(['play'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(3))

    expect(summary(server.heartbeats)).toEqual(['play@40 session-1', 'pause@41 reply-1', 'play@35 session-2'])
    expect(taroMock.calls('VideoContext.seek')).toEqual([{ id: 'viewing-video', args: [35] }])
  })

  it('should show the server’s message for a heartbeat it refuses, and go on', async () => {
    const server = fakeViewingServer()
    server.heartbeatOutcomes.push(refusal(400, ErrorCode.VIEWING_POSITION_INVALID))
    const { fire, waitFor, findByText } = openPlayer()

    await fire(['play'])
    expect(await findByText(ERROR_MESSAGES.VIEWING_POSITION_INVALID)).toBeTruthy()
    await fire(['pause'])

    await waitFor(() => expect(summary(server.heartbeats)).toEqual(['play@0 session-1', 'pause@0 session-1']))
  })

  it('should enable 确认已观看 only once the server says the viewing is verified, and check in once on a double tap', async () => {
    const server = fakeViewingServer()
    const { fire, rtl, findByText, getByText, waitFor } = openPlayer()
    await fire(['play'])
    await waitFor(() => expect(server.heartbeats).toHaveLength(1))

    rtl.fireEvent.click(getByText('确认已观看'))
    await settled(rtl)
    expect(server.checkIns).toHaveLength(0)
    expect(getByText('确认已观看').closest('[disabled]')).toBeTruthy()

    server.verify()
    await fire(['pause'])
    await waitFor(() => expect(getByText('确认已观看').closest('[disabled]')).toBeNull())
    rtl.fireEvent.click(getByText('确认已观看'))
    rtl.fireEvent.click(getByText('确认已观看'))

    expect(await findByText(`已完成打卡 ${formatDateTime(CHECKED_IN_AT)}`)).toBeTruthy()
    expect(server.checkIns).toEqual([{ deviceModel: 'jsdom', system: 'iOS 17.0', platform: 'devtools' }])
  })

  it('should show why a session cannot start, and start it when retried', async () => {
    const server = fakeViewingServer()
    server.sessionOutcomes.push(refusal(409, ErrorCode.VIEWING_WAITING_FOR_HEAD))
    const { rtl, findByText, video } = openPlayer()

    expect(await findByText(ERROR_MESSAGES.VIEWING_WAITING_FOR_HEAD)).toBeTruthy()
    rtl.fireEvent.click(await findByText('重试'))

    expect(await video()).toBeTruthy()
    expect(server.sessions).toBe(1)
  })

  it('should send a hide heartbeat when the page is hidden', async () => {
    const server = fakeViewingServer()
    const { fire, rtl, waitFor } = openPlayer()
    await fire(['play'], ['timeupdate', 1])

    rtl.act(() => taroMock.hidePage())

    await waitFor(() => expect(summary(server.heartbeats)).toEqual(['play@0 session-1', 'hide@1 reply-1']))
  })

  it('should send nothing after leaving the page but one last hide heartbeat', async () => {
    const server = fakeViewingServer({ intervalSeconds: 0.05 })
    const { fire, rtl, waitFor, unmount } = openPlayer()
    await fire(['play'], ['timeupdate', 1])
    await waitFor(() => expect(server.heartbeats).toHaveLength(2))

    unmount()
    await rtl.act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300))
    })

    expect(summary(server.heartbeats)).toEqual(['play@0 session-1', 'tick@1 reply-1', 'hide@1 reply-2'])
  })
})
