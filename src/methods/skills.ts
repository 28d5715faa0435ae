import type { Runs } from '../data/runs.js';
import { bootstrapSlice, clusterUnits } from '../fitting/bootstrap.js';
import { fitLaw } from '../fitting/fit.js';
import { chinchilla } from '../laws/chinchilla.js';
import { centredInterval, isoflopWithDraws, percentiles, type IsoflopDraws, type IsoflopOptions, type IsoflopResult } from './isoflop.js';
import type { Warning } from '../warnings.js';
import { powerLawDraws, logNAt, type PowerLawDraws } from './power-law-draws.js';
import { referenceN, type ReferenceLaw } from './reference-law.js';
import { skillDatasets, type SkillDatasets } from './skill-datasets.js';

/** A skill: the weighted mean of some loss columns (Roberts et al. 2025: a validation set built from one family of tasks). */
export interface SkillSpec {
  name: string;
  /** Per-run loss of each member column, and its weight (weights are normalised to sum 1). */
  members: { column: string; loss: Float64Array; weight: number }[];
}

/** Options of {@link skillsAnalysis}. */
export interface SkillsOptions {
  /**
   * The IsoFLOP options used for every skill, the aggregate and every mix. Unless `pointEstimate` is given, it is
   * `data`: every point estimate is the plain analysis of the runs, the same with or without intervals.
   */
  isoflop: IsoflopOptions;
  /** Skills to mix into validation sets, by name, and the steps of the simplex grid (K ≥ 2). */
  mix?: { skills: string[]; steps: number };
  /** Also fit the Chinchilla law per skill across all budgets (slower; the answer when per-budget minima are too noisy). Default true. */
  pooled?: boolean;
  /** Budgets (FLOP) at which to read N* off each fitted power law (`atBudgets`); none: no `atBudgets`. */
  budgets?: number[];
  /** A published compute-optimal law to compare N* with at those budgets (`atBudgets[].toReference`) and in the per-dataset view. */
  reference?: ReferenceLaw;
  /** Each member column of every skill as its own curve (`datasets`). */
  perDataset?: boolean;
}

/** N* of one skill at a budget of the user's, from its power law N* = k·C^a, and against the aggregate and the reference law. */
export interface AtBudget {
  C: number;
  /** k·C^a; null without a fit. */
  N: number | null;
  /** With draws: centred on N in log space, as wide as the middle 95% of the per-draw k_d·C^a_d. */
  ci95?: [number, number];
  /** N*(skill)/N*(aggregate) at C, both from their power laws; ci95 from paired draws (as ratioToAggregate). */
  toAggregate?: { ratio: number | null; ci95?: [number, number] };
  /** N*(skill)/N*_reference(C); ci95 from the skill's draws (the reference law has no uncertainty of its own here). */
  toReference?: { ratio: number | null; ci95?: [number, number] };
}

export interface SkillResult {
  name: string;
  isoflop: IsoflopResult;
  /** The Chinchilla law fitted to this skill's loss across every budget, and its compute-optimal exponent. */
  pooled?: {
    params: Record<string, number>;
    a: number;
    /** With bootstrap intervals: a's 95% interval over resamples of whole runs (at most {@link POOLED_RESAMPLES}). */
    ci95?: { a: [number, number] };
    resamples?: number;
    /** With --run: whole runs resampled (`run`: some run gives several points) or rows (each run one point). */
    unit?: 'run' | 'row';
    warnings: Warning[];
  };
  /**
   * N*(skill)/N*(aggregate) per budget, from the per-budget optima. With draws, its 95% interval from paired draws:
   * ratio·exp(±h), h half the middle-95% range of log N*_skill,d − log N*_aggregate,d over the draws d (the same
   * resample for both); the aggregate's own is [1, 1].
   */
  ratioToAggregate: { C: number; ratio: number | null; ci95?: [number, number]; pooled?: number }[];
  /**
   * On each entry of `skills` (not on the aggregate): the exponent minus the aggregate's, a − a_aggregate (null
   * without both fits); with draws, its 95% interval from paired draws (draw d of the skill and of the aggregate
   * resample the same runs): the 2.5% and 97.5% percentiles of the draws' differences.
   */
  deltaA?: { value: number | null; ci95?: [number, number] };
  /** With `budgets`: N* at each of them from the fitted power law. */
  atBudgets?: AtBudget[];
}

