/**
 * scalewise — scaling laws for LLM training runs.
 *
 * The numeric core: no Node imports, so the same code runs in a browser. Readers (`./data/read.js`),
 * worker threads (`./node/`) and the CLI (`./cli/`) live around it.
 */

// Analyses, each declared once (options with defaults and docs) with its pipeline: table + options → result.
export type { Analysis, AnalysisEnv, BootstrapRunner } from './analyses/analysis.js';
export { fitAnalysis, fitOptions, runFitAnalysis, fitRuns, type FitAnalysisOptions, type FitAnalysisResult } from './analyses/fit.js';
export { isoflopAnalysis, isoflopAnalysisOptions, type IsoflopAnalysisOptions, type IsoflopAnalysisResult, type IsoflopGroup } from './analyses/isoflop.js';
export {
  skillsAnalysis,
  skillsOptions,
  type SkillsAnalysisOptions,
  type SkillsAnalysisResult,
  type SkillsGroup,
  type SkillDeclaration,
} from './analyses/skills.js';
export { l2lAnalysis, l2lOptions, type L2lOptions, type L2lAnalysisResult, type L2lGroupPairs } from './analyses/l2l.js';
export { predictAnalysis, predictOptions, type PredictOptions } from './analyses/predict.js';
export { planAnalysis, planOptions, type PlanOptions } from './analyses/plan.js';
export { compareAnalysis, compareOptions, type CompareCurves, type CompareOptions, type CompareReport, type CompareResult } from './analyses/compare.js';
export { compareReportSchema } from './schema/compare.js';
export {
  fitFrontierLaw,
  frontierBudgetFor,
  frontierLoss,
  frontierMultiplier,
  multiplierLackOfFit,
  type FrontierFit,
  type FrontierLaw,
  type FrontierPoint,
} from './methods/frontier-law.js';
export { studentTCdf, studentTQuantile } from './stats/student-t.js';
export {
  backtestAnalysis,
  backtestOptions,
  parseCandidate,
  type BacktestOptions,
  type BacktestResult,
  type BacktestGroup,
  type CandidateBacktest,
  type BacktestForecast,
  type ErrorSummary,
  type DistanceBin,
} from './analyses/backtest.js';
export { analyses, type ShownAnalysis, type AnalysisKind } from './present/registry.js';
// The option declaration language every front end derives from.
export { option, kebab, withDefaults, type OptionSpec, type OptionSpecs, type OptionValues } from './options/option.js';
// Warnings: a stable code and a message (docs/warnings.md).
export { warningCodes, type Warning, type WarningCode } from './warnings.js';
// Results as people read them: tables as data, rendered to text or HTML.
export { toText, toHtml, type Block } from './present/document.js';
export type { Presentation } from './present/presentation.js';

// Runs: what every analysis takes in.
export type { Runs } from './data/runs.js';
export { subsetRuns } from './data/runs.js';
export { toRuns, numericColumn, type ColumnMapping } from './data/columns.js';
export type { Table, TableRow, Cell } from './data/table.js';
export { concatTables } from './data/table.js';
export { parseFilter, applyFilters, type Filter } from './data/where.js';
export { groupsOf, groupIndices } from './data/groups.js';
// Run tables from bytes (CSV, TSV, JSON, JSONL, Parquet): what the CLI's reader and the dashboard share.
export { parseTable, formatOf, tableFormats } from './data/parse.js';
export { UserError, optionRef, type Origin } from './errors.js';

// Laws: L̂(θ; N, D) with analytic gradients, behind one interface.
export type { Law, StartGrid, Allocation } from './laws/law.js';
export { chinchilla } from './laws/chinchilla.js';
export { kaplan } from './laws/kaplan.js';
export { overtrain, gadreStarts, overtrainToChinchilla, overtrainOptimalM, type OvertrainParams } from './laws/overtrain.js';
export { expLink, sigmoidLink, errorLinks, errorLinkByName, type ErrorLink } from './laws/error-link.js';
export { laws, lawByName } from './laws/registry.js';
export { formulaLaw, type FormulaLaw, type FormulaOptions } from './laws/formula/law.js';

