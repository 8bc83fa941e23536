/// <reference types="jest" />
import { PlaybackTracker, type HeartbeatSink } from './playback-tracker'

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2025-03-01T08:00:00Z') })
})
afterEach(() => {
  jest.useRealTimers()
})

describe('PlaybackTracker', () => {
  function track(startPosition = 0) {
    const beats: string[] = []
    const sink: HeartbeatSink = { push: (event, position) => beats.push(`${event}@${position}`) }
    const tracker = new PlaybackTracker(sink, { startPosition, durationSeconds: 600, intervalSeconds: 12 })
    const play = (seconds: number, from: number) => {
      // Time updates every 250 ms of wall clock, as the player sends them.
      for (let step = 1; step <= seconds * 4; step++) {
        jest.advanceTimersByTime(250)
        tracker.timeUpdate(from + step / 4)
      }
    }
    return { beats, tracker, play }
  }

  it('should report play, a tick every interval at the last reported position, and pause', () => {
    const { beats, tracker, play } = track(30)

    tracker.play()
    play(25, 30)
    tracker.pause()
    jest.advanceTimersByTime(60_000)

    // The timer fires just before the time update of the same instant: the tick carries the one before.
    expect(beats).toEqual(['play@30', 'tick@41.75', 'tick@53.75', 'pause@55'])
  })

  it('should send no tick while the player is stalled', () => {
    const { beats, tracker } = track()

    tracker.play()
    jest.advanceTimersByTime(36_000)

    expect(beats).toEqual(['play@0'])
  })

  it('should report a jump that playback cannot explain as a seek, and ordinary progress as nothing', () => {
    const { beats, tracker, play } = track()
    tracker.play()
    play(2, 0)

    jest.advanceTimersByTime(250)
    tracker.timeUpdate(300)
    jest.advanceTimersByTime(250)
    tracker.timeUpdate(100)

    // Playback had reached 2 s: that is reported before the seek, so the server measures the jump from there.
    expect(beats).toEqual(['play@0', 'tick@2', 'seek@300', 'seek@100'])
  })

  it('should report the position after WeChat says a seek completed', () => {
    const { beats, tracker } = track()
    tracker.play()

    tracker.seekComplete()
    jest.advanceTimersByTime(250)
    tracker.timeUpdate(0.25)

    expect(beats).toEqual(['play@0', 'seek@0.25'])
  })

  it('should report the end with the time played since the last time update, at most a second more', () => {
    const { beats, tracker, play } = track()
    tracker.play()
    play(5, 0)
    jest.advanceTimersByTime(200)
    tracker.ended()

    const late = track()
    late.tracker.play()
    late.play(5, 0)
    jest.advanceTimersByTime(5000)
    late.tracker.ended()

    expect(beats).toEqual(['play@0', 'ended@5.2'])
    expect(late.beats).toEqual(['play@0', 'ended@6'])
  })

  it('should report the end and a hidden page, and nothing once closed', () => {
    const { beats, tracker, play } = track()
    tracker.play()
    play(3, 0)
    tracker.ended()
    tracker.hide()

    tracker.close()
    tracker.play()
    tracker.timeUpdate(100)
    jest.advanceTimersByTime(60_000)

    expect(beats).toEqual(['play@0', 'ended@3', 'hide@3'])
    expect(tracker.reported).toBe(true)
  })

  it('should keep positions within the video', () => {
    const { beats, tracker } = track(599)
    tracker.play()
    tracker.timeUpdate(600.4)
    tracker.ended()

    expect(beats).toEqual(['play@599', 'ended@600'])
  })
})
