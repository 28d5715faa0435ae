import type { NamedFigure } from '../plots/sets.js';
import { writePlots } from './plot-option.js';

/** What one command computed, in every form it is shown: JSON, text, warnings, figures. */
export interface AnalysisOutput {
  /** The document `--json` prints. */
  json: object;
  /** The human-readable tables. */
  text: string;
  /** Warning lines (without the `scalewise: warning: ` prefix), already naming their group and skill. */
  warnings: string[];
  /** The figures of `--plot` and the report. */
  figures(document: Document): NamedFigure[];
}

/** Prints an analysis as a command does: JSON or text on stdout, warnings on stderr, figures to `--plot`. */
export function emit(out: AnalysisOutput, flags: { json?: boolean; plot?: string }): void {
  process.stdout.write((flags.json ? JSON.stringify(out.json) : out.text) + '\n');
  for (const w of out.warnings) process.stderr.write(`scalewise: warning: ${w}\n`);
  if (flags.plot) writePlots(flags.plot, out.figures);
}
