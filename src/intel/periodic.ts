/**
 * Runs a data sync every so many hours (vulndb, exploitation feeds): first after a delay so start-up
 * is not slowed by a download, never two runs at once, timers that do not keep the process alive.
 * `run` is expected to log its own failures and not throw.
 */
export interface ScheduledSync {
  stop(): void;
}

export function startPeriodic(options: { hours: number; firstRunDelayMs: number; run: () => Promise<void> }): ScheduledSync | undefined {
  const { hours } = options;
  if (!(hours > 0)) return undefined;
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout;
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await options.run();
    } finally {
      running = false;
      if (!stopped) schedule(hours * 3_600_000);
    }
  };
  const schedule = (ms: number) => {
    timer = setTimeout(run, Math.min(ms, 2 ** 31 - 1));
    timer.unref();
  };
  schedule(options.firstRunDelayMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
