/**
 * The figures each analysis gets, with stable file names: what `--plot DIR` writes and what the report
 * inlines. Pure, so the dashboard can draw the same set in the browser.
 */
import { extent } from '../stats/extent.js';
import type { IsoflopPoints, IsoflopResult } from '../methods/isoflop.js';
import type { SkillsGroupResult } from '../methods/skills.js';
import type { Runs } from '../data/runs.js';
import type { FitReport } from '../schema/fit.js';
import type { L2lLine, L2lReport } from '../schema/l2l.js';
import type { L2lGroupPairs } from '../analyses/l2l.js';
import { predictLoss } from '../methods/loss-to-loss.js';
import { lossToLoss } from './loss-to-loss.js';
import { frontier, fitSeries, isoflopSeries } from './frontier.js';
import { isoLoss } from './iso-loss.js';
import { isoflopCurves } from './isoflop-curves.js';
import { mixSweep } from './mix-sweep.js';
import { forecastVsActual } from './forecast.js';
import { fitResiduals } from './residuals.js';
import { skillRatios } from './skill-ratios.js';
import { groupForest } from './group-forest.js';
import { covariateScatter } from './covariate-scatter.js';
import { datasetSpread } from './dataset-spread.js';
import type { GroupComparison } from '../methods/skill-groups.js';
import type { CovariateSkill } from '../methods/skill-covariate.js';
import { linSpace, trim } from './style.js';
import { planCurves, type PlanCurve } from './plan.js';
import type { CompareCurves, CompareReport } from '../analyses/compare.js';
import { compareAccuracy } from './compare-accuracy.js';
import { compareFrontiers } from './compare-frontiers.js';
import { compareMultiplier } from './compare-multiplier.js';
import { accuracyLink } from './accuracy-link.js';
import { repeatedData } from './repeated-data.js';

export interface NamedFigure {
  /** File name without extension, stable and descriptive (`isoflop-curves-fineweb`). */
  name: string;
  svg: SVGSVGElement;
}

/** A group name as a file-name part: lower case, runs of other characters as one '-'. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'group'
  );
}

/**
 * `fit`: residuals, iso-loss contours with the compute-optimal line, the frontier with its bootstrap band, and forecasts vs held-out runs;
 * with `--accuracy` (and its step-2 rows given) the accuracy link, and for the data-constrained law (runs with U) loss against epochs.
 */
export function fitFigures(
  document: Document,
  report: FitReport,
  runs: Pick<Runs, 'N' | 'D' | 'C' | 'loss' | 'group' | 'U'>,
  extra: { accuracyRows?: { loss: ArrayLike<number>; accuracy: ArrayLike<number> } } = {},
): NamedFigure[] {
  const out: NamedFigure[] = [{ name: 'fit-residuals', svg: fitResiduals(document, { report, runs }) }];
  // A joint fit has one surface per group: its contours are not one picture.
  if (!report.joint) out.push({ name: 'fit-iso-loss', svg: isoLoss(document, { report, runs }) });
  if (report.joint?.groups.every((g) => g.optimal)) {
    // A joint fit: one frontier per group, from its own constants.
    out.push({
      name: 'fit-frontier',
      svg: frontier(document, {
        series: report.joint.groups.map((g) => fitSeries(g.group, { ...report, optimal: g.optimal! })),
        title: `Compute-optimal allocation of the joint ${report.law} fit across ${report.joint.column}`,
        note: `${report.joint.shared.length > 0 ? `${report.joint.shared.join(', ')} shared. ` : ''}${report.bootstrap ? `Bands: ${report.bootstrap.resamples} bootstrap refits.` : 'No bands: run with --bootstrap for them.'}`,
      }),
    });
  }
  if (report.optimal) {
    out.push({
      name: 'fit-frontier',
      svg: frontier(document, {
        series: [fitSeries(`${report.law} fit`, report)],
        title: `Compute-optimal allocation of the ${report.law} fit`,
        note: report.bootstrap ? `Band: ${report.bootstrap.resamples} bootstrap refits.` : 'No band: run with --bootstrap for one.',
      }),
    });
  }
  if (report.targets) {
    out.push({
      name: 'fit-forecasts',
      svg: forecastVsActual(document, {
        points: report.targets.map((t) => ({
          actual: t.loss,
          predicted: t.predicted,
          ...(t.ci95 ? { interval: t.ci95 } : {}),
          ...(t.pi95 ? { newRun: t.pi95 } : {}),
        })),
        title: `Held-out runs against the ${report.law} fit's forecasts`,
      }),
    });
  }
  if (report.accuracyLaw && extra.accuracyRows)
    out.push({ name: 'fit-accuracy-link', svg: accuracyLink(document, { report: { ...report, accuracyLaw: report.accuracyLaw }, rows: extra.accuracyRows }) });
  if (report.law === 'data-constrained' && runs.U)
    out.push({ name: 'fit-repeated-data', svg: repeatedData(document, { report, runs: { ...runs, U: runs.U } }) });
  return out;
}

