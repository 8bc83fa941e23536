import { describe, expect, it } from '@jest/globals';
import { RejectionReason, VIEWING_RULES } from '@qmfz/contracts';
import { addInterval, applyHeartbeat, coveredMs, isComplete, type Heartbeat, type Interval, type Verdict, type ViewingState } from './verifier.js';

const T0 = 1_764_500_000_000;
const TEN_MINUTES = 600_000;

function session(overrides: Partial<ViewingState> = {}): ViewingState {
  const fresh = { durationMs: TEN_MINUTES, startedAtMs: T0, baseCoveredMs: 0, intervals: [], lastPositionMs: null, lastClientMs: null, stoppedAtLast: false };
  return { ...fresh, ...overrides };
}

/** A session anchored at `positionMs` by a heartbeat at player clock `clientMs`. */
function anchoredAt(positionMs: number, clientMs = 0, overrides: Partial<ViewingState> = {}): ViewingState {
  return session({ lastPositionMs: positionMs, lastClientMs: clientMs, ...overrides });
}

/** A heartbeat of a playing player (play, tick) that arrived on time: the server's clock is as far along as the player's. */
function beat(positionMs: number, clientMs: number, serverMs = T0 + clientMs): Heartbeat {
  return { positionMs, clientMs, serverMs, playing: true };
}

/** A heartbeat after which the player stands still (pause, ended), on time. */
function stop(positionMs: number, clientMs: number, serverMs = T0 + clientMs): Heartbeat {
  return { positionMs, clientMs, serverMs, playing: false };
}

/** A heartbeat that neither starts nor stops the player (seek, hide), on time. */
function seek(positionMs: number, clientMs: number, serverMs = T0 + clientMs): Heartbeat {
  return { positionMs, clientMs, serverMs, playing: null };
}

/** The wall-clock budget `sessionMs` into a session: twice that, plus a tenth of it up to the budget tolerance. */
const budgetAfter = (sessionMs: number) =>
  VIEWING_RULES.maxPlaybackRate * sessionMs + Math.min(VIEWING_RULES.budgetToleranceSeconds * 1000, Math.floor(sessionMs / 10));

function acceptedState(verdict: Verdict): ViewingState {
  if (verdict.kind !== 'accepted') throw new Error('expected the heartbeat to be accepted, it was a duplicate');
  return verdict.state;
}

