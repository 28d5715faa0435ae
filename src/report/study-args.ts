import type { Study, StudyAnalysis } from '../schema/study.js';

/** One analysis of a study as the command line that runs it. */
export interface AnalysisCommand {
  kind: StudyAnalysis['kind'];
  /** Run tables, as the study names them (relative to the study file's folder). */
  files: string[];
  /** Flags and values, in the order printed. */
  flags: string[];
}

/** Study keys whose flag is not simply --kebab-case of the key. */
const SKIP = new Set(['kind', 'title', 'data', 'columns', 'where', 'skills', 'pooled']);
/** Flags given once per value (a list of conditions), not once with the values joined by commas. */
const REPEATED = new Set(['fitWhere', 'targetWhere', 'errorFitWhere', 'xWhere', 'yWhere']);

/**
 * The `scalewise KIND FILES FLAGS` command an analysis of the study stands for. An analysis on the study's
 * data inherits the study's columns and filters (its own columns override, its filters add); one with its
 * own `data` describes that data itself.
 */
export function analysisCommand(study: Study, a: StudyAnalysis): AnalysisCommand {
  const flags: string[] = [];
  const { files, columns, where } = analysisInputs(study, a);
  for (const key of ['params', 'tokens', 'flops', 'loss'] as const) if (columns[key] !== undefined) flags.push(`--${key}`, columns[key]!);
  for (const w of where) flags.push('--where', w);
  if (a.kind === 'skills') {
    for (const [name, cols] of Object.entries(a.skills)) {
      const list = Array.isArray(cols) ? cols.join(',') : Object.entries(cols).map(([c, w]) => `${c}:${w}`).join(',');
      flags.push('--skill', `${name}=${list}`);
    }
  }
  for (const [key, value] of Object.entries(a)) {
    if (SKIP.has(key) || value === undefined || value === false) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (value === true) flags.push(flag);
    else if (REPEATED.has(key)) for (const v of value as string[]) flags.push(flag, v);
    else flags.push(flag, Array.isArray(value) ? value.join(',') : String(value));
  }
  if (a.kind === 'skills' && a.pooled === false) flags.push('--no-pooled');
  return { kind: a.kind, files, flags };
}

/** The tables, columns and filters an analysis uses: the study's, unless it names its own data. */
export function analysisInputs(study: Study, a: StudyAnalysis): { files: string[]; columns: NonNullable<Study['columns']>; where: string[] } {
  const inherit = a.data === undefined;
  return {
    files: a.data ?? study.data,
    columns: { ...(inherit ? study.columns : {}), ...a.columns },
    where: [...(inherit ? study.where ?? [] : []), ...(a.where ?? [])],
  };
}

/** The command as a user types it in a POSIX shell (arguments quoted where the shell would split them). */
export function shellCommand(c: AnalysisCommand): string {
  return ['scalewise', c.kind, ...c.files, ...c.flags].map(shellQuote).join(' ');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
