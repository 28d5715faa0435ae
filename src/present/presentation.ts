import type { NamedFigure } from '../plots/sets.js';
import type { Warning } from '../warnings.js';
import type { Block } from './document.js';

/** One analysis's result in every form it is shown: JSON, tables, warnings, figures. */
export interface Presentation {
  /** The document `--json` prints. */
  json: object;
  /** The tables and lines a person reads (CLI text, report HTML). */
  blocks: Block[];
  /** Warnings, their messages already naming their group and skill. */
  warnings: Warning[];
  /** The figures (`--plot`, the report), drawn into `document`; the figure code loads only when asked. */
  figures(document: Document): Promise<NamedFigure[]>;
}
