/**
 * `l2l`: loss-to-loss laws (Brandfonbrener et al. 2024) — L_y = K·(L_x − E_x)^κ + E_y with E from L(N, D) fits
 * or given, per group, how far the groups' lines lie apart, and forecasts of held-out runs.
 */
import { numericColumn, toRuns } from '../data/columns.js';
import { groupsOf, runClusters } from '../data/groups.js';
import { pairKey, pairLosses, type LossPairs } from '../data/pairs.js';
import { splitFitTarget } from '../data/selection.js';
import type { Table, TableRow } from '../data/table.js';
import { applyFilters } from '../data/where.js';
import { at, optionRef, UserError, withPrefix } from '../errors.js';
import type { Units } from '../fitting/bootstrap.js';
import { lawByName } from '../laws/registry.js';
import {
  bootstrapIrreducible,
  bootstrapLine,
  fitIrreducible,
  fitLossToLoss,
  lineSpread,
  predictLoss,
  requireAbove,
  summariseDraws,
  type GroupLine,
  type IrreducibleFit,
  type LineDraws,
  type PointLabel,
} from '../methods/loss-to-loss.js';
import { num } from '../format/number.js';
import { option, type OptionValues } from '../options/option.js';
import type { L2lLine, L2lReport } from '../schema/l2l.js';
import { defineAnalysis } from './analysis.js';
import { groupOption, lawNames, runsOptions, selectionOptions } from './common-options.js';
import { columnsOf, resamplesOf } from './common-options.js';
import { warning, prefixed, type Warning } from '../warnings.js';
import { extent } from '../stats/extent.js';
import { predictionInterval } from '../methods/calibration.js';
import { lineCalibration } from './l2l-calibration.js';

export const l2lOptions = {
  ...runsOptions,
  x: option.text('the loss column predicted from (L_x)', { arg: 'COL', required: true }),
  y: option.text('the loss column predicted (L_y)', { arg: 'COL', required: true }),
  xWhere: option.conditions('L_x comes from rows where this holds (repeatable; with --y-where and --pair-on)', { arg: 'COL=VALUE' }),
  yWhere: option.conditions('L_y comes from rows where this holds (repeatable)', { arg: 'COL=VALUE' }),
  pairOn: option.names('join x rows and y rows with equal values in these columns (e.g. params,tokens)', { arg: 'COL,...' }),
  ex: option.number('irreducible loss E_x (default: fitted with --e-law)', { nonNegative: true, arg: 'X' }),
  ey: option.number('irreducible loss E_y (default: fitted with --e-law)', { nonNegative: true, arg: 'Y' }),
  eLaw: option.choice('L(N, D) law whose E is used when --ex/--ey are not given: kaplan | chinchilla | overtrain', {
    values: lawNames,
    noun: 'law',
    default: 'kaplan',
    arg: 'NAME',
  }),
  refitE: option.switch('bootstrap: refit the fitted E on resamples of each curve too (otherwise intervals are conditional on E)'),
  group: { ...groupOption('one line per value of these columns (of the y row), and how far the lines lie apart'), deprecated: ['compareBy'] },
  bootstrap: option.count('resamples of the pairs for intervals (0: none)', { default: 1000, arg: 'B' }),
  seed: option.count('bootstrap seed', { default: 0, arg: 'S' }),
  ...selectionOptions,
};
export type L2lOptions = OptionValues<typeof l2lOptions>;

