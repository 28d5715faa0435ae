// The 95% interval of N* per budget for any validation mix, from bootstrap resamples drawn once. The resamples
// of `skills --bootstrap B --seed S` do not depend on the loss: draw d of budget j is how often each of the
// budget's sizes is drawn, from its own random stream (S, j·B + d). So they are drawn once, when the runs are
// known, and each slider move only refits the mix's loss on them: the interval equals `skills --mix`'s `Nci95`
// for that mix (pointEstimate 'data': centred on the point, as wide as the middle 95% of the draws' vertices).
import { Random } from '../stats/random.js';
import { akima } from './akima.js';
import { centredInterval, type IsoflopResult } from './isoflop.js';
import { fitParabola } from './parabola.js';

/** The resamples of one budget: its sizes, which runs have each size, and per draw how often each size was drawn. */
interface BudgetResamples {
  logN: Float64Array;
  /** Per size (ascending), the indices of the runs of that size at this budget (the best loss among them is the size's). */
  runs: number[][];
  /** draws × sizes counts, row d = draw d; undefined when the budget has too few sizes to be analysed. */
  counts?: Float64Array;
  /** Per draw: the first and last size drawn, and whether enough distinct sizes were drawn to locate a minimum. */
  first?: Int32Array;
  last?: Int32Array;
  usable?: Uint8Array;
}

/** Bootstrap resamples within each budget, drawn once for one group's runs (see {@link mixResamples}). */
export interface MixResamples {
  method: 'parabola' | 'akima';
  resamples: number;
  seed: number;
  budgets: BudgetResamples[];
}

/** An interval of N* and of D* = C/(6N*) at one budget. */
export interface BudgetInterval {
  N: [number, number];
  D: [number, number];
}

/**
 * Draws the within-budget resamples `isoflop` with `intervals: {kind: 'bootstrap', resamples, seed}` and
 * `pointEstimate: 'data'` uses (what `skills` runs), for the runs' C and N: the same budgets (C within
 * `budgetTolerance`, default 1e-6), the same sizes and the same random streams, so {@link mixIntervals} gives the
 * CLI's intervals for any loss of these runs. Runs are assumed usable (C, N positive and finite), as the dashboard checks.
 */
export function mixResamples(
  points: { C: ArrayLike<number>; N: ArrayLike<number> },
  o: { method: 'parabola' | 'akima'; resamples: number; seed: number; budgetTolerance?: number; minSizes?: number },
): MixResamples {
  const tolerance = o.budgetTolerance ?? 1e-6;
  const minSizes = Math.max(3, o.minSizes ?? 3);
  const B = o.resamples;
  // The budgets as budgetsOf forms them: runs sorted by C, a new budget when C leaves the first run's tolerance.
  const order = Array.from({ length: points.C.length }, (_, i) => i).sort((a, b) => points.C[a]! - points.C[b]!);
  const groups: number[][] = [];
  for (const i of order) {
    const g = groups[groups.length - 1];
    if (g && points.C[i]! <= points.C[g[0]!]! * (1 + tolerance)) g.push(i);
    else groups.push([i]);
  }
  const budgets = groups.map((g, j): BudgetResamples => {
    const bySize = new Map<number, number[]>();
    for (const i of g) {
      const list = bySize.get(points.N[i]!);
      if (list) list.push(i);
      else bySize.set(points.N[i]!, [i]);
    }
    const sizes = [...bySize.keys()].sort((a, b) => a - b);
    const k = sizes.length;
    const out: BudgetResamples = { logN: Float64Array.from(sizes, Math.log), runs: sizes.map((s) => bySize.get(s)!) };
    if (k < (o.minSizes ?? 3)) return out;
    const counts = new Float64Array(B * k);
    const first = new Int32Array(B),
      last = new Int32Array(B),
      usable = new Uint8Array(B);
    for (let d = 0; d < B; d++) {
      // The stream isoflop uses for draw d of budget j, and the same k draws of a size.
      const rng = new Random(o.seed, j * B + d);
      const row = counts.subarray(d * k, (d + 1) * k);
      for (let t = 0; t < k; t++) row[rng.int(k)]!++;
      let distinct = 0;
      first[d] = -1;
      for (let i = 0; i < k; i++)
        if (row[i]! > 0) {
          distinct++;
          if (first[d]! < 0) first[d] = i;
          last[d] = i;
        }
      usable[d] = distinct >= minSizes ? 1 : 0;
    }
    return { ...out, counts, first, last, usable };
  });
  return { method: o.method, resamples: B, seed: o.seed, budgets };
}

