/**
 * A study's analyses as the pipelines take them: each analysis's tables, columns and filters (inherited from
 * the study unless it names its own data), its options typed from the study's JSON values, and the CLI
 * command that reproduces it. Nothing of a study becomes an argument vector: its values are typed data.
 */
import type { AnalysisEnv } from '../analyses/analysis.js';
import { parseFilter } from '../data/where.js';
import { UserError } from '../errors.js';
import { flagName, offFlag, type OptionSpec, type OptionSpecs } from '../options/option.js';
import { analyses, type AnalysisKind, type ShownAnalysis } from '../present/registry.js';
import type { Presentation } from '../present/presentation.js';
import type { Study, StudyAnalysis } from '../schema/study.js';
import { stackTables } from '../data/table.js';
import { fileLabel, planFromSaved, type PlanOptions, type PlanSource } from '../analyses/plan.js';
import type { FitAnalysisResult } from '../analyses/fit.js';
import { checkOptions } from '../options/check.js';
import { withDefaults } from '../options/option.js';
import { loadSavedFit } from '../analyses/saved-fit.js';
import { planFiles, planFromEntries, type StudyFitEntry } from './study-plan.js';

type Columns = NonNullable<Study['columns']>;

/** The tables, columns and filters an analysis uses: the study's, unless it names its own data. */
export function analysisInputs(study: Study, a: StudyAnalysis): { files: string[]; columns: Columns; where: string[] } {
  const inherit = a.data === undefined;
  return {
    files: a.data ?? study.data,
    columns: { ...(inherit ? study.columns : {}), ...a.columns },
    where: [...(inherit ? (study.where ?? []) : []), ...(a.where ?? [])],
  };
}

/**
 * The analysis's options from the study: columns and filters by where the study holds them, the rest by key.
 * A former key still counts, and adds a line to `notices`.
 */
export function studyOptions(study: Study, a: StudyAnalysis, notices: string[] = []): Record<string, unknown> {
  const specs: OptionSpecs = analyses[a.kind].analysis.options;
  const { columns, where } = analysisInputs(study, a);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    let given = spec.study === 'columns' ? columns[key as keyof Columns] : spec.study === 'where' ? (where.length ? where : undefined) : a[key];
    for (const old of spec.deprecated ?? []) {
      if (a[old] === undefined) continue;
      notices.push(`${old} is deprecated: use ${key}`);
      given ??= a[old];
    }
    if (given === undefined) {
      if (spec.default !== undefined) out[key] = spec.default;
      continue;
    }
    out[key] = studyValue(spec, given, spec.study === 'where' ? 'where' : key);
  }
  return out;
}

function studyValue(spec: OptionSpec, value: unknown, name: string): unknown {
  if (spec.kind === 'conditions') return (value as string[]).map((w) => parseFilter(w, name));
  if (spec.kind === 'names') return distinctNames(name, typeof value === 'string' ? value.split(',').map((t) => t.trim()) : (value as string[]));
  if (spec.kind === 'count' && spec.all && value === 'all') return Infinity;
  if (spec.kind === 'custom') return spec.fromStudy(value);
  return value;
}

/** A list of names holds each once (`"mix": ["a", "a"]` would weigh a skill against itself). */
function distinctNames(key: string, names: string[]): string[] {
  const seen = new Set<string>();
  for (const n of names) {
    if (n !== '' && seen.has(n)) throw new UserError(`${key}: "${n}" is listed twice`);
    seen.add(n);
  }
  return names;
}

/** The `scalewise KIND FILES FLAGS` command an analysis of the study stands for (run from the study's folder). */
export function studyCommand(study: Study, a: StudyAnalysis): string[] {
  const specs: OptionSpecs = analyses[a.kind].analysis.options;
  const { files, columns, where } = analysisInputs(study, a);
  // An analysis that reads no run tables (plan) names its files by its options.
  const args: string[] = ['scalewise', a.kind, ...(analyses[a.kind].analysis.reads === 'none' ? [] : files)];
  for (const key of ['params', 'tokens', 'flops', 'loss'] as const) if (columns[key] !== undefined && specs[key]) args.push(`--${key}`, columns[key]!);
  for (const w of where) args.push('--where', w);
  // Repeated custom options (skills) first, then the rest in the study's order, off-switches last.
  const keys = Object.keys(a)
    .map((k) => (specs[k] ? k : (Object.keys(specs).find((c) => specs[c]!.deprecated?.includes(k)) ?? k)))
    .filter((k) => specs[k] && specs[k]!.study === undefined);
  const ordered = [...keys.filter((k) => specs[k]!.kind === 'custom'), ...keys.filter((k) => specs[k]!.kind !== 'custom')];
  const off: string[] = [];
  for (const key of ordered) {
    const spec = specs[key]!,
      value = a[key] ?? spec.deprecated?.map((old) => a[old]).find((v) => v !== undefined);
    const flag = flagName(key, spec);
    if (spec.kind === 'switch') {
      if (value === true && !spec.negatable) args.push(flag);
      if (value === false && spec.negatable) off.push(offFlag(key));
    } else if (spec.kind === 'custom') for (const v of spec.toText(spec.fromStudy(value))) args.push(flag, v);
    else if (spec.kind === 'conditions') for (const v of value as string[]) args.push(flag, v);
    else args.push(flag, Array.isArray(value) ? value.join(',') : String(value));
  }
  return [...args, ...off];
}

