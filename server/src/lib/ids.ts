import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

// Random bytes drawn 256 ids at a time: one getrandom call per id costs more than the rest of the id.
const pool = new Uint8Array(16 * 256);
let poolAt = pool.length;
// The time and sequence of the last id, as uuid's own v7 keeps them: ids made in the same
// millisecond count up from a random start, so they still sort by creation.
let lastMsecs = -Infinity;
let seq = 0;

/** New record id: UUID v7, time-ordered so B-tree inserts stay local and ids sort by creation. */
export function newId(): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const random = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  const now = Date.now();
  if (now > lastMsecs) {
    lastMsecs = now;
    // 31 random bits, leaving room to count up (uuid's v7 starts the same way).
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMsecs += 1;
  }
  return uuidv7({ random, msecs: lastMsecs, seq });
}

let lastIsoMsecs = NaN;
let lastIso = '';

/** The current instant as the ISO 8601 text both databases store. */
export function nowIso(): string {
  // Bulk work stamps thousands of records a millisecond: the text is made once per millisecond.
  const now = Date.now();
  if (now !== lastIsoMsecs) {
    lastIsoMsecs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
