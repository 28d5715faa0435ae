import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Runs } from '../data/runs.js';
import { bootstrapSlice, type BootstrapTask } from '../fitting/bootstrap.js';
import { lawForRuns } from '../laws/shared.js';

/** Options of {@link runBootstrap}. */
export interface PoolOptions {
  /** Worker threads; default: the machine's available parallelism. 1 runs in this thread. */
  threads?: number;
  /** Called with the number of resamples finished so far. */
  onProgress?: (done: number) => void;
}

/**
 * Runs resamples [0, B) of a bootstrap on worker threads, one contiguous slice each. Results do not
 * depend on the thread count: resample i always draws from the random stream (seed, i).
 */
export async function runBootstrap(
  runs: Runs,
  task: Omit<BootstrapTask, 'from' | 'to'>,
  resamples: number,
  options: PoolOptions = {},
): Promise<{ theta: Float64Array; converged: Uint8Array }> {
  const law = lawForRuns(task.law, runs, task.shared);
  const p = law.thetaNames.length;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), Math.ceil(resamples / 50)));
  if (threads === 1) return bootstrapSlice(law, runs, { ...task, from: 0, to: resamples }, options.onProgress);

  const plain: Runs = {
    N: runs.N,
    D: runs.D,
    C: runs.C,
    loss: runs.loss,
    origin: [],
    ...(runs.group ? { group: runs.group } : {}),
    ...(runs.U ? { U: runs.U } : {}),
  };
  const done = new Array<number>(threads).fill(0);
  const theta = new Float64Array(resamples * p);
  const converged = new Uint8Array(resamples);
  // From source (tests, through tsx) the worker is TypeScript too, and needs tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './bootstrap-worker.ts' : './bootstrap-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: threads }, (_, w) => {
      const from = Math.floor((w * resamples) / threads);
      const to = Math.floor(((w + 1) * resamples) / threads);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(fromSource ? sourceWorker(url) : url, { workerData: { task: { ...task, from, to }, runs: plain } });
        worker.on('message', (msg: { done?: number; theta?: Float64Array; converged?: Uint8Array }) => {
          if (msg.done !== undefined) {
            done[w] = msg.done;
            options.onProgress?.(done.reduce((a, b) => a + b, 0));
          } else {
            theta.set(msg.theta!, from * p);
            converged.set(msg.converged!, from);
            resolve();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bootstrap worker exited with ${code}`))));
      });
    }),
  );
  return { theta, converged };
}

/** A worker that registers tsx's loader, then runs the TypeScript worker (tests run the CLI from source). */
function sourceWorker(worker: URL): URL {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(worker.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
