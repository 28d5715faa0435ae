/** How an IsoFLOP analysis is shown. */
import type { IsoflopAnalysisResult, IsoflopGroup } from '../analyses/isoflop.js';
import { num, range } from '../format/number.js';
import { gap, heading, line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';
import { groupWarnings } from './warnings.js';

export function presentIsoflop(result: IsoflopAnalysisResult): Presentation {
  const { groups, points, settings, checkpoints } = result;
  const reached = checkpoints?.reached;
  return {
    json: { groups, ...(checkpoints ? { checkpoints } : {}) },
    blocks: [
      ...(reached
        ? [
            line(
              `Each run's curve read at ${reached.length} budgets: ${reached.map((r) => `${num(r.C, 3)} (${r.runs} run${r.runs === 1 ? '' : 's'})`).join(', ')}`,
            ),
            gap,
          ]
        : []),
      ...isoflopBlocks(groups),
    ],
    warnings: [...(checkpoints?.warnings ?? []), ...groupWarnings(groups)],
    figures: async (document) =>
      (await import('../plots/sets.js')).isoflopFigures(
        document,
        groups.map((g, i) => ({ group: g.group, result: g, points: points[i]! })),
        settings.budgetTolerance,
      ),
  };
}

export function isoflopBlocks(groups: IsoflopGroup[]): Block[] {
  const out: Block[] = [];
  for (const g of groups) {
    if (g.group !== null) out.push(heading(g.group));
    const withCi = g.budgets.some((b) => b.ci95);
    out.push(
      table(
        ['C (FLOP)', 'sizes', 'N*', ...(withCi ? ['95% interval'] : []), 'D*', 'D/N', 'loss', 'used'],
        g.budgets.map((b) => [
          num(b.C, 3),
          String(b.points),
          b.N === null ? '—' : num(b.N, 3),
          ...(withCi ? [b.ci95 ? range(b.ci95.N[0], b.ci95.N[1], 3) : ''] : []),
          b.D === null ? '—' : num(b.D, 3),
          b.N === null ? '—' : num(b.D! / b.N, 3),
          b.loss === null ? '—' : num(b.loss),
          b.excluded ? `no: ${b.excluded}` : 'yes',
        ]),
      ),
    );
    if (g.fit) {
      const ci = g.fit.ci95;
      out.push(
        line(
          `N* = ${num(g.fit.k)}·C^${num(g.fit.a)}${ci ? ` (a 95% interval ${range(ci.a[0], ci.a[1])})` : ''};  ` +
            `D* = ${num(g.fit.kD)}·C^${num(g.fit.b)}${ci ? ` (b ${range(ci.b[0], ci.b[1])})` : ''};  ` +
            `${g.fit.budgets} budgets, ${g.fit.weighted ? 'weighted ' : ''}R² ${g.fit.r2.toFixed(4)}  [${g.method}]`,
        ),
      );
    } else out.push(line(`no power law (${g.method}): see warnings`));
    // With --run: what the bootstrap drew (whole runs across budgets when a run gives points at several).
    if (g.bootstrap)
      out.push(
        line(
          g.bootstrap.unit === 'run'
            ? `intervals: resamples of whole runs (${g.bootstrap.runs} runs), each drawn run bringing its points at every budget`
            : `intervals: resamples within each budget (each of the ${g.bootstrap.runs} runs gives one point)`,
        ),
      );
    out.push(gap);
  }
  if (groups.length > 1) {
    out.push(line('Summary: N* ∝ C^a per group'));
    out.push(
      table(
        ['group', 'a', '95% interval', 'budgets'],
        groups.map((g) => [
          String(g.group),
          g.fit ? num(g.fit.a) : '—',
          g.fit?.ci95 ? range(g.fit.ci95.a[0], g.fit.ci95.a[1]) : '',
          g.fit ? String(g.fit.budgets) : '0',
        ]),
      ),
    );
  }
  return out;
}