describe('applyHeartbeat', () => {
  it('should only anchor on the first heartbeat, covering nothing', () => {
    const verdict = applyHeartbeat(session(), beat(30_000, 500));
    expect(verdict).toEqual({ kind: 'accepted', rejected: null, state: session({ lastPositionMs: 30_000, lastClientMs: 500 }) });
  });

  it('should remember that a heartbeat stopped the player until one says it plays, through seeks and hides', () => {
    const paused = acceptedState(applyHeartbeat(session(), stop(30_000, 500)));
    expect(paused).toEqual(session({ lastPositionMs: 30_000, lastClientMs: 500, stoppedAtLast: true }));
    const seekedWhilePaused = acceptedState(applyHeartbeat(paused, seek(20_000, 1_000)));
    expect(seekedWhilePaused).toEqual(session({ lastPositionMs: 20_000, lastClientMs: 1_000, stoppedAtLast: true }));
    expect(acceptedState(applyHeartbeat(seekedWhilePaused, beat(20_000, 9_000))).stoppedAtLast).toBe(false);
    // Nor does a seek or a hide stop a playing player: a background tab may go on playing.
    const playing = acceptedState(applyHeartbeat(session(), beat(30_000, 500)));
    expect(acceptedState(applyHeartbeat(playing, seek(20_000, 1_000))).stoppedAtLast).toBe(false);
  });

  it('should cover the step between two heartbeats at normal speed', () => {
    const state = acceptedState(applyHeartbeat(anchoredAt(0), beat(12_000, 12_000)));
    expect(state.intervals).toEqual([[0, 12_000]]);
    expect(state).toMatchObject({ lastPositionMs: 12_000, lastClientMs: 12_000 });
  });

  it('should cover a step at twice the speed plus the step tolerance, and call one millisecond more a jump', () => {
    const limit = VIEWING_RULES.maxPlaybackRate * 10_000 + VIEWING_RULES.stepToleranceSeconds * 1000;
    // The server has seen a minute go by, so its budget is no limit here.
    const justWithin = applyHeartbeat(anchoredAt(0), beat(limit, 10_000, T0 + 60_000));
    expect(justWithin).toMatchObject({ rejected: null, state: { intervals: [[0, limit]] } });
    const justBeyond = applyHeartbeat(anchoredAt(0), beat(limit + 1, 10_000, T0 + 60_000));
    expect(justBeyond).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [], lastPositionMs: limit + 1 } });
  });

  it('should answer a heartbeat whose player clock is not after the last one as a duplicate, whatever its position', () => {
    const state = anchoredAt(12_000, 12_000);
    expect(applyHeartbeat(state, beat(13_000, 12_000))).toEqual({ kind: 'duplicate' });
    expect(applyHeartbeat(state, beat(20_000, 11_999, T0 + 60_000))).toEqual({ kind: 'duplicate' });
    expect(applyHeartbeat({ ...state, stoppedAtLast: true }, stop(12_000, 12_000))).toEqual({ kind: 'duplicate' });
  });

  it('should cover nothing on a rewind and not count it as a rejection', () => {
    const state = anchoredAt(120_000, 120_000, { intervals: [[0, 120_000]] });
    const verdict = applyHeartbeat(state, beat(30_000, 120_300));
    expect(verdict).toEqual({ kind: 'accepted', rejected: null, state: { ...state, lastPositionMs: 30_000, lastClientMs: 120_300 } });
  });

  it('should re-anchor after a jump, so the next step counts from where the jump landed', () => {
    const afterJump = acceptedState(applyHeartbeat(anchoredAt(10_000, 10_000, { intervals: [[0, 10_000]] }), beat(300_000, 10_200)));
    expect(afterJump).toMatchObject({ intervals: [[0, 10_000]], lastPositionMs: 300_000 });
    const next = acceptedState(applyHeartbeat(afterJump, beat(312_000, 22_200)));
    expect(next.intervals).toEqual([
      [0, 10_000],
      [300_000, 312_000],
    ]);
  });

  it('should cut a step that outruns the wall-clock budget to that budget and mark it run_ahead', () => {
    // The player claims 30 s of its own time at 2×, but the server has only seen 10 s go by: 2 × 10 s + 1 s of slack.
    const verdict = applyHeartbeat(anchoredAt(0), beat(60_000, 30_000, T0 + 10_000));
    expect(verdict).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [[0, 21_000]], lastPositionMs: 60_000 } });
  });

  // The slack is a tenth of the session's time up to the budget tolerance: sessions restarted every few seconds
  // cannot collect 2 s each.
  it.each([
    [500, 50],
    [10_000, 1_000],
    [20_000, 2_000],
    [3_600_000, 2_000],
  ])('should allow a session %i ms old to add twice that plus %i ms, and cut one millisecond more to that', (sessionMs, slackMs) => {
    const budget = 2 * sessionMs + slackMs;
    expect(budgetAfter(sessionMs)).toBe(budget);
    const long = { durationMs: 3 * 3_600_000 };
    // A player clock a second ahead of the server's, so the step rule allows more than the budget.
    const exactly = applyHeartbeat(anchoredAt(0, 0, long), beat(budget, sessionMs + 1_000, T0 + sessionMs));
    expect(exactly).toMatchObject({ rejected: null, state: { intervals: [[0, budget]] } });
    const beyond = applyHeartbeat(anchoredAt(0, 0, long), beat(budget + 1, sessionMs + 1_000, T0 + sessionMs));
    expect(beyond).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [[0, budget]], lastPositionMs: budget + 1 } });
  });

  it('should give no budget at all to a heartbeat the server clock places before the session started', () => {
    const verdict = applyHeartbeat(anchoredAt(0), beat(10_000, 10_000, T0 - 5_000));
    expect(verdict).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [], lastPositionMs: 10_000 } });
  });

  it('should not charge ranges watched before against the budget when cutting a step', () => {
    // 42 s of budget at 20 s: 10 s of it fills [0, 10 s), [10 s, 40 s) is free as it was covered, the other 32 s reach 72 s.
    const state = anchoredAt(0, 0, { intervals: [[10_000, 40_000]], baseCoveredMs: 30_000 });
    const verdict = applyHeartbeat(state, beat(80_000, 60_000, T0 + 20_000));
    expect(budgetAfter(20_000)).toBe(42_000);
    expect(verdict).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [[0, 72_000]] } });
  });

  it('should count against a resumed session only what it adds, not what it started with', () => {
    const resumed = session({ intervals: [[0, 300_000]], baseCoveredMs: 300_000, lastPositionMs: 300_000, lastClientMs: 1_000 });
    const verdict = applyHeartbeat(resumed, beat(312_000, 13_000));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 312_000]] } });
  });

  /** maxIntervals ranges of 5 s, 10 s apart, carried over from earlier sessions. */
  const fragmented: Interval[] = Array.from({ length: VIEWING_RULES.maxIntervals }, (_, i) => [i * 10_000, i * 10_000 + 5_000]);
  const resumedFragmented = { intervals: fragmented, baseCoveredMs: coveredMs(fragmented) };

  it('should refuse a step that would split coverage into more ranges than maxIntervals, as a jump', () => {
    const state = anchoredAt(400_000, 0, resumedFragmented);
    const verdict = applyHeartbeat(state, beat(412_000, 12_000));
    expect(verdict).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: fragmented, lastPositionMs: 412_000 } });
  });

  it('should still extend one of maxIntervals ranges, as that adds no range', () => {
    const verdict = applyHeartbeat(anchoredAt(5_000, 0, resumedFragmented), beat(7_000, 2_000));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 7_000], ...fragmented.slice(1)] } });
  });

  it('should count a forward seek within the step tolerance as watched, as it cannot be told from timer jitter', () => {
    // A known limit of heartbeats: a seek shorter than 2 × elapsed + 1.5 s looks like playback.
    const verdict = applyHeartbeat(anchoredAt(60_000, 60_000, { intervals: [[0, 60_000]] }), seek(61_400, 60_050));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 61_400]] } });
  });
});

