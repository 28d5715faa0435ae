import { UserError } from '../../errors.js';
import { baseName, type Imported, type InputFile } from './canonical.js';
import { type AnswerLoss, importLmEval } from './lm-eval.js';
import { importMarin } from './marin.js';
import { importOlmo } from './olmo.js';
import { type HistoryColumns, importWandbHistory } from './wandb-history.js';
import { importWandbRuns } from './wandb.js';

// The import formats, by name, and how a file's format is told when none is named: by the names the tools
// give their files, else by the first bytes (a CSV header, a JSON object's keys).

export const importFormats = ['wandb', 'wandb-history', 'lm-eval', 'olmo', 'marin'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const formatList = importFormats.join(', ');

export interface ImportSettings extends HistoryColumns {
  /** lm-eval samples: how an answer's loss is counted (default: the summed loglikelihood). */
  answerLoss?: AnswerLoss;
}

/** Reads `files` as `format` (or, for `auto`, the format every file is sniffed as). */
export async function importFiles(format: ImportFormat | 'auto', files: readonly InputFile[], settings: ImportSettings = {}): Promise<Imported> {
  if (files.length === 0) throw new UserError('no input file given');
  if (format === 'auto') return read(sniffAll(files), files, settings);
  try {
    return await read(format, files, settings);
  } catch (err) {
    // A file of another format: say what it looks like, so the fix is one word.
    const file = err instanceof UserError ? files.find((f) => err.raw.startsWith(f.name)) : undefined;
    const other = file ? sniffed(file) : undefined;
    if (file && other && other !== format)
      throw new UserError(`${err instanceof UserError ? err.raw : ''} (${file.name} looks like ${other}: scalewise import ${other} …)`);
    throw err;
  }
}

async function read(format: ImportFormat, files: readonly InputFile[], settings: ImportSettings): Promise<Imported> {
  const imported = await readAs(format, files, settings);
  return { ...imported, notes: [...imported.notes, ...unitNotes(imported.table.columns)] };
}

const scale: Record<string, string> = { G: '1e9', T: '1e12', P: '1e15' };

/** FLOP columns in another unit are kept as they are, and said so (a silent ×1e9 error is the one to fear). */
export function unitNotes(columns: readonly string[]): string[] {
  const notes: string[] = [];
  for (const c of columns) {
    const unit = /([gtp])flop/i.exec(c)?.[1]?.toUpperCase();
    if (unit) notes.push(`column "${c}" is in ${unit}FLOP, kept as is (--flops expects FLOP: multiply by ${scale[unit]})`);
  }
  return notes;
}

function readAs(format: ImportFormat, files: readonly InputFile[], settings: ImportSettings): Promise<Imported> {
  switch (format) {
    case 'wandb':
      return importWandbRuns(files);
    case 'wandb-history':
      return importWandbHistory(files, settings);
    case 'lm-eval':
      return importLmEval(files, settings.answerLoss);
    case 'olmo':
      return importOlmo(files);
    case 'marin':
      return importMarin(files);
  }
}

function sniffAll(files: readonly InputFile[]): ImportFormat {
  const seen = files.map((f) => ({ f, format: sniff(f) }));
  const first = seen[0]!;
  const other = seen.find((s) => s.format !== first.format);
  if (other) throw new UserError(`${first.f.name} reads as ${first.format} but ${other.f.name} as ${other.format}: import one format at a time`);
  return first.format;
}

/** The format of one file, or an error saying which formats `import` reads. */
export function sniff(file: InputFile): ImportFormat {
  const base = baseName(file.name);
  const named = formatByName(file.name);
  if (named) return named;
  if (/\.parquet$/i.test(base)) return 'wandb-history';
  const head = new TextDecoder().decode(file.bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (/\.csv$/i.test(base)) {
    const header = head
      .split(/\r?\n/, 1)[0]!
      .split(',')
      .map((c) => c.trim().replace(/^"|"$/g, ''));
    // A runs-table export has Name and State (and often a summary `_step`); history has a step per row.
    if (header.includes('Name') && header.includes('State')) return 'wandb';
    if ((header.includes('metric') && header.includes('value')) || header.includes('_step')) return 'wandb-history';
    if (header.includes('Name') || header.includes('ID')) return 'wandb';
  }
  const line = head.trimStart();
  if (/^\{\s*"(tracker|event|config)"\s*:/.test(line) || (line.startsWith('{') && /"tracker":\s*"json_logger"/.test(line.split('\n', 1)[0]!))) return 'marin';
  if (/^\{[\s\S]*"results"\s*:/.test(line)) return 'lm-eval';
  throw new UserError(`${file.name}: cannot tell its format: scalewise import reads ${formatList} (name it: scalewise import FORMAT FILE…)`);
}

/** The format of a file the tools name as theirs (lm-eval `results_*.json`, OLMo `metrics_step*.json`, …), by its name alone. */
export function formatByName(name: string): ImportFormat | undefined {
  const base = baseName(name);
  if (/^results_.+\.json$|^samples_.+\.jsonl$/i.test(base)) return 'lm-eval';
  if (/^metrics_step\d+\.json$/i.test(base)) return 'olmo';
  if (/^tracker_metrics\.jsonl$/i.test(base)) return 'marin';
  return undefined;
}

function sniffed(file: InputFile): ImportFormat | undefined {
  try {
    return sniff(file);
  } catch {
    return undefined;
  }
}
