import { describe, expect, it } from '@jest/globals';
import { RejectionReason, VIEWING_RULES } from '@qmfz/contracts';
import fc from 'fast-check';
import { addInterval, applyHeartbeat, coveredMs, isComplete, type Heartbeat, type Interval, type Verdict, type ViewingState } from './verifier.js';

/*
 * Properties of the viewing verifier over generated viewings. A viewing is a player timeline (play at a rate,
 * pause, seek) turned into heartbeats the way the player sends them, then delivered by a network that delays,
 * holds back and bunches them but never reorders or delivers early, unless a property says otherwise.
 */

const MAX_RATE = VIEWING_RULES.maxPlaybackRate;
const STEP_TOLERANCE_MS = VIEWING_RULES.stepToleranceSeconds * 1000;
const BUDGET_TOLERANCE_MS = VIEWING_RULES.budgetToleranceSeconds * 1000;
const THREE_HOURS = 3 * 3600 * 1000;
const RUNS = { numRuns: 300 };

/** What the player knows when it sends a heartbeat; the network adds when it arrives. */
type PlayerBeat = Omit<Heartbeat, 'serverMs'>;

type Piece =
  | { kind: 'play'; rate: number; toMs: number }
  | { kind: 'pause'; ms: number }
  /** The player reports where it was, then where it landed `clockMs` later on its clock. */
  | { kind: 'seek'; toMs: number; clockMs: number };

interface Playback {
  fromMs: number;
  startClientMs: number;
  tickGapsMs: number[];
  ticksWhilePaused: boolean;
  pieces: Piece[];
}

/**
 * The heartbeats a player sends for a timeline: on play, every tick gap while playing, on pause, seek and end. Like
 * the mini-program's PlaybackTracker, it reports play at the paused position when playing resumes, and a seek as a
 * tick where it was and a seek where it landed; pause and end stop the player, a seek leaves it as it was
 * (PLAYER_STATE). Two heartbeats at the same instant are one, leaving the player as the later one does.
 */
function playerBeats(playback: Playback): PlayerBeat[] {
  const beats: PlayerBeat[] = [];
  let t = playback.startClientMs;
  let position = playback.fromMs;
  let ticks = 0;
  const send = (playing: boolean | null = true) => {
    const last = beats.at(-1);
    if (last?.clientMs === t) last.playing = playing ?? last.playing;
    else beats.push({ positionMs: Math.floor(position), clientMs: t, playing });
  };
  const nextGap = () => playback.tickGapsMs[ticks++ % playback.tickGapsMs.length];
  send();
  let nextTickAt = t + nextGap();
  for (const piece of playback.pieces) {
    if (piece.kind === 'play') {
      const endAt = t + Math.ceil((piece.toMs - position) / piece.rate);
      for (; nextTickAt < endAt; nextTickAt = t + nextGap()) {
        position += (nextTickAt - t) * piece.rate;
        t = nextTickAt;
        send();
      }
      position = piece.toMs;
      t = endAt;
    } else if (piece.kind === 'pause') {
      send(false);
      const endAt = t + piece.ms;
      // A player whose tick timer runs on while paused reports the same position, as a stalled one does.
      if (playback.ticksWhilePaused) for (; nextTickAt < endAt; nextTickAt = t + nextGap()) (t = nextTickAt), send();
      t = endAt;
      send(); // play, where it paused
      nextTickAt = t + nextGap();
    } else {
      send(); // tick, where it was
      t += piece.clockMs;
      position = piece.toMs;
      send(null); // seek, where it landed
      nextTickAt = t + nextGap();
    }
  }
  send(false); // ended
  return beats;
}

interface Network {
  startedAtMs: number;
  /** From the session's start on the server to the player's clock starting. */
  latencyMs: number;
  jitterMs: number[];
  /** Heartbeats held back by an outage, then flushed within milliseconds of each other. */
  outages: { from: number; count: number; holdMs: number }[];
}

/** Arrival times: sent at startedAt + latency + clientMs, never earlier, in order, sometimes bunched. */
function deliver(beats: readonly PlayerBeat[], network: Network): Heartbeat[] {
  const sentAt = beats.map((b) => network.startedAtMs + network.latencyMs + b.clientMs);
  const arrival = sentAt.map((sent, i) => sent + network.jitterMs[i % network.jitterMs.length]);
  for (const { from, count, holdMs } of network.outages) {
    const first = Math.floor(from * beats.length);
    const last = Math.min(beats.length, first + count) - 1;
    if (last < first) continue;
    const flushAt = arrival[last] + holdMs;
    for (let i = first; i <= last; i++) arrival[i] = flushAt + (i - first);
  }
  let previous = -Infinity;
  return beats.map((b, i) => {
    previous = Math.max(previous, arrival[i]);
    return { ...b, serverMs: previous };
  });
}