/*
 * Pause and ended reach the verifier as a heartbeat that stops the player, play and tick as one that plays, seek
 * and hide as one that changes neither (PLAYER_STATE in heartbeat-rules.ts; test/viewing.e2e-spec.ts sends them
 * through the API): from a stop until a heartbeat that plays, no time is playing time.
 */
describe('applyHeartbeat after a heartbeat that stopped the player', () => {
  const FIVE_MINUTES = 300_000;
  const TWENTY_MINUTES = 1_200_000;
  /** Played [0, 45 s) of a 20-minute video at 1×, then stopped at 45 s. */
  const stoppedAt45s = () =>
    acceptedState(applyHeartbeat(anchoredAt(45_000, 45_000, { durationMs: TWENTY_MINUTES, intervals: [[0, 45_000]] }), stop(45_000, 45_200)));

  it('should count the step that ends in the stop, as the player played up to it', () => {
    const verdict = applyHeartbeat(anchoredAt(33_000, 33_000, { intervals: [[0, 33_000]] }), stop(45_000, 45_000));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 45_000]], stoppedAtLast: true } });
  });

  it('should cover nothing and flag nothing when playing resumes at the stopped position, however much later', () => {
    const verdict = applyHeartbeat(stoppedAt45s(), beat(45_000, 45_200 + FIVE_MINUTES));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 45_000]], lastPositionMs: 45_000, stoppedAtLast: false } });
  });

  it('should count the ticks after playing resumed at the stopped position by the time since the resume', () => {
    const resumedAt = 45_200 + FIVE_MINUTES;
    const playing = acceptedState(applyHeartbeat(stoppedAt45s(), beat(45_000, resumedAt)));
    const limit = 45_000 + VIEWING_RULES.maxPlaybackRate * 10_000 + VIEWING_RULES.stepToleranceSeconds * 1000;
    expect(applyHeartbeat(playing, beat(57_000, resumedAt + 12_000))).toMatchObject({ rejected: null, state: { intervals: [[0, 57_000]] } });
    expect(applyHeartbeat(playing, beat(limit, resumedAt + 10_000))).toMatchObject({ rejected: null, state: { intervals: [[0, limit]] } });
    expect(applyHeartbeat(playing, beat(limit + 1, resumedAt + 10_000))).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [[0, 45_000]] } });
  });

  it.each([
    ['1× the time stopped', FIVE_MINUTES],
    ['2× the time stopped', 2 * FIVE_MINUTES],
    ['10 s', 10_000],
  ])('should call a step of %s straight out of a five-minute stop a jump and cover nothing (pause, wait, then seek)', (_, stepMs) => {
    const landing = 45_000 + stepMs;
    // On time and on both clocks: five minutes went by, which a playing player's step could have spent.
    const verdict = applyHeartbeat(stoppedAt45s(), beat(landing, 45_200 + FIVE_MINUTES));
    expect(verdict).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [[0, 45_000]], lastPositionMs: landing } });
  });

  it('should give a step straight out of a stop the step tolerance and not one millisecond more', () => {
    const tolerance = VIEWING_RULES.stepToleranceSeconds * 1000;
    const justWithin = applyHeartbeat(stoppedAt45s(), beat(45_000 + tolerance, 45_200 + FIVE_MINUTES));
    expect(justWithin).toMatchObject({ rejected: null, state: { intervals: [[0, 45_000 + tolerance]] } });
    const justBeyond = applyHeartbeat(stoppedAt45s(), beat(45_000 + tolerance + 1, 45_200 + FIVE_MINUTES));
    expect(justBeyond).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [[0, 45_000]] } });
  });

  it('should stay stopped through a hide and another pause, so pause, hide, pause, wait, then seek is still a jump', () => {
    const hidden = acceptedState(applyHeartbeat(stoppedAt45s(), seek(45_000, 105_200)));
    const pausedAgain = acceptedState(applyHeartbeat(hidden, stop(45_000, 165_200)));
    expect([hidden.stoppedAtLast, pausedAgain.stoppedAtLast]).toEqual([true, true]);
    const verdict = applyHeartbeat(pausedAgain, seek(200_000, 405_200));
    expect(verdict).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [[0, 45_000]], stoppedAtLast: true } });
  });

  /*
   * The bypass a review found: a seek used to clear the stop, so a small seek back after the pause made the wait
   * look like playing time for the seek far forward that followed.
   */
  describe('pause, a seek back a little, a wait of minutes, then a leap forward', () => {
    const pausedThenSeekedBack = () => acceptedState(applyHeartbeat(stoppedAt45s(), seek(40_000, 46_200)));
    // One minute ahead of the seek back, after five minutes: a playing player could have reached it.
    const landing = 100_000;
    const leapAt = 46_200 + FIVE_MINUTES;

    it('should keep the player stopped through the seek back, covering nothing and flagging nothing', () => {
      expect(applyHeartbeat(stoppedAt45s(), seek(40_000, 46_200))).toMatchObject({
        rejected: null,
        state: { intervals: [[0, 45_000]], lastPositionMs: 40_000, stoppedAtLast: true },
      });
    });

    it.each([
      ['a seek', seek(landing, leapAt), true],
      ['a tick, which resumes the player but is measured from the stop', beat(landing, leapAt), false],
    ])('should call the leap a jump and add nothing when it is sent as %s', (_, leap, stoppedAfter) => {
      const state = { intervals: [[0, 45_000]], lastPositionMs: landing, stoppedAtLast: stoppedAfter };
      expect(applyHeartbeat(pausedThenSeekedBack(), leap)).toMatchObject({ rejected: RejectionReason.JUMP, state });
    });

    it('should count play at the landing point and the ticks after it by the time since that play', () => {
      const leapt = acceptedState(applyHeartbeat(pausedThenSeekedBack(), seek(landing, leapAt)));
      const playing = acceptedState(applyHeartbeat(leapt, beat(landing, leapAt + 100)));
      expect(playing).toMatchObject({ intervals: [[0, 45_000]], stoppedAtLast: false });
      const ticked = acceptedState(applyHeartbeat(playing, beat(landing + 12_000, leapAt + 12_100)));
      expect(ticked.intervals).toEqual([
        [0, 45_000],
        [landing, landing + 12_000],
      ]);
      const next = applyHeartbeat(ticked, beat(landing + 24_000, leapAt + 24_100));
      expect(next).toMatchObject({ rejected: null, state: { intervals: [[0, 45_000], [landing, landing + 24_000]] } });
    });
  });

  it('should call a stopping heartbeat far ahead of a stop a jump too, such as an end reported after a pause', () => {
    const verdict = applyHeartbeat(stoppedAt45s(), stop(TWENTY_MINUTES, 45_200 + 10 * FIVE_MINUTES));
    expect(verdict).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [[0, 45_000]], lastPositionMs: TWENTY_MINUTES, stoppedAtLast: true } });
  });

  it('should cover nothing on a rewind while stopped and not count it as a rejection', () => {
    const verdict = applyHeartbeat(stoppedAt45s(), seek(20_000, 60_000));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 45_000]], lastPositionMs: 20_000, stoppedAtLast: true } });
  });
});

