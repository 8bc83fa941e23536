import { randomFillSync } from 'node:crypto';
import { monotonicFactory, ulid } from 'ulid';

// ulid asks its PRNG for one value per character; asking the CSPRNG 16 times per id showed in profiles
// (docs/performance.md). The same CSPRNG bytes are drawn 4 KiB at a time instead.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** A float in [0, 1) from the pooled CSPRNG bytes; 256 is a multiple of ULID's 32 symbols, so no bias. */
function pooledRandom(): number {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++] / 256;
}

// Monotonic so ids made in the same millisecond still sort in creation order.
const next = monotonicFactory(pooledRandom);

/**
 * App-generated, time-sortable id for every business-visible record (ULID, 26 chars).
 *
 * Given `at`, the id carries exactly that millisecond (not monotonic: ids of one millisecond sort at random among
 * themselves). A record whose `createdAt` is `at` then sorts the same by id as by (created_at, id), which tips rely
 * on: the earliest tip of a group is its smallest id, however long the request took between reading the clock and
 * making the id.
 */
export function newId(at?: Date): string {
  return at ? ulid(at.getTime(), pooledRandom) : next();
}
