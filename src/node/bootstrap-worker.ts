// Worker thread: runs one slice of a bootstrap and posts the refitted θ back.
import { parentPort, workerData } from 'node:worker_threads';
import { bootstrapSlice, type BootstrapTask } from '../fitting/bootstrap.js';
import { lawForRuns } from '../laws/shared.js';
import type { Runs } from '../data/runs.js';

const { task, runs } = workerData as { task: BootstrapTask; runs: Runs };
const out = bootstrapSlice(lawForRuns(task.law, runs, task.shared), runs, task, (done) => parentPort!.postMessage({ done }));
parentPort!.postMessage({ theta: out.theta, converged: out.converged }, [out.theta.buffer as ArrayBuffer, out.converged.buffer as ArrayBuffer]);
