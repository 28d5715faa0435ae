// `npm run bench`: scalewise against the Python/scipy reference (bench/reference/) on the same data, in the
// same run, on the same machine. Prints ratios, not absolute claims: machines here are shared and noisy.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { backtestAnalysis } from '../src/analyses/backtest.js';
import { fitAnalysis } from '../src/analyses/fit.js';
import { toRuns } from '../src/data/columns.js';
import { readTables } from '../src/data/read.js';
import { applyFilters, parseFilter } from '../src/data/where.js';
import { fitLaw } from '../src/fitting/fit.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { runBootstrap } from '../src/node/bootstrap-pool.js';

const csv = 'datasets/chinchilla/epoch_chinchilla_points.csv';
const resamples = 4000;

function reference(mode: string): { seconds: number; objective?: number; se?: Record<string, number> } | undefined {
  const r = spawnSync('python3', ['bench/reference/chinchilla_reference.py', mode, '--csv', csv, '--resamples', String(resamples)], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stdout.write(`  reference (${mode}) did not run: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}\n`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

async function median(times: number, f: () => Promise<unknown> | unknown): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await f();
    out.push((performance.now() - t) / 1000);
  }
  return out.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

const table = applyFilters(await readTables([csv]), [parseFilter('in_epoch_fit=1')]);
const runs = toRuns(table, { params: 'N_params', tokens: 'D_tokens', loss: 'loss' });
process.stdout.write(`Chinchilla Approach 3 on Epoch's ${runs.loss.length} runs; ${availableParallelism()} cores\n\n`);

// (i) The full Hoffmann grid.
const fit = fitLaw(chinchilla, runs, { starts: 'hoffmann' }); // also warms the JIT
const ours = await median(5, () => fitLaw(chinchilla, runs, { starts: 'hoffmann' }));
const oursAll = await median(1, () => fitLaw(chinchilla, runs, { starts: 'hoffmann', screen: Infinity }));
const ref = reference('grid');
process.stdout.write('(i) 4,500-start Hoffmann grid, Huber δ = 1e-3\n');
process.stdout.write(`  scalewise (screened, 64 optimised): ${ours.toFixed(3)} s, objective ${fit.objective.value.toPrecision(12)}\n`);
process.stdout.write(`  scalewise (every start optimised):  ${oursAll.toFixed(3)} s\n`);
if (ref) {
  const rel = (fit.objective.value - ref.objective!) / ref.objective!;
  process.stdout.write(`  scipy L-BFGS-B, analytic gradient:  ${ref.seconds.toFixed(3)} s, objective ${ref.objective!.toPrecision(12)}\n`);
  process.stdout.write(`  ratio: ${(ref.seconds / ours).toFixed(0)}× faster (every start: ${(ref.seconds / oursAll).toFixed(0)}×); `);
  process.stdout.write(
    `objective relative difference ${rel.toExponential(2)} ${Math.abs(rel) <= 1e-9 ? '(equal within 1e-9)' : rel < 0 ? '(lower than scipy)' : '(HIGHER than scipy)'}\n`,
  );
}

// (ii) The bootstrap.
const task = { law: 'chinchilla', objective: fit.objective, start: fit.theta, seed: 42 };
await runBootstrap(runs, task, 200); // warm-up
const boot = await median(3, () => runBootstrap(runs, task, resamples));
const boot1 = await median(1, () => runBootstrap(runs, task, resamples, { threads: 1 }));
const refB = reference('bootstrap');
process.stdout.write(`\n(ii) ${resamples}-resample bootstrap, one start per resample\n`);
process.stdout.write(`  scalewise, ${availableParallelism()} threads: ${boot.toFixed(3)} s (1 thread: ${boot1.toFixed(3)} s)\n`);
if (refB) {
  process.stdout.write(`  scipy BFGS, analytic gradient: ${refB.seconds.toFixed(3)} s\n`);
  process.stdout.write(`  ratio: ${(refB.seconds / boot).toFixed(0)}× faster (1 thread: ${(refB.seconds / boot1).toFixed(0)}×)\n`);
}

// (iii) The rolling-origin backtest of the 529-run sweep (what `fit` also runs to calibrate pi95): one datamix,
// then all six (SCALEWISE_BENCH_ALL=1; the reference takes minutes there).
const sweep = await readTables(['datasets/kempner/runs.csv']);
const [label, mix]: [string, string | undefined] = process.env.SCALEWISE_BENCH_ALL ? ['all six datamixes', undefined] : ['fineweb', 'fineweb'];
const rows = mix ? applyFilters(sweep, [parseFilter(`datamix=${mix}`)]) : sweep;
const options = { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_own', candidates: ['chinchilla:huber'], group: ['datamix'] };
const result = await backtestAnalysis.run(rows, options); // warm-up
const seconds = await median(3, () => backtestAnalysis.run(rows, options));
const r = spawnSync('python3', ['bench/reference/backtest_reference.py', ...(mix ? ['--datamix', mix] : [])], { encoding: 'utf8' });
process.stdout.write(`\n(iii) rolling-origin backtest, chinchilla:huber, ${label} (5 cuts a datamix, 972 starts screened to 64 a fit)\n`);
const mae = result.groups.map((g) => `${g.group} ${(100 * g.candidates[0]!.summary.meanAbsRelErr).toFixed(3)}%`).join(', ');
process.stdout.write(`  scalewise: ${seconds.toFixed(3)} s; mean |error| ${mae}\n`);
if (r.status !== 0) process.stdout.write(`  reference did not run: ${(r.stderr || '').trim().split('\n').pop()}\n`);
else {
  const ref = JSON.parse(r.stdout) as { seconds: number; groups: Record<string, { meanAbsRelErr: number }> };
  const refMae = Object.entries(ref.groups)
    .map(([g, v]) => `${g} ${(100 * v.meanAbsRelErr).toFixed(3)}%`)
    .join(', ');
  process.stdout.write(`  scipy L-BFGS-B, same search: ${ref.seconds.toFixed(3)} s; mean |error| ${refMae}\n`);
  process.stdout.write(`  ratio: ${(ref.seconds / seconds).toFixed(0)}× faster\n`);
}

// (iv) The whole `fit --select backtest` (three candidates' rolling origins, the chosen fit, its calibration from
// the chosen candidate's rolling origin): one datamix, and the six one after another, as a user runs them.
const selectOptions = { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_own', select: 'backtest' } as const;
const mixes = [...new Set(sweep.rows.map((row) => String(row.values.datamix)))];
const one = await median(3, () => fitAnalysis.run(applyFilters(sweep, [parseFilter('datamix=fineweb')]), selectOptions));
const six = await median(1, async () => {
  for (const m of mixes) await fitAnalysis.run(applyFilters(sweep, [parseFilter(`datamix=${m}`)]), selectOptions);
});
process.stdout.write(`\n(iv) fit --select backtest (chinchilla:huber, chinchilla:asym, kaplan:huber; then the chosen fit and its pi95)\n`);
process.stdout.write(`  scalewise: fineweb ${one.toFixed(3)} s; all six datamixes ${six.toFixed(3)} s\n`);
