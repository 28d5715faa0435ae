/**
 * A skill's optimum against a per-group covariate (Roberts et al. 2025, Fig. 3): the share of skill-relevant
 * data in each datamix against the exponent a and against log N* at a budget, with a weighted least-squares
 * line and its 95% interval from the groups' draws.
 */
import { sampleSd } from '../stats/quantile.js';
import { centredInterval, percentiles, type IsoflopFit } from './isoflop.js';
import { logNAt, type PowerLawDraws } from './power-law-draws.js';
import { weightedLine } from './weighted-line.js';

/** One group's value of the covariate for one skill, and that skill's fit there. */
export interface CovariateInput {
  group: string;
  share: number;
  fit: IsoflopFit | null;
  draws?: PowerLawDraws;
}

/** A fitted line y = intercept + slope·share. */
export interface CovariateLine {
  slope: number;
  intercept: number;
  /** With draws: centred on the slope, as wide as the middle 95% of the slope refitted on each draw (groups' draws combined as independent). */
  slopeCi95?: [number, number];
  /** With draws: the 95% band of the line at 11 shares from the smallest to the largest (centred on the line, as wide as the refitted lines' middle 95%). */
  band?: { share: number; lo: number; hi: number }[];
  /** Weighted by 1/var of each group's draws (true), or unweighted (no draws). */
  weighted: boolean;
}

export interface CovariatePoint {
  group: string;
  share: number;
  a: number | null;
  aCi95?: [number, number];
  /** N* at the covariate's budget from the group's power law. */
  N: number | null;
  NCi95?: [number, number];
}

export interface CovariateSkill {
  name: string;
  points: CovariatePoint[];
  /** The line of a on the share; null with fewer than 2 distinct shares with a fit. */
  a: CovariateLine | null;
  /** The line of log N*(budget) on the share (natural log); null as `a`. */
  logN: CovariateLine | null;
}

const BAND_POINTS = 11;

export function covariateFit(name: string, inputs: CovariateInput[], budget: number): CovariateSkill {
  const fitted = inputs.filter((p) => p.fit !== null);
  const logN = (p: CovariateInput) => Math.log(p.fit!.k) + p.fit!.a * Math.log(budget);
  const points = inputs.map((p): CovariatePoint => {
    if (!p.fit) return { group: p.group, share: p.share, a: null, N: null };
    const out: CovariatePoint = { group: p.group, share: p.share, a: p.fit.a, N: Math.exp(logN(p)) };
    if (p.draws) {
      const as = p.draws.a.filter((v) => !Number.isNaN(v));
      const ls = logNAt(p.draws, budget).filter((v) => !Number.isNaN(v));
      if (as.length > 0) out.aCi95 = percentiles(as);
      if (ls.length > 0) out.NCi95 = percentiles(ls).map(Math.exp) as [number, number];
    }
    return out;
  });
  const drawsOf = (p: CovariateInput, which: 'a' | 'logN') => (which === 'a' ? p.draws!.a : logNAt(p.draws!, budget));
  const line = (which: 'a' | 'logN'): CovariateLine | null => {
    const x = fitted.map((p) => p.share);
    const y = fitted.map((p) => (which === 'a' ? p.fit!.a : logN(p)));
    const drawn = fitted.length > 0 && fitted.every((p) => p.draws);
    // Each group weighted by 1/var of its draws: a datamix whose exponent is poorly determined moves the line less.
    const w = drawn ? fitted.map((p) => 1 / Math.max(sampleSd(drawsOf(p, which).filter((v) => !Number.isNaN(v))) ** 2 || 0, 1e-12)) : x.map(() => 1);
    const fit = weightedLine(x, y, w);
    if (!fit) return null;
    const out: CovariateLine = { ...fit, weighted: drawn };
    if (!drawn) return out;
    const B = fitted[0]!.draws!.a.length;
    const columns = fitted.map((p) => drawsOf(p, which));
    const slopes: number[] = [],
      lines: { slope: number; intercept: number }[] = [];
    const yd = new Float64Array(fitted.length);
    // Group g's draw (d + g·⌊B/G⌋) mod B: the datamixes are separate runs, so their draws are combined as
    // independent (draw d of every group would resample the same positions and understate a contrast's spread).
    const step = Math.floor(B / fitted.length);
    for (let d = 0; d < B; d++) {
      let ok = true;
      columns.forEach((c, g) => {
        yd[g] = c[(d + g * step) % B]!;
        if (Number.isNaN(yd[g]!)) ok = false;
      });
      if (!ok) continue;
      const l = weightedLine(x, yd, w);
      if (!l) continue;
      slopes.push(l.slope);
      lines.push(l);
    }
    if (slopes.length === 0) return out;
    // Centred on the fitted slope, as wide as the middle 95% of the refits: a bootstrap's exponents are skewed
    // away from the truth group by group, and their percentiles held the true slope in only 16 of 20 synthetic
    // sweeps (test/analyses/skills-datamix.test.ts); centred, as N* is ({@link centredInterval}).
    out.slopeCi95 = centredInterval(fit.slope, slopes, false);
    const lo = Math.min(...x),
      hi = Math.max(...x);
    out.band = Array.from({ length: BAND_POINTS }, (_, i) => {
      const share = lo + ((hi - lo) * i) / (BAND_POINTS - 1);
      const [l, h] = centredInterval(
        fit.intercept + fit.slope * share,
        lines.map((l) => l.intercept + l.slope * share),
        false,
      );
      return { share, lo: l, hi: h };
    });
    return out;
  };
  return { name, points, a: line('a'), logN: line('logN') };
}