export interface MixSweep {
  skills: string[];
  /** One weight vector per validation mix. */
  weights: number[][];
  /** Per budget: N* per mix (null where that mix's curve has no interior minimum), and the spread across mixes (null unless ≥ 2 mixes have a minimum). */
  budgets: {
    C: number;
    N: (number | null)[];
    /** With draws: per mix, the 95% interval of N* (null where N is, or where no draw has a minimum). */
    Nci95?: ([number, number] | null)[];
    maxOverMin: number | null;
    argmax: number | null;
    argmin: number | null;
    /**
     * With draws, where maxOverMin is not null: its 95% interval, maxOverMin·exp(±h) with h half the 95% range of
     * log N*(argmax mix)/N*(argmin mix) over the draws, every mix evaluated on the same resample.
     */
    ci95?: [number, number];
    /** Whether the spread is beyond the noise: the interval's lower end above 1; null without draws or without maxOverMin. */
    beyondNoise: boolean | null;
  }[];
}

export interface SkillsGroupResult {
  skills: SkillResult[];
  aggregate: SkillResult;
  mix?: MixSweep;
  /** With `perDataset`: per skill, each member column's own curve against the reference (the law if given, else the aggregate's per-budget N*). */
  datasets?: { reference: string; skills: SkillDatasets[] };
}

/** A skill's per-run loss: Σ w_j·loss_j / Σ w_j. */
export function skillLoss(spec: SkillSpec): Float64Array {
  const n = spec.members[0]!.loss.length;
  const total = spec.members.reduce((s, m) => s + m.weight, 0);
  const out = new Float64Array(n);
  for (const m of spec.members) for (let i = 0; i < n; i++) out[i]! += (m.weight / total) * m.loss[i]!;
  return out;
}

/**
 * Skill-dependent compute-optimal scaling (Roberts et al. 2025): the IsoFLOP analysis run on each skill's
 * loss and on an aggregate validation loss, the ratio of their optima per budget, a pooled parametric
 * estimate per skill, and a sweep over validation sets that mix the skills.
 */
/** Resamples of the pooled fit's interval at most: each is a refit of the whole L(N, D) law. */
export const POOLED_RESAMPLES = 200;

export function skillsAnalysis(runs: Runs, skills: SkillSpec[], aggregate: SkillSpec, options: SkillsOptions): SkillsGroupResult {
  return skillsAnalysisWithDraws(runs, skills, aggregate, options).result;
}

/**
 * {@link skillsAnalysis}, and per skill (by name, the aggregate too) its power law refitted on every draw (absent without draws
 * or a fit) and the IsoFLOP draws behind it.
 */
