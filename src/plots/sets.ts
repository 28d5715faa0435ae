/**
 * The figures each analysis gets, with stable file names: what `--plot DIR` writes and what the report
 * inlines. Pure, so the dashboard can draw the same set in the browser.
 */
import type { IsoflopPoints, IsoflopResult } from '../analyses/isoflop.js';
import type { SkillsGroupResult } from '../analyses/skills.js';
import type { Runs } from '../data/runs.js';
import type { FitReport } from '../schema/fit.js';
import { frontier, fitSeries, isoflopSeries } from './frontier.js';
import { isoLoss } from './iso-loss.js';
import { isoflopCurves } from './isoflop-curves.js';
import { mixSweep } from './mix-sweep.js';
import { fitResiduals } from './residuals.js';
import { skillRatios } from './skill-ratios.js';

export interface NamedFigure {
  /** File name without extension, stable and descriptive (`isoflop-curves-fineweb`). */
  name: string;
  svg: SVGSVGElement;
}

/** A group name as a file-name part: lower case, runs of other characters as one '-'. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'group';
}

/** `fit`: residuals, iso-loss contours with the compute-optimal line, and the frontier with its bootstrap band. */
export function fitFigures(document: Document, report: FitReport, runs: Pick<Runs, 'N' | 'D' | 'C' | 'loss'>): NamedFigure[] {
  const out: NamedFigure[] = [
    { name: 'fit-residuals', svg: fitResiduals(document, { report, runs }) },
    { name: 'fit-iso-loss', svg: isoLoss(document, { report, runs }) },
  ];
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
  return out;
}

/** One group of an IsoFLOP analysis with the runs it was computed from. */
export interface IsoflopGroupInput {
  group: string | null;
  result: IsoflopResult;
  points: IsoflopPoints;
}

/** `isoflop`: the curves of each group, and one frontier with every group overlaid. */
export function isoflopFigures(document: Document, groups: IsoflopGroupInput[], budgetTolerance = 1e-6): NamedFigure[] {
  const out = groups.map((g) => ({
    name: `isoflop-curves-${g.group === null ? 'all' : slug(g.group)}`,
    svg: isoflopCurves(document, { result: g.result, points: g.points, group: g.group, budgetTolerance }),
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

/** `skills`: per group, the skills' frontiers overlaid with the aggregate's, their ratio to it, and the mix sweep. */
export function skillsFigures(document: Document, groups: ({ group: string | null } & SkillsGroupResult)[]): NamedFigure[] {
  return groups.flatMap((g) => {
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
    return out;
  });
}