/** One group's fitted pairs (what the loss-to-loss figure draws). */
export interface L2lGroupPairs {
  group: string | null;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface L2lAnalysisResult {
  report: L2lReport;
  pairs: L2lGroupPairs[];
  /** Axis labels: each side's column, and its filter when pairs join different rows. */
  labels: { x: string; y: string };
}

export const l2lAnalysis = defineAnalysis({
  kind: 'l2l',
  summary: 'loss-to-loss laws: L_y = K·(L_x − E_x)^kappa + E_y, with E from L(N, D) fits or given, compared across groups',
  options: l2lOptions,
  async run(table: Table, o: L2lOptions): Promise<L2lAnalysisResult> {
    const out = runL2l(table, o);
    // Pairs across rows name their side by its filter: the same column is often on both axes.
    const side = (col: string, where: { text: string }[]) => (where.length ? `${col} [${where.map((w) => w.text).join(', ')}]` : col);
    return { ...out, labels: { x: side(out.report.x, o.xWhere), y: side(out.report.y, o.yWhere) } };
  },
});

/** The analysis behind `scalewise l2l`, from a table already read and filtered by --where: the report and each line's fitted pairs. */
function runL2l(tbl: Table, flags: L2lOptions): { report: L2lReport; pairs: L2lGroupPairs[] } {
  if (!flags.x || !flags.y) throw new UserError(`give ${optionRef('x')} COL and ${optionRef('y')} COL: the loss predicted from and the loss predicted`);
  const xCol = flags.x,
    yCol = flags.y;
  const paired = flags.xWhere.length > 0 || flags.yWhere.length > 0 || flags.pairOn !== undefined;
  if (paired && (flags.xWhere.length === 0 || flags.yWhere.length === 0 || flags.pairOn === undefined)) {
    throw new UserError(
      `${optionRef('xWhere')}, ${optionRef('yWhere')} and ${optionRef('pairOn')} go together: give all three (x and y from different rows), or none (x and y from the same row)`,
    );
  }
  const pairOn = paired ? columnList('pairOn', flags.pairOn!) : undefined;
  const given = { x: flags.ex, y: flags.ey };
  const law = given.x !== undefined && given.y !== undefined ? undefined : lawByName(flags.eLaw);
  const resamples = resamplesOf(flags.bootstrap);
  const seed = flags.seed;
  if (flags.refitE && resamples === 0) throw new UserError(`${optionRef('refitE')} needs ${optionRef('bootstrap')} B with B >= 1`);

  // Each row's compute: for --holdout-top, and for the targets' distance and pi95.
  const compute = flags.holdoutTop !== undefined || flags.flops !== undefined || flags.tokens !== undefined ? computeOf(tbl, flags) : undefined;
  const split = splitFitTarget(tbl, flags, compute);
  const computeOfRow = compute ? new Map(tbl.rows.map((r, i) => [r, compute(i)])) : undefined;
  // Each side is chosen on the whole table (so an empty side is an error about --x-where, not about the
  // split), then cut into its fit and target rows.
  const xAll = applyFilters(tbl, flags.xWhere, optionRef('xWhere'));
  const yAll = applyFilters(tbl, flags.yWhere, optionRef('yWhere'));
  const fitRows = new Set(split.fit.rows);
  const targetRows = split.target ? new Set(split.target.rows) : undefined;
  const within = (t: Table, rows: Set<unknown>): Table => ({ columns: t.columns, rows: t.rows.filter((r) => rows.has(r)) });

  const compareBy = flags.group === undefined ? undefined : columnList('group', flags.group);
  const groups = compareBy
    ? groupsOf(yAll, compareBy).map(({ group, index }) => ({ key: group!, ySide: { columns: yAll.columns, rows: index.map((i) => yAll.rows[i]!) } }))
    : [{ key: null, ySide: yAll }];
  const eCache = new Map<string, IrreducibleFit>();

  const lines = groups.map(({ key, ySide }) => {
    // Same-row pairs: the group is a set of rows. Pairs across rows: the group picks the y rows, and
    // every group shares the x side.
    const xSide = paired ? xAll : ySide;
    const fitX = within(xSide, fitRows),
      fitY = within(ySide, fitRows);
    if (fitY.rows.length === 0) throw new UserError(`${key === null ? '' : `group ${key}: `}no y rows left to fit`);
    const pairs = pairLosses(fitX, fitY, xCol, yCol, pairOn);
    const warnings: Warning[] = [];

    const e = (side: 'x' | 'y', curve: Table, column: string, upTo?: number) => {
      const g = given[side];
      if (g !== undefined) return { E: g, fit: undefined };
      const cacheKey = `${side}:${paired && side === 'x' ? '*' : key}${upTo === undefined ? '' : `:${upTo}`}`;
      let fit = eCache.get(cacheKey);
      if (!fit) {
        try {
          fit = fitIrreducible(law!, toRuns(curve, { ...columnsOf({ ...flags, loss: column }) }));
        } catch (err) {
          throw withPrefix(`E_${side} (${law!.name} L(N, D) fit of ${column}): `, err);
        }
        eCache.set(cacheKey, fit);
      }
      // A calibration cut's E fit is the calibration's business, not the line's.
      if (upTo === undefined) for (const w of fit.fit.warnings) warnings.push(prefixed(`E_${side} fit (${law!.name} L(N, D) of ${column}): `, w));
      return { E: fit.E, fit };
    };
    const ex = e('x', fitX, xCol),
      ey = e('y', fitY, yCol);
    const line = fitLossToLoss(pairs.x, pairs.y, ex.E, ey.E, labelOf(pairs, xCol, yCol));

    const out: L2lLine & { group: string | null } = {
      group: key,
      K: line.K,
      kappa: line.kappa,
      Ex: line.Ex,
      Ey: line.Ey,
      r2: line.r2,
      r2Log: line.r2Log,
      n: line.n,
      unpaired: pairs.unpaired,
      xRange: extent(pairs.x),
      e: { x: describeE(ex.fit, ex.E), y: describeE(ey.fit, ey.E) },
      warnings,
    };
    /**
     * E refitted on resamples of configurations (the --pair-on key, or the row): one draw of
     * configurations per resample, shared by the pairs and by every run of each curve's E fit, so E_x,
     * E_y and the line move together as if those configurations had been trained again.
     */
    const refitDraws = () => {
      const index = new Map<unknown, number>();
      const id = (row: TableRow) => (pairOn ? pairKey(row, pairOn) : row);
      for (const row of [...fitX.rows, ...fitY.rows]) if (!index.has(id(row))) index.set(id(row), index.size);
      const units = (rows: TableRow[]): Units => ({ of: Int32Array.from(rows, (r) => index.get(id(r))!), count: index.size });
      const draw = (side: { E: number; fit?: IrreducibleFit }, curve: Table, column: string) =>
        side.fit
          ? bootstrapIrreducible(law!, toRuns(curve, { ...columnsOf({ ...flags, loss: column }) }), side.fit, resamples, seed, units(curve.rows))
          : new Float64Array(resamples).fill(side.E);
      return { E: { Ex: draw(ex, fitX, xCol), Ey: draw(ey, fitY, yCol) }, units };
    };
    let draws: LineDraws | undefined;
    if (resamples > 0) {
      const refit = flags.refitE && (ex.fit || ey.fit);
      const eDraws = refit ? refitDraws() : undefined;
      // Checkpoints of one run (--run) are drawn together: a cluster bootstrap of runs.
      const runUnits = !eDraws && flags.run !== undefined ? runClusters({ columns: ySide.columns, rows: pairs.yRows }, flags.run) : undefined;
      const units = eDraws ? eDraws.units(pairs.xRows) : runUnits && runUnits.count < pairs.yRows.length ? runUnits : undefined;
      draws = bootstrapLine(pairs.x, pairs.y, line.Ex, line.Ey, { resamples, seed, ...(eDraws ? { eDraws: eDraws.E } : {}), ...(units ? { units } : {}) });
      const unit = eDraws ? ('configuration' as const) : units ? ('run' as const) : ('pair' as const);
      out.bootstrap = { resamples, seed, conditionalOnE: !refit, unit, failed: draws.failed };
      if (resamples - draws.failed >= 2) {
        const s = summariseDraws(draws);
        out.se = s.se;
        out.ci95 = s.ci95;
      }
      if (draws.failed > 0)
        warnings.push(
          warning(
            'bootstrap-failed',
            `${draws.failed} of ${resamples} bootstrap resamples could not be fitted (${out.ci95 ? 'left out of the intervals' : 'too few left for an interval'})`,
          ),
        );
    }
    if (line.r2 < 0.95) warnings.push(warning('poor-line', `R² = ${num(line.r2)}: the shifted power law describes these pairs poorly`));

    if (targetRows) {
      const tX = within(xSide, targetRows),
        tY = within(ySide, targetRows);
      if (tY.rows.length === 0 || tX.rows.length === 0) {
        out.targets = [];
        out.meanAbsRelErr = null;
        warnings.push(warning('no-targets', 'no target pairs in this group'));
      } else {
        const tp = pairLosses(tX, tY, xCol, yCol, pairOn);
        requireAbove(tp.x, line.Ex, 'x', labelOf(tp, xCol, yCol));
        // A pair's compute is its y run's (--pair-on params,tokens makes both runs the same size).
        const fitC = computeOfRow ? Float64Array.from(pairs.yRows, (r) => computeOfRow.get(r)!) : undefined;
        // Each cut refits the E it uses on the runs up to the cut (the cache shares E_x across groups).
        const upTo = (t: Table, cut: number) => ({ columns: t.columns, rows: t.rows.filter((r) => computeOfRow!.get(r)! <= cut) });
        const eAt = (cut: number) => ({ Ex: e('x', upTo(fitX, cut), xCol, cut).E, Ey: e('y', upTo(fitY, cut), yCol, cut).E });
        const calibration = fitC ? lineCalibration(pairs.x, pairs.y, fitC, line, eAt) : null;
        if (calibration) out.calibration = calibration;
        else
          warnings.push(
            warning(
              'no-calibration',
              fitC
                ? 'the fitted pairs span too few compute budgets to calibrate pi95 (a rolling origin needs 6): targets have no interval for a new run'
                : `no compute per run (give ${optionRef('flops')} COL, or ${optionRef('tokens')} COL): targets have no distance and no pi95`,
            ),
          );
        const cMax = fitC ? extent(fitC)[1] : undefined;
        out.targets = Array.from(tp.x, (x, i) => {
          const y = tp.y[i]!,
            predicted = predictLoss(line, x);
          const extrapolation = cMax !== undefined ? computeOfRow!.get(tp.yRows[i]!)! / cMax : undefined;
          return {
            row: tp.yRows[i]!.origin.row,
            x,
            y,
            predicted,
            relErr: Math.abs(predicted - y) / y,
            signedRelErr: (predicted - y) / y,
            ...(extrapolation !== undefined ? { extrapolation } : {}),
            ...(calibration ? { pi95: predictionInterval(calibration, predicted, extrapolation!) } : {}),
          };
        });
        if (calibration && cMax !== undefined) {
          const far = out.targets.reduce((m, t) => Math.max(m, t.extrapolation!), 0);
          if (far > calibration.maxDistance)
            warnings.push(
              warning(
                'pi-extrapolated',
                `a target is ${num(far, 3)}× the largest fitted C; the calibration checked forecasts up to ${num(calibration.maxDistance, 3)}×, so its pi95 is itself an extrapolation`,
              ),
            );
        }
        out.meanAbsRelErr = out.targets.reduce((a, t) => a + t.relErr, 0) / out.targets.length;
      }
    }
    return {
      out,
      gl: { group: String(key), line, xMin: out.xRange[0], xMax: out.xRange[1], draws } as GroupLine,
      pairs: { group: key, x: pairs.x, y: pairs.y },
    };
  });

  const fitted = lines.map((l) => l.pairs);
  if (!compareBy) {
    const { group: _, ...line } = lines[0]!.out;
    return { report: { x: xCol, y: yCol, ...line }, pairs: fitted };
  }
  return {
    report: {
      x: xCol,
      y: yCol,
      groups: lines.map((l) => ({ ...l.out, group: l.out.group! })),
      spread: lineSpread(lines.map((l) => l.gl)),
    },
    pairs: fitted,
  };
}

function describeE(fit: IrreducibleFit | undefined, E: number): L2lLine['e']['x'] {
  if (!fit) return { source: 'given', E };
  const f = fit.fit;
  return { source: 'fit', E, law: f.law, n: f.n, objective: f.objective.value, converged: f.converged, params: f.params, warnings: f.warnings };
}

/** Error prefix of pair i: the file, row and column of its L_x or L_y. */
function labelOf(pairs: LossPairs, xCol: string, yCol: string): PointLabel {
  return (i, side) => at((side === 'x' ? pairs.xRows : pairs.yRows)[i]!.origin, side === 'x' ? xCol : yCol);
}

/** Training compute per row, for --holdout-top: --flops, or 6·N·D. */
function computeOf(tbl: Table, flags: L2lOptions): (row: number) => number {
  if (flags.flops) {
    const C = numericColumn(tbl, flags.flops, { positive: true });
    return (i) => C[i]!;
  }
  if (!flags.tokens)
    throw new UserError(
      `${optionRef('holdoutTop')} needs ${optionRef('flops')} COL, or ${optionRef('params')} and ${optionRef('tokens')}, to know each run's compute`,
    );
  const N = numericColumn(tbl, flags.params, { positive: true });
  const D = numericColumn(tbl, flags.tokens, { positive: true });
  return (i) => 6 * N[i]! * D[i]!;
}

/** Column names from a names option: none may be empty. */
function columnList(key: string, cols: string[]): string[] {
  if (cols.length === 0 || cols.some((c) => c === '')) throw new UserError(`${optionRef(key)} "${cols.join(',')}": expected COL[,COL...]`);
  return cols;
}