export function skillsAnalysisWithDraws(
  runs: Runs,
  skills: SkillSpec[],
  aggregate: SkillSpec,
  options: SkillsOptions,
): { result: SkillsGroupResult; draws: Map<string, PowerLawDraws>; isoflopDraws: Map<string, IsoflopDraws> } {
  const iso = withDataPoint(options.isoflop);
  // With --run, each run's id: a bootstrap draws whole runs when one gives points at several budgets.
  const run = runIds(runs);
  const drawsOf = new Map<IsoflopResult, IsoflopDraws>();
  const budgetsOfRuns = (loss: Float64Array) => {
    const { result, draws } = isoflopWithDraws({ C: runs.C, N: runs.N, loss, ...run }, iso);
    drawsOf.set(result, draws);
    return result;
  };
  const boot = options.isoflop.intervals?.kind === 'bootstrap' ? options.isoflop.intervals : undefined;
  const units = clusterUnits(runs);
  const pooledFit = (loss: Float64Array) => {
    const fit = fitLaw(chinchilla, { ...runs, loss });
    const alloc = chinchilla.allocate!(fit.theta);
    const summary: NonNullable<SkillResult['pooled']> = { params: fit.params, a: alloc.a, warnings: fit.warnings };
    if (boot) {
      // Whole runs resampled across budgets (the pooled fit's own unit), refitted from the full-data optimum.
      const B = Math.min(boot.resamples, POOLED_RESAMPLES);
      const draws = bootstrapSlice(
        chinchilla,
        { ...runs, loss },
        { law: 'chinchilla', objective: fit.objective, start: fit.theta, seed: boot.seed, from: 0, to: B, ...(units ? { units } : {}) },
      );
      const p = chinchilla.thetaNames.length;
      const a = Float64Array.from({ length: B }, (_, i) => chinchilla.allocate!(draws.theta.subarray(i * p, i * p + p)).a).filter(Number.isFinite);
      if (a.length > 0) {
        summary.ci95 = { a: percentiles(a) };
        summary.resamples = B;
        if (runs.cluster) summary.unit = units ? 'run' : 'row';
      }
    }
    return { fit, alloc, summary };
  };
  const pooledOn = options.pooled ?? true;
  const aggLoss = skillLoss(aggregate);
  const agg = budgetsOfRuns(aggLoss);
  const aggPooled = pooledOn ? pooledFit(aggLoss) : undefined;

  const analyse = (spec: SkillSpec, iso: IsoflopResult, pooled: ReturnType<typeof pooledFit> | undefined): SkillResult => ({
    name: spec.name,
    isoflop: iso,
    ...(pooled ? { pooled: pooled.summary } : {}),
    ratioToAggregate: iso.budgets.map((b, j) => {
      const a = agg.budgets[j]!;
      const both = !b.excluded && !a.excluded && b.N !== null && a.N !== null;
      const ratio = both ? b.N! / a.N! : null;
      const entry: SkillResult['ratioToAggregate'][number] = { C: b.C, ratio };
      const logNs = (r: IsoflopResult) => {
        const d = drawsOf.get(r)!;
        return (d.logNvertex ?? d.logN)[j];
      };
      const mine = logNs(iso),
        theirs = logNs(agg);
      if (both && mine && theirs) {
        // Paired draws: draw d of the skill and of the aggregate resample the same runs, so the ratio is taken
        // draw by draw (a draw at an edge counts there, as for N*), centred on the point in log space.
        // The aggregate's ratio to itself (or a skill's with the same losses) is then exactly 1 with the interval [1, 1].
        const logRatio = Float64Array.from(mine, (v, d) => v - theirs[d]!).filter((v) => !Number.isNaN(v));
        if (logRatio.length > 0) entry.ci95 = centredInterval(ratio!, logRatio, true);
      }
      if (pooled && aggPooled) entry.pooled = (pooled.alloc.G / aggPooled.alloc.G) * Math.pow(b.C / 6, pooled.alloc.a - aggPooled.alloc.a);
      return entry;
    }),
  });

  const deltaA = (iso: IsoflopResult): NonNullable<SkillResult['deltaA']> => {
    if (!iso.fit || !agg.fit) return { value: null };
    const out: NonNullable<SkillResult['deltaA']> = { value: iso.fit.a - agg.fit.a };
    const mine = drawsOf.get(iso)!.a,
      theirs = drawsOf.get(agg)!.a;
    if (mine && theirs) {
      const diffs = Float64Array.from(mine, (v, d) => v - theirs[d]!).filter((v) => !Number.isNaN(v));
      if (diffs.length > 0) out.ci95 = percentiles(diffs);
    }
    return out;
  };

  const result: SkillsGroupResult = {
    skills: skills.map((s) => {
      const loss = skillLoss(s);
      const r = analyse(s, budgetsOfRuns(loss), pooledOn ? pooledFit(loss) : undefined);
      return { ...r, deltaA: deltaA(r.isoflop) };
    }),
    aggregate: analyse(aggregate, agg, aggPooled),
  };
  const lawDraws = new Map<string, PowerLawDraws>(),
    isoflopDraws = new Map<string, IsoflopDraws>();
  for (const s of [...result.skills, result.aggregate]) {
    isoflopDraws.set(s.name, drawsOf.get(s.isoflop)!);
    const d = powerLawDraws(s.isoflop, drawsOf.get(s.isoflop)!);
    if (d) lawDraws.set(s.name, d);
  }
  if (options.budgets) {
    const aggDraws = lawDraws.get(result.aggregate.name);
    for (const s of [...result.skills, result.aggregate])
      s.atBudgets = atBudgets(s.isoflop, lawDraws.get(s.name), agg, aggDraws, options.budgets, options.reference);
  }
  if (options.perDataset) {
    const law = options.reference;
    const reference = agg.budgets.map((b) => ({ C: b.C, N: law ? referenceN(law, b.C) : b.excluded ? null : b.N }));
    result.datasets = {
      reference: law ? law.name : result.aggregate.name,
      skills: skills.map((s) =>
        skillDatasets(
          s.name,
          runs,
          s.members.map((m) => ({ column: m.column, loss: m.loss })),
          reference,
          iso,
        ),
      ),
    };
  }
  if (options.mix)
    result.mix = mixSweep(
      runs,
      options.mix.skills.map((n) => skills.find((s) => s.name === n)!),
      options.mix.steps,
      iso,
    );
  return { result, draws: lawDraws, isoflopDraws };
}