/** One group of an IsoFLOP analysis with the runs it was computed from. */
export interface IsoflopGroupInput {
  group: string | null;
  result: IsoflopResult;
  points: IsoflopPoints;
}

/** `isoflop`: the curves of each group, and one frontier with every group overlaid. */
export function isoflopFigures(document: Document, groups: IsoflopGroupInput[], budgetTolerance?: number): NamedFigure[] {
  const out = groups.map((g) => ({
    name: `isoflop-curves-${g.group === null ? 'all' : slug(g.group)}`,
    svg: isoflopCurves(document, { result: g.result, points: g.points, group: g.group, ...(budgetTolerance !== undefined ? { budgetTolerance } : {}) }),
  }));
  out.push({
    name: 'isoflop-frontier',
    svg: frontier(document, {
      series: groups.map((g) => isoflopSeries(g.group ?? 'all runs', g.result)),
      title: `Compute-optimal frontier (IsoFLOP, ${groups[0]?.result.method ?? 'parabola'})`,
    }),
  });
  return out;
}

/**
 * `skills`: per group, the skills' frontiers overlaid with the aggregate's, their ratio to it, the mix sweep and the
 * per-dataset view; across groups, the forest of Δa against the reference group and the covariate scatter.
 */
export function skillsFigures(
  document: Document,
  groups: ({ group: string | null } & SkillsGroupResult)[],
  across: { groupComparison?: GroupComparison; covariate?: { budget: number; skills: CovariateSkill[] } } = {},
): NamedFigure[] {
  const perGroup = groups.flatMap((g) => {
    const suffix = g.group === null ? 'all' : slug(g.group);
    const out: NamedFigure[] = [
      {
        name: `skills-frontier-${suffix}`,
        svg: frontier(document, {
          series: [...g.skills, g.aggregate].map((s) => isoflopSeries(s === g.aggregate ? `${s.name} (aggregate)` : s.name, s.isoflop)),
          title: `Compute-optimal frontier per skill${g.group === null ? '' : ` — ${g.group}`}`,
        }),
      },
      { name: `skills-ratio-${suffix}`, svg: skillRatios(document, { result: g, group: g.group }) },
    ];
    if (g.mix) out.push({ name: `skills-mix-${suffix}`, svg: mixSweep(document, { sweep: g.mix, group: g.group }) });
    if (g.datasets)
      out.push({
        name: `skills-datasets-${suffix}`,
        svg: datasetSpread(document, { skills: g.datasets.skills, reference: g.datasets.reference, group: g.group }),
      });
    return out;
  });
  const c = across.groupComparison;
  if (c?.skills.some((s) => s.groups.some((g) => g.deltaA.value !== null)))
    perGroup.push({ name: 'skills-groups-forest', svg: groupForest(document, { comparison: c }) });
  const cov = across.covariate;
  if (cov?.skills.some((s) => s.points.some((p) => p.a !== null)))
    perGroup.push({ name: 'skills-covariate', svg: covariateScatter(document, { skills: cov.skills, budget: cov.budget }) });
  return perGroup;
}

/** The pairs one loss-to-loss line was fitted to (what the figure draws as dots). */

