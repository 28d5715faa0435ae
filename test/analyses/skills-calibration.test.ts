// Calibration of the skills intervals on synthetic sweeps with known per-skill Chinchilla laws and noise, over
// many seeds: the 95% interval of Δa (a skill's exponent minus the aggregate's) holds the true Δa in about 95%
// of seeds, the mix sweep's verdict beyondNoise is rarely declared when the skills are identical, and nearly
// always with a true 1.5× spread of N* between the pure mixes; the paired interval of N*_skill/N*_aggregate of a
// skill whose true N* is the aggregate's rarely excludes 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runs } from '../../src/data/runs.js';
import { mixSweep, type SkillSpec, skillsAnalysis } from '../../src/methods/skills.js';
import { Random } from '../../src/stats/random.js';

/** A Chinchilla law L = E + A/N^α + B/D^β. */
type Law = { E: number; A: number; B: number; alpha: number; beta: number };

/** Compute-optimal N at budget C (Hoffmann et al. 2022, eq. 4); its exponent is β/(α+β). */
const nOpt = (l: Law, C: number) => Math.pow((l.alpha * l.A) / (l.beta * l.B), 1 / (l.alpha + l.beta)) * Math.pow(C / 6, l.beta / (l.alpha + l.beta));
const aOf = (l: Law) => l.beta / (l.alpha + l.beta);

/** IsoFLOP runs at 8 doubling budgets: `sizes` log-spaced sizes from centre(C)/span to centre(C)·span. */
function sweep(centre: (C: number) => number, span = 4, sizes = 11): Runs {
  const N: number[] = [],
    D: number[] = [],
    C: number[] = [];
  for (let c = 1e18; c < 2e20; c *= 2)
    for (let j = 0; j < sizes; j++) {
      const n = (centre(c) / span) * Math.pow(span * span, j / (sizes - 1));
      N.push(n);
      D.push(c / (6 * n));
      C.push(c);
    }
  const f = (a: number[]) => Float64Array.from(a);
  return { N: f(N), D: f(D), C: f(C), loss: new Float64Array(N.length), origin: [] };
}

/** A skill whose per-run loss is the law plus independent Gaussian noise of sd sigma. */
function skill(name: string, runs: Runs, l: Law, sigma: number, rng: Random): SkillSpec {
  const loss = runs.N.map((n, i) => l.E + l.A / n ** l.alpha + l.B / runs.D[i]! ** l.beta + sigma * rng.normal());
  return { name, members: [{ column: name, weight: 1, loss }] };
}

const aggregate: Law = { E: 1.8, A: 400, B: 400, alpha: 0.33, beta: 0.33 };

/** The law with B set so that its N* equals the aggregate's at the middle budget (the optima cross mid-sweep). */
function matched(l: Law): Law {
  const C = 1.13e19;
  const G = nOpt(aggregate, C) / Math.pow(C / 6, aOf(l));
  return { ...l, B: (l.alpha * l.A) / (l.beta * Math.pow(G, l.alpha + l.beta)) };
}

const SIGMA = 0.004;

test('Δa: the 95% interval from paired draws holds the true a_skill − a_aggregate in 90–98% of 500 seeds', () => {
  // A capacity-hungry skill (Δa = +0.045) and a data-hungry one (Δa = −0.045), the sizes centred on the aggregate's optimum.
  const hungry = matched({ E: 1.5, A: 400, B: 400, alpha: 0.3, beta: 0.36 });
  const thrifty = matched({ E: 1.5, A: 400, B: 400, alpha: 0.36, beta: 0.3 });
  const runs = sweep((c) => nOpt(aggregate, c));
  const seeds = 500;
  const hits = [0, 0];
  for (let seed = 0; seed < seeds; seed++) {
    const rng = new Random(seed, 7);
    const r = skillsAnalysis(
      runs,
      [skill('hungry', runs, hungry, SIGMA, rng), skill('thrifty', runs, thrifty, SIGMA, rng)],
      skill('aggregate', runs, aggregate, SIGMA, rng),
      { isoflop: { method: 'parabola', intervals: { kind: 'bootstrap', resamples: 200, seed } }, pooled: false },
    );
    [hungry, thrifty].forEach((l, i) => {
      const ci = r.skills[i]!.deltaA!.ci95!;
      const truth = aOf(l) - aOf(aggregate);
      if (ci[0] <= truth && truth <= ci[1]) hits[i]!++;
    });
  }
  const coverage = hits.map((h) => h / seeds);
  console.log(`Δa coverage: ${coverage.join(', ')}`);
  for (const c of coverage) assert.ok(c >= 0.9 && c <= 0.98, `coverage ${c}`);
});

/** The share of budgets (over seeds) where the mix sweep of two skills declares beyondNoise. */
function declared(second: Law, seeds: number): number {
  const runs = sweep((c) => Math.sqrt(nOpt(aggregate, c) * nOpt(second, c)));
  let yes = 0,
    all = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const rng = new Random(seed, 11);
    const m = mixSweep(runs, [skill('one', runs, aggregate, SIGMA, rng), skill('two', runs, second, SIGMA, rng)], 5, {
      method: 'parabola',
      intervals: { kind: 'bootstrap', resamples: 200, seed },
    });
    for (const b of m.budgets) {
      if (b.beyondNoise === null) continue;
      all++;
      if (b.beyondNoise) yes++;
    }
  }
  return yes / all;
}

test('beyondNoise: declared for ≤ 7% of budgets when the skills are identical, ≥ 80% with a true 1.5× spread', () => {
  const nullRate = declared(aggregate, 100);
  // The same exponents, N* 1.5× larger at every budget: G ∝ A^(1/(α+β)).
  const spread = declared({ ...aggregate, A: aggregate.A * Math.pow(1.5, aggregate.alpha + aggregate.beta) }, 100);
  console.log(`beyondNoise declared: identical skills ${nullRate}, 1.5× spread ${spread}`);
  assert.ok(nullRate <= 0.07, `null: ${nullRate}`);
  assert.ok(spread >= 0.8, `1.5×: ${spread}`);
});

test("ratio to the aggregate: for a skill whose true N* equals the aggregate's, the paired 95% interval excludes 1 in ≤ 7% of budgets", () => {
  // The aggregate's law with another irreducible loss (the same N* at every budget), and independent noise.
  const same: Law = { ...aggregate, E: 1.5 };
  const runs = sweep((c) => nOpt(aggregate, c));
  const seeds = 100;
  let excluded = 0,
    all = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const rng = new Random(seed, 13);
    const r = skillsAnalysis(runs, [skill('same', runs, same, SIGMA, rng)], skill('aggregate', runs, aggregate, SIGMA, rng), {
      isoflop: { method: 'parabola', intervals: { kind: 'bootstrap', resamples: 200, seed } },
      pooled: false,
    });
    for (const x of r.skills[0]!.ratioToAggregate) {
      if (!x.ci95) continue;
      all++;
      if (x.ci95[0] > 1 || x.ci95[1] < 1) excluded++;
    }
    for (const x of r.aggregate.ratioToAggregate) if (x.ci95) assert.deepEqual(x.ci95, [1, 1]);
  }
  const rate = excluded / all;
  console.log(`ratio interval excludes 1: ${rate} of ${all} budgets`);
  assert.ok(all >= 0.9 * seeds * 8, `budgets with an interval: ${all}`);
  assert.ok(rate <= 0.07, `excludes 1: ${rate}`);
});
