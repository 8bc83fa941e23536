import { ViewingStatus } from '@qmfz/contracts';

/** Where a person stands: confirmed → done; past the deadline → overdue; verified → completed; else pending. */
export function viewingStatus(deadline: Date, now: Date, checkedIn: boolean, verified: boolean): ViewingStatus {
  if (checkedIn) return ViewingStatus.DONE;
  if (now.getTime() > deadline.getTime()) return ViewingStatus.OVERDUE;
  return verified ? ViewingStatus.COMPLETED : ViewingStatus.PENDING;
}

/** 0–100, rounded down, so 99.6 % never shows as done. */
export function percentOf(coveredMs: number, durationMs: number): number {
  if (durationMs <= 0) return 0;
  return Math.min(100, Math.floor((coveredMs / durationMs) * 100));
}