/** N* at the user's budgets from a skill's power law, against the aggregate's (paired draws) and a reference law. */
function atBudgets(
  iso: IsoflopResult,
  draws: PowerLawDraws | undefined,
  agg: IsoflopResult,
  aggDraws: PowerLawDraws | undefined,
  budgets: number[],
  law: ReferenceLaw | undefined,
): AtBudget[] {
  return budgets.map((C): AtBudget => {
    const fit = iso.fit;
    const N = fit ? fit.k * Math.pow(C, fit.a) : null;
    const out: AtBudget = { C, N };
    const logs = draws ? logNAt(draws, C) : undefined;
    if (N !== null && logs) {
      const valid = logs.filter((v) => !Number.isNaN(v));
      if (valid.length > 0) out.ci95 = centredInterval(N, valid, true);
    }
    const aggN = agg.fit ? agg.fit.k * Math.pow(C, agg.fit.a) : null;
    out.toAggregate = { ratio: N !== null && aggN !== null ? N / aggN : null };
    if (out.toAggregate.ratio !== null && logs && aggDraws) {
      // Draw d of the skill and of the aggregate resample the same runs: the ratio is taken draw by draw.
      const theirs = logNAt(aggDraws, C);
      const logRatio = Float64Array.from(logs, (v, d) => v - theirs[d]!).filter((v) => !Number.isNaN(v));
      if (logRatio.length > 0) out.toAggregate.ci95 = centredInterval(out.toAggregate.ratio, logRatio, true);
    }
    if (law) {
      const ref = referenceN(law, C);
      out.toReference = { ratio: N === null ? null : N / ref };
      if (out.ci95) out.toReference.ci95 = [out.ci95[0] / ref, out.ci95[1] / ref];
    }
    return out;
  });
}

/** The runs' ids for the IsoFLOP draws (src/methods/isoflop.ts `run`), with `--run`. */
function runIds(runs: Runs): { run?: Int32Array } {
  return runs.cluster ? { run: runs.cluster.of } : {};
}

/** The IsoFLOP options with the `data` point estimate unless another is asked for. */
function withDataPoint(o: IsoflopOptions): IsoflopOptions {
  return { ...o, pointEstimate: o.pointEstimate ?? 'data' };
}

