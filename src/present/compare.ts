/** How a comparison of arms is shown: per arm its multiplier, loss advantage, P(better) and P(best) per budget; decision accuracy; figures. */
import type { CompareReport, CompareResult } from '../analyses/compare.js';
import { num, range } from '../format/number.js';
import { gap, heading, line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';

export function presentCompare(result: CompareResult): Presentation {
  const { report } = result;
  return {
    json: report,
    blocks: compareBlocks(report),
    warnings: report.warnings,
    figures: async (document) => (await import('../plots/sets.js')).compareFigures(document, report, result.curves()),
  };
}

/** Where the multiplier is read, in words. */
function alongText(r: CompareReport): string {
  if (r.along === 'frontier-law') return 'frontier laws L(C) = E + A·C^(−α) (each arm’s lowest loss per budget)';
  if (r.along === 'tokens-per-param') return `${r.law} laws along D = ${r.tokensPerParam}·N`;
  return `${r.law} law's compute-optimal frontier${r.shared.length ? ` (${r.shared.join(', ')} shared)` : ''}`;
}

export function compareBlocks(r: CompareReport): Block[] {
  const out: Block[] = [
    line(`compare: each arm against ${r.baseline} on the ${alongText(r)}; multiplier = the compute ${r.baseline} needs for the arm's loss, over C`),
  ];
  if (r.frontierLaws) {
    out.push(gap, line('Frontier laws L(C) = E + A·C^(−α):'));
    out.push(
      table(
        ['arm', 'E', 'A', 'alpha', 'budgets', 'rmse'],
        r.frontierLaws.map((f) => [f.arm, num(f.E), num(f.A, 4), num(f.alpha), String(f.points), num(f.rmse, 3)]),
      ),
    );
  }
  const withCi = r.arms.some((a) => a.budgets.some((b) => b.pBetter !== undefined));
  const withLof = r.arms.some((a) => a.budgets.some((b) => b.lackOfFitCi95 !== undefined));
  const sign = (v: number) => `${v >= 0 ? '+' : ''}${num(v, 3)}`;
  for (const a of r.arms) {
    out.push(gap, heading(`${a.arm} (${a.runs} runs)`));
    out.push(
      table(
        [
          'C (FLOP)',
          'loss',
          `${r.baseline} loss`,
          'advantage',
          ...(withCi ? ['95% interval'] : []),
          'multiplier',
          ...(withCi ? ['95% interval', 'P(better)', 'P(best)'] : []),
          ...(withLof ? ['lack-of-fit t interval'] : []),
        ],
        a.budgets.map((b) => [
          num(b.C, 3),
          num(b.loss),
          num(b.baselineLoss),
          sign(b.lossAdvantage),
          ...(withCi ? [b.lossAdvantageCi95 ? `[${sign(b.lossAdvantageCi95[0])}, ${sign(b.lossAdvantageCi95[1])}]` : '—'] : []),
          b.computeMultiplier === null ? `never reached by ${r.baseline}` : `${num(b.computeMultiplier, 3)}×`,
          ...(withCi
            ? [b.ci95 ? range(b.ci95[0], b.ci95[1], 3) : '—', b.pBetter === undefined ? '—' : num(b.pBetter, 3), b.pBest === undefined ? '—' : num(b.pBest, 3)]
            : []),
          ...(withLof ? [b.lackOfFitCi95 ? range(b.lackOfFitCi95[0], b.lackOfFitCi95[1], 3) : '—'] : []),
        ]),
      ),
    );
    out.push(line(a.crossover === null ? 'the curves do not cross between 1e15 and 1e30 FLOP' : `the curves cross at C = ${num(a.crossover, 3)}`));
  }
  if (r.baselineBudgets) {
    out.push(
      gap,
      line(
        `${r.baseline} (baseline): P(best) ${r.baselineBudgets.map((b) => `${num(b.pBest, 3)} at ${num(b.C, 3)}`).join(', ')}; ${r.resamples} ${r.paired ? 'paired ' : ''}resamples`,
      ),
    );
  }
  out.push(
    gap,
    line(
      `Decision accuracy: the share of arm pairs each budget ranks as the largest budget does — by best observed loss, and by the frontier law fitted on the budgets up to it, at the largest${r.paired ? '; resamples paired' : ''}`,
    ),
  );
  out.push(
    table(
      ['C (FLOP)', 'accuracy', 'pairs', 'law accuracy', 'pairs'],
      r.decisionAccuracy.map((d) => [
        num(d.C, 3),
        d.accuracy === null ? '—' : num(d.accuracy, 3),
        String(d.pairs),
        d.lawAccuracy === null ? '—' : num(d.lawAccuracy, 3),
        d.lawAccuracy === null ? '—' : String(d.lawPairs),
      ]),
    ),
  );
  return out;
}
