const DAY_MS = 86_400_000;

/**
 * Runs `job` once `firstDelayMs` after start, then every day, without keeping the process alive;
 * `stop` ends it. The job handles (and logs) its own failures.
 */
export function scheduleDaily(firstDelayMs: number, job: () => Promise<void>): { stop: () => void } {
  const first = setTimeout(job, firstDelayMs);
  const daily = setInterval(job, DAY_MS);
  first.unref();
  daily.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(daily);
    },
  };
}
