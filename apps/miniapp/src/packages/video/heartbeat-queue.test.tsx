/// <reference types="jest" />
import {
  ErrorCode,
  HeartbeatEvent,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type StartViewingResponse,
} from '@qmfz/contracts'

import { ApiError, clientError, ClientErrorCode } from '../../api/transport'
import { HeartbeatQueue } from './heartbeat-queue'

type Outcome = HeartbeatResponse | ApiError | Promise<HeartbeatResponse>

const offline = () => clientError(ClientErrorCode.NETWORK)
const refused = (code: ErrorCode, status: number, message = '服务器拒绝') => new ApiError(code, message, status)

/** A heartbeat route that answers in order from a script (then with success), numbering its tokens. */
function fakeServer() {
  const received: HeartbeatRequest[] = []
  const script: Array<(body: HeartbeatRequest) => Outcome> = []
  let issued = 0
  const ok = (): HeartbeatResponse => ({ sessionToken: `reply-${++issued}`, coveredSeconds: issued, percent: issued, verified: false, rejected: null })
  const send = async (body: HeartbeatRequest): Promise<HeartbeatResponse> => {
    received.push(body)
    const outcome = await (script.shift()?.(body) ?? ok())
    if (outcome instanceof ApiError) throw outcome
    return outcome
  }
  return { received, script, ok, send }
}

function session(token: string, resumeAtSeconds = 0): StartViewingResponse {
  return { sessionToken: token, videoUrl: 'https://cdn.test/v.mp4', durationSeconds: 600, resumeAtSeconds, coveredSeconds: 0, verified: false, heartbeatIntervalSeconds: 12 }
}

function queueWith(server: ReturnType<typeof fakeServer>, overrides: Partial<ConstructorParameters<typeof HeartbeatQueue>[0]> = {}) {
  const replies: HeartbeatResponse[] = []
  const errors: ApiError[] = []
  const restarts: StartViewingResponse[] = []
  const queue = new HeartbeatQueue({
    sessionToken: 'start-token',
    send: server.send,
    restart: async () => session('second-session'),
    onReply: (reply) => replies.push(reply),
    onRestart: (start) => restarts.push(start),
    onError: (error) => errors.push(error),
    ...overrides,
  })
  return { queue, replies, errors, restarts }
}

const flush = () => jest.advanceTimersByTimeAsync(0)

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2025-03-01T08:00:00Z') })
})
afterEach(() => {
  jest.useRealTimers()
})

