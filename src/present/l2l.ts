/** How a loss-to-loss analysis is shown. */
import type { L2lAnalysisResult } from '../analyses/l2l.js';
import { num, range } from '../format/number.js';
import type { L2lReport } from '../schema/l2l.js';
import { gap, line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';
import { groupWarnings } from './warnings.js';

export function presentL2l(result: L2lAnalysisResult): Presentation {
  const { report, pairs, labels } = result;
  const lines = 'groups' in report ? report.groups : [{ ...report, group: null }];
  return {
    json: report,
    blocks: l2lBlocks(report),
    warnings: groupWarnings(lines),
    figures: async (document) => (await import('../plots/sets.js')).l2lFigures(document, report, pairs, labels),
  };
}

export function l2lBlocks(report: L2lReport): Block[] {
  const grouped = 'groups' in report;
  const lines = grouped ? report.groups : [{ ...report, group: '' }];
  const out: Block[] = [line(`loss-to-loss: ${report.y} = K·(${report.x} − E_x)^kappa + E_y`)];
  const withCi = lines.some((l) => l.ci95);
  const withTargets = lines.some((l) => l.targets);
  const withPi = lines.some((l) => l.targets?.some((t) => t.pi95));
  const held = (ts: NonNullable<(typeof lines)[number]['targets']>) => ts.filter((t) => t.pi95 && t.pi95[0] <= t.y && t.y <= t.pi95[1]).length;
  out.push(
    table(
      [
        ...(grouped ? ['group'] : []),
        'pairs',
        'K',
        ...(withCi ? ['95% interval'] : []),
        'kappa',
        ...(withCi ? ['95% interval'] : []),
        'E_x',
        'E_y',
        'R²',
        ...(withTargets ? ['targets', 'mean |rel err|'] : []),
        ...(withPi ? ['pi95 holds'] : []),
      ],
      lines.map((l) => [
        ...(grouped ? [l.group] : []),
        String(l.n),
        num(l.K),
        ...(withCi ? [l.ci95 ? range(l.ci95.K[0], l.ci95.K[1]) : ''] : []),
        num(l.kappa),
        ...(withCi ? [l.ci95 ? range(l.ci95.kappa[0], l.ci95.kappa[1]) : ''] : []),
        `${num(l.Ex)}${l.e.x.source === 'fit' ? ' (fit)' : ''}`,
        `${num(l.Ey)}${l.e.y.source === 'fit' ? ' (fit)' : ''}`,
        num(l.r2),
        ...(withTargets ? [String(l.targets?.length ?? 0), l.meanAbsRelErr == null ? '—' : `${num(100 * l.meanAbsRelErr, 3)}%`] : []),
        ...(withPi ? [l.calibration && l.targets ? `${held(l.targets)} of ${l.targets.length}` : '—'] : []),
      ]),
    ),
  );
  const b = lines.find((l) => l.bootstrap)?.bootstrap;
  const eSources = [...new Set(lines.flatMap((l) => [l.e.x, l.e.y]).map((e) => (e.source === 'fit' ? `${e.law} L(N, D) fits` : 'given')))];
  out.push(
    line(
      `R² of L_y in linear space; E: ${eSources.join(', ')}` +
        (b
          ? `; intervals from ${b.resamples} resamples (seed ${b.seed}) ${b.conditionalOnE ? 'of the pairs, conditional on E' : 'of configurations, E refitted on each'}`
          : ''),
    ),
  );
  if (grouped) {
    const s = report.spread;
    out.push(gap);
    if (!s) out.push(line("Spread across groups: none (the groups' L_x ranges do not overlap)"));
    else {
      out.push(line(`Spread across groups: predicted ${report.y} at common ${report.x} (inside every group's range)`));
      out.push(
        table(
          [report.x, 'max − min', 'relative', 'highest', 'lowest', 'noise (95%)', 'beyond noise'],
          s.points.map((p) => [
            num(p.x),
            num(p.spread, 3),
            `${num(100 * p.relSpread, 3)}%`,
            p.highest,
            p.lowest,
            p.noise95 === null ? '—' : num(p.noise95, 3),
            p.noise95 === null ? '—' : p.spread > p.noise95 ? 'yes' : 'no',
          ]),
        ),
      );
    }
  }
  return out;
}
