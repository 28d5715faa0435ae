/** The analyses' environment on Node: files read from disk (relative to a folder), bootstraps on worker threads. */
import { isAbsolute, join } from 'node:path';
import type { AnalysisEnv } from '../analyses/analysis.js';
import { readBytes, readTable } from '../data/read.js';
import { UserError } from '../errors.js';
import { runBootstrap } from './bootstrap-pool.js';

export interface NodeEnvOptions {
  /** Paths are relative to this folder (a study's); names in messages stay as given. Default: the working directory. */
  base?: string;
  /** Bootstrap worker threads (default: all cores). */
  threads?: number;
  /** Bootstrap progress: resamples done out of the total. */
  onProgress?: (done: number, total: number) => void;
}

export function nodeEnv(options: NodeEnvOptions = {}): AnalysisEnv & { resolve(path: string): string } {
  const resolve = (p: string) => (options.base === undefined || isAbsolute(p) ? p : join(options.base, p));
  return {
    resolve,
    readTable: (path) => readTable(resolve(path), path),
    async readText(path) {
      try {
        return new TextDecoder().decode(await readBytes(resolve(path), path)); // the decoder drops a byte-order mark
      } catch (err) {
        if (err instanceof UserError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return undefined;
        throw new UserError(`${path}: cannot read the file (${code ?? String(err)})`);
      }
    },
    bootstrap: (runs, task, resamples) =>
      runBootstrap(runs, task, resamples, { threads: options.threads, onProgress: options.onProgress && ((done) => options.onProgress!(done, resamples)) }),
  };
}
