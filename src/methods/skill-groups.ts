/**
 * Datamix differences (Roberts et al. 2025): per skill, each group against a reference group — the exponent's
 * difference Δa and the ratio of N* at the user's budgets, with 95% intervals from the groups' draws.
 */
import { centredInterval, percentiles, type IsoflopFit } from './isoflop.js';
import { logNAt, type PowerLawDraws } from './power-law-draws.js';

/** One group as the comparison sees it: per skill (and the aggregate) its fit and the fit's draws. */
export interface GroupFits {
  group: string;
  /**
   * The group's configurations, (C, N) of every budget's sizes: two groups with the same one are resampled
   * alike (draw d of budget j picks the same positions, hence the same configurations), so their draws pair.
   */
  configurations: string;
  skills: { name: string; fit: IsoflopFit | null; draws?: PowerLawDraws }[];
}

export interface GroupDifference {
  group: string;
  /**
   * Whether draw d of this group and of the reference resample the same configurations (they share every
   * budget's sizes). Otherwise draw d is compared with draw d + ⌊B/2⌋ of the reference: independent streams,
   * so the interval is that of a difference of independent estimates.
   */
  paired: boolean;
  /** a_group − a_reference; ci95 the 2.5/97.5% percentiles of the per-draw differences; beyondNoise when it excludes 0. */
  deltaA: { value: number | null; ci95?: [number, number]; beyondNoise?: boolean };
  /** Per budget: N*_group(C)/N*_reference(C) from the fitted power laws; ci95 centred in log (as N*); beyondNoise when it excludes 1. */
  ratioN: { C: number; value: number | null; ci95?: [number, number]; beyondNoise?: boolean }[];
}

export interface GroupComparison {
  /** The group every other is compared with. */
  reference: string;
  budgets: number[];
  skills: { name: string; groups: GroupDifference[] }[];
}

export function compareGroups(groups: GroupFits[], reference: string, budgets: number[]): GroupComparison {
  const ref = groups.find((g) => g.group === reference)!;
  const names = ref.skills.map((s) => s.name);
  return {
    reference,
    budgets,
    skills: names.map((name) => {
      const r = ref.skills.find((s) => s.name === name)!;
      return {
        name,
        groups: groups
          .filter((g) => g !== ref)
          .map((g): GroupDifference => {
            const s = g.skills.find((x) => x.name === name)!;
            const paired = g.configurations === ref.configurations;
            const both = s.fit !== null && r.fit !== null;
            const deltaA: GroupDifference['deltaA'] = { value: both ? s.fit!.a - r.fit!.a : null };
            const mine = s.draws,
              theirs = r.draws;
            const B = mine?.a.length ?? 0;
            const shift = paired || B < 2 ? 0 : Math.floor(B / 2);
            const other = (v: Float64Array, d: number) => v[(d + shift) % B]!;
            if (both && mine && theirs) {
              const diffs = Float64Array.from(mine.a, (v, d) => v - other(theirs.a, d)).filter((v) => !Number.isNaN(v));
              if (diffs.length > 0) {
                deltaA.ci95 = percentiles(diffs);
                deltaA.beyondNoise = deltaA.ci95[0] > 0 || deltaA.ci95[1] < 0;
              }
            }
            const ratioN = budgets.map((C): GroupDifference['ratioN'][number] => {
              if (!both) return { C, value: null };
              const value = (s.fit!.k * Math.pow(C, s.fit!.a)) / (r.fit!.k * Math.pow(C, r.fit!.a));
              const out: GroupDifference['ratioN'][number] = { C, value };
              if (mine && theirs) {
                const lm = logNAt(mine, C),
                  lt = logNAt(theirs, C);
                const logRatio = Float64Array.from(lm, (v, d) => v - other(lt, d)).filter((v) => !Number.isNaN(v));
                if (logRatio.length > 0) {
                  out.ci95 = centredInterval(value, logRatio, true);
                  out.beyondNoise = out.ci95[0] > 1 || out.ci95[1] < 1;
                }
              }
              return out;
            });
            return { group: g.group, paired, deltaA, ratioN };
          }),
      };
    }),
  };
}