/** Points sampled along a fitted line for drawing. */
function sampleLine(line: L2lLine, from: number, to: number, n = 48): { x: number; y: number }[] {
  return linSpace(from, to, n).map((x) => ({ x, y: predictLoss(line, x) }));
}

/**
 * `l2l`: the pairs and fitted line of each group (linear axes, as Mayilvahanan et al. draw their lines; the
 * line is solid over its fitted L_x range and dashed where it reaches out to held-out runs), and with targets
 * the forecasts against the held-out runs, in the same colour per group.
 */
export function l2lFigures(document: Document, report: L2lReport, pairs: L2lGroupPairs[], labels: { x: string; y: string }): NamedFigure[] {
  const lines = 'groups' in report ? report.groups : [{ ...report, group: null }];
  const name = (g: string | null) => g ?? 'all pairs';
  const curves = lines.flatMap((l) => {
    const label = `${name(l.group)}: K ${trim(l.K)}, κ ${trim(l.kappa)}`;
    const tx = (l.targets ?? []).map((t) => t.x);
    const [lo, hi] = l.xRange;
    const [tLo, tHi] = tx.length > 0 ? extent(tx) : [lo, hi];
    const reach = [Math.min(lo, tLo), Math.max(hi, tHi)];
    return [
      { group: name(l.group), label, points: sampleLine(l, lo, hi) },
      ...(reach[0]! < lo ? [{ group: name(l.group), label, dashed: true, points: sampleLine(l, reach[0]!, lo, 12) }] : []),
      ...(reach[1]! > hi ? [{ group: name(l.group), label, dashed: true, points: sampleLine(l, hi, reach[1]!, 12) }] : []),
    ];
  });
  const out: NamedFigure[] = [
    {
      name: 'l2l-lines',
      svg: lossToLoss(document, {
        points: pairs.flatMap((p) => Array.from(p.x, (x, i) => ({ x, y: p.y[i]!, group: name(p.group) }))),
        heldOut: lines.flatMap((l) => (l.targets ?? []).map((t) => ({ x: t.x, y: t.y, group: name(l.group) }))),
        curves,
        xLabel: `${labels.x} (nats/token)`,
        yLabel: `${labels.y} (nats/token)`,
        title: lines.length > 1 ? `Loss-to-loss lines, one per group (${lines.length})` : 'Loss-to-loss line',
      }),
    },
  ];
  if (lines.some((l) => l.targets?.length)) {
    // Each group's own error in its legend entry: at sub-percent errors the dots sit on y = x.
    const series = (l: (typeof lines)[number]) => (l.meanAbsRelErr == null ? name(l.group) : `${name(l.group)}: ${trim(100 * l.meanAbsRelErr)}%`);
    out.push({
      name: 'l2l-forecasts',
      svg: forecastVsActual(document, {
        points: lines.flatMap((l) =>
          (l.targets ?? []).map((t) => ({ actual: t.y, predicted: t.predicted, group: series(l), ...(t.pi95 ? { newRun: t.pi95 } : {}) })),
        ),
        groups: lines.map(series),
        quantity: `${report.y} (nats/token)`,
        title: 'Held-out runs against the loss-to-loss forecasts',
      }),
    });
  }
  return out;
}

/** `plan`: N*, D* and loss against budget, one line per fit (arm), with the plans asked for as dots. */
export function planFigures(document: Document, curves: PlanCurve[], note?: string): NamedFigure[] {
  return curves.length === 0 ? [] : [{ name: 'plan-curves', svg: planCurves(document, { curves, ...(note ? { note } : {}) }) }];
}

/** `compare`: the multiplier against C with its band per arm, the arms' frontiers with their runs, decision accuracy against scale. */
export function compareFigures(document: Document, report: CompareReport, curves: CompareCurves): NamedFigure[] {
  const out: NamedFigure[] = [
    { name: 'compare-multiplier', svg: compareMultiplier(document, { report, curves }) },
    { name: 'compare-frontiers', svg: compareFrontiers(document, { report, curves }) },
  ];
  if (report.decisionAccuracy.length >= 2) out.push({ name: 'compare-accuracy', svg: compareAccuracy(document, report) });
  return out;
}
