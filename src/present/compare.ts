/** How a comparison of arms is shown: per arm its multiplier, loss advantage and P(better) per budget; decision accuracy. */
import type { CompareReport } from '../analyses/compare.js';
import { num, range } from '../format/number.js';
import { gap, heading, line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';

export function presentCompare(report: CompareReport): Presentation {
  return { json: report, blocks: compareBlocks(report), warnings: report.warnings, figures: async () => [] };
}

export function compareBlocks(r: CompareReport): Block[] {
  const out: Block[] = [
    line(
      `compare: each arm against ${r.baseline} on the ${r.law} law's compute-optimal frontier${r.shared.length ? ` (${r.shared.join(', ')} shared)` : ''}; multiplier = the compute ${r.baseline} needs for the arm's loss, over C`,
    ),
  ];
  const withCi = r.arms.some((a) => a.budgets.some((b) => b.pBetter !== undefined));
  for (const a of r.arms) {
    out.push(gap, heading(a.arm));
    out.push(
      table(
        ['C (FLOP)', 'loss', `${r.baseline} loss`, 'advantage', 'multiplier', ...(withCi ? ['95% interval', 'P(better)'] : [])],
        a.budgets.map((b) => [
          num(b.C, 3),
          num(b.loss),
          num(b.baselineLoss),
          `${b.lossAdvantage >= 0 ? '+' : ''}${num(b.lossAdvantage, 3)}`,
          b.computeMultiplier === null ? `never reached by ${r.baseline}` : `${num(b.computeMultiplier, 3)}×`,
          ...(withCi ? [b.ci95 ? range(b.ci95[0], b.ci95[1], 3) : '—', b.pBetter === undefined ? '—' : num(b.pBetter, 3)] : []),
        ]),
      ),
    );
    out.push(line(a.crossover === null ? 'the frontiers do not cross between 1e15 and 1e30 FLOP' : `the frontiers cross at C = ${num(a.crossover, 3)}`));
  }
  out.push(
    gap,
    line(
      `Decision accuracy: the share of arm pairs each budget ranks (by best observed loss) as the largest budget does${r.paired ? '; resamples paired by configuration' : ''}`,
    ),
  );
  out.push(
    table(
      ['C (FLOP)', 'accuracy', 'pairs'],
      r.decisionAccuracy.map((d) => [num(d.C, 3), d.accuracy === null ? '—' : num(d.accuracy, 3), String(d.pairs)]),
    ),
  );
  return out;
}
