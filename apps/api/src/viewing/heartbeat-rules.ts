import { HeartbeatEvent } from '@qmfz/contracts';
import { coveredMs } from './verifier.js';
import type { ViewingClaims } from './viewing-token.js';

/** A checkpoint at least this often while coverage or position changes… */
const CHECKPOINT_EVERY_MS = 120_000;
/** …and on pause, end and hide, unless the last one is more recent than this. */
const CHECKPOINT_MIN_GAP_MS = 3_000;
/** Events after which the player may not send another heartbeat for a while. */
const EVENTS_THAT_CHECKPOINT: readonly HeartbeatEvent[] = [HeartbeatEvent.PAUSE, HeartbeatEvent.ENDED, HeartbeatEvent.HIDE];

/**
 * What each event says about the player, for the verifier: paused time is not playing time. A hidden page may go on
 * playing (a background tab), and a seek neither starts nor stops it.
 */
export const PLAYER_STATE: Record<HeartbeatEvent, boolean | null> = { play: true, tick: true, pause: false, ended: false, seek: null, hide: null };

/** Whether this heartbeat writes a checkpoint: at completion, and when something changed since the last one. */
export function checkpointDue(claims: ViewingClaims, event: HeartbeatEvent, now: number, complete: boolean): boolean {
  if (complete && !claims.completionRecorded) return true;
  const changed = coveredMs(claims.intervals) !== claims.checkpointCoveredMs || claims.lastPositionMs !== claims.checkpointPositionMs;
  if (!changed) return false;
  const since = now - claims.checkpointAtMs;
  return since >= CHECKPOINT_EVERY_MS || (EVENTS_THAT_CHECKPOINT.includes(event) && since >= CHECKPOINT_MIN_GAP_MS);
}
