import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { keepColumns } from '../../data/import/canonical.js';
import { formatList, type ImportFormat, importFiles, importFormats } from '../../data/import/formats.js';
import { type AnswerLoss, answerLosses } from '../../data/import/lm-eval.js';
import { joinRuns } from '../../data/import/join.js';
import { nearestNames } from '../../data/import/names.js';
import { readTable } from '../../data/read.js';
import { parquetColumns, toCsv } from '../../data/import/write.js';
import { UserError } from '../../errors.js';
import { type OptionValues, option } from '../../options/option.js';
import type { Io } from '../io.js';
import { addOptions, parseOptions } from '../options.js';

// `scalewise import [FORMAT] FILE… --out FILE`: the parsers are pure (src/data/import, shared with anything
// that has the bytes); this reads the files and writes the canonical table.

export const importOptions = {
  out: option.text('required: the run table to write, .csv or .parquet (- writes CSV to stdout)', { arg: 'FILE', required: true }),
  metrics: option.names('keep only these columns (and the run/step/model columns), in this order', { arg: 'COL,COL' }),
  run: option.text('wandb-history: the run column (default: run, run_id, run_name, name or id; none: the file names the run)', { arg: 'COL' }),
  runs: option.text('a run table (any format scalewise reads) whose columns each imported row takes: lm-eval rows by model name or path, checkpoints by run', {
    arg: 'FILE',
    path: true,
  }),
  join: option.text('the column of --runs that names each run', { arg: 'COL', default: 'run' }),
  answerLoss: option.choice(
    'lm-eval samples: the answer loss per document, summed over its tokens (total: loss_task_T), per character (loss_per_char_task_T) or in bits per byte (bpb_task_T)',
    {
      values: answerLosses,
      noun: 'answer loss',
      default: 'total',
      arg: 'total|per-char|bpb',
    },
  ),
  step: option.text('wandb-history: the step column (default: step, _step, global_step or trainer/global_step)', { arg: 'COL' }),
};

type ImportValues = OptionValues<typeof importOptions>;

export function registerImport(program: Command, io: Io): void {
  const cmd = program
    .command('import')
    .description(`read W&B, lm-evaluation-harness, OLMo-core or Marin output into a run table (FORMAT: ${formatList}, or auto; default: sniffed)`)
    .usage('[FORMAT] FILE… --out FILE [options]')
    .argument('<files...>', `FORMAT (optional: ${formatList} or auto), then the files`);
  addOptions(cmd, importOptions).action(async (args: string[], flags: Record<string, unknown>) => {
    const o = parseOptions<ImportValues>(importOptions, flags);
    if (o.out === undefined) throw new UserError('--out FILE is required (a .csv or .parquet file, or - for stdout)');
    const { format, paths } = formatAndFiles(args);
    if ((o.run !== undefined || o.step !== undefined) && format !== 'wandb-history' && format !== 'auto')
      throw new UserError(`--${o.run !== undefined ? 'run' : 'step'} applies to wandb-history only`);
    const parquet = /\.parquet$/i.test(o.out);
    if (o.out !== '-' && !parquet && !/\.csv$/i.test(o.out)) throw new UserError(`--out "${o.out}": expected a .csv or .parquet file name (or -)`);
    const files = [];
    for (const p of paths) files.push({ name: p, bytes: await readInput(p) });
    if (o.answerLoss !== 'total' && format !== 'lm-eval' && format !== 'auto') throw new UserError('--answer-loss applies to lm-eval only');
    let imported = await importFiles(format, files, { run: o.run, step: o.step, answerLoss: o.answerLoss as AnswerLoss });
    if (o.metrics) imported = keepColumns(imported, o.metrics, '--metrics');
    if (o.runs !== undefined) imported = joinRuns(imported, await readTable(o.runs), o.join, '--join');
    for (const n of imported.notes) io.stderr(`scalewise: note: ${n}\n`);
    const { table } = imported;
    if (o.out === '-') {
      io.stdout(toCsv(table));
      return;
    }
    await writeOut(o.out, parquet ? await parquetBytes(table) : new TextEncoder().encode(toCsv(table)));
    io.stderr(`scalewise: wrote ${o.out}: ${table.rows.length} row${table.rows.length === 1 ? '' : 's'}, ${table.columns.length} columns\n`);
  });
}

/** The first argument is the format when it names one (or `auto`); otherwise every argument is a file. */
function formatAndFiles(args: string[]): { format: ImportFormat | 'auto'; paths: string[] } {
  const [first, ...rest] = args;
  if (first !== undefined && (importFormats as readonly string[]).includes(first)) return { format: first as ImportFormat, paths: rest };
  if (first === 'auto') return { format: 'auto', paths: rest };
  // A bare word that is no format is a misspelt format, not a file.
  if (first !== undefined && !/[./\\]/.test(first))
    throw new UserError(`unknown format "${first}" (formats: ${formatList}, auto; nearest: ${nearestNames(first, importFormats, 1).join('')})`);
  return { format: 'auto', paths: args };
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err))})`);
  }
}

async function writeOut(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw new UserError(`--out "${path}": cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/**
 * Parquet through hyparquet-writer, loaded only here. It is a devDependency: an install without it gets a
 * one-line error rather than a crash (moving it to dependencies makes Parquet output always available).
 */
async function parquetBytes(table: Parameters<typeof parquetColumns>[0]): Promise<Uint8Array> {
  let writer: typeof import('hyparquet-writer');
  try {
    writer = await import('hyparquet-writer');
  } catch {
    throw new UserError('--out *.parquet needs the hyparquet-writer package (npm install hyparquet-writer); or write .csv');
  }
  return new Uint8Array(writer.parquetWriteBuffer({ columnData: parquetColumns(table) }));
}