function freshSession(durationMs: number, startedAtMs: number): ViewingState {
  return { durationMs, startedAtMs, baseCoveredMs: 0, intervals: [], lastPositionMs: null, lastClientMs: null, stoppedAtLast: false };
}

/** The session a later visit starts: what was covered is kept and is not charged to the new budget. */
function resumedSession(previous: ViewingState, startedAtMs: number): ViewingState {
  return { ...freshSession(previous.durationMs, startedAtMs), intervals: previous.intervals, baseCoveredMs: coveredMs(previous.intervals) };
}

function run(state: ViewingState, beats: readonly Heartbeat[]): { state: ViewingState; verdicts: Verdict[] } {
  const verdicts: Verdict[] = [];
  for (const beat of beats) {
    const verdict = applyHeartbeat(state, beat);
    verdicts.push(verdict);
    if (verdict.kind === 'accepted') state = verdict.state;
  }
  return { state, verdicts };
}

/**
 * What a session may add by `serverMs`: twice its time on the server, plus a tenth of that (whole milliseconds) up to
 * the budget tolerance. Budgets are whole milliseconds, so they compare exactly.
 */
const budgetMs = (state: ViewingState, serverMs: number) => slackedBudgetMs(Math.max(0, serverMs - state.startedAtMs));
const slackedBudgetMs = (sessionMs: number) => MAX_RATE * sessionMs + Math.min(BUDGET_TOLERANCE_MS, Math.floor(sessionMs / 10));

/** Whether the player stands still after `beat`: a heartbeat that neither plays nor stops leaves it as it was. */
const stoppedAfter = (before: ViewingState, beat: Heartbeat) => (beat.playing === null ? before.stoppedAtLast : !beat.playing);

/** Milliseconds of [lo, hi) the intervals cover. */
function coveredWithin(intervals: readonly Interval[], lo: number, hi: number): number {
  return intervals.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(end, hi) - Math.max(start, lo)), 0);
}

function contains(outer: readonly Interval[], inner: readonly Interval[]): boolean {
  return inner.every(([start, end]) => outer.some(([from, to]) => from <= start && end <= to));
}

// ---- Generators -------------------------------------------------------------------------------------------------

/** Uniform in [0, 1) (fc.double is not: it favours values near 0). */
const fraction = fc.integer({ min: 0, max: 9_999 }).map((n) => n / 10_000);
const durationMs = fc.oneof(
  fc.constantFrom(5_000, THREE_HOURS),
  fc.integer({ min: 5_000, max: 120_000 }),
  fc.integer({ min: 120_000, max: THREE_HOURS }),
);
const honestRate = fc.oneof(fc.constantFrom(1, 1.25, 1.5, MAX_RATE), fc.double({ min: 1, max: MAX_RATE, noNaN: true }));
const tickGapsMs = fc.array(fc.integer({ min: 10_000, max: 15_000 }), { minLength: 1, maxLength: 8 });
const network: fc.Arbitrary<Network> = fc.record({
  startedAtMs: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  latencyMs: fc.integer({ min: 0, max: 3_000 }),
  jitterMs: fc.array(fc.oneof(fc.constantFrom(0, 3_000), fc.integer({ min: 0, max: 3_000 })), { minLength: 1, maxLength: 16 }),
  outages: fc.array(
    fc.record({
      from: fraction,
      count: fc.integer({ min: 2, max: 30 }),
      holdMs: fc.integer({ min: 0, max: 300_000 }),
    }),
    { maxLength: 3 },
  ),
});

interface Viewing {
  durationMs: number;
  beats: Heartbeat[];
  startedAtMs: number;
}

/**
 * How an honest viewer plays on from some position to the end: segments at 1×–2× (the rate changes between
 * them), some followed by a pause of 1 s–10 min or by a rewind (the player reports the position before and after
 * it), the last one reaching the end.
 */
const honestPlan = fc.record({
  segments: fc.array(
    fc.record({
      until: fraction,
      rate: honestRate,
      pauseMs: fc.option(fc.integer({ min: 1, max: 600_000 })),
      rewind: fc.option(fc.record({ byMs: fc.integer({ min: 1, max: 300_000 }), clockMs: fc.integer({ min: 1, max: 2_000 }) })),
    }),
    { maxLength: 8 },
  ),
  lastRate: honestRate,
  startClientMs: fc.integer({ min: 0, max: 3_000 }),
  tickGapsMs,
  ticksWhilePaused: fc.boolean(),
});
type HonestPlan = typeof honestPlan extends fc.Arbitrary<infer T> ? T : never;

