import { HeartbeatEvent, VIEWING_RULES } from '@qmfz/contracts'

import { realTimers, type Timers } from './heartbeat-queue'

export interface TrackerOptions {
  /** Where the player starts (the session's resume point). */
  startPosition: number
  durationSeconds: number
  intervalSeconds?: number
  now?: () => number
  timers?: Timers
}

const MAX_END_CATCH_UP_SECONDS = 1

/** Receives heartbeats; a HeartbeatQueue in the app, a list in tests. */
export interface HeartbeatSink {
  push(event: HeartbeatEvent, position: number): void
}

/**
 * Turns the player's events into heartbeats: one on play, pause, seek, end and hide, and a tick every
 * `intervalSeconds` while playing, at the position the last time update reported. A jump between two time
 * updates that playback cannot explain is reported as a seek; the server decides what it is worth.
 */
export class PlaybackTracker {
  private position: number
  private playing = false
  private lastUpdateAt: number
  private lastBeatPosition: number | null = null
  private seekPending = false
  private tickTimer: unknown = null
  private closed = false
  private readonly now: () => number
  private readonly timers: Timers
  private readonly intervalMs: number

  constructor(
    private readonly sink: HeartbeatSink,
    private readonly options: TrackerOptions,
  ) {
    this.position = this.clamp(options.startPosition)
    this.now = options.now ?? Date.now
    this.timers = options.timers ?? realTimers
    this.intervalMs = (options.intervalSeconds ?? VIEWING_RULES.heartbeatIntervalSeconds) * 1000
    this.lastUpdateAt = this.now()
  }

  get currentPosition(): number {
    return this.position
  }

  /** True once any heartbeat was made: only then is there a viewing to close with a `hide`. */
  get reported(): boolean {
    return this.lastBeatPosition !== null
  }

  play(): void {
    if (this.closed) return
    this.playing = true
    this.beat(HeartbeatEvent.PLAY)
    this.scheduleTick()
  }

  pause(): void {
    this.stopPlaying(HeartbeatEvent.PAUSE)
  }

  ended(): void {
    // Time updates come at most every 250 ms and the web player fires `ended` before the last one, so the end is
    // further than the last update said: add the time played since (at 1×, at most a second).
    if (this.playing && !this.closed) {
      const sinceUpdate = Math.max(0, this.now() - this.lastUpdateAt) / 1000
      this.position = this.clamp(this.position + Math.min(sinceUpdate, MAX_END_CATCH_UP_SECONDS))
    }
    this.stopPlaying(HeartbeatEvent.ENDED)
  }

  hide(): void {
    if (!this.closed) this.beat(HeartbeatEvent.HIDE)
  }

  /** WeChat's seek-complete: its position's unit differs by OS, so the next time update gives the position. */
  seekComplete(): void {
    this.seekPending = true
  }

  timeUpdate(currentTime: number): void {
    if (this.closed || !Number.isFinite(currentTime)) return
    const next = this.clamp(currentTime)
    const at = this.now()
    const elapsedSeconds = Math.max(0, at - this.lastUpdateAt) / 1000
    const reachable = this.position + elapsedSeconds * VIEWING_RULES.maxPlaybackRate + VIEWING_RULES.stepToleranceSeconds
    const jumped = next > reachable || next < this.position - VIEWING_RULES.stepToleranceSeconds
    // Where playback stood before the seek is reported first, so the server measures the jump from there
    // rather than from the last tick (a short skip would otherwise pass as fast playback).
    if ((jumped || this.seekPending) && this.position !== this.lastBeatPosition) this.beat(HeartbeatEvent.TICK)
    this.position = next
    this.lastUpdateAt = at
    if (jumped || this.seekPending) {
      this.seekPending = false
      this.beat(HeartbeatEvent.SEEK)
    }
  }

  /** After a new session: the player was moved back to the server's checkpoint. */
  moveTo(position: number): void {
    this.position = this.clamp(position)
    this.lastUpdateAt = this.now()
  }

  close(): void {
    this.closed = true
    this.stopTick()
  }

  private stopPlaying(event: HeartbeatEvent): void {
    if (this.closed) return
    this.playing = false
    this.stopTick()
    this.beat(event)
  }

  private beat(event: HeartbeatEvent): void {
    this.lastBeatPosition = this.position
    this.sink.push(event, this.position)
  }

  private scheduleTick(): void {
    this.stopTick()
    this.tickTimer = this.timers.set(() => {
      this.tickTimer = null
      if (!this.playing || this.closed) return
      // A stalled player (buffering) has nothing new to report.
      if (this.position !== this.lastBeatPosition) this.beat(HeartbeatEvent.TICK)
      this.scheduleTick()
    }, this.intervalMs)
  }

  private stopTick(): void {
    if (this.tickTimer !== null) this.timers.clear(this.tickTimer)
    this.tickTimer = null
  }

  private clamp(position: number): number {
    const bounded = Math.min(Math.max(position, 0), this.options.durationSeconds)
    return Math.round(bounded * 1000) / 1000
  }
}
