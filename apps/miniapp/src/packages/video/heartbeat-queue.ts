import {
  ErrorCode,
  HeartbeatEvent,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type StartViewingResponse,
} from '@qmfz/contracts'

import { toApiError, type ApiError } from '../../api/transport'

/**
 * The player's side of server-verified viewing. The server alone decides what was watched; the player only
 * reports what happened, in order, and must lose nothing on a weak network. This queue sends the heartbeats that
 * PlaybackTracker (./playback-tracker.ts) makes from the <Video>'s events: one at a time, each with the token of
 * the previous reply. Neither touches Taro or React, so both are tested with fake timers.
 */

export interface Timers {
  set(callback: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** What a full queue gives up first; pause, ended and hide mark state changes the server must see, so never those. */
const SHED_ORDER: readonly HeartbeatEvent[] = [HeartbeatEvent.TICK, HeartbeatEvent.SEEK, HeartbeatEvent.PLAY]

export const QUEUE_DEFAULTS = {
  maxQueued: 200,
  firstRetryMs: 1_000,
  maxRetryMs: 30_000,
} as const

export interface HeartbeatQueueOptions {
  sessionToken: string
  send: (body: HeartbeatRequest) => Promise<HeartbeatResponse>
  /** Starts a new session after the server called the current one stale. */
  restart: () => Promise<StartViewingResponse>
  onReply: (reply: HeartbeatResponse) => void
  onRestart: (start: StartViewingResponse) => void
  /** A heartbeat the server refused for good (it was dropped), or a new session that could not start. */
  onError: (error: ApiError) => void
  now?: () => number
  timers?: Timers
  maxQueued?: number
  firstRetryMs?: number
  maxRetryMs?: number
}

interface Queued {
  event: HeartbeatEvent
  position: number
  /** When it happened, on `now()`; turned into the session clock when it is first sent. */
  atMs: number
  /**
   * Fixed at the first attempt. A retry after a lost reply is sent with the token the first attempt used, so the
   * server computes the same answer again (if the reply was lost after the server moved on with a newer token, the
   * clock marks it a duplicate).
   */
  clientTimeMs?: number
}

export class HeartbeatQueue {
  private readonly queue: Queued[] = []
  private token: string
  private readonly now: () => number
  private readonly timers: Timers
  private readonly maxQueued: number
  private readonly firstRetryMs: number
  private readonly maxRetryMs: number
  /** Start of this session on `now()`; clientTimeMs counts from here. */
  private origin: number
  private lastClientTimeMs = 0
  private busy = false
  private retryTimer: unknown = null
  private failures = 0
  private closed = false
  private halted = false
  private finalBeat: Queued | null = null

  constructor(private readonly options: HeartbeatQueueOptions) {
    this.token = options.sessionToken
    this.now = options.now ?? Date.now
    this.timers = options.timers ?? realTimers
    this.maxQueued = options.maxQueued ?? QUEUE_DEFAULTS.maxQueued
    this.firstRetryMs = options.firstRetryMs ?? QUEUE_DEFAULTS.firstRetryMs
    this.maxRetryMs = options.maxRetryMs ?? QUEUE_DEFAULTS.maxRetryMs
    this.origin = this.now()
  }

  /** Heartbeats not yet answered (the one in flight included). */
  get pending(): number {
    return this.queue.length
  }

  push(event: HeartbeatEvent, position: number): void {
    if (this.closed || this.halted) return
    this.queue.push({ event, position, atMs: this.now() })
    this.shed()
    this.pump()
  }

  /**
   * The page is going away: nothing more is sent except, when given, one attempt at a final `hide` heartbeat
   * (after the one in flight, if any). No retries, no callbacks.
   */
  close(finalHidePosition?: number): void {
    if (this.closed) return
    this.closed = true
    if (this.retryTimer !== null) this.timers.clear(this.retryTimer)
    this.retryTimer = null
    this.queue.length = 0
    if (finalHidePosition !== undefined && !this.halted) {
      this.finalBeat = { event: HeartbeatEvent.HIDE, position: finalHidePosition, atMs: this.now() }
      if (!this.busy) this.flushFinal()
    }
  }

  /** Drops the oldest droppable heartbeats beyond the cap; the one in flight is never touched. */
  private shed(): void {
    for (const event of SHED_ORDER) {
      for (let index = this.busy ? 1 : 0; this.queue.length > this.maxQueued && index < this.queue.length; ) {
        if (this.queue[index].event === event) this.queue.splice(index, 1)
        else index++
      }
    }
  }

  private stamp(beat: Queued): HeartbeatRequest {
    if (beat.clientTimeMs === undefined) {
      // Strictly increasing even if the device clock steps back, or two events share a millisecond.
      beat.clientTimeMs = Math.max(this.lastClientTimeMs + 1, Math.round(beat.atMs - this.origin))
      this.lastClientTimeMs = beat.clientTimeMs
    }
    return { sessionToken: this.token, position: beat.position, clientTimeMs: beat.clientTimeMs, event: beat.event }
  }

  private pump(): void {
    if (this.busy || this.retryTimer !== null || this.halted) return
    if (this.closed) {
      this.flushFinal()
      return
    }
    const beat = this.queue[0]
    if (!beat) return
    this.busy = true
    void this.options.send(this.stamp(beat)).then(
      (reply) => this.answered(beat, reply),
      (error: unknown) => this.failed(beat, toApiError(error)),
    )
  }

  private answered(beat: Queued, reply: HeartbeatResponse): void {
    this.busy = false
    this.failures = 0
    this.token = reply.sessionToken
    this.remove(beat)
    if (!this.closed) this.options.onReply(reply)
    this.pump()
  }

  private failed(beat: Queued, error: ApiError): void {
    this.busy = false
    if (this.closed) {
      this.pump()
    } else if (error.transient || error.status === 429) {
      this.retryLater(() => this.pump())
    } else if (error.code === ErrorCode.VIEWING_HEARTBEAT_DUPLICATE) {
      // The server already has it (a retry of one it did get, or a reordering): the token stays as it is.
      this.remove(beat)
      this.pump()
    } else if (error.code === ErrorCode.VIEWING_SESSION_STALE || error.code === ErrorCode.VIEWING_SESSION_INVALID) {
      // Everything queued belongs to the dead session (expired, taken over elsewhere, or a token the server no longer
      // reads, as after an upgrade); the new one resumes from the server's checkpoint.
      this.queue.length = 0
      this.startOver()
    } else {
      this.remove(beat)
      this.options.onError(error)
      this.pump()
    }
  }

  private startOver(): void {
    this.busy = true
    void this.options.restart().then(
      (start) => {
        this.busy = false
        this.failures = 0
        this.token = start.sessionToken
        this.origin = this.now()
        this.lastClientTimeMs = 0
        if (this.closed) {
          this.flushFinal()
          return
        }
        // Heartbeats pushed while the new session was starting were timed on the dead session's clock: replayed on
        // the new one they would arrive milliseconds apart and read as jumps. Only the newest is kept, timed now,
        // to anchor the new session where the player stands.
        this.queue.splice(0, this.queue.length - 1)
        for (const queued of this.queue) {
          queued.atMs = this.now()
          queued.clientTimeMs = undefined
        }
        this.options.onRestart(start)
        this.pump()
      },
      (failure: unknown) => {
        this.busy = false
        if (this.closed) return
        const error = toApiError(failure)
        if (error.transient || error.status === 429) {
          this.retryLater(() => this.startOver())
          return
        }
        this.halted = true
        this.queue.length = 0
        this.options.onError(error)
      },
    )
  }

  /** Exponential backoff: 1 s, 2 s, 4 s … up to 30 s; the queue waits, in order, meanwhile. */
  private retryLater(again: () => void): void {
    const delay = Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** this.failures)
    this.failures++
    this.retryTimer = this.timers.set(() => {
      this.retryTimer = null
      again()
    }, delay)
  }

  private remove(beat: Queued): void {
    const index = this.queue.indexOf(beat)
    if (index >= 0) this.queue.splice(index, 1)
  }

  private flushFinal(): void {
    const beat = this.finalBeat
    this.finalBeat = null
    if (!beat) return
    this.options.send(this.stamp(beat)).catch(() => undefined)
  }
}