/** A validation mix's per-run loss: Σ_s w_s·loss_s (the weights already sum to 1). The dashboard's slider uses it too. */
export function mixLoss(losses: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const loss = new Float64Array(losses[0]!.length);
  weights.forEach((w, s) => {
    for (let i = 0; i < loss.length; i++) loss[i]! += w * losses[s]![i]!;
  });
  return loss;
}

/** Weight vectors on the simplex with coordinates in {0, 1/(K−1), …, 1}, first skill's weight descending. */
export function simplexGrid(dims: number, steps: number): number[][] {
  const out: number[][] = [];
  const m = steps - 1;
  const rec = (prefix: number[], left: number) => {
    if (prefix.length === dims - 1) {
      out.push([...prefix, left].map((v) => v / m));
      return;
    }
    for (let v = left; v >= 0; v--) rec([...prefix, v], left - v);
  };
  rec([], m);
  return out;
}

/**
 * How much the validation set moves the answer: N*(C) for validation losses that mix the skills with
 * weights w (the weighted mean of their losses), over a grid of w, and per budget the max/min ratio.
 */
export function mixSweep(runs: Runs, skills: SkillSpec[], steps: number, options: IsoflopOptions): MixSweep {
  const losses = skills.map(skillLoss);
  const weights = simplexGrid(skills.length, steps);
  // Every mix on the same draws: draw d of budget j resamples the same runs (or adds the same noise) for all
  // mixes, so the spread between two mixes is compared resample by resample. The point is each mix's own minimum.
  const iso = withDataPoint(options);
  const run = runIds(runs);
  const analyses = weights.map((w) => isoflopWithDraws({ C: runs.C, N: runs.N, loss: mixLoss(losses, w), ...run }, iso));
  const results = analyses.map((a) => a.result);
  const withDraws = !!iso.intervals;
  const budgets = results[0]!.budgets.map((b, j): MixSweep['budgets'][number] => {
    const N = results.map((r) => (r.budgets[j]!.excluded ? null : r.budgets[j]!.N));
    const Nci95 = withDraws
      ? results.map((r, i) => {
          const ci = N[i] === null ? undefined : r.budgets[j]!.ci95?.N;
          return ci ? ([ci[0], ci[1]] as [number, number]) : null;
        })
      : undefined;
    let argmax: number | null = null,
      argmin: number | null = null;
    N.forEach((v, i) => {
      if (v === null) return;
      if (argmax === null || v > N[argmax]!) argmax = i;
      if (argmin === null || v < N[argmin]!) argmin = i;
    });
    // A spread needs two mixes with a minimum; with fewer, say nothing rather than "1×".
    const found = N.filter((v) => v !== null).length;
    const base = { C: b.C, N, ...(Nci95 ? { Nci95 } : {}) };
    if (found < 2) return { ...base, maxOverMin: null, argmax: null, argmin: null, beyondNoise: null };
    const out: MixSweep['budgets'][number] = { ...base, maxOverMin: N[argmax!]! / N[argmin!]!, argmax, argmin, beyondNoise: null };
    // Every draw with a minimum counts, one beyond the sizes drawn too (else a tail of the spread is cut off).
    const hi = analyses[argmax!]!.draws.logNvertex?.[j],
      lo = analyses[argmin!]!.draws.logNvertex?.[j];
    if (withDraws && hi && lo) {
      // The two extreme mixes of the point estimate, re-evaluated on each draw: the ratio may fall below 1 there
      // (the max over mixes of every draw could not: it is at least 1 by construction, noise or not).
      // Centred on the point in log space, with the draws' spread (centredInterval says why).
      const logRatio = Float64Array.from(hi, (v, d) => v - lo[d]!).filter((v) => !Number.isNaN(v));
      if (logRatio.length > 0) {
        out.ci95 = centredInterval(out.maxOverMin!, logRatio, true);
        out.beyondNoise = out.ci95[0] > 1;
      }
    }
    return out;
  });
  return { skills: skills.map((s) => s.name), weights, budgets };
}