function honestBeats(plan: HonestPlan, durationMs: number, fromMs: number): PlayerBeat[] {
  const pieces: Piece[] = [];
  let position = fromMs;
  for (const { until, rate, pauseMs, rewind } of [...plan.segments].sort((a, b) => a.until - b.until)) {
    const toMs = fromMs + Math.floor(until * (durationMs - fromMs));
    if (toMs <= position || toMs >= durationMs) continue;
    pieces.push({ kind: 'play', rate, toMs });
    position = toMs;
    if (pauseMs !== null) pieces.push({ kind: 'pause', ms: pauseMs });
    if (rewind !== null) {
      position = Math.max(0, position - rewind.byMs);
      pieces.push({ kind: 'seek', toMs: position, clockMs: rewind.clockMs });
    }
  }
  if (durationMs > position) pieces.push({ kind: 'play', rate: plan.lastRate, toMs: durationMs });
  return playerBeats({ ...plan, fromMs, pieces });
}

/** An honest viewing of a whole video from 0 to the end. */
const honestViewing: fc.Arbitrary<Viewing> = fc.record({ durationMs, plan: honestPlan, network }).map(({ durationMs, plan, network }) => ({
  durationMs,
  beats: deliver(honestBeats(plan, durationMs, 0), network),
  startedAtMs: network.startedAtMs,
}));

/** The shortest forward seek a player clock advance of `clockMs` cannot explain as playback. */
const visibleSeekMs = (clockMs: number) => MAX_RATE * clockMs + STEP_TOLERANCE_MS + 1;
const MAX_SEEK_CLOCK_MS = 500;

interface SkippingViewing extends Viewing {
  skippedMs: number;
  seeks: number;
}

/**
 * A viewer who plays honestly but seeks forward, many times or once, skipping more than 5 % of the video in
 * total. Each seek is reported as the position before it and the one it landed on, the player clock moving
 * 1–500 ms in between, and is longer than 2 × that + the step tolerance: shorter ones look like playback (see
 * verifier.spec.ts, "a forward seek within the step tolerance").
 */
const seek = fc.record({ clockMs: fc.integer({ min: 1, max: MAX_SEEK_CLOCK_MS }), weight: fc.integer({ min: 1, max: 100 }) });
const skippingViewing: fc.Arbitrary<SkippingViewing> = fc
  .record({
    durationMs,
    skippedFraction: fc.oneof(fc.constant(0.05), fc.double({ min: 0.05, max: 0.9, noNaN: true })),
    seeks: fc.oneof(
      fc.array(seek, { minLength: 1, maxLength: 40 }),
      fc.array(seek, { minLength: VIEWING_RULES.maxIntervals - 2, maxLength: 40 }),
    ),
    watched: fc.array(fc.record({ weight: fc.nat(100), rate: honestRate }), { minLength: 41, maxLength: 41 }),
    startClientMs: fc.integer({ min: 0, max: 3_000 }),
    tickGapsMs,
    network,
  })
  .map(({ durationMs, skippedFraction, seeks: wanted, watched, startClientMs, tickGapsMs, network }) => {
    const seeks = wanted.slice(0, Math.max(1, Math.floor((0.9 * durationMs) / visibleSeekMs(MAX_SEEK_CLOCK_MS))));
    const shortest = seeks.map((s) => visibleSeekMs(s.clockMs));
    const target = Math.max(Math.ceil(skippedFraction * durationMs), Math.floor(0.05 * durationMs) + 1);
    const extra = Math.max(0, target - sum(shortest));
    const totalWeight = sum(seeks.map((s) => s.weight));
    const sizes = seeks.map((s, i) => shortest[i] + Math.floor((extra * s.weight) / totalWeight));
    sizes[sizes.length - 1] += Math.max(0, target - sum(sizes));
    const skippedMs = sum(sizes);

    const pieces = watched.slice(0, seeks.length + 1);
    const watchWeight = sum(pieces.map((p) => p.weight)) || 1;
    const timeline: Piece[] = [];
    let position = 0;
    pieces.forEach(({ weight, rate }, i) => {
      const toMs = i === seeks.length ? durationMs : position + Math.floor(((durationMs - skippedMs) * weight) / watchWeight);
      if (toMs > position) timeline.push({ kind: 'play', rate, toMs });
      position = toMs;
      if (i < seeks.length) {
        position += sizes[i];
        timeline.push({ kind: 'seek', toMs: position, clockMs: seeks[i].clockMs });
      }
    });
    const beats = deliver(playerBeats({ fromMs: 0, startClientMs, tickGapsMs, ticksWhilePaused: false, pieces: timeline }), network);
    return { durationMs, beats, startedAtMs: network.startedAtMs, skippedMs, seeks: seeks.length };
  });

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Any sorted, disjoint, non-adjacent ranges within [0, durationMs], at most maxIntervals of them. */
const someIntervals = (durationMs: number): fc.Arbitrary<Interval[]> =>
  fc
    .oneof(
      fc.uniqueArray(fc.integer({ min: 0, max: durationMs }), { maxLength: 2 * VIEWING_RULES.maxIntervals }),
      fc.uniqueArray(fc.integer({ min: 0, max: durationMs }), { minLength: 2 * VIEWING_RULES.maxIntervals - 2, maxLength: 2 * VIEWING_RULES.maxIntervals }),
    )
    .map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const intervals: Interval[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) intervals.push([sorted[i], sorted[i + 1]]);
      return intervals;
    });

