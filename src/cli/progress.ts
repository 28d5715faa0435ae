import cliProgress from 'cli-progress';
import type { Io } from './io.js';

/** A progress bar on stderr when stderr is a terminal; silent otherwise (pipes, CI logs and tests stay clean). */
export function progressBar(label: string, total: number, io: Io): { update(done: number): void; stop(): void } {
  if (!io.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} {eta_formatted}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
