import { RejectionReason, VIEWING_RULES } from '@qmfz/contracts';

/** A watched range [start, end) in milliseconds of the video. */
export type Interval = readonly [number, number];

/** What the server knows about one viewing session. Times are milliseconds; positions are milliseconds of video. */
export interface ViewingState {
  durationMs: number;
  /** Server clock when the session started: the wall-clock budget runs from here. */
  startedAtMs: number;
  /** Covered milliseconds the session started with (from earlier sessions); only what is added counts against the budget. */
  baseCoveredMs: number;
  /** Sorted, disjoint, non-adjacent ranges. */
  intervals: readonly Interval[];
  /** Position and player clock of the last accepted heartbeat; null before the first. */
  lastPositionMs: number | null;
  lastClientMs: number | null;
  /** The player stopped (pause, end) and has not played since: no playing time has passed since. */
  stoppedAtLast: boolean;
}

export interface Heartbeat {
  positionMs: number;
  /** The player's own monotonic clock; orders heartbeats and paces steps, never trusted for the budget. */
  clientMs: number;
  /** The server's clock when the heartbeat arrived. */
  serverMs: number;
  /**
   * What the heartbeat says about the player: `false` it stopped (pause, end), `true` it plays (play, tick), `null`
   * no change (a seek or a hidden page: a seek while paused must not count the pause as playing time).
   */
  playing: boolean | null;
}

export type Verdict =
  | { kind: 'accepted'; state: ViewingState; rejected: typeof RejectionReason.JUMP | typeof RejectionReason.RUN_AHEAD | null }
  | { kind: 'duplicate' };

const MAX_RATE = VIEWING_RULES.maxPlaybackRate;
const STEP_TOLERANCE_MS = VIEWING_RULES.stepToleranceSeconds * 1000;
const BUDGET_TOLERANCE_MS = VIEWING_RULES.budgetToleranceSeconds * 1000;

/**
 * Applies one heartbeat. Coverage grows only by continuous steps from the last position: a step may advance at most
 * MAX_RATE × the player's elapsed time, none of it while the player was stopped (plus slack), or it is a jump
 * that covers nothing; and everything a session adds may never exceed MAX_RATE × the server's elapsed time (plus
 * slack), or the step is cut to that budget.
 * A heartbeat whose player clock is not after the last one is a replay or a reordering and changes nothing.
 * Positions must already be validated to lie within [0, durationMs].
 */
export function applyHeartbeat(state: ViewingState, beat: Heartbeat): Verdict {
  if (state.lastClientMs !== null && beat.clientMs <= state.lastClientMs) return { kind: 'duplicate' };
  const moved = { ...state, lastPositionMs: beat.positionMs, lastClientMs: beat.clientMs, stoppedAtLast: beat.playing === null ? state.stoppedAtLast : !beat.playing };
  if (state.lastPositionMs === null || beat.positionMs <= state.lastPositionMs) {
    // The first heartbeat only anchors; going back (a rewind, a replay) covers nothing and is not suspicious.
    return { kind: 'accepted', state: moved, rejected: null };
  }
  const step = beat.positionMs - state.lastPositionMs;
  // Time spent stopped is not playing time: a step out of a pause may not spend it (pause, wait, then seek).
  const elapsedOnPlayer = state.stoppedAtLast ? 0 : beat.clientMs - (state.lastClientMs ?? beat.clientMs);
  if (step > MAX_RATE * elapsedOnPlayer + STEP_TOLERANCE_MS) return { kind: 'accepted', state: moved, rejected: RejectionReason.JUMP };

  // The slack grows with the session (a tenth of its time, up to the tolerance), so restarting sessions over and
  // over cannot collect it.
  const sessionMs = Math.max(0, beat.serverMs - state.startedAtMs);
  const budgetMs = MAX_RATE * sessionMs + Math.min(BUDGET_TOLERANCE_MS, Math.floor(sessionMs / 10));
  const allowedGain = Math.max(0, budgetMs - (coveredMs(state.intervals) - state.baseCoveredMs));
  const wanted = addInterval(state.intervals, [state.lastPositionMs, beat.positionMs]);
  const gain = coveredMs(wanted) - coveredMs(state.intervals);
  const intervals = gain <= allowedGain ? wanted : addInterval(state.intervals, [state.lastPositionMs, endWithGain(state.intervals, state.lastPositionMs, allowedGain)]);
  if (intervals.length > VIEWING_RULES.maxIntervals) {
    // Only jumps fragment a viewing this much; an honest one keeps one or two ranges.
    return { kind: 'accepted', state: moved, rejected: RejectionReason.JUMP };
  }
  return { kind: 'accepted', state: { ...moved, intervals }, rejected: gain <= allowedGain ? null : RejectionReason.RUN_AHEAD };
}

export function coveredMs(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, [start, end]) => sum + (end - start), 0);
}

export function isComplete(state: Pick<ViewingState, 'intervals' | 'durationMs'>): boolean {
  return state.durationMs > 0 && coveredMs(state.intervals) >= VIEWING_RULES.completionRatio * state.durationMs;
}

/** Union of sorted disjoint intervals with one more; touching ranges merge. */
export function addInterval(intervals: readonly Interval[], [start, end]: Interval): Interval[] {
  if (end <= start) return [...intervals];
  const result: Interval[] = [];
  let merged: [number, number] = [start, end];
  let placed = false;
  for (const current of intervals) {
    if (current[1] < merged[0]) result.push(current);
    else if (current[0] > merged[1]) {
      if (!placed) result.push(merged);
      placed = true;
      result.push(current);
    } else merged = [Math.min(merged[0], current[0]), Math.max(merged[1], current[1])];
  }
  if (!placed) result.push(merged);
  return result;
}

/** The furthest end e ≥ start such that adding [start, e) covers at most `gain` new milliseconds. */
function endWithGain(intervals: readonly Interval[], start: number, gain: number): number {
  let position = start;
  let left = gain;
  for (const [from, to] of intervals) {
    if (to <= position) continue;
    if (from > position) {
      const gap = from - position;
      if (gap >= left) return position + left;
      left -= gap;
    }
    position = Math.max(position, to);
  }
  return position + left;
}
