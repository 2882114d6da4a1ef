import v8 from 'node:v8';

/**
 * How far past what a full collection left alive V8 may let a heap grow before the next one, in percent.
 * Left to itself, V8 grows that limit by up to four times for a thread that allocates fast: a register
 * import allocates about a kilobyte of short-lived records per row with 35–55 MiB alive, and its thread's
 * heap reached ~230 MiB on a 100,000-row file (peak RSS of the process 479–493 MiB). At 25 % the same
 * import peaks at 377–382 MiB, at the same rows per second within this kind of machine's swing
 * (bench/README.md, import benchmark).
 */
export const IMPORT_HEAP_GROWING_PERCENT = 25;

/**
 * For a process that runs one long import (the `import` command): keeps every thread's heap close to its
 * live data. V8's flag is process-wide, which is why the server, whose heaps hold caches, does not set it.
 */
export function keepHeapsNearLiveData(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
}
