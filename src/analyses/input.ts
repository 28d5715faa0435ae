/**
 * The rows and options an analysis runs on, from the table it is given: `--where`, N counted from shape
 * (`--non-embedding`), the compute column (`--flops`, counted from shape with `--flops-from`, or read from run names
 * with `--budget-from`), the checkpoints kept (`--run`), `--flops-scale`; and the warnings about that input (a FLOP
 * column off the 6·N·D convention). `defineAnalysis` runs it before every analysis, so every front end gets it.
 */
import { budgetInName } from '../data/budget-label.js';
import { selectCheckpoints, type CheckpointKind } from '../data/checkpoints.js';
import { numericColumn, requireColumn } from '../data/columns.js';
import { flopConvention, isNearSix, type FlopConvention } from '../data/flop-convention.js';
import { flopsPerToken, nonEmbeddingParams, type FlopConventionName } from '../data/flop-count.js';
import type { Table, TableRow } from '../data/table.js';
import { applyFilters, type Filter } from '../data/where.js';
import { at, optionRef, UserError } from '../errors.js';
import { num } from '../format/number.js';
import { warning, type Warning } from '../warnings.js';

/** The input options (`runsOptions`), as an analysis receives them; each analysis has those it declares. */
export interface InputOptions {
  where?: Filter[];
  run?: string;
  step?: string;
  checkpoints?: CheckpointKind;
  phase?: string;
  skipFirst?: number;
  smooth?: string;
  bestPer?: string[];
  params?: string;
  tokens?: string;
  flops?: string;
  loss?: string;
  atBudgets?: number[];
  flopsScale?: number;
  flopsFrom?: FlopConventionName;
  budgetFrom?: string;
  nonEmbedding?: boolean;
  layers?: string;
  width?: string;
  context?: number;
  vocab?: number;
}

/** `--non-embedding`: N counted as 12·layers·width² (Kaplan et al. 2020), the column `N_nonembedding` read as `--params`. */
function nonEmbeddingCounted<O extends InputOptions>(table: Table, o: O): [Table, O] {
  if (!o.nonEmbedding) return [table, o];
  for (const key of ['layers', 'width'] as const) if (o[key] === undefined) throw new UserError(`${optionRef('nonEmbedding')} needs ${optionRef(key)} COL`);
  const L = numericColumn(table, o.layers!, { positive: true });
  const W = numericColumn(table, o.width!, { positive: true });
  const column = 'N_nonembedding';
  return [withColumn(table, column, (_, i) => nonEmbeddingParams(L[i]!, W[i]!)), { ...o, params: column }];
}

/** `--budget-from COL`: each run's C read from its name (src/data/budget-label.ts), as the column `C_from_COL`. */
function budgetsNamed<O extends InputOptions>(table: Table, o: O, source: string): { table: Table; options: O } {
  if (o.flops !== undefined || o.flopsFrom !== undefined) {
    throw new UserError(`give one of ${optionRef('flops')}, ${optionRef('flopsFrom')} and ${optionRef('budgetFrom')}`);
  }
  requireColumn(table, source);
  const column = `C_from_${source}`;
  const named = withColumn(table, column, (r) => {
    const text = String(r.values[source] ?? '');
    const C = budgetInName(text);
    if (!(C > 0 && Number.isFinite(C))) throw new UserError(`${at(r.origin, source)}"${text}" holds no budget in scientific notation (like 1e19)`);
    return C;
  });
  return { table: named, options: { ...o, flops: column } };
}

/**
 * `--flops-from CONVENTION`: a compute column counted from each run's shape (src/data/flop-count.ts), named
 * `C_CONVENTION`, and the options reading it as `--flops`.
 */
function flopsCounted<O extends InputOptions>(table: Table, o: O): { table: Table; options: O } {
  if (o.flopsFrom === undefined) return o.budgetFrom !== undefined ? budgetsNamed(table, o, o.budgetFrom) : { table, options: o };
  if (o.budgetFrom !== undefined) return budgetsNamed(table, o, o.budgetFrom);
  const c = o.flopsFrom;
  if (o.flops !== undefined) throw new UserError(`give ${optionRef('flops')} COL or ${optionRef('flopsFrom')} ${c}, not both`);
  if (o.tokens === undefined) throw new UserError(`${optionRef('flopsFrom')} ${c} needs ${optionRef('tokens')} COL: C is D times the FLOPs per token`);
  const needs = [
    ...(c === '6nd' ? [] : (['layers', 'width'] as const)),
    ...(c === 'kaplan' || c === 'chinchilla' ? (['context'] as const) : []),
    ...(c === 'chinchilla' ? (['vocab'] as const) : []),
  ];
  for (const key of needs) if (o[key] === undefined) throw new UserError(`${optionRef('flopsFrom')} ${c} needs ${optionRef(key)}`);
  const D = numericColumn(table, o.tokens, { positive: true });
  const N = c === '6nd' ? numericColumn(table, o.params ?? 'params', { positive: true }) : undefined;
  const L = o.layers !== undefined ? numericColumn(table, o.layers, { positive: true }) : undefined;
  const W = o.width !== undefined ? numericColumn(table, o.width, { positive: true }) : undefined;
  const column = `C_${c}`;
  const counted = withColumn(
    table,
    column,
    (_, i) => D[i]! * flopsPerToken(c, { params: N?.[i] ?? 0, layers: L?.[i] ?? 0, width: W?.[i] ?? 0, context: o.context ?? 0, vocab: o.vocab ?? 0 }),
  );
  return { table: counted, options: { ...o, flops: column } };
}

/** Where a result keeps the warnings about its input (not its own field: the result's JSON stays its own). */
const INPUT_WARNINGS = Symbol('input warnings');

