/**
 * Task accuracy from N and D in two steps (Bhagia et al. 2024): the loss law gives the task loss, an accuracy link
 * Acc(L) fitted on true task losses gives the accuracy; beside it, the direct law −log Acc = A·C^(−α) in compute
 * (Krajewski et al. 2025), so a backtest can compare the two on the same held-out runs.
 */
import { numericColumn } from '../data/columns.js';
import type { Table } from '../data/table.js';
import { optionRef, UserError } from '../errors.js';
import { resampleCounts } from '../fitting/bootstrap.js';
import { boundedSigmoidLink } from '../laws/accuracy-link.js';
import { sigmoidLink, type ErrorLink } from '../laws/error-link.js';
import { interval95 } from '../stats/quantile.js';
import { warning, type Warning } from '../warnings.js';
import { fitDirectAccuracy, predictDirectAccuracy, type DirectAccuracyFit } from './accuracy-direct.js';
import { bootstrapAccuracyLink, fitAccuracyLink, type AccuracyLinkFit, type Anchor } from './accuracy-link.js';
import type { Backtest } from './backtest.js';
import type { ErrorLawState } from './forecast.js';
import type { FitReport } from '../schema/fit.js';
import type { SavedFit } from '../schema/saved-fit.js';

/** What `--accuracy`, `--chance`, `--anchor` and `--link` ask for, checked. */
export interface AccuracySettings {
  /** The accuracy column. */
  column: string;
  /** The chance level: a number, or a column whose value is one number over the rows fitted. */
  chance: number | { column: string };
  anchors: Anchor[];
  /** bounded (the default: between chance and 1) | sigmoid (the unbounded logistic, as for error). */
  link: 'bounded' | 'sigmoid';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The accuracy options, each checked with a message naming the option; undefined without `--accuracy`. */
export function accuracySettingsOf(o: { accuracy?: string; error?: string; chance?: string; anchor: string[]; link?: string }): AccuracySettings | undefined {
  if (o.accuracy === undefined) {
    if (o.chance !== undefined) throw new UserError(`${optionRef('chance')} needs ${optionRef('accuracy')} COL`);
    if (o.anchor.length > 0) throw new UserError(`${optionRef('anchor')} needs ${optionRef('accuracy')} COL`);
    if (o.link === 'bounded') throw new UserError(`${optionRef('link')} bounded needs ${optionRef('accuracy')} COL (it maps loss to accuracy)`);
    return undefined;
  }
  if (o.error !== undefined)
    throw new UserError(`${optionRef('accuracy')} and ${optionRef('error')} exclude each other: give the column as accuracy or as error`);
  if (o.link !== undefined && o.link !== 'bounded' && o.link !== 'sigmoid')
    throw new UserError(`${optionRef('link')} ${o.link} is a law of error; with ${optionRef('accuracy')} use bounded or sigmoid`);
  let chance: AccuracySettings['chance'] = 0;
  if (o.chance !== undefined) {
    const text = o.chance.trim();
    if (NUMBER.test(text)) {
      chance = Number(text);
      if (!(chance >= 0 && chance < 1)) throw new UserError(`${optionRef('chance')} ${text}: the chance accuracy must be in [0, 1)`);
    } else chance = { column: text };
  }
  const anchors = o.anchor.map((item) => {
    const m = /^\s*([^:\s]+)\s*:\s*([^:\s]+)\s*$/.exec(item);
    const where = `${optionRef('anchor')} "${item}": `;
    if (!m || !NUMBER.test(m[1]!) || !NUMBER.test(m[2]!)) throw new UserError(`${where}expected LOSS:ACCURACY, two numbers (e.g. 0:1)`);
    const loss = Number(m[1]),
      accuracy = Number(m[2]);
    if (!(loss >= 0 && Number.isFinite(loss))) throw new UserError(`${where}the loss must be a finite number ≥ 0`);
    if (!(accuracy >= 0 && accuracy <= 1)) throw new UserError(`${where}the accuracy must be in [0, 1]`);
    return { loss, accuracy };
  });
  return { column: o.accuracy, chance, anchors, link: (o.link as 'bounded' | 'sigmoid' | undefined) ?? 'bounded' };
}

/** Each row's accuracy, checked to lie in [0, 1]; errors name the file, row and column. */
export function accuracyValues(table: Table, column: string): Float64Array {
  const v = numericColumn(table, column);
  v.forEach((q, i) => {
    if (!(q >= 0 && q <= 1)) {
      const { file, row } = table.rows[i]!.origin;
      throw new UserError(`${file}: row ${row}: column "${column}" (${optionRef('accuracy')}): accuracy ${q} is not in [0, 1]`);
    }
  });
  return v;
}

/** The chance level over the rows the link is fitted on: the number given, or the one value of its column. */
export function chanceOf(settings: AccuracySettings, rows: Table): number {
  if (typeof settings.chance === 'number') return settings.chance;
  const { column } = settings.chance;
  if (!rows.columns.includes(column))
    throw new UserError(`${optionRef('chance')} "${column}": not a number in [0, 1), and the run table has no column "${column}"`);
  const v = numericColumn(rows, column);
  const c = v[0]!;
  v.forEach((x, i) => {
    const { file, row } = rows.rows[i]!.origin;
    if (!(x >= 0 && x < 1)) throw new UserError(`${file}: row ${row}: column "${column}" (${optionRef('chance')}): chance ${x} is not in [0, 1)`);
    if (x !== c)
      throw new UserError(
        `${file}: row ${row}: column "${column}" (${optionRef('chance')}): chance ${x} differs from ${c} on the first row (one link has one chance level)`,
      );
  });
  return c;
}

/** The link the settings name, its floor at the chance level. */
export function accuracyLinkOf(settings: Pick<AccuracySettings, 'link'>, chance: number): ErrorLink {
  // The logistic falls with loss when it maps to accuracy: its steepness is negative, not implausible.
  return settings.link === 'bounded' ? boundedSigmoidLink(chance) : { ...sigmoidLink, plausible: { lo: [0, 1], hi: [0, 1] } };
}

/** What the chain fits: step 2 and the direct law, with their bootstrap draws. */
export interface AccuracyChain {
  column: string;
  chance: number;
  anchors: Anchor[];
  link: ErrorLink;
  fit: AccuracyLinkFit;
  /** The task losses of step 2's rows (their range is where the link was fitted). */
  loss: Float64Array;
  /** θ of the link per bootstrap draw, row-major, draw b on the resample b of the loss law when the rows agree. */
  draws?: Float64Array;
  /** Whether draw b of the link refits the same resampled runs as draw b of the loss law. */
  paired: boolean;
  direct: DirectAccuracyFit;
  directDraws?: { A: number; alpha: number }[];
  warnings: Warning[];
}

/**
 * Fits step 2 on `rows` (true task losses, as Gadre et al. and Bhagia et al. do), and the direct law on the loss
 * fit's runs (`fitC`, `fitAccuracy`). With `bootstrap`, draw b of each refits the loss bootstrap's resample b
 * (`counts(b)` over the loss-fit runs): step 2 on the same counts when its rows are the loss-fit rows
 * (`sameRows`), else on a resample of its own rows from a stream of its own.
 */
export function fitAccuracyChain(
  settings: AccuracySettings,
  rows: { loss: Float64Array; accuracy: Float64Array; chance: number; sameRows: boolean },
  fitRuns: { C: Float64Array; accuracy: Float64Array; tokensPerParam: Float64Array },
  bootstrap?: { resamples: number; seed: number; counts: (b: number) => Float64Array },
): AccuracyChain {
  const link = accuracyLinkOf(settings, rows.chance);
  const fit = fitAccuracyLink(link, rows.loss, rows.accuracy, settings.anchors);
  const warnings = [...fit.warnings];
  for (const q of fitRuns.accuracy)
    if (!(q > 0 && q < 1))
      throw new UserError(`${optionRef('accuracy')}: the direct law -log Acc = A*C^-alpha needs every loss-fit run's accuracy in (0, 1); got ${q}`);
  const direct = fitDirectAccuracy(fitRuns.C, fitRuns.accuracy);
  let lo = Infinity,
    hi = -Infinity;
  for (const m of fitRuns.tokensPerParam) {
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
  }
  // Krajewski et al. fit it at one token-to-parameter ratio; across ratios it averages over them.
  if (hi > 1.5 * lo)
    warnings.push(
      warning(
        'accuracy-direct-mixed-ratio',
        `direct accuracy law: the runs span D/N from ${lo.toPrecision(3)} to ${hi.toPrecision(3)}; the law holds at one ratio (Krajewski et al.), so it averages over them`,
      ),
    );
  const out: AccuracyChain = {
    column: settings.column,
    chance: rows.chance,
    anchors: settings.anchors,
    link,
    fit,
    loss: rows.loss,
    paired: rows.sameRows,
    direct,
    warnings,
  };
  if (!bootstrap) return out;
  const n2 = rows.loss.length;
  const own = new Float64Array(n2);
  const stepCounts = rows.sameRows
    ? bootstrap.counts
    : (b: number) => {
        // A stream index past any the loss bootstrap of the same seed uses.
        resampleCounts(bootstrap.seed, 0x40000000 + b, n2, own);
        return own;
      };
  out.draws = bootstrapAccuracyLink(link, rows.loss, rows.accuracy, settings.anchors, fit.theta, bootstrap.resamples, stepCounts);
  out.directDraws = Array.from({ length: bootstrap.resamples }, (_, b) => fitDirectAccuracy(fitRuns.C, fitRuns.accuracy, bootstrap.counts(b)).params);
  return out;
}

/** The chain as the forecast pairs it with the loss law's draws. */
export function accuracyState(chain: AccuracyChain): ErrorLawState {
  return { link: chain.link, theta: chain.fit.theta, ...(chain.draws ? { draws: chain.draws } : {}) };
}

/** The chain as `fit --save` writes it (the report's accuracyLaw, θ and draws), and the warnings with its own. */
export function savedAccuracyLaw(
  chain: AccuracyChain,
  report: NonNullable<FitReport['accuracyLaw']>,
  warnings: string[],
): Pick<SavedFit, 'accuracyLaw' | 'warnings'> {
  const p = chain.link.paramNames.length;
  let lo = Infinity,
    hi = -Infinity;
  for (const l of chain.loss) {
    lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  return {
    accuracyLaw: {
      ...report,
      theta: Array.from(chain.fit.theta),
      loss: [lo, hi],
      ...(chain.draws && chain.directDraws
        ? {
            bootstrap: {
              theta: Array.from({ length: chain.draws.length / p }, (_, b) => Array.from(chain.draws!.subarray(b * p, b * p + p))),
              direct: chain.directDraws.map((d) => [d.A, d.alpha] as [number, number]),
            },
          }
        : {}),
    },
    warnings: [...warnings, ...chain.warnings.map((w) => w.message)],
  };
}

/** A held-out run scored as accuracy: the chained forecast and the direct law's. */
export interface AccuracyTargetScore {
  accuracy: number;
  accuracyPredicted: number;
  /** (accuracyPredicted − accuracy)/accuracy: positive when the chain over-predicts. */
  accuracyRelErr: number;
  accuracyCi95?: [number, number];
  accuracyDirect: number;
  /** (accuracyDirect − accuracy)/accuracy. */
  accuracyDirectRelErr: number;
  accuracyDirectCi95?: [number, number];
}

/**
 * Turns a backtest scored with the link as its "error law" into one scored as accuracy: the error fields of each
 * target become the accuracy fields, and the direct law's forecast at the target's compute joins them.
 */
export function accuracyBacktest(
  bt: Backtest,
  chain: AccuracyChain,
  targetC: Float64Array,
): { targets: Backtest['targets']; meanAbsRelErr: number; meanAbsAccuracyRelErr: number; meanAbsAccuracyDirectRelErr: number } {
  const targets = bt.targets.map((t, i) => {
    const { error, errorPredicted, errorRelErr: _a, errorSignedRelErr: _b, errorCi95, ...rest } = t;
    const q = error!;
    const direct = predictDirectAccuracy(chain.direct.params, targetC[i]!);
    const directDraws = chain.directDraws ? Float64Array.from(chain.directDraws, (p) => predictDirectAccuracy(p, targetC[i]!)) : undefined;
    const s: AccuracyTargetScore = {
      accuracy: q,
      accuracyPredicted: errorPredicted!,
      accuracyRelErr: (errorPredicted! - q) / q,
      ...(errorCi95 ? { accuracyCi95: errorCi95 } : {}),
      accuracyDirect: direct,
      accuracyDirectRelErr: (direct - q) / q,
      ...(directDraws ? { accuracyDirectCi95: interval95(directDraws) } : {}),
    };
    return { ...rest, ...s };
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    targets,
    meanAbsRelErr: bt.meanAbsRelErr,
    meanAbsAccuracyRelErr: mean(targets.map((t) => Math.abs(t.accuracyRelErr))),
    meanAbsAccuracyDirectRelErr: mean(targets.map((t) => Math.abs(t.accuracyDirectRelErr))),
  };
}