/**
 * Any heartbeats at all for a session started at `startedAtMs`: positions anywhere in [0, duration] (often near
 * the last one, so steps happen), clocks that mostly move forward by anything from nothing to an hour but also
 * stand still or go back, a server clock that may start before the session and even step back; and runs of steps
 * a forger would send, each within 2× the player clock but far ahead of the server's.
 */
const arbitraryBeats = (durationMs: number, startedAtMs: number): fc.Arbitrary<Heartbeat[]> => {
  const playing = fc.constantFrom(true, false, null);
  const clampPosition = (at: number) => Math.min(durationMs, Math.max(0, at));
  const anyStep = fc
    .record({
      position: fc.oneof(
        fc.integer({ min: 0, max: durationMs }).map((at) => () => at),
        fc.integer({ min: -30_000, max: 60_000 }).map((by) => (last: number) => clampPosition(last + by)),
        fc.constantFrom(0, durationMs).map((at) => () => at),
      ),
      clientStepMs: fc.oneof(fc.integer({ min: -5_000, max: 30_000 }), fc.constantFrom(0, 1), fc.integer({ min: 0, max: 3_600_000 })),
      serverStepMs: fc.oneof(fc.integer({ min: -5_000, max: 30_000 }), fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 600_000 })),
      playing,
    })
    .map(({ position, clientStepMs, serverStepMs, playing }) => (last: Heartbeat): Heartbeat => ({
      positionMs: position(last.positionMs),
      clientMs: last.clientMs + clientStepMs,
      serverMs: last.serverMs + serverStepMs,
      playing,
    }));
  const runAheadStep = fc
    .record({ clientStepMs: fc.integer({ min: 1, max: 30_000 }), share: fraction, serverStepMs: fc.integer({ min: 0, max: 2_000 }), playing })
    .map(({ clientStepMs, share, serverStepMs, playing }) => (last: Heartbeat): Heartbeat => ({
      positionMs: clampPosition(last.positionMs + Math.floor(share * (MAX_RATE * clientStepMs + STEP_TOLERANCE_MS))),
      clientMs: last.clientMs + clientStepMs,
      serverMs: last.serverMs + serverStepMs,
      playing,
    }));
  return fc
    .record({
      clientStartMs: fc.integer({ min: -1_000, max: 100_000 }),
      serverStartMs: fc.integer({ min: -10_000, max: 100_000 }),
      steps: fc.array(fc.oneof(anyStep, runAheadStep), { maxLength: 80 }),
    })
    .map(({ clientStartMs, serverStartMs, steps }) => {
      let last: Heartbeat = { positionMs: 0, clientMs: clientStartMs, serverMs: startedAtMs + serverStartMs, playing: true };
      return steps.map((step) => (last = step(last)));
    });
};

/** A session, fresh or resumed with earlier ranges, and arbitrary heartbeats for it. */
const arbitrarySession = fc
  .record({ durationMs, startedAtMs: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }), resumed: fc.boolean() })
  .chain(({ durationMs, startedAtMs, resumed }) =>
    fc.record({
      start: (resumed ? someIntervals(durationMs) : fc.constant<Interval[]>([])).map((intervals) => ({
        ...freshSession(durationMs, startedAtMs),
        intervals,
        baseCoveredMs: coveredMs(intervals),
      })),
      beats: arbitraryBeats(durationMs, startedAtMs),
    }),
  );

/**
 * A viewer who, at moments of an honest viewing, stops the player (pause or end), then sends any number of seeks,
 * hides or further stops at the same place or further back, then after a wait reports a position more than the
 * step tolerance ahead, by any heartbeat: one that plays (a tick), one that stops, or a seek. The leap is never
 * longer than what the wait would have allowed a playing player (2 × the wait + the tolerance), so only the stop
 * makes it a jump. Both clocks advance by the waits.
 */
const stopAndLeap = fc.record({
  at: fraction,
  between: fc.array(
    fc.record({
      waitMs: fc.integer({ min: 1, max: 600_000 }),
      backMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60_000 })),
      playing: fc.constantFrom(null, false),
    }),
    { maxLength: 8 },
  ),
  waitMs: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 3_600_000 })),
  share: fraction,
  leapPlaying: fc.constantFrom(true, false, null),
});
type StopAndLeap = typeof stopAndLeap extends fc.Arbitrary<infer T> ? T : never;

