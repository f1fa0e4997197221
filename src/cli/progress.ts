/**
 * A progress bar on standard error for work that takes more than a second: nothing is drawn
 * before the delay, nothing at all off a terminal. cli-progress is loaded only when a bar is
 * drawn, so commands start faster without it.
 */
import type { SingleBar } from 'cli-progress';
import type { Io } from './io.js';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** Bars appear for work still running after this long. */
export const PROGRESS_DELAY_MS = 1000;

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** A bar of `total` units (`unit` in its text) shown after PROGRESS_DELAY_MS on a terminal. */
export function delayedBar(io: Io, total: number, unit: string): Progress {
  if (!io.stderrIsTTY || !(total > 0)) return NONE;
  let bar: SingleBar | undefined;
  let done = 0;
  let stopped = false;
  const timer = io.timers.setTimeout(() => {
    void import('cli-progress').then(({ default: cliProgress }) => {
      if (stopped) return;
      bar = new cliProgress.SingleBar(
        { stream: io.stderrStream, format: ` {bar} {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, fps: 10 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, Math.min(done, total));
    });
  }, PROGRESS_DELAY_MS);
  return {
    update(n) {
      done = n;
      bar?.update(Math.min(n, total));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      io.timers.clearTimeout(timer);
      bar?.stop();
      bar = undefined;
    },
  };
}