describe('isComplete', () => {
  it('should not complete on an ended heartbeat alone', () => {
    const anchored = acceptedState(applyHeartbeat(session(), beat(0, 0)));
    const ended = acceptedState(applyHeartbeat(anchored, stop(TEN_MINUTES, 200)));
    expect(ended.lastPositionMs).toBe(TEN_MINUTES);
    expect(isComplete(ended)).toBe(false);
    expect(isComplete(acceptedState(applyHeartbeat(session(), stop(TEN_MINUTES, 0))))).toBe(false);
  });

  it('should complete at exactly 95 % covered and not one millisecond below', () => {
    expect(isComplete({ durationMs: 100_000, intervals: [[0, 95_000]] })).toBe(true);
    expect(isComplete({ durationMs: 100_000, intervals: [[0, 94_999]] })).toBe(false);
    expect(isComplete({ durationMs: 100_000, intervals: [[0, 50_000], [55_000, 100_000]] })).toBe(true);
    expect(isComplete({ durationMs: 100_000, intervals: [[0, 50_000], [55_001, 100_000]] })).toBe(false);
  });

  it('should round the 95 % of an odd duration up, never down', () => {
    // 95 % of 12 345 ms is 11 727.75 ms.
    expect(isComplete({ durationMs: 12_345, intervals: [[0, 11_728]] })).toBe(true);
    expect(isComplete({ durationMs: 12_345, intervals: [[0, 11_727]] })).toBe(false);
  });

  it('should never complete a video without length', () => {
    expect(isComplete({ durationMs: 0, intervals: [] })).toBe(false);
  });
});

