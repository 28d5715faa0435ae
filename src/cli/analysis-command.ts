/**
 * One CLI command per declared analysis, derived from its declaration: the options become flags, the files
 * are read and filtered, the pipeline runs with the Node environment, and the presenter's result is printed.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readStdinTable, readTable, readTables } from '../data/read.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { nodeEnv } from '../node/env.js';
import { option, type OptionSpecs } from '../options/option.js';
import type { ShownAnalysis } from '../present/registry.js';
import type { Io } from './io.js';
import { addOptions, parseOptions } from './options.js';
import { emit, ensureDir, writePlots } from './output.js';
import { progressBar } from './progress.js';

/** Options only the CLI has: where output goes and how it runs (a study cannot set them). */
export const outputOptions = {
  json: option.switch('print one JSON document instead of tables'),
  plot: option.text('write the figures as SVG and PNG into DIR (created if missing)', { arg: 'DIR' }),
  timing: option.switch('add wall time in seconds ("seconds") to the JSON output'),
};
/** Worker threads for the bootstraps of `fit` and `backtest`. */
export const threadsOption = {
  threads: option.count('worker threads for the bootstrap (default: all cores)', { arg: 'T' }),
};
/** `fit` only: the saved fit for `predict`. */
export const saveOption = {
  save: option.text('write the fit (θ, data ranges, bootstrap draws, error law) for `scalewise predict`', { arg: 'FILE' }),
};

/** The output options a command has: `predict` and `plan` draw nothing and run no bootstrap. */
export function cliOptionsOf(kind: string): OptionSpecs {
  if (kind === 'predict') return { json: outputOptions.json };
  // A plan draws N*, D* and loss against budget (plan-curves); a prediction has no figure.
  if (kind === 'plan') return { json: outputOptions.json, plot: outputOptions.plot };
  if (kind === 'fit') return { ...outputOptions, ...threadsOption, ...saveOption };
  return kind === 'backtest' ? { ...outputOptions, ...threadsOption } : outputOptions;
}

export function registerAnalysis(program: Command, shown: ShownAnalysis, io: Io): void {
  const { analysis } = shown;
  const reads = analysis.reads ?? 'runs';
  const cmd = program.command(analysis.kind).description(analysis.summary);
  const positional = Object.entries(analysis.options as OptionSpecs).find(([, s]) => s.kind === 'text' && s.positional)?.[0];
  if (reads === 'runs') cmd.argument('<files...>', 'run tables: .csv, .tsv, .json, .jsonl or .parquet');
  else if (positional) cmd.argument(`[${positional}]`, analysis.options[positional]!.doc);
  const cli = cliOptionsOf(analysis.kind);
  addOptions(addOptions(cmd, analysis.options), cli);
  cmd.action(async (arg: string[] | string | undefined, raw: Record<string, unknown>) => {
    const started = performance.now();
    if (positional && typeof arg === 'string' && raw[positional] === undefined) raw = { ...raw, [positional]: arg };
    const notices: string[] = [];
    const options = parseOptions<Record<string, unknown>>(analysis.options, raw, notices);
    for (const n of notices) io.stderr(`scalewise: warning: ${n}\n`);
    const flags = parseOptions<{ json?: boolean; plot?: string; timing?: boolean; threads?: number; save?: string }>(cli, raw);
    ensureDir('--plot', flags.plot);
    const table = reads === 'runs' ? await loadTables(arg as string[], io) : { columns: [], rows: [] };
    let bar: ReturnType<typeof progressBar> | undefined;
    const env = nodeEnv({
      threads: flags.threads === undefined ? undefined : cappedThreads(flags.threads, io),
      onProgress: (done, total) => {
        bar ??= progressBar('bootstrap', total, io);
        bar.update(done);
      },
    });
    const result = await analysis.run(table, options, env);
    bar?.stop();
    const out = shown.present(result);
    if (flags.save !== undefined) save(flags.save, (result as { saved(): object }).saved());
    if (flags.timing) (out.json as { seconds?: number }).seconds = Number(((performance.now() - started) / 1000).toFixed(3));
    emit(out, io, flags);
    if (flags.plot) await writePlots(flags.plot, out, io);
  });
}

/** Reads the run tables and stacks them (the analysis keeps the rows its `where` selects); `-` is standard input. */
async function loadTables(files: string[], io: Io): Promise<Table> {
  if (files.length === 0) throw new UserError('no input file given');
  if (files.filter((f) => f === '-').length > 1) throw new UserError('"-" (standard input) can be given once');
  return readTables(files, (f) => {
    if (f !== '-') return readTable(f);
    if (!io.stdin) throw new UserError('"-": no standard input to read');
    return readStdinTable(io.stdin);
  });
}

/**
 * Worker threads beyond the cores only cost memory (64 workers: 1.1 GB, the same output): `--threads` is capped
 * at the machine's cores, with a notice.
 */
function cappedThreads(threads: number, io: Io): number {
  const cores = availableParallelism();
  if (threads <= cores) return threads || 1;
  io.stderr(`scalewise: warning: --threads ${threads}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}\n`);
  return cores;
}

function save(path: string, doc: object): void {
  try {
    writeFileSync(path, `${JSON.stringify(doc)}\n`);
  } catch (err) {
    throw new UserError(`--save ${path}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
