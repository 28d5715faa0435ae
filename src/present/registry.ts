/** Every declared analysis with the presenter of its result: what the CLI, the report and the docs iterate over. */
import type { Analysis } from '../analyses/analysis.js';
import { inputWarningsOf } from '../analyses/input.js';
import type { Warning } from '../warnings.js';
import type { OptionSpecs } from '../options/option.js';
import { backtestAnalysis } from '../analyses/backtest.js';
import { compareAnalysis } from '../analyses/compare.js';
import { fitAnalysis } from '../analyses/fit.js';
import { isoflopAnalysis } from '../analyses/isoflop.js';
import { l2lAnalysis } from '../analyses/l2l.js';
import { planAnalysis } from '../analyses/plan.js';
import { predictAnalysis } from '../analyses/predict.js';
import { skillsAnalysis } from '../analyses/skills.js';
import { presentBacktest } from './backtest.js';
import { presentCompare } from './compare.js';
import { presentFit } from './fit.js';
import { presentIsoflop } from './isoflop.js';
import { presentL2l } from './l2l.js';
import { presentPlan } from './plan.js';
import { presentPredict } from './predict.js';
import type { Presentation } from './presentation.js';
import { presentSkills } from './skills.js';

/** An analysis and how its result is shown. */
export interface ShownAnalysis<R = unknown> {
  analysis: Analysis<OptionSpecs, R>;
  present(result: R): Presentation;
  /** A study file may hold it (predict reads a saved fit, which a report does not write). */
  inStudy: boolean;
}

const entry = <R>(analysis: Analysis<OptionSpecs, R>, present: (r: R) => Presentation, inStudy = true): ShownAnalysis<R> => ({
  analysis,
  present: (r) => withInputWarnings(present(r), inputWarningsOf(r)),
  inStudy,
});

/** The warnings about the input first, in the text and in the JSON (`inputWarnings`), when there are any. */
function withInputWarnings(p: Presentation, warnings: Warning[]): Presentation {
  return warnings.length === 0 ? p : { ...p, warnings: [...warnings, ...p.warnings], json: { ...p.json, inputWarnings: warnings } };
}

export const analyses = {
  fit: entry(fitAnalysis, presentFit),
  isoflop: entry(isoflopAnalysis, presentIsoflop),
  skills: entry(skillsAnalysis, presentSkills),
  l2l: entry(l2lAnalysis, presentL2l),
  backtest: entry(backtestAnalysis, presentBacktest),
  compare: entry(compareAnalysis, presentCompare),
  predict: entry(predictAnalysis, presentPredict, false),
  plan: entry(planAnalysis, presentPlan),
} satisfies Record<string, ShownAnalysis>;

export type AnalysisKind = keyof typeof analyses;
/** The kinds a study may hold. */
export const studyKinds = ['fit', 'isoflop', 'skills', 'l2l', 'backtest', 'compare', 'plan'] as const;
