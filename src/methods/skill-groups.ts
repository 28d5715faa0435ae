/**
 * Datamix differences (Roberts et al. 2025): per skill, each group against a reference group — the exponent's
 * difference Δa and the ratio of N* at the user's budgets, with 95% intervals from the groups' draws.
 */
import { centredInterval, percentiles, type IsoflopDraws, type IsoflopResult } from './isoflop.js';
import { logNAt, powerLawDraws, type PowerLawDraws } from './power-law-draws.js';

/** One group as the comparison sees it: per skill (and the aggregate) its fit and the fit's draws. */
export interface GroupFits {
  group: string;
  /**
   * Per budget C, its sizes: at a budget where two groups have the same sizes, draw d resamples the same
   * positions in both (hence the same configurations), so their draws pair there.
   */
  sizes: Map<number, string>;
  skills: { name: string; result: IsoflopResult; draws?: PowerLawDraws; isoflopDraws?: IsoflopDraws }[];
}

export interface GroupDifference {
  group: string;
  /**
   * Whether draw d of this group and of the reference resample the same configurations at every budget (they
   * share every budget's sizes). At a budget whose sizes differ, draw d of the group is compared with draw
   * d + ⌊B/2⌋ of the reference, an independent stream: the interval is then that of independent estimates there.
   */
  paired: boolean;
  /** Budgets of the reference whose sizes this group shares (paired draws there). */
  pairedBudgets: number;
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
            // Draws of whole runs (src/methods/isoflop.ts `run`) pair with no other group's: each draws its own runs.
            const byRun = s.result.bootstrap?.unit === 'run' || r.result.bootstrap?.unit === 'run';
            const shared = r.result.budgets.map((b) => !byRun && ref.sizes.get(b.C) === g.sizes.get(b.C));
            const pairedBudgets = shared.filter(Boolean).length;
            const paired = !byRun && pairedBudgets === ref.sizes.size && ref.sizes.size === g.sizes.size;
            const sf = s.result.fit,
              rf = r.result.fit;
            const both = sf !== null && rf !== null;
            const deltaA: GroupDifference['deltaA'] = { value: both ? sf.a - rf.a : null };
            const mine = s.draws;
            const B = mine?.a.length ?? 0;
            const shift = B < 2 ? 0 : Math.floor(B / 2);
            // The reference refitted with draw d where the budget's configurations are shared, d + ⌊B/2⌋ elsewhere.
            const theirs = paired || !r.isoflopDraws ? r.draws : powerLawDraws(r.result, r.isoflopDraws, (j, d) => (shared[j] ? d : (d + shift) % B));
            if (both && mine && theirs) {
              const diffs = Float64Array.from(mine.a, (v, d) => v - theirs.a[d]!).filter((v) => !Number.isNaN(v));
              if (diffs.length > 0) {
                deltaA.ci95 = percentiles(diffs);
                deltaA.beyondNoise = deltaA.ci95[0] > 0 || deltaA.ci95[1] < 0;
              }
            }
            const ratioN = budgets.map((C): GroupDifference['ratioN'][number] => {
              if (!both) return { C, value: null };
              const value = (sf.k * Math.pow(C, sf.a)) / (rf.k * Math.pow(C, rf.a));
              const out: GroupDifference['ratioN'][number] = { C, value };
              if (mine && theirs) {
                const lm = logNAt(mine, C),
                  lt = logNAt(theirs, C);
                const logRatio = Float64Array.from(lm, (v, d) => v - lt[d]!).filter((v) => !Number.isNaN(v));
                if (logRatio.length > 0) {
                  out.ci95 = centredInterval(value, logRatio, true);
                  out.beyondNoise = out.ci95[0] > 1 || out.ci95[1] < 1;
                }
              }
              return out;
            });
            return { group: g.group, paired, pairedBudgets, deltaA, ratioN };
          }),
      };
    }),
  };
}