/** The warnings about the input an analysis read (a FLOP column off the 6·N·D convention), attached to its result by `run`. */
export function inputWarningsOf(result: unknown): Warning[] {
  return typeof result === 'object' && result !== null ? ((result as Record<symbol, Warning[]>)[INPUT_WARNINGS] ?? []) : [];
}

/** `--flops-scale X`: the compute column times X, before anything reads it. */
function flopsScaled(table: Table, o: InputOptions): Table {
  if (o.flopsScale === undefined) return table;
  if (o.flops === undefined) throw new UserError(`${optionRef('flopsScale')} needs ${optionRef('flops')} COL`);
  const C = numericColumn(table, o.flops, { positive: true });
  const column = o.flops;
  return { columns: table.columns, rows: table.rows.map((r, i) => ({ origin: r.origin, values: { ...r.values, [column]: C[i]! * o.flopsScale! } })) };
}

/**
 * With a compute column and N and D: k in C = k·N·D. Far from 6, the column is in another unit or counts
 * another way, and every D* = C/(6N*) would be off by k/6: said, not silently used. A table the analysis
 * refused never gets here; one whose columns cannot be read is left to the analysis's own errors.
 */
function inputWarnings(table: Table, o: InputOptions): Warning[] {
  if (o.flops === undefined || o.tokens === undefined || o.params === undefined) return [];
  let k: FlopConvention | null;
  try {
    k = flopConvention(numericColumn(table, o.params), numericColumn(table, o.tokens), numericColumn(table, o.flops));
  } catch {
    return [];
  }
  if (!k || isNearSix(k.median)) return [];
  return [
    warning(
      'flops-convention',
      `${o.flops} is ${num(k.median, 3)}·N·D (median over the runs; ${num(k.min, 3)} to ${num(k.max, 3)}), not 6·N·D: another unit (GFLOPs: --flops-scale 1e9) or a forward-only count (--flops-scale 3)? Compute-optimal D* = C/(6N*) assumes 6·N·D`,
    ),
  ];
}

/** The rows an analysis reads: with `run`, the selected checkpoints of each run; without, the rows as they are. */
function checkpointsOf(table: Table, o: InputOptions): Table {
  if (o.run === undefined) {
    for (const [key, given] of [
      ['step', o.step !== undefined],
      ['checkpoints', o.checkpoints !== undefined && o.checkpoints !== 'final'],
      ['phase', o.phase !== undefined],
      ['skipFirst', o.skipFirst !== undefined],
      ['smooth', o.smooth !== undefined],
      ['bestPer', o.bestPer !== undefined],
    ] as const) {
      if (given) throw new UserError(`${optionRef(key)} needs ${optionRef('run')} COL (the column naming each row's run)`);
    }
    return table;
  }
  const structural = [o.params, o.tokens, o.flops, o.step].filter((c): c is string => c !== undefined);
  return selectCheckpoints(table, {
    run: o.run,
    step: o.step ?? o.tokens,
    // Reading curves at budgets needs the whole curve: `final` then means every checkpoint.
    checkpoints: o.atBudgets !== undefined && (o.checkpoints ?? 'final') === 'final' ? 'all' : (o.checkpoints ?? 'final'),
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
    ...(o.skipFirst !== undefined ? { skipFirst: o.skipFirst } : {}),
    ...(o.smooth !== undefined ? { smooth: o.smooth } : {}),
    ...(o.bestPer !== undefined ? { bestPer: o.bestPer } : {}),
    ...(o.loss !== undefined ? { loss: o.loss } : {}),
    structural,
  }).table;
}

/**
 * A shape option nothing reads is refused, also beside --budget-from, rather than silently ignored: the
 * layers and the width serve a FLOP count (--flops-from) or --non-embedding, the context and the
 * vocabulary only a FLOP count. Checked before any column is read, so the option is the error named.
 */
function refuseUnusedShape(o: InputOptions): void {
  if (o.flopsFrom !== undefined) return;
  for (const key of ['layers', 'width', 'context', 'vocab'] as const) {
    if (o[key] === undefined) continue;
    const shape = key === 'layers' || key === 'width';
    if (shape && o.nonEmbedding === true) continue;
    const users = shape ? `${optionRef('flopsFrom')} CONVENTION or ${optionRef('nonEmbedding')}` : `${optionRef('flopsFrom')} CONVENTION`;
    throw new UserError(`${optionRef(key)} is read only with ${users}`);
  }
}

/** The table and options an analysis runs on, and the warnings about its input. */
export function analysisInput<O extends InputOptions>(table: Table, given: O): { table: Table; options: O; warnings: Warning[] } {
  refuseUnusedShape(given);
  const rows = given.where && given.where.length > 0 ? applyFilters(table, given.where) : table;
  const counted = flopsCounted(...nonEmbeddingCounted(rows, given));
  const options = counted.options;
  const input = flopsScaled(checkpointsOf(counted.table, options), options);
  return { table: input, options, warnings: inputWarnings(input, options) };
}

/** The result, carrying the input's warnings where the presenters' registry finds them (`inputWarningsOf`). */
export function withInputWarnings<R>(result: R, warnings: Warning[]): R {
  if (warnings.length > 0 && typeof result === 'object' && result !== null) Object.defineProperty(result, INPUT_WARNINGS, { value: warnings });
  return result;
}

/** A table with one computed column added (a count from shape, a budget from a name). */
function withColumn(table: Table, column: string, value: (row: TableRow, i: number) => number): Table {
  return { columns: [...table.columns, column], rows: table.rows.map((r, i) => ({ origin: r.origin, values: { ...r.values, [column]: value(r, i) } })) };
}