// Objectives: how misfit is scored (Huber on log loss, least squares, asymmetric).
export { makeObjective, makeResiduals, resolveObjective, type ObjectiveSpec, type ObjectiveFn } from './objectives/objective.js';

// Optimisers, on Float64Array.
export { lbfgs, type LbfgsOptions } from './optim/lbfgs.js';
export { levenbergMarquardt, type LmOptions } from './optim/levenberg-marquardt.js';
export { nelderMead, type NelderMeadOptions } from './optim/nelder-mead.js';
export type { OptimResult } from './optim/result.js';

// Fitting: multi-start fits and bootstrap refits.
export { fitLaw, type FitOptions, type FitResult } from './fitting/fit.js';
export { bootstrapSlice, resampleCounts, type BootstrapTask } from './fitting/bootstrap.js';

// Analyses.
export { computeOptimal, type OptimalPoint } from './methods/allocation.js';
export { isoflop, budgetsOf, type IsoflopOptions, type IsoflopResult, type BudgetOptimum, type IsoflopFit } from './methods/isoflop.js';
export { akima } from './methods/akima.js';
export { fitParabola } from './methods/parabola.js';
export { fitPowerLaw, type PowerLaw } from './methods/power-law.js';
export { taskMeans, type TaskMeanSpec } from './data/task-mean.js';
export { fitReport } from './analyses/fit-report.js';
export {
  fitLossToLoss,
  predictLoss,
  bootstrapLine,
  summariseDraws,
  fitIrreducible,
  bootstrapIrreducible,
  lineSpread,
  type LossToLossLine,
  type LineDraws,
  type GroupLine,
  type Spread,
} from './methods/loss-to-loss.js';
export { l2lReportSchema, type L2lReport } from './schema/l2l.js';
export { fitErrorLaw, bootstrapErrorLaw, type ErrorLawFit } from './methods/downstream.js';
export { forecast, type Forecast, type ErrorLawState } from './methods/forecast.js';
export { backtest, type Backtest, type TargetScore } from './methods/backtest.js';
export { savedFit } from './analyses/saved-fit.js';
export { savedFitSchema, readSavedFit, SAVED_FIT_VERSION, type SavedFit } from './schema/saved-fit.js';
export { predictReportSchema, type PredictReport } from './schema/predict.js';
export { planReportSchema, type PlanReport } from './schema/plan.js';
export { fitReportSchema, type FitReport } from './schema/fit.js';
export { isoflopReportSchema, isoflopResultSchema, type IsoflopReport } from './schema/isoflop.js';
export { skillsReportSchema, type SkillsReport } from './schema/skills.js';
export { warningSchema, warningsSchema } from './schema/warnings.js';

// Statistics.
export { Random } from './stats/random.js';
export { quantile, median, sampleSd, interval95 } from './stats/quantile.js';

// Plots: pure figure functions over the analyses' results; pass a `document` (the browser's, or linkedom's on
// Node via `src/node/render.ts`). Palettes: viridis for budgets, Okabe–Ito for skills and groups.
export { isoflopCurves, type IsoflopCurvesOptions } from './plots/isoflop-curves.js';
export { frontier, isoflopSeries, fitSeries, type FrontierSeries, type FrontierOptions } from './plots/frontier.js';
export { skillRatios, type SkillRatiosOptions } from './plots/skill-ratios.js';
export { mixSweep as mixSweepFigure, type MixSweepOptions } from './plots/mix-sweep.js';
export { fitResiduals, logResiduals, type ResidualsOptions } from './plots/residuals.js';
export { isoLoss, type IsoLossOptions } from './plots/iso-loss.js';
export { lossToLoss, type LossToLossOptions } from './plots/loss-to-loss.js';
export { forecastVsActual, type ForecastPoint, type ForecastOptions } from './plots/forecast.js';
export { backtestErrors, type BacktestSeries, type BacktestFigureOptions } from './plots/backtest.js';
export { fitFigures, isoflopFigures, l2lFigures, skillsFigures, type NamedFigure } from './plots/sets.js';
export { reportHtml, type ReportPage, type ReportSection } from './report/html.js';
export { runStudy, studyOptions, studyCommand, shellCommand, analysisInputs, type StudyResult } from './report/study.js';
export { studySchema, type Study, type StudyAnalysis } from './schema/study.js';