/** The command as a user types it in a POSIX shell (arguments quoted where the shell would split them). */
export function shellCommand(args: string[]): string {
  return args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** One analysis of a study, run: what it is, the command that reproduces it, and its result as shown. */
export interface StudyResult {
  kind: AnalysisKind;
  title: string;
  command: string;
  shown: Presentation;
  /** Notices about the study itself (a deprecated key), as `analyses[i].key is deprecated: …`. */
  notices: string[];
}

/**
 * Runs every analysis of a study. `env` reads files relative to the study's folder (data tables through
 * `readTable`); `file` names the study in messages (`study.json: analyses[1]: …`, options by their study keys).
 */
export async function runStudy(study: Study, file: string, env: AnalysisEnv, onResult?: (r: StudyResult) => void): Promise<StudyResult[]> {
  const out: StudyResult[] = [];
  const fits = new Map<number, StudyFitEntry>();
  for (const [i, a] of study.analyses.entries()) {
    const at = `analyses[${i}]`;
    const { analysis, present } = analyses[a.kind] as ShownAnalysis;
    let shown: Presentation;
    const notices: string[] = [];
    const title = a.title ?? `${a.kind} ${i + 1}`;
    let command: string;
    try {
      command = shellCommand(studyCommand(study, a));
      if (a.from !== undefined && a.kind !== 'plan') throw new UserError(`from: only a plan entry plans from other entries (this is a ${a.kind} entry)`);
      const options = studyOptions(study, a, notices);
      if (a.kind === 'plan') {
        const entries = planFromEntries(a, i, study.analyses, fits);
        shown = present(await studyPlan(options as PlanOptions, entries, env));
        // The fits it plans from, saved by their own commands, then this plan reading them.
        if (entries.length > 0) command = studyPlanCommand(entries, command, fits);
      } else {
        const table = await stackTables(analysisInputs(study, a).files, env.readTable);
        const result = await analysis.run(table, options as never, env);
        if (a.kind === 'fit') fits.set(i, { index: i, title, command, saved: (result as FitAnalysisResult).saved() });
        shown = present(result);
      }
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${file}: ${at}: ${err.render((key) => key)}`);
      throw err;
    }
    const r: StudyResult = {
      kind: a.kind,
      title,
      command,
      shown,
      notices: notices.map((n) => `${at}.${n}`),
    };
    onResult?.(r);
    out.push(r);
  }
  return out;
}

/** A study's plan: from its fit entries (already run) and any saved-fit files inside the study's folder. */
async function studyPlan(options: PlanOptions, entries: PlanSource[], env: AnalysisEnv) {
  planFiles(options);
  const o = withDefaults(analyses.plan.analysis.options, options) as PlanOptions;
  checkOptions(analyses.plan.analysis.options, o as Record<string, unknown>);
  if (entries.length === 0) return analyses.plan.analysis.run({ columns: [], rows: [] }, o, env);
  const files = [...(o.fit !== undefined ? [{ label: fileLabel(o.fit), file: o.fit }] : []), ...(o.also ?? [])];
  const sources = [...entries];
  for (const f of files) sources.push({ ...f, saved: await loadSavedFit(f.file, env) });
  return planFromSaved(sources, o);
}

/** `scalewise fit … --save F.json` for each fit entry a plan names, then the plan reading those files. */
function studyPlanCommand(entries: PlanSource[], command: string, fits: Map<number, StudyFitEntry>): string {
  const saves = entries.map((e) => {
    const fit = fits.get(Number(e.file.slice('analyses['.length, -1)))!;
    return { ...fit, as: `fit-${fit.index}.json` };
  });
  const also = saves.map((f) => shellCommand(['--also', `${f.title}=${f.as}`])).join(' ');
  return [...saves.map((f) => `${f.command} --save ${f.as}`), command.replace(/^scalewise plan/, `scalewise plan ${also}`)].join(' && ');
}
