/**
 * A study's `plan` entry: the fits it plans from. A plan names earlier `fit` entries of the same study
 * (`"from": 0` or `"from": "fineweb fit"`, or a list) and/or saved-fit files next to the study (`fit`, `also`).
 * A study file must not be able to read anything else, so a file is a relative path inside the study's
 * folder: not absolute, no `..` segment (issue 15's rule for hostile study files).
 */
import type { PlanFitFile, PlanSource } from '../analyses/plan.js';
import { UserError } from '../errors.js';
import type { SavedFit } from '../schema/saved-fit.js';
import type { StudyAnalysis } from '../schema/study.js';

/** A fit entry already run: its title, the command it stands for, and its saved fit. */
export interface StudyFitEntry {
  index: number;
  title: string;
  command: string;
  saved: SavedFit;
}

/** A path a study may read: relative, inside the study's folder. */
export function checkStudyPath(key: string, path: string): void {
  const parts = path.split(/[\\/]+/);
  if (/^([\\/]|[A-Za-z]:)/.test(path))
    throw new UserError(`${key}: "${path}" is an absolute path; a study reads only files in its own folder (give a relative path)`);
  if (parts.includes('..')) throw new UserError(`${key}: "${path}" leaves the study's folder (".."); a study reads only files in its own folder`);
}

/** The fit entries a plan's `from` names, in its order. Each must be an earlier `fit` entry of the study. */
export function planFromEntries(a: StudyAnalysis, index: number, analyses: StudyAnalysis[], done: Map<number, StudyFitEntry>): PlanSource[] {
  const from = a.from as number | string | (number | string)[] | undefined;
  if (from === undefined) return [];
  return (Array.isArray(from) ? from : [from]).map((ref) => {
    const at = typeof ref === 'number' ? ref : analyses.findIndex((b, i) => (b.title ?? `${b.kind} ${i + 1}`) === ref);
    if (at < 0 || at >= analyses.length) {
      throw new UserError(
        `from: ${JSON.stringify(ref)} names no analysis of the study (${typeof ref === 'number' ? `positions 0 to ${analyses.length - 1}` : 'no title matches'})`,
      );
    }
    if (analyses[at]!.kind !== 'fit') throw new UserError(`from: ${JSON.stringify(ref)} is a ${analyses[at]!.kind} entry; a plan plans from fit entries`);
    if (at >= index) throw new UserError(`from: ${JSON.stringify(ref)} comes after this plan; list the fit entry before it`);
    const fit = done.get(at)!;
    return { label: fit.title, file: `analyses[${at}]`, saved: fit.saved };
  });
}

/** The saved-fit files a plan entry names (`fit`, `also`), each checked to be inside the study's folder. */
export function planFiles(o: { fit?: string; also?: PlanFitFile[] }): void {
  if (o.fit !== undefined) checkStudyPath('fit', o.fit);
  for (const f of o.also ?? []) checkStudyPath(`also.${f.label}`, f.file);
}
