import type { Command } from 'commander';
import { toRuns, type ColumnMapping } from '../data/columns.js';
import { readTables } from '../data/read.js';
import type { Runs } from '../data/runs.js';
import type { Table } from '../data/table.js';
import { applyFilters, parseFilter } from '../data/where.js';
import { UserError } from '../errors.js';
import { collect } from './parse.js';

/** Flags shared by every command that reads runs: selection and column mapping. */
export interface RunsFlags {
  where?: string[];
  params?: string;
  tokens?: string;
  flops?: string;
  loss?: string;
}

export function addRunsOptions(cmd: Command, { loss = true } = {}): Command {
  cmd
    .option('--where <COL=VALUE>', 'keep rows where the condition holds (=, !=, <, <=, >, >=; repeatable, ANDed)', collect, [])
    .option('--params <COL>', 'column with parameter counts N', 'params')
    .option('--tokens <COL>', 'column with training tokens D')
    .option('--flops <COL>', 'column with training compute C (FLOP); default 6·N·D');
  if (loss) cmd.option('--loss <COL>', 'column with the loss to fit', 'loss');
  return cmd;
}

/** Reads the files, applies `--where`, and returns the table (for commands that need other columns too). */
export async function loadTable(files: string[], flags: RunsFlags): Promise<Table> {
  if (files.length === 0) throw new UserError('no input file given');
  const table = await readTables(files);
  return applyFilters(table, (flags.where ?? []).map((w) => parseFilter(w)));
}

export function mapping(flags: RunsFlags): ColumnMapping {
  return { params: flags.params ?? 'params', tokens: flags.tokens, flops: flags.flops, loss: flags.loss ?? 'loss' };
}

/** Reads the files, applies `--where` and maps columns to runs. */
export async function loadRuns(files: string[], flags: RunsFlags): Promise<Runs> {
  return toRuns(await loadTable(files, flags), mapping(flags));
}