describe('addInterval', () => {
  it('should merge ranges that only touch', () => {
    expect(addInterval([[0, 10]], [10, 20])).toEqual([[0, 20]]);
    expect(addInterval([[10, 20]], [0, 10])).toEqual([[0, 20]]);
    expect(
      addInterval(
        [
          [0, 10],
          [20, 30],
        ],
        [10, 20],
      ),
    ).toEqual([[0, 30]]);
  });

  it('should keep ranges with a gap apart and in order', () => {
    expect(addInterval([[20, 30]], [0, 10])).toEqual([
      [0, 10],
      [20, 30],
    ]);
    expect(addInterval([[0, 10]], [20, 30])).toEqual([
      [0, 10],
      [20, 30],
    ]);
    expect(
      addInterval(
        [
          [0, 10],
          [40, 50],
        ],
        [20, 30],
      ),
    ).toEqual([
      [0, 10],
      [20, 30],
      [40, 50],
    ]);
  });

  it('should swallow the ranges a wider one spans', () => {
    const intervals: Interval[] = [
      [5, 10],
      [20, 30],
      [40, 50],
      [70, 80],
    ];
    expect(addInterval(intervals, [8, 45])).toEqual([
      [5, 50],
      [70, 80],
    ]);
    expect(addInterval(intervals, [0, 100])).toEqual([[0, 100]]);
    expect(addInterval(intervals, [22, 28])).toEqual(intervals);
  });

  it('should ignore an empty or reversed range and never change its input', () => {
    const intervals: Interval[] = [[0, 10]];
    expect(addInterval(intervals, [5, 5])).toEqual([[0, 10]]);
    expect(addInterval(intervals, [30, 20])).toEqual([[0, 10]]);
    addInterval(intervals, [10, 20]);
    expect(intervals).toEqual([[0, 10]]);
  });
});

describe('coveredMs', () => {
  it('should add up the lengths of the ranges', () => {
    expect(coveredMs([])).toBe(0);
    expect(
      coveredMs([
        [0, 10_000],
        [20_000, 25_000],
      ]),
    ).toBe(15_000);
  });
});
