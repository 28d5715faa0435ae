import type { Command } from 'commander';
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
  type PointLabel,
} from '../../methods/loss-to-loss.js';
import { groupIndices } from '../../data/groups.js';
import { numericColumn, toRuns } from '../../data/columns.js';
import { pairKey, pairLosses, type LossPairs } from '../../data/pairs.js';
import { splitFitTarget } from '../../data/selection.js';
import type { Table, TableRow } from '../../data/table.js';
import { applyFilters, parseFilter } from '../../data/where.js';
import { at, UserError } from '../../errors.js';
import type { Units } from '../../fitting/bootstrap.js';
import { lawByName } from '../../laws/registry.js';
import type { L2lLine, L2lReport } from '../../schema/l2l.js';
import { num, range, table } from '../format.js';
import { collect, count } from '../parse.js';
import { addRunsOptions, loadTable, mapping, type RunsFlags } from '../runs-options.js';
import { addSelectionOptions, parseSelection, type SelectionFlags } from '../selection-options.js';
import { emit, type AnalysisOutput } from '../analysis-output.js';
import { addPlotOption, ensureDir } from '../plot-option.js';
import { l2lFigures, type L2lGroupPairs } from '../../plots/sets.js';

export interface L2lFlags extends RunsFlags, SelectionFlags {
  x?: string;
  y?: string;
  xWhere: string[];
  yWhere: string[];
  pairOn?: string;
  ex?: string;
  ey?: string;
  eLaw: string;
  refitE?: boolean;
  compareBy?: string;
  bootstrap: string;
  seed: string;
  json?: boolean;
  plot?: string;
}

export function registerL2l(program: Command): void {
  const cmd = program
    .command('l2l')
    .description('loss-to-loss laws: L_y = K·(L_x − E_x)^kappa + E_y, with E from L(N, D) fits or given, compared across groups')
    .argument('<files...>', 'run tables: .csv, .tsv, .json, .jsonl or .parquet')
    .option('--x <COL>', 'the loss column predicted from (L_x)')
    .option('--y <COL>', 'the loss column predicted (L_y)')
    .option('--x-where <COL=VALUE>', 'L_x comes from rows where this holds (repeatable; with --y-where and --pair-on)', collect, [])
    .option('--y-where <COL=VALUE>', 'L_y comes from rows where this holds (repeatable)', collect, [])
    .option('--pair-on <COL,...>', 'join x rows and y rows with equal values in these columns (e.g. params,tokens)')
    .option('--ex <X>', 'irreducible loss E_x (default: fitted with --e-law)')
    .option('--ey <Y>', 'irreducible loss E_y (default: fitted with --e-law)')
    .option('--e-law <NAME>', 'L(N, D) law whose E is used when --ex/--ey are not given: kaplan | chinchilla', 'kaplan')
    .option('--refit-e', 'bootstrap: refit the fitted E on resamples of each curve too (otherwise intervals are conditional on E)')
    .option('--compare-by <COL,...>', 'one line per value of these columns (of the y row), and how far the lines lie apart')
    .option('--bootstrap <B>', 'resamples of the pairs for intervals (0: none)', '1000')
    .option('--seed <S>', 'bootstrap seed', '0');
  addPlotOption(addSelectionOptions(addRunsOptions(cmd, { loss: false })))
    .option('--json', 'print one JSON document (see README)')
    .action(async (files: string[], flags: L2lFlags) => {
      ensureDir('--plot', flags.plot);
      emit(await l2lCommand(files, flags), flags);
    });
}

