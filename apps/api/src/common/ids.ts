import { monotonicFactory } from 'ulid';

// Monotonic so ids made in the same millisecond still sort in creation order.
const next = monotonicFactory();

/** App-generated, time-sortable id for every business-visible record (ULID, 26 chars). */
export function newId(): string {
  return next();
}