/**
 * Per budget of `result` (the plain IsoFLOP analysis of `loss` on the same runs), the 95% interval of N* and D*
 * from the resamples, as `skills --bootstrap` computes it for a mix: every draw with a minimum counts (one beyond
 * the sizes drawn at the edge it is beyond), the interval centred on the point in log space; null where the budget
 * is left out, or no draw has an interior minimum. No random numbers are drawn. Null for every budget if the runs
 * do not form the budgets of `result` (another table).
 */
export function mixIntervals(res: MixResamples, loss: ArrayLike<number>, result: IsoflopResult): (BudgetInterval | null)[] {
  const B = res.resamples;
  if (res.budgets.length !== result.budgets.length || res.budgets.some((b, j) => b.logN.length !== result.budgets[j]!.points))
    return result.budgets.map(() => null);
  const located = new Float64Array(B);
  return result.budgets.map((b, j) => {
    const r = res.budgets[j]!;
    if (b.excluded || b.N === null || !r.counts) return null;
    const k = r.logN.length;
    const logN = r.logN;
    // The size's loss: the best of its runs at this budget, as budgetsOf keeps it.
    const y = Float64Array.from(r.runs, (list) => {
      let m = loss[list[0]!]!;
      for (let t = 1; t < list.length; t++) if (loss[list[t]!]! < m) m = loss[list[t]!]!;
      return m;
    });
    let n = 0,
      stars = 0;
    for (let d = 0; d < B; d++) {
      if (!r.usable![d]) continue;
      const count = r.counts.subarray(d * k, (d + 1) * k);
      const m = res.method === 'parabola' ? countedMin(logN, y, count, r.first![d]!, r.last![d]!) : averagedAkimaMin(logN, y, count);
      if (!m) continue; // concave: no minimum at all
      if (!m.edge) stars++;
      located[n++] = Math.min(Math.max(m.logN, logN[0]!), logN[k - 1]!);
    }
    if (n === 0 || stars === 0) return null;
    const draws = located.subarray(0, n);
    const logC6 = Math.log(b.C / 6);
    return {
      N: centredInterval(b.N, draws, true),
      D: centredInterval(
        b.D!,
        Float64Array.from(draws, (x) => logC6 - x),
        true,
      ),
    };
  });
}

/** The parabola of the resample, each size weighted by its count (isoflop's pairs bootstrap); undefined when concave. */
function countedMin(logN: Float64Array, y: Float64Array, count: Float64Array, first: number, last: number): { logN: number; edge: boolean } | undefined {
  const c = fitParabola(logN, y, count);
  if (!c || !(c[2] > 0)) return undefined;
  const v = -c[1] / (2 * c[2]);
  return { logN: v, edge: v <= logN[first]! || v >= logN[last]! };
}

/** Porian et al.'s grid: 25 points per gap between sizes (as isoflop's Akima minimum). */
const GRID_PER_GAP = 25;

/** The Akima minimum of the resample with duplicate sizes averaged (isoflop's bootstrap for `akima`). */
function averagedAkimaMin(logN: Float64Array, y: Float64Array, count: Float64Array): { logN: number; edge: boolean } {
  const xs: number[] = [],
    ys: number[] = [];
  for (let i = 0; i < logN.length; i++)
    if (count[i]! > 0) {
      // Summed draw by draw, as the resample adds them, so the mean is the same double.
      let sum = 0;
      for (let t = 0; t < count[i]!; t++) sum += y[i]!;
      xs.push(logN[i]!);
      ys.push(Math.log(sum / count[i]!));
    }
  const k = xs.length;
  const f = akima(xs, ys);
  const M = (k - 1) * GRID_PER_GAP;
  const lo = xs[0]!,
    step = (xs[k - 1]! - lo) / (M - 1);
  let best = 0,
    bestV = Infinity;
  for (let j = 0; j < M; j++) {
    const v = f(j === M - 1 ? xs[k - 1]! : lo + j * step);
    if (v < bestV) {
      bestV = v;
      best = j;
    }
  }
  return { logN: best === M - 1 ? xs[k - 1]! : lo + best * step, edge: best === 0 || best === M - 1 };
}