/** `scalewise l2l FILES FLAGS` as a value: what the command prints and draws (shared with `report`). */
export async function l2lCommand(files: string[], flags: L2lFlags): Promise<AnalysisOutput> {
  const { report, pairs } = runL2l(await loadTable(files, flags), flags);
  const lines = 'groups' in report ? report.groups : [{ ...report, group: null }];
  // Pairs across rows name their side by its filter: the same column is often on both axes.
  const side = (col: string, where: string[]) => (where.length ? `${col} [${where.join(', ')}]` : col);
  return {
    json: report,
    text: formatL2l(report),
    warnings: lines.flatMap((l) => l.warnings.map((w) => `${l.group === null ? '' : `[${l.group}] `}${w}`)),
    figures: (doc) => l2lFigures(doc, report, pairs, { x: side(report.x, flags.xWhere), y: side(report.y, flags.yWhere) }),
  };
}

/** The analysis behind `scalewise l2l`, from a table already read and filtered by --where: the report and each line's fitted pairs. */
export function runL2l(tbl: Table, flags: L2lFlags): { report: L2lReport; pairs: L2lGroupPairs[] } {
  if (!flags.x || !flags.y) throw new UserError('give --x COL and --y COL: the loss predicted from and the loss predicted');
  const xCol = flags.x, yCol = flags.y;
  const paired = flags.xWhere.length > 0 || flags.yWhere.length > 0 || flags.pairOn !== undefined;
  if (paired && (flags.xWhere.length === 0 || flags.yWhere.length === 0 || flags.pairOn === undefined)) {
    throw new UserError('--x-where, --y-where and --pair-on go together: give all three (x and y from different rows), or none (x and y from the same row)');
  }
  const pairOn = paired ? columnList('--pair-on', flags.pairOn!) : undefined;
  const xWhere = flags.xWhere.map((w) => parseFilter(w, '--x-where'));
  const yWhere = flags.yWhere.map((w) => parseFilter(w, '--y-where'));
  const given = { x: flags.ex === undefined ? undefined : irreducibleFlag('--ex', flags.ex), y: flags.ey === undefined ? undefined : irreducibleFlag('--ey', flags.ey) };
  const law = given.x !== undefined && given.y !== undefined ? undefined : lawByName(flags.eLaw);
  const resamples = count('--bootstrap', flags.bootstrap);
  if (resamples > 0 && resamples < 10) throw new UserError(`--bootstrap needs 0 (no intervals) or at least 10 resamples, got ${resamples}`);
  const seed = count('--seed', flags.seed);
  if (flags.refitE && resamples === 0) throw new UserError('--refit-e needs --bootstrap B with B >= 1');

  const sel = parseSelection(flags);
  const split = splitFitTarget(tbl, sel, sel.holdoutTop === undefined ? undefined : computeOf(tbl, flags));
  // Each side is chosen on the whole table (so an empty side is an error about --x-where, not about the
  // split), then cut into its fit and target rows.
  const xAll = applyFilters(tbl, xWhere, '--x-where');
  const yAll = applyFilters(tbl, yWhere, '--y-where');
  const fitRows = new Set(split.fit.rows);
  const targetRows = split.target ? new Set(split.target.rows) : undefined;
  const within = (t: Table, rows: Set<unknown>): Table => ({ columns: t.columns, rows: t.rows.filter((r) => rows.has(r)) });

  const compareBy = flags.compareBy === undefined ? undefined : columnList('--compare-by', flags.compareBy);
  const groups = compareBy ? compareGroups(yAll, compareBy) : [{ key: null, ySide: yAll }];
  const eCache = new Map<string, IrreducibleFit>();

  const lines = groups.map(({ key, ySide }) => {
    // Same-row pairs: the group is a set of rows. Pairs across rows: the group picks the y rows, and
    // every group shares the x side.
    const xSide = paired ? xAll : ySide;
    const fitX = within(xSide, fitRows), fitY = within(ySide, fitRows);
    if (fitY.rows.length === 0) throw new UserError(`${key === null ? '' : `group ${key}: `}no y rows left to fit`);
    const pairs = pairLosses(fitX, fitY, xCol, yCol, pairOn);
    const warnings: string[] = [];

    const e = (side: 'x' | 'y', curve: Table, column: string) => {
      const g = given[side];
      if (g !== undefined) return { E: g, fit: undefined };
      const cacheKey = `${side}:${paired && side === 'x' ? '*' : key}`;
      let fit = eCache.get(cacheKey);
      if (!fit) {
        try {
          fit = fitIrreducible(law!, toRuns(curve, { ...mapping(flags), loss: column }));
        } catch (err) {
          throw err instanceof UserError ? new UserError(`E_${side} (${law!.name} L(N, D) fit of ${column}): ${err.message}`) : err;
        }
        eCache.set(cacheKey, fit);
      }
      for (const w of fit.fit.warnings) warnings.push(`E_${side} fit (${law!.name} L(N, D) of ${column}): ${w}`);
      return { E: fit.E, fit };
    };
    const ex = e('x', fitX, xCol), ey = e('y', fitY, yCol);
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
      xRange: [Math.min(...pairs.x), Math.max(...pairs.x)],
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
          ? bootstrapIrreducible(law!, toRuns(curve, { ...mapping(flags), loss: column }), side.fit, resamples, seed, units(curve.rows))
          : new Float64Array(resamples).fill(side.E);
      return { E: { Ex: draw(ex, fitX, xCol), Ey: draw(ey, fitY, yCol) }, units };
    };
    let draws;
    if (resamples > 0) {
      const refit = flags.refitE && (ex.fit || ey.fit);
      const eDraws = refit ? refitDraws() : undefined;
      draws = bootstrapLine(pairs.x, pairs.y, line.Ex, line.Ey, { resamples, seed, ...(eDraws ? { eDraws: eDraws.E, units: eDraws.units(pairs.xRows) } : {}) });
      out.bootstrap = { resamples, seed, conditionalOnE: !refit, failed: draws.failed };
      if (resamples - draws.failed >= 2) {
        const s = summariseDraws(draws);
        out.sd = s.sd;
        out.ci95 = s.ci95;
      }
      if (draws.failed > 0) warnings.push(`${draws.failed} of ${resamples} bootstrap resamples could not be fitted (${out.ci95 ? 'left out of the intervals' : 'too few left for an interval'})`);
    }
    if (line.r2 < 0.95) warnings.push(`R² = ${num(line.r2)}: the shifted power law describes these pairs poorly`);

    if (targetRows) {
      const tX = within(xSide, targetRows), tY = within(ySide, targetRows);
      if (tY.rows.length === 0 || tX.rows.length === 0) {
        out.targets = [];
        out.meanAbsRelErr = null;
        warnings.push('no target pairs in this group');
      } else {
        const tp = pairLosses(tX, tY, xCol, yCol, pairOn);
        requireAbove(tp.x, line.Ex, 'x', labelOf(tp, xCol, yCol));
        out.targets = Array.from(tp.x, (x, i) => {
          const y = tp.y[i]!, predicted = predictLoss(line, x);
          return { row: tp.yRows[i]!.origin.row, x, y, predicted, relErr: Math.abs(predicted - y) / y };
        });
        out.meanAbsRelErr = out.targets.reduce((a, t) => a + t.relErr, 0) / out.targets.length;
      }
    }
    return { out, gl: { group: String(key), line, xMin: out.xRange[0], xMax: out.xRange[1], draws } as GroupLine, pairs: { group: key, x: pairs.x, y: pairs.y } };
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
function computeOf(tbl: Table, flags: RunsFlags): (row: number) => number {
  if (flags.flops) {
    const C = numericColumn(tbl, flags.flops, { positive: true });
    return (i) => C[i]!;
  }
  if (!flags.tokens) throw new UserError('--holdout-top needs --flops COL, or --params and --tokens, to know each run\'s compute');
  const N = numericColumn(tbl, flags.params ?? 'params', { positive: true });
  const D = numericColumn(tbl, flags.tokens, { positive: true });
  return (i) => 6 * N[i]! * D[i]!;
}

/** The rows of each `--compare-by` value (several columns: their values joined by ", "), in order of first appearance. */
function compareGroups(side: Table, columns: string[]): { key: string; ySide: Table }[] {
  for (const c of columns) if (!side.columns.includes(c)) throw new UserError(`--compare-by: no column "${c}"`);
  const keys = side.rows.map((r) => columns.map((c) => String(r.values[c] ?? '')).join(', '));
  return groupIndices(keys).map(({ key, index }) => ({ key, ySide: { columns: side.columns, rows: index.map((i) => side.rows[i]!) } }));
}

function columnList(flag: string, text: string): string[] {
  const cols = text.split(',').map((c) => c.trim());
  if (cols.some((c) => c === '')) throw new UserError(`${flag} "${text}": expected COL[,COL...]`);
  return cols;
}

function irreducibleFlag(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0) throw new UserError(`${flag} "${text}": expected a number >= 0`);
  return v;
}

export function formatL2l(report: L2lReport): string {
  const grouped = 'groups' in report;
  const lines = grouped ? report.groups : [{ ...report, group: '' }];
  const out: string[] = [`loss-to-loss: ${report.y} = K·(${report.x} − E_x)^kappa + E_y`];
  const withCi = lines.some((l) => l.ci95);
  const withTargets = lines.some((l) => l.targets);
  out.push(
    table(
      [
        ...(grouped ? ['group'] : []),
        'pairs',
        'K',
        ...(withCi ? ['95% interval'] : []),
        'kappa',
        ...(withCi ? ['95% interval'] : []),
        'E_x',
        'E_y',
        'R²',
        ...(withTargets ? ['targets', 'mean |rel err|'] : []),
      ],
      lines.map((l) => [
        ...(grouped ? [l.group] : []),
        String(l.n),
        num(l.K),
        ...(withCi ? [l.ci95 ? range(l.ci95.K[0], l.ci95.K[1]) : ''] : []),
        num(l.kappa),
        ...(withCi ? [l.ci95 ? range(l.ci95.kappa[0], l.ci95.kappa[1]) : ''] : []),
        `${num(l.Ex)}${l.e.x.source === 'fit' ? ' (fit)' : ''}`,
        `${num(l.Ey)}${l.e.y.source === 'fit' ? ' (fit)' : ''}`,
        num(l.r2),
        ...(withTargets ? [String(l.targets?.length ?? 0), l.meanAbsRelErr == null ? '—' : `${num(100 * l.meanAbsRelErr, 3)}%`] : []),
      ]),
    ),
  );
  const b = lines.find((l) => l.bootstrap)?.bootstrap;
  const eSources = [...new Set(lines.flatMap((l) => [l.e.x, l.e.y]).map((e) => (e.source === 'fit' ? `${e.law} L(N, D) fits` : 'given')))];
  out.push(
    `R² of L_y in linear space; E: ${eSources.join(', ')}` +
      (b ? `; intervals from ${b.resamples} resamples (seed ${b.seed}) ${b.conditionalOnE ? 'of the pairs, conditional on E' : 'of configurations, E refitted on each'}` : ''),
  );
  if (grouped) {
    const s = report.spread;
    out.push('');
    if (!s) out.push('Spread across groups: none (the groups\' L_x ranges do not overlap)');
    else {
      out.push(`Spread across groups: predicted ${report.y} at common ${report.x} (inside every group's range)`);
      out.push(
        table(
          [report.x, 'max − min', 'relative', 'highest', 'lowest', 'noise (95%)', 'beyond noise'],
          s.points.map((p) => [
            num(p.x),
            num(p.spread, 3),
            `${num(100 * p.relSpread, 3)}%`,
            p.highest,
            p.lowest,
            p.noise95 === null ? '—' : num(p.noise95, 3),
            p.noise95 === null ? '—' : p.spread > p.noise95 ? 'yes' : 'no',
          ]),
        ),
      );
    }
  }
  return out.join('\n');
}
