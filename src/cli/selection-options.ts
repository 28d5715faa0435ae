import type { Command } from 'commander';
import type { Selection } from '../data/selection.js';
import { parseFilter } from '../data/where.js';
import { collect, count } from './parse.js';

/** Flags that choose fit and target runs (a backtest); see {@link Selection}. */
export interface SelectionFlags {
  fitWhere?: string[];
  targetWhere?: string[];
  holdoutTop?: string;
}

export function addSelectionOptions(cmd: Command): Command {
  return cmd
    .option('--fit-where <COL=VALUE>', 'fit on rows where the condition holds (as --where; repeatable, ANDed)', collect, [])
    .option('--target-where <COL=VALUE>', 'score the fitted law on rows where the condition holds (repeatable, ANDed)', collect, [])
    .option('--holdout-top <K>', 'hold the K largest compute budgets out of the fit and score the law on them');
}

export function parseSelection(flags: SelectionFlags): Selection {
  return {
    fitWhere: (flags.fitWhere ?? []).map((w) => parseFilter(w, '--fit-where')),
    targetWhere: (flags.targetWhere ?? []).map((w) => parseFilter(w, '--target-where')),
    ...(flags.holdoutTop !== undefined ? { holdoutTop: count('--holdout-top', flags.holdoutTop) } : {}),
  };
}
