import type { Runs } from '../data/runs.js';
import { optionRef, UserError } from '../errors.js';
import type { AnalysisEnv } from './analysis.js';
import { savedFitLaw } from '../laws/formula/options.js';
import { sharedLaw } from '../laws/shared.js';
import type { ColumnMapping } from '../data/columns.js';
import type { FitResult } from '../fitting/fit.js';
import type { Law } from '../laws/law.js';
import type { SavedFit } from '../schema/saved-fit.js';

/** The saved-fit format version this scalewise writes and reads. */
export const SAVED_FIT_VERSION = 1;
import type { ErrorLawFit } from '../methods/downstream.js';
import { extent } from '../stats/extent.js';

/** The error law as saved: its fit, where its errors came from, and its runs' losses. */
export interface SavedErrorLaw {
  fit: ErrorLawFit;
  column: string;
  tasks?: string[];
  loss: Float64Array;
  draws?: Float64Array;
  ci95?: Record<string, [number, number]>;
}

/** The document `fit --save` writes (see {@link savedFitSchema}). */
export function savedFit<F>(
  law: Law<F>,
  runs: Runs,
  fit: FitResult,
  columns: ColumnMapping,
  draws?: { theta: Float64Array; seed: number },
  errorLaw?: SavedErrorLaw,
  controls?: SavedFit['controls'],
  calibration?: SavedFit['calibration'],
  selection?: SavedFit['selection'],
): SavedFit {
  const p = law.thetaNames.length;
  const M = runs.N.map((n, i) => runs.D[i]! / n);
  const { kind, delta, space, value } = fit.objective;
  return {
    format: 'scalewise-fit',
    version: SAVED_FIT_VERSION,
    law: law.name,
    formula: law.formula,
    thetaNames: [...law.thetaNames],
    theta: Array.from(fit.theta),
    params: fit.params,
    objective: { kind, delta, space, value },
    // With controls θ is still the law's full θ (fixed entries included): predict evaluates it unchanged.
    ...(controls ? { controls } : {}),
    data: {
      n: runs.loss.length,
      columns: {
        params: columns.params,
        ...(columns.tokens !== undefined ? { tokens: columns.tokens } : {}),
        ...(columns.flops !== undefined ? { flops: columns.flops } : {}),
        loss: columns.loss,
      },
      N: extent(runs.N),
      D: extent(runs.D),
      C: extent(runs.C),
      M: extent(M),
      loss: extent(runs.loss),
    },
    ...(draws ? { bootstrap: { resamples: draws.theta.length / p, seed: draws.seed, theta: rows(draws.theta, p) } } : {}),
    ...(errorLaw
      ? {
          errorLaw: {
            link: errorLaw.fit.link as 'exp' | 'sigmoid',
            formula: errorLaw.fit.formula,
            params: errorLaw.fit.params,
            n: errorLaw.fit.n,
            objective: errorLaw.fit.objective,
            ...(errorLaw.ci95 ? { ci95: errorLaw.ci95 } : {}),
            theta: Array.from(errorLaw.fit.theta),
            column: errorLaw.column,
            ...(errorLaw.tasks ? { tasks: errorLaw.tasks } : {}),
            loss: extent(errorLaw.loss),
            ...(errorLaw.draws ? { bootstrap: { theta: rows(errorLaw.draws, errorLaw.fit.theta.length) } } : {}),
          },
        }
      : {}),
    // The file keeps the messages (format version 1).
    ...(calibration ? { calibration } : {}),
    ...(selection ? { selection } : {}),
    warnings: [...fit.warnings, ...(errorLaw?.fit.warnings ?? [])].map((w) => w.message),
  };
}

function rows(flat: Float64Array, p: number): number[][] {
  return Array.from({ length: flat.length / p }, (_, i) => Array.from(flat.subarray(i * p, i * p + p)));
}

/** A saved fit read from a file: the document checked through its zod schema (loaded only here, when a fit is read). */
export async function loadSavedFit(file: string, env: AnalysisEnv): Promise<SavedFit> {
  const text = await env.readText(file);
  if (text === undefined) throw new UserError(`${file}: cannot read the file (ENOENT)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not a saved scalewise fit (not JSON)`);
  }
  return (await import('../schema/saved-fit.js')).readSavedFit(doc, file);
}

/** The law a saved fit evaluates, at the θ (and bootstrap draws) of the one fit it stands for. */
export interface SavedLaw {
  law: Law<unknown>;
  theta: Float64Array;
  draws?: Float64Array;
  /** With a joint fit: the group chosen. */
  group?: string;
}

/**
 * The base law and θ of a saved fit; of a joint fit (`fit --group`), those of the group `group` names, each draw
 * likewise. A joint fit without a group, an unknown group, or a group for a fit that has none are errors.
 */
export function savedLaw(saved: SavedFit, file: string, group: string | undefined): SavedLaw {
  const law = savedFitLaw(saved.law, saved.joint ? [] : saved.thetaNames);
  const joint = saved.joint ? sharedLaw(law, saved.joint.groups, saved.joint.shared) : undefined;
  const fitted = joint ?? law;
  if (saved.theta.length !== fitted.thetaNames.length) {
    throw new UserError(
      `${file}: theta has ${saved.theta.length} values; the ${law.name} law${joint ? ' of this joint fit' : ''} has ${fitted.thetaNames.length}`,
    );
  }
  const theta = Float64Array.from(saved.theta);
  const draws = saved.bootstrap ? Float64Array.from(saved.bootstrap.theta.flat()) : undefined;
  if (!joint) {
    if (group !== undefined) throw new UserError(`${optionRef('group')} needs a joint fit (${file} was not fitted with --group)`);
    return { law, theta, ...(draws ? { draws } : {}) };
  }
  const g = joint.groups.indexOf(group ?? '');
  if (g < 0) {
    const known = joint.groups.join(', ');
    throw new UserError(
      group === undefined
        ? `${file} is a joint fit across ${saved.joint!.column}: give ${optionRef('group')} NAME (one of ${known})`
        : `${optionRef('group')} "${group}": not a group of ${file} (groups: ${known})`,
    );
  }
  return { law, theta: joint.groupTheta(theta, g), ...(draws ? { draws: joint.groupRows(draws, g) } : {}), group: group! };
}

/** Two lists of equal length, or one of length 1 broadcast (the query points of `predict` and `plan`). */
export function pair(ka: string, a: number[] | undefined, kb: string, b: number[] | undefined): [number[], number[]] {
  if (a === undefined) throw new UserError(`${optionRef(kb)} needs ${optionRef(ka)}`);
  if (b === undefined) throw new UserError(`${optionRef(ka)} needs ${optionRef(kb)}`);
  let x = a,
    y = b;
  if (x.length !== y.length) {
    if (x.length === 1) x = y.map(() => a[0]!);
    else if (y.length === 1) y = x.map(() => b[0]!);
    else throw new UserError(`${optionRef(ka)} has ${x.length} values and ${optionRef(kb)} ${y.length}: give equal lengths, or one value to use with each`);
  }
  return [x, y];
}

/** A query this many times beyond the largest fitted C, or this factor outside the fitted M, is flagged (`predict`, `plan`). */
export const FAR_C = 10;
export const FAR_M = 2;
