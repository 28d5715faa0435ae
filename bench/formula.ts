// `npm run bench:formula`: a formula law against the built-in law it restates, on the same data in the same run.
// Prints ratios (formula time over built-in time), not absolute claims: machines here are shared and noisy.
//   - predict with the Jacobian over the 240 Epoch runs and over 1e5 synthetic runs (the optimiser's inner loop);
//   - a whole fit (default grid) of Epoch's 240 runs.
import { toRuns } from '../src/data/columns.js';
import { readTable } from '../src/data/read.js';
import { runsAt, type Runs } from '../src/data/runs.js';
import { applyFilters, parseFilter } from '../src/data/where.js';
import { fitLaw } from '../src/fitting/fit.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { formulaLaw } from '../src/laws/formula/law.js';
import { kaplan } from '../src/laws/kaplan.js';
import type { Law } from '../src/laws/law.js';

function median(times: number, f: () => unknown): number {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

/** Milliseconds per predict-with-Jacobian call of each law, at the same constants. */
function predictRatio(law: Law<unknown>, text: string, runs: Runs, calls: number): [number, number] {
  const f = formulaLaw(text);
  const params = { E: 1.82, A: 478, B: 2144, alpha: 0.347, beta: 0.367 };
  const n = runs.N.length;
  const time = (l: Law<unknown>, theta: Float64Array) => {
    const features = l.prepare(runs);
    const out = new Float64Array(n),
      jac = new Float64Array(n * theta.length);
    return (
      median(7, () => {
        for (let k = 0; k < calls; k++) l.predict(theta, features, out, jac);
      }) / calls
    );
  };
  return [time(law, law.fromPublic!(params)), time(f as Law<unknown>, f.fromPublic!(params))];
}

const t = applyFilters(await readTable('datasets/chinchilla/epoch_chinchilla_points.csv'), [parseFilter('in_epoch_fit=1')]);
const epoch = toRuns(t, { params: 'N_params', tokens: 'D_tokens', loss: 'loss' });
const N = Float64Array.from({ length: 1e5 }, (_, i) => 1e7 * Math.pow(1e4, (i % 317) / 317));
const large = runsAt(
  N,
  N.map((n, i) => n * Math.pow(10, ((i * 7) % 100) / 25)),
);
const rows: string[][] = [['what', 'built-in ms', 'formula ms', 'ratio']];
for (const [law, text] of [
  [chinchilla as Law<unknown>, 'E + A*N^-alpha + B*D^-beta'],
  [kaplan as Law<unknown>, 'E + ((A/N)^(alpha/beta) + B/D)^beta'],
] as const) {
  for (const [what, runs, calls] of [
    ['240 runs', epoch, 2000],
    ['1e5 runs', large, 5],
  ] as const) {
    const [b, f] = predictRatio(law, text, runs, calls);
    rows.push([`${law.name}: predict + Jacobian, ${what}`, b.toPrecision(3), f.toPrecision(3), (f / b).toFixed(2)]);
  }
  const f = formulaLaw(text);
  const starts = law.starts('default').map((s) => f.fromPublic!(law.toPublic(s)));
  const b = median(3, () => fitLaw(law, epoch));
  const g = median(3, () => fitLaw(f, epoch, { starts }));
  rows.push([`${law.name}: fit of 240 runs, the built-in's ${starts.length} starts`, b.toPrecision(3), g.toPrecision(3), (g / b).toFixed(2)]);
}
const width = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
for (const r of rows) process.stdout.write(`${r.map((c, j) => (j === 0 ? c.padEnd(width[j]!) : c.padStart(width[j]!))).join('  ')}\n`);