/** The viewing with the stops and leaps put in, later heartbeats moved on by the time they took; `leaps` are indices. */
function withStopsAndLeaps(beats: readonly Heartbeat[], attacks: readonly StopAndLeap[], durationMs: number): { beats: Heartbeat[]; leaps: number[] } {
  const out: Heartbeat[] = [];
  const leaps: number[] = [];
  let shiftMs = 0;
  const sorted = [...attacks].sort((a, b) => a.at - b.at);
  for (const [j, original] of beats.entries()) {
    // Never before the first heartbeat, which only anchors.
    for (const attack of sorted.filter((a) => j > 0 && 1 + Math.floor(a.at * (beats.length - 1)) === j)) {
      const last = out.at(-1)!;
      let { positionMs } = last;
      let waitedMs = 1;
      const push = (playing: boolean | null) => out.push({ positionMs, clientMs: last.clientMs + waitedMs, serverMs: last.serverMs + waitedMs, playing });
      push(false);
      for (const next of attack.between) {
        waitedMs += next.waitMs;
        positionMs = Math.max(0, positionMs - next.backMs);
        push(next.playing);
      }
      waitedMs += attack.waitMs;
      const from = positionMs;
      positionMs = Math.min(durationMs, from + STEP_TOLERANCE_MS + 1 + Math.floor(attack.share * (MAX_RATE * attack.waitMs - 1)));
      if (positionMs - from > STEP_TOLERANCE_MS) {
        leaps.push(out.length);
        push(attack.leapPlaying);
      }
      shiftMs += waitedMs;
    }
    out.push({ ...original, clientMs: original.clientMs + shiftMs, serverMs: original.serverMs + shiftMs });
  }
  return { beats: out, leaps };
}

/**
 * Sessions started one after another, each at the server time the previous one's last heartbeat arrived, each
 * resuming the coverage before it and anchoring where that ends; then heartbeats over `lengthMs` of server time,
 * the last one at its end. A greedy forger sends one heartbeat at the end that reports as far ahead as its player
 * clock allows, so the budget cuts it; others send up to six steps of any size the player clock allows.
 */
