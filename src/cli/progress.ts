/**
 * Progress bars on standard error for long CLI imports and downloads (vulndb, exploitation). Bars
 * are silent when stderr is not a terminal, so logs and pipes stay clean.
 */
import { SingleBar } from 'cli-progress';

/** A bar when the total is known; a running count when it is not (a stream of unknown length). */
function progressBar(label: string, unit: 'records' | 'bytes', totalKnown: boolean): SingleBar {
  const value = unit === 'bytes' ? '{valueMiB}/{totalMiB} MiB' : '{value}/{total} records';
  const count = unit === 'bytes' ? '{valueMiB} MiB' : '{value} records';
  const name = label.padEnd(22).slice(0, 22);
  return new SingleBar({
    format: totalKnown ? `${name} [{bar}] {percentage}% ${value}` : `${name} ${count}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
  });
}

/** Drives one bar from a stream of (done, total) calls. */
export function tracker(label: string, unit: 'records' | 'bytes') {
  let bar: SingleBar | undefined;
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  return {
    update(done: number, total: number | undefined) {
      const t = total ?? 0;
      const payload = { valueMiB: mib(done), totalMiB: total === undefined ? '?' : mib(t) };
      if (!bar) {
        bar = progressBar(label, unit, total !== undefined);
        bar.start(t, done, payload);
      } else {
        if (total !== undefined && bar.getTotal() !== t) bar.setTotal(t);
        bar.update(done, payload);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