describe('HeartbeatQueue', () => {
  it('should send one heartbeat at a time, each with the token of the previous reply', async () => {
    const server = fakeServer()
    let release!: () => void
    server.script.push(() => new Promise((resolve) => (release = () => resolve(server.ok()))))
    const { queue, replies } = queueWith(server)

    queue.push(HeartbeatEvent.PLAY, 0)
    queue.push(HeartbeatEvent.TICK, 12)
    queue.push(HeartbeatEvent.PAUSE, 20)
    await flush()
    expect(server.received).toHaveLength(1)

    release()
    await flush()

    expect(server.received.map((beat) => [beat.event, beat.position, beat.sessionToken])).toEqual([
      ['play', 0, 'start-token'],
      ['tick', 12, 'reply-1'],
      ['pause', 20, 'reply-2'],
    ])
    expect(replies.map((reply) => reply.percent)).toEqual([1, 2, 3])
    expect(queue.pending).toBe(0)
  })

  it('should stamp a strictly increasing clock from the start of the session, even when the device clock stands still or steps back', async () => {
    const server = fakeServer()
    const times = [1_000, 5_000, 5_000, 4_000]
    const { queue } = queueWith(server, { now: () => times.shift() ?? 4_000 })

    jest.setSystemTime(0)
    queue.push(HeartbeatEvent.PLAY, 0)
    queue.push(HeartbeatEvent.TICK, 4)
    queue.push(HeartbeatEvent.TICK, 4)
    await flush()

    expect(server.received.map((beat) => beat.clientTimeMs)).toEqual([4_000, 4_001, 4_002])
  })

  it('should keep a heartbeat through network failures and retry it, in order and with the same clock, backing off', async () => {
    const server = fakeServer()
    server.script.push(offline, offline, offline)
    const { queue, errors } = queueWith(server)
    queue.push(HeartbeatEvent.PLAY, 0)
    queue.push(HeartbeatEvent.TICK, 12)
    await flush()
    expect(server.received).toHaveLength(1)

    await jest.advanceTimersByTimeAsync(999)
    expect(server.received).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(1)
    expect(server.received).toHaveLength(2)
    await jest.advanceTimersByTimeAsync(2_000)
    expect(server.received).toHaveLength(3)
    await jest.advanceTimersByTimeAsync(4_000)

    expect(server.received.map((beat) => beat.event)).toEqual(['play', 'play', 'play', 'play', 'tick'])
    expect(new Set(server.received.slice(0, 4).map((beat) => beat.clientTimeMs)).size).toBe(1)
    expect(server.received[4].sessionToken).toBe('reply-1')
    expect(errors).toEqual([])
    expect(queue.pending).toBe(0)
  })

  it('should back off no longer than 30 seconds between retries', async () => {
    const server = fakeServer()
    for (let index = 0; index < 8; index++) server.script.push(offline)
    const { queue } = queueWith(server)
    queue.push(HeartbeatEvent.PLAY, 0)
    await flush()

    // 1 + 2 + 4 + 8 + 16 + 30 + 30 seconds
    await jest.advanceTimersByTimeAsync(91_000 - 1)
    expect(server.received).toHaveLength(7)
    await jest.advanceTimersByTimeAsync(1)
    expect(server.received).toHaveLength(8)
  })

  it('should retry a gateway or rate-limit answer like a network failure', async () => {
    const server = fakeServer()
    server.script.push(
      () => refused(ErrorCode.INTERNAL, 503),
      () => refused(ErrorCode.RATE_LIMITED, 429),
    )
    const { queue, errors } = queueWith(server)
    queue.push(HeartbeatEvent.PLAY, 0)

    await jest.advanceTimersByTimeAsync(3_000)

    expect(server.received.map((beat) => beat.event)).toEqual(['play', 'play', 'play'])
    expect(errors).toEqual([])
  })

  it('should drop a heartbeat the server calls a duplicate and keep its token for the next', async () => {
    const server = fakeServer()
    server.script.push(() => server.ok(), () => refused(ErrorCode.VIEWING_HEARTBEAT_DUPLICATE, 409))
    const { queue, errors } = queueWith(server)

    queue.push(HeartbeatEvent.PLAY, 0)
    queue.push(HeartbeatEvent.TICK, 12)
    queue.push(HeartbeatEvent.TICK, 24)
    await flush()

    expect(server.received.map((beat) => [beat.event, beat.position, beat.sessionToken])).toEqual([
      ['play', 0, 'start-token'],
      ['tick', 12, 'reply-1'],
      ['tick', 24, 'reply-1'],
    ])
    expect(errors).toEqual([])
    expect(queue.pending).toBe(0)
  })

  it('should start a new session when the server calls this one stale, and continue on its token and a fresh clock', async () => {
    const server = fakeServer()
    server.script.push(() => refused(ErrorCode.VIEWING_SESSION_STALE, 409))
    const { queue, restarts } = queueWith(server)
    jest.setSystemTime(Date.now() + 60_000)
    queue.push(HeartbeatEvent.TICK, 300)
    queue.push(HeartbeatEvent.TICK, 312)
    await flush()
    expect(restarts.map((start) => start.sessionToken)).toEqual(['second-session'])

    jest.setSystemTime(Date.now() + 500)
    queue.push(HeartbeatEvent.PLAY, 290)
    await flush()

    // The old session's heartbeats died with it; the new session's first one is sent on its own clock.
    expect(server.received.map((beat) => [beat.event, beat.position, beat.sessionToken])).toEqual([
      ['tick', 300, 'start-token'],
      ['play', 290, 'second-session'],
    ])
    expect(server.received[1].clientTimeMs).toBe(500)
  })

  it('should start a new session when the server no longer reads the token, as after an upgrade', async () => {
    const server = fakeServer()
    server.script.push(() => refused(ErrorCode.VIEWING_SESSION_INVALID, 400))
    const { queue, restarts, errors } = queueWith(server)
    queue.push(HeartbeatEvent.TICK, 30)
    await flush()
    queue.push(HeartbeatEvent.TICK, 42)
    await flush()

    expect(restarts.map((start) => start.sessionToken)).toEqual(['second-session'])
    expect(errors).toEqual([])
    expect(server.received.map((beat) => [beat.position, beat.sessionToken])).toEqual([
      [30, 'start-token'],
      [42, 'second-session'],
    ])
  })

  it('should keep only the newest heartbeat pushed while a new session starts, timed on the new session', async () => {
    const server = fakeServer()
    server.script.push(() => refused(ErrorCode.VIEWING_SESSION_STALE, 409))
    let started: (start: StartViewingResponse) => void = () => undefined
    const { queue } = queueWith(server, { restart: () => new Promise((resolve) => (started = resolve)) })
    queue.push(HeartbeatEvent.TICK, 100)
    await flush()

    // A weak network: the new session takes 30 s to start while the player goes on.
    for (const position of [112, 124, 136]) {
      jest.setSystemTime(Date.now() + 10_000)
      queue.push(HeartbeatEvent.TICK, position)
    }
    started(session('second-session'))
    await flush()

    // Replaying 112 and 124 on the new clock would put them milliseconds apart: the server would call them jumps.
    expect(server.received.map((beat) => [beat.position, beat.sessionToken, beat.clientTimeMs])).toEqual([
      [100, 'start-token', 1],
      [136, 'second-session', 1],
    ])
  })

  it('should keep trying to start the new session while offline, and stop with the message when it is refused', async () => {
    const server = fakeServer()
    server.script.push(() => refused(ErrorCode.VIEWING_SESSION_STALE, 409))
    const attempts: string[] = []
    const outcomes: Array<() => StartViewingResponse> = [
      () => {
        throw offline()
      },
      () => {
        throw refused(ErrorCode.CAMPAIGN_NOT_REQUIRED, 403, '您不在该观看任务的范围内')
      },
    ]
    const { queue, errors } = queueWith(server, {
      restart: async () => {
        attempts.push('start')
        return outcomes.shift()!()
      },
    })

    queue.push(HeartbeatEvent.TICK, 30)
    await flush()
    expect(attempts).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(1_000)
    expect(attempts).toHaveLength(2)
    queue.push(HeartbeatEvent.TICK, 42)
    await jest.advanceTimersByTimeAsync(60_000)

    expect(errors.map((error) => error.message)).toEqual(['您不在该观看任务的范围内'])
    expect(server.received).toHaveLength(1)
  })

  it('should drop a heartbeat the server refuses for good, tell the page, and go on with the next', async () => {
    const server = fakeServer()
    server.script.push(() => refused(ErrorCode.VIEWING_POSITION_INVALID, 400, '播放进度无效'))
    const { queue, errors, replies } = queueWith(server)

    queue.push(HeartbeatEvent.TICK, 9_999)
    queue.push(HeartbeatEvent.TICK, 12)
    await flush()

    expect(errors.map((error) => error.message)).toEqual(['播放进度无效'])
    expect(server.received.map((beat) => [beat.position, beat.sessionToken])).toEqual([
      [9_999, 'start-token'],
      [12, 'start-token'],
    ])
    expect(replies).toHaveLength(1)
  })

  it('should shed the oldest ticks when full, but never a pause, an end or a hide', async () => {
    const server = fakeServer()
    server.script.push(offline)
    const { queue } = queueWith(server, { maxQueued: 5 })
    queue.push(HeartbeatEvent.PLAY, 0)
    await flush()

    queue.push(HeartbeatEvent.TICK, 12)
    queue.push(HeartbeatEvent.PAUSE, 13)
    queue.push(HeartbeatEvent.TICK, 25)
    queue.push(HeartbeatEvent.TICK, 37)
    queue.push(HeartbeatEvent.ENDED, 40)
    queue.push(HeartbeatEvent.HIDE, 40)
    queue.push(HeartbeatEvent.PAUSE, 40)
    await jest.advanceTimersByTimeAsync(1_000)

    expect(server.received.slice(1).map((beat) => `${beat.event}@${beat.position}`)).toEqual([
      'play@0',
      'pause@13',
      'ended@40',
      'hide@40',
      'pause@40',
    ])
  })

  it('should send nothing after closing except one attempt at the final hide, after the heartbeat in flight', async () => {
    const server = fakeServer()
    let release!: () => void
    server.script.push(
      () => new Promise((resolve) => (release = () => resolve(server.ok()))),
      offline,
    )
    const { queue, replies } = queueWith(server)
    queue.push(HeartbeatEvent.PLAY, 0)
    queue.push(HeartbeatEvent.TICK, 12)
    await flush()

    queue.close(14)
    queue.push(HeartbeatEvent.TICK, 24)
    release()
    await jest.advanceTimersByTimeAsync(120_000)

    expect(server.received.map((beat) => [beat.event, beat.position, beat.sessionToken])).toEqual([
      ['play', 0, 'start-token'],
      ['hide', 14, 'reply-1'],
    ])
    expect(replies).toEqual([])
  })
})