const restartedSessions = fc.record({
  startedAtMs: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  greedy: fc.boolean(),
  sessions: fc.array(
    fc.record({
      lengthMs: fc.oneof(fc.constantFrom(1, 5_000, 20_000), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 60_000 })),
      steps: fc.array(
        fc.record({
          at: fraction,
          clientStepMs: fc.integer({ min: 1, max: 600_000 }),
          share: fc.oneof(fc.constant(1), fraction),
          playing: fc.constantFrom(true, false, null),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
    { minLength: 1, maxLength: 60 },
  ),
});
type RestartedSessions = typeof restartedSessions extends fc.Arbitrary<infer T> ? T : never;

type RestartedSession = RestartedSessions['sessions'][number];

function restartedBeats(session: RestartedSession, greedy: boolean, anchorMs: number, startedAtMs: number, durationMs: number): Heartbeat[] {
  const steps = greedy ? [{ at: 1, clientStepMs: 3_600_000, share: 1, playing: true }] : session.steps;
  let last: Heartbeat = { positionMs: anchorMs, clientMs: 0, serverMs: startedAtMs, playing: true };
  const beats = [last];
  const arrivals = steps.map((s) => Math.round(s.at * session.lengthMs)).sort((a, b) => a - b);
  arrivals[arrivals.length - 1] = session.lengthMs;
  for (const [i, step] of steps.entries()) {
    const reachMs = MAX_RATE * step.clientStepMs + STEP_TOLERANCE_MS;
    const positionMs = Math.min(durationMs, last.positionMs + Math.floor(step.share * reachMs));
    beats.push((last = { positionMs, clientMs: last.clientMs + step.clientStepMs, serverMs: startedAtMs + arrivals[i], playing: step.playing }));
  }
  return beats;
}

// ---- Invariants -------------------------------------------------------------------------------------------------

/** What is wrong with a state's ranges: each must be sorted, disjoint, non-adjacent, within [0, duration]. */
function malformations(state: ViewingState): string[] {
  const problems: string[] = [];
  if (state.intervals.length > VIEWING_RULES.maxIntervals) problems.push(`${state.intervals.length} ranges`);
  state.intervals.forEach(([start, end], i) => {
    if (!(start >= 0 && start < end && end <= state.durationMs)) problems.push(`range [${start}, ${end}) of ${state.durationMs}`);
    if (i > 0 && !(start > state.intervals[i - 1][1])) problems.push(`range ${i} starts at ${start}, not after ${state.intervals[i - 1][1]}`);
  });
  return problems;
}

/**
 * Everything one heartbeat may and may not do to a session, as a list of what went wrong (collected rather than
 * asserted, as thousands of steps are checked per run).
 */
function lawBreaches(before: ViewingState, beat: Heartbeat, verdict: Verdict, serverHighMs: number): string[] {
  if (before.lastClientMs !== null && beat.clientMs <= before.lastClientMs) return verdict.kind === 'duplicate' ? [] : ['a replay was accepted'];
  if (verdict.kind !== 'accepted') return ['a new heartbeat was called a duplicate'];
  const after = verdict.state;
  const breaches = malformations(after);
  if (after.lastPositionMs !== beat.positionMs || after.lastClientMs !== beat.clientMs) breaches.push('not anchored at the heartbeat');
  if (after.stoppedAtLast !== stoppedAfter(before, beat)) {
    breaches.push(`stoppedAtLast became ${after.stoppedAtLast} from ${before.stoppedAtLast} on playing: ${beat.playing}`);
  }
  if (after.baseCoveredMs !== before.baseCoveredMs) breaches.push('base coverage changed');
  if (!contains(after.intervals, before.intervals)) breaches.push('coverage was lost');

  const gain = coveredMs(after.intervals) - coveredMs(before.intervals);
  const added = coveredMs(after.intervals) - after.baseCoveredMs;
  if (added > budgetMs(after, serverHighMs)) breaches.push(`added ${added} ms, over the budget ${budgetMs(after, serverHighMs)} ms`);
  // A step is never cut without saying so.
  const from = before.lastPositionMs ?? Infinity;
  const wantedGain = from < beat.positionMs ? coveredMs(addInterval(before.intervals, [from, beat.positionMs])) - coveredMs(before.intervals) : 0;
  if (verdict.rejected === null && gain !== wantedGain) breaches.push(`covered ${gain} of ${wantedGain} ms without a rejection`);
  // Only playing time explains a step: none has passed since a heartbeat that stopped the player.
  const playedMs = before.stoppedAtLast ? 0 : beat.clientMs - (before.lastClientMs ?? 0);
  const isJump = beat.positionMs - from > MAX_RATE * playedMs + STEP_TOLERANCE_MS;
  if (isJump && verdict.rejected !== RejectionReason.JUMP) breaches.push(`a step playback cannot explain was called ${verdict.rejected}, not a jump`);
  if (gain === 0) return breaches;
  // Coverage grows only inside the step, only by a step playback can explain, and a cut step uses the budget up.
  if (coveredWithin(after.intervals, from, beat.positionMs) - coveredWithin(before.intervals, from, beat.positionMs) !== gain) {
    breaches.push(`gained outside the step [${from}, ${beat.positionMs})`);
  }
  if (isJump) breaches.push('a jump gained coverage');
  if (verdict.rejected === RejectionReason.RUN_AHEAD) {
    if (added !== budgetMs(after, beat.serverMs)) breaches.push(`a cut step added up to ${added} ms, not the budget ${budgetMs(after, beat.serverMs)} ms`);
  } else if (verdict.rejected !== null) breaches.push(`gained ${gain} ms yet was rejected as ${verdict.rejected}`);
  return breaches;
}

/** Applies the heartbeats one by one, checking each step; the server clock's high-water mark bounds the budget. */
function runChecked(start: ViewingState, beats: readonly Heartbeat[]): { state: ViewingState; breaches: string[] } {
  let state = start;
  let serverHighMs = -Infinity;
  for (const [i, beat] of beats.entries()) {
    serverHighMs = Math.max(serverHighMs, beat.serverMs);
    const verdict = applyHeartbeat(state, beat);
    const breaches = lawBreaches(state, beat, verdict, serverHighMs);
    if (breaches.length > 0) return { state, breaches: breaches.map((b) => `heartbeat ${i} ${JSON.stringify(beat)}: ${b}`) };
    if (verdict.kind === 'accepted') state = verdict.state;
  }
  return { state, breaches: [] };
}

// ---- Properties -------------------------------------------------------------------------------------------------

describe('the viewing verifier', () => {
  it('should complete every honest viewing at 1×–2× with pauses, rewinds and a delaying network, flagging nothing', () => {
    fc.assert(
      fc.property(honestViewing, ({ durationMs, beats, startedAtMs }) => {
        const { state, verdicts } = run(freshSession(durationMs, startedAtMs), beats);
        expect(verdicts.every((v) => v.kind === 'accepted' && v.rejected === null)).toBe(true);
        expect(state.intervals).toEqual([[0, durationMs]]);
        expect(state.lastPositionMs).toBe(durationMs);
        expect(isComplete(state)).toBe(true);
      }),
      RUNS,
    );
  });

  it('should never complete a viewing that seeks past more than 5 % of the video, in one seek or many', () => {
    fc.assert(
      fc.property(skippingViewing, ({ durationMs, beats, startedAtMs, skippedMs, seeks }) => {
        const { state } = run(freshSession(durationMs, startedAtMs), beats);
        expect(skippedMs).toBeGreaterThan(0.05 * durationMs);
        expect(state.lastPositionMs).toBe(durationMs);
        expect(isComplete(state)).toBe(false);
        // Exactly what was played counts, as long as the seeks leave few enough ranges to keep them all.
        if (seeks < VIEWING_RULES.maxIntervals) expect(coveredMs(state.intervals)).toBe(durationMs - skippedMs);
        else expect(coveredMs(state.intervals)).toBeLessThanOrEqual(durationMs - skippedMs);
      }),
      RUNS,
    );
  });

  it('should give jumps, not coverage, to a viewer who reports positions faster than 2× the player clock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60_000, max: THREE_HOURS }),
        fc.oneof(fc.constant(2.25), fc.double({ min: 2.25, max: 20, noNaN: true })),
        fc.integer({ min: 0, max: 3_000 }),
        tickGapsMs,
        network,
        (durationMs, rate, startClientMs, gaps, net) => {
          const player: PlayerBeat[] = [];
          for (let t = startClientMs, i = 0; rate * (t - startClientMs) <= durationMs; t += gaps[i++ % gaps.length]) {
            player.push({ positionMs: Math.floor(rate * (t - startClientMs)), clientMs: t, playing: true });
          }
          const { state, verdicts } = run(freshSession(durationMs, net.startedAtMs), deliver(player, net));
          expect(verdicts.slice(1).every((v) => v.kind === 'accepted' && v.rejected === RejectionReason.JUMP)).toBe(true);
          expect(state.intervals).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('should never let a replayed or reordered heartbeat add coverage', () => {
    const injection = fc.record({
      after: fraction,
      kind: fc.constantFrom('replay', 'swap'),
      back: fc.nat(5),
      /** A replay may carry its original position, any position, or one just past the last (within the tolerance). */
      position: fc.oneof(
        fc.constant({ kind: 'original' as const }),
        fraction.map((at) => ({ kind: 'anywhere' as const, at })),
        fc.integer({ min: 1, max: STEP_TOLERANCE_MS }).map((byMs) => ({ kind: 'justPast' as const, byMs })),
      ),
    });
    fc.assert(
      fc.property(honestViewing, fc.array(injection, { minLength: 1, maxLength: 20 }), ({ durationMs, beats, startedAtMs }, injections) => {
        const honest = [freshSession(durationMs, startedAtMs)];
        for (const beat of beats) honest.push(run(honest.at(-1)!, [beat]).state);

        // The delivered sequence: each entry says which original it stands for and whether it is the injected one.
        const delivered: { beat: Heartbeat; original: number; injected: boolean }[] = beats.map((beat, original) => ({ beat, original, injected: false }));
        for (const { after, kind, back, position } of injections) {
          const at = Math.floor(after * delivered.length);
          const here = delivered[at];
          if (kind === 'swap') {
            const next = delivered[at + 1];
            if (!next || here.injected || next.injected) continue;
            // The later heartbeat overtakes the earlier one; both arrive when the later one would have.
            delivered.splice(at, 2, { ...next }, { beat: { ...here.beat, serverMs: next.beat.serverMs }, original: here.original, injected: true });
          } else {
            const source = beats[Math.max(0, here.original - back)];
            const positionMs =
              position.kind === 'original'
                ? source.positionMs
                : position.kind === 'anywhere'
                  ? Math.floor(position.at * durationMs)
                  : Math.min(durationMs, beats[here.original].positionMs + position.byMs);
            const replay = { positionMs, clientMs: source.clientMs, serverMs: here.beat.serverMs, playing: source.playing };
            delivered.splice(at + 1, 0, { beat: replay, original: here.original, injected: true });
          }
        }

        let state = freshSession(durationMs, startedAtMs);
        let furthest = -1;
        const breaches: string[] = [];
        for (const [i, { beat, original, injected }] of delivered.entries()) {
          const verdict = applyHeartbeat(state, beat);
          if (injected) {
            if (verdict.kind !== 'duplicate') breaches.push(`injected heartbeat ${i} ${JSON.stringify(beat)} was accepted`);
            continue;
          }
          if (verdict.kind === 'accepted') state = verdict.state;
          furthest = Math.max(furthest, original);
          // Never more than the honest run had once it had seen the same heartbeats.
          if (coveredMs(state.intervals) > coveredMs(honest[furthest + 1].intervals)) breaches.push(`heartbeat ${i} covered more than the honest run`);
        }
        expect(breaches).toEqual([]);
        expect(coveredMs(state.intervals)).toBeLessThanOrEqual(coveredMs(honest.at(-1)!.intervals));
      }),
      RUNS,
    );
  });

  it('should keep every invariant for any heartbeats at all, fresh or resumed', () => {
    fc.assert(
      fc.property(arbitrarySession, ({ start, beats }) => {
        expect(malformations(start)).toEqual([]);
        expect(runChecked(start, beats).breaches).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('should keep what an earlier session covered when a later one resumes, and add by the same rules', () => {
    const visits = fc
      .record({
        first: fc.oneof(honestViewing, skippingViewing),
        stopAfter: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10_000),
        gapMs: fc.integer({ min: 0, max: 7 * 24 * 3600 * 1000 }),
      })
      .chain(({ first, stopAfter, gapMs }) => {
        const stopped = first.beats.slice(0, Math.floor(stopAfter * first.beats.length));
        const startedAtMs = (stopped.at(-1)?.serverMs ?? first.startedAtMs) + gapMs;
        return fc.record({
          first: fc.constant({ ...first, beats: stopped }),
          startedAtMs: fc.constant(startedAtMs),
          // The second visit plays on honestly from where the first stopped, or sends anything at all.
          second: fc.oneof(
            fc.record({ plan: honestPlan, network }).map(({ plan, network }) => ({ honest: true as const, plan, network })),
            arbitraryBeats(first.durationMs, startedAtMs).map((beats) => ({ honest: false as const, beats })),
          ),
        });
      });
    fc.assert(
      fc.property(visits, ({ first, startedAtMs, second }) => {
        const earlier = run(freshSession(first.durationMs, first.startedAtMs), first.beats).state;
        const resumed = resumedSession(earlier, startedAtMs);
        expect(isComplete(resumed)).toBe(isComplete(earlier));
        const resumeAtMs = earlier.lastPositionMs ?? 0;
        const beats = second.honest ? deliver(honestBeats(second.plan, first.durationMs, resumeAtMs), { ...second.network, startedAtMs }) : second.beats;

        const { state, breaches } = runChecked(resumed, beats);
        expect(breaches).toEqual([]);
        expect(contains(state.intervals, earlier.intervals)).toBe(true);
        if (!second.honest) return;
        // Playing on from where it stopped adds what the same heartbeats give a fresh session, laid over the earlier
        // ranges; unless those are already maxIntervals, when a new range starting in a gap is refused.
        const fresh = run(freshSession(first.durationMs, startedAtMs), beats).state;
        const laidOver = fresh.intervals.reduce<Interval[]>((all, range) => addInterval(all, range), [...earlier.intervals]);
        if (earlier.intervals.length < VIEWING_RULES.maxIntervals) expect(state.intervals).toEqual(laidOver);
        if (coveredWithin(earlier.intervals, 0, resumeAtMs) === resumeAtMs) expect(isComplete(state)).toBe(true);
      }),
      RUNS,
    );
  });

  it('should add nothing for a step beyond the tolerance out of a stop, through any seeks and however long the stop, and call it a jump', () => {
    fc.assert(
      fc.property(honestViewing, fc.array(stopAndLeap, { minLength: 1, maxLength: 5 }), ({ durationMs, beats, startedAtMs }, attacks) => {
        const attacked = withStopsAndLeaps(beats, attacks, durationMs);
        let state = freshSession(durationMs, startedAtMs);
        let serverHighMs = -Infinity;
        const breaches: string[] = [];
        for (const [i, beat] of attacked.beats.entries()) {
          serverHighMs = Math.max(serverHighMs, beat.serverMs);
          const verdict = applyHeartbeat(state, beat);
          breaches.push(...lawBreaches(state, beat, verdict, serverHighMs).map((b) => `heartbeat ${i}: ${b}`));
          if (verdict.kind !== 'accepted') continue;
          if (attacked.leaps.includes(i)) {
            if (verdict.rejected !== RejectionReason.JUMP) breaches.push(`leap ${i} ${JSON.stringify(beat)} was called ${verdict.rejected}`);
            if (coveredMs(verdict.state.intervals) !== coveredMs(state.intervals)) breaches.push(`leap ${i} ${JSON.stringify(beat)} added coverage`);
          }
          state = verdict.state;
        }
        expect(breaches).toEqual([]);
      }),
      RUNS,
    );
  });

  it('should let back-to-back sessions add at most 2 × their server time plus min(2 s, a tenth of it) each: 2.1 × the total time at most, however many', () => {
    fc.assert(
      fc.property(restartedSessions, ({ startedAtMs, greedy, sessions }) => {
        const durationMs = THREE_HOURS;
        let state = freshSession(durationMs, startedAtMs);
        let endedAtMs = startedAtMs;
        let boundMs = 0;
        for (const session of sessions) {
          state = resumedSession(state, endedAtMs);
          const anchorMs = state.intervals.at(-1)?.[1] ?? 0;
          const checked = runChecked(state, restartedBeats(session, greedy, anchorMs, endedAtMs, durationMs));
          expect(checked.breaches).toEqual([]);
          state = checked.state;
          endedAtMs += session.lengthMs;
          boundMs += slackedBudgetMs(session.lengthMs);
        }
        const totalMs = endedAtMs - startedAtMs;
        const gainedMs = coveredMs(state.intervals);
        expect(gainedMs).toBeLessThanOrEqual(boundMs);
        expect(gainedMs).toBeLessThanOrEqual(2.1 * totalMs);
        // The bound is reached: each session's slack is its own tenth, not 2 s, however short the sessions.
        if (greedy) expect(gainedMs).toBe(boundMs);
      }),
      { numRuns: 500 },
    );
  });
});
