import { describe, expect, it } from '@jest/globals';
import { RejectionReason, VIEWING_RULES } from '@qmfz/contracts';
import { addInterval, applyHeartbeat, coveredMs, isComplete, type Heartbeat, type Interval, type Verdict, type ViewingState } from './verifier.js';

const T0 = 1_764_500_000_000;
const TEN_MINUTES = 600_000;

function session(overrides: Partial<ViewingState> = {}): ViewingState {
  return { durationMs: TEN_MINUTES, startedAtMs: T0, baseCoveredMs: 0, intervals: [], lastPositionMs: null, lastClientMs: null, ...overrides };
}

/** A session anchored at `positionMs` by a heartbeat at player clock `clientMs`. */
function anchoredAt(positionMs: number, clientMs = 0, overrides: Partial<ViewingState> = {}): ViewingState {
  return session({ lastPositionMs: positionMs, lastClientMs: clientMs, ...overrides });
}

/** A heartbeat that arrived on time: the server's clock is as far along as the player's. */
function beat(positionMs: number, clientMs: number, serverMs = T0 + clientMs): Heartbeat {
  return { positionMs, clientMs, serverMs };
}

function acceptedState(verdict: Verdict): ViewingState {
  if (verdict.kind !== 'accepted') throw new Error('expected the heartbeat to be accepted, it was a duplicate');
  return verdict.state;
}

describe('applyHeartbeat', () => {
  it('should only anchor on the first heartbeat, covering nothing', () => {
    const verdict = applyHeartbeat(session(), beat(30_000, 500));
    expect(verdict).toEqual({ kind: 'accepted', rejected: null, state: session({ lastPositionMs: 30_000, lastClientMs: 500 }) });
  });

  it('should cover the step between two heartbeats at normal speed', () => {
    const state = acceptedState(applyHeartbeat(anchoredAt(0), beat(12_000, 12_000)));
    expect(state.intervals).toEqual([[0, 12_000]]);
    expect(state).toMatchObject({ lastPositionMs: 12_000, lastClientMs: 12_000 });
  });

  it('should cover a step at twice the speed plus the step tolerance, and call one millisecond more a jump', () => {
    const limit = VIEWING_RULES.maxPlaybackRate * 10_000 + VIEWING_RULES.stepToleranceSeconds * 1000;
    const justWithin = applyHeartbeat(anchoredAt(0), beat(limit, 10_000));
    expect(justWithin).toMatchObject({ rejected: null, state: { intervals: [[0, limit]] } });
    const justBeyond = applyHeartbeat(anchoredAt(0), beat(limit + 1, 10_000));
    expect(justBeyond).toMatchObject({ rejected: RejectionReason.JUMP, state: { intervals: [], lastPositionMs: limit + 1 } });
  });

  it('should answer a heartbeat whose player clock is not after the last one as a duplicate, whatever its position', () => {
    const state = anchoredAt(12_000, 12_000);
    expect(applyHeartbeat(state, beat(13_000, 12_000))).toEqual({ kind: 'duplicate' });
    expect(applyHeartbeat(state, beat(20_000, 11_999, T0 + 60_000))).toEqual({ kind: 'duplicate' });
  });

  it('should cover nothing on a rewind and not count it as a rejection', () => {
    const state = anchoredAt(120_000, 120_000, { intervals: [[0, 120_000]] });
    const verdict = applyHeartbeat(state, beat(30_000, 120_300));
    expect(verdict).toEqual({ kind: 'accepted', rejected: null, state: { ...state, lastPositionMs: 30_000, lastClientMs: 120_300 } });
  });

  it('should cover nothing while paused, as the position stands still', () => {
    const state = anchoredAt(45_000, 45_000, { intervals: [[0, 45_000]] });
    const verdict = applyHeartbeat(state, beat(45_000, 345_000));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 45_000]], lastClientMs: 345_000 } });
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
    // The player claims 30 s of its own time at 2×, but the server has only seen 10 s go by.
    const budget = VIEWING_RULES.maxPlaybackRate * 10_000 + VIEWING_RULES.budgetToleranceSeconds * 1000;
    const verdict = applyHeartbeat(anchoredAt(0), beat(60_000, 30_000, T0 + 10_000));
    expect(verdict).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [[0, budget]], lastPositionMs: 60_000 } });
  });

  it('should accept a step that uses the wall-clock budget exactly', () => {
    const budget = VIEWING_RULES.maxPlaybackRate * 10_000 + VIEWING_RULES.budgetToleranceSeconds * 1000;
    const verdict = applyHeartbeat(anchoredAt(0), beat(budget, 20_000, T0 + 10_000));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, budget]] } });
  });

  it('should give the budget from the server clock before the session started as the tolerance alone', () => {
    const tolerance = VIEWING_RULES.budgetToleranceSeconds * 1000;
    const verdict = applyHeartbeat(anchoredAt(0), beat(10_000, 10_000, T0 - 5_000));
    expect(verdict).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [[0, tolerance]] } });
  });

  it('should not charge ranges watched before against the budget when cutting a step', () => {
    // 20 s of budget: 10 s of it fills [0, 10 s), [10 s, 40 s) is free as it was covered, the other 10 s reach 50 s.
    const state = anchoredAt(0, 0, { intervals: [[10_000, 40_000]], baseCoveredMs: 30_000 });
    const budget = VIEWING_RULES.maxPlaybackRate * 9_000 + VIEWING_RULES.budgetToleranceSeconds * 1000; // 20 s
    const verdict = applyHeartbeat(state, beat(80_000, 60_000, T0 + 9_000));
    expect(budget).toBe(20_000);
    expect(verdict).toMatchObject({ rejected: RejectionReason.RUN_AHEAD, state: { intervals: [[0, 50_000]] } });
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
    const verdict = applyHeartbeat(anchoredAt(60_000, 60_000, { intervals: [[0, 60_000]] }), beat(61_400, 60_050));
    expect(verdict).toMatchObject({ rejected: null, state: { intervals: [[0, 61_400]] } });
  });
});

describe('isComplete', () => {
  it('should not complete on an ended heartbeat alone', () => {
    const anchored = acceptedState(applyHeartbeat(session(), beat(0, 0)));
    const ended = acceptedState(applyHeartbeat(anchored, beat(TEN_MINUTES, 200)));
    expect(ended.lastPositionMs).toBe(TEN_MINUTES);
    expect(isComplete(ended)).toBe(false);
    expect(isComplete(acceptedState(applyHeartbeat(session(), beat(TEN_MINUTES, 0))))).toBe(false);
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
