/** How a leave-future-out backtest is shown. */
import type { BacktestGroup, BacktestResult, ErrorSummary } from '../analyses/backtest.js';
import { num } from '../format/number.js';
import { gap, heading, line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';
import { groupWarnings } from './warnings.js';

export function presentBacktest(result: BacktestResult): Presentation {
  return {
    json: result,
    blocks: backtestBlocks(result),
    warnings: groupWarnings(result.groups),
    figures: async (document) => {
      const { backtestErrors } = await import('../plots/backtest.js');
      return result.groups.map((g) => ({
        name: `backtest-errors${g.group === null ? '' : `-${g.group}`}`,
        svg: backtestErrors(document, {
          by: result.by,
          title: `Leave-future-out errors against distance${g.group === null ? '' : `: ${g.group}`}`,
          series: g.candidates.map((c) => ({
            name: c.candidate,
            points: c.forecasts.map((f) => ({ distance: f.distance, relErr: f.relErr })),
            bins: c.byDistance.map((b) => ({ distance: b.center, bias: b.bias })),
          })),
        }),
      }));
    },
  };
}

const pct = (v: number, signed = false) => `${signed && v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}%`;
const share = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
const piCoverage = (s: ErrorSummary) => (s.piCoverage === null ? '—' : `${share(s.piCoverage)} of ${s.withPi}`);

export function backtestBlocks(r: BacktestResult): Block[] {
  const out: Block[] = [];
  const what = r.by === 'compute' ? 'compute C' : r.by === 'params' ? 'parameters N' : 'tokens D';
  out.push(line(`backtest: leave-future-out by ${what}; each cut fits the runs at or below it and forecasts every later run`));
  for (const g of r.groups) out.push(gap, ...groupBlocks(g, r.by));
  return out;
}

function groupBlocks(g: BacktestGroup, by: BacktestResult['by']): Block[] {
  const out: Block[] = [];
  if (g.group !== null) out.push(heading(g.group));
  const cuts = g.candidates[0]?.cuts ?? [];
  out.push(line(`${g.budgets.length} budgets of ${by}; ${cuts.length} cut${cuts.length === 1 ? '' : 's'}, at ${cuts.map((c) => num(c, 3)).join(', ')}`));
  out.push(
    table(
      ['candidate', 'forecasts', 'mean |error|', 'bias', 'ci95 coverage', 'pi95 coverage'],
      g.candidates.map((c) => [
        c.candidate,
        String(c.summary.forecasts),
        pct(c.summary.meanAbsRelErr),
        pct(c.summary.bias, true),
        share(c.summary.coverage),
        piCoverage(c.summary),
      ]),
    ),
  );
  const f = g.noiseFloor;
  if (f) {
    const source = f.source === 'column' ? 'the noise column' : `${f.configurations} configurations trained more than once`;
    out.push(
      line(
        `Noise floor (${source}): a run's loss scatters by ${pct(f.relSd)} (sd), which alone gives a mean |error| of ${pct(f.meanAbsRelErr)}; ` +
          g.candidates.map((c) => `${c.candidate} errs ${num(c.vsNoise!, 2)}× that`).join(', '),
      ),
    );
  }
  const bins = [...new Map(g.candidates.flatMap((c) => c.byDistance.map((b) => [b.from, b] as const))).values()].sort((a, b) => a.from - b.from);
  const label = (from: number, to: number | null) => (to === null ? `>${from}×` : `${from}–${to}×`);
  out.push(gap, line("Mean |error| (bias) by distance, the run's value over the largest fitted:"));
  out.push(
    table(
      ['candidate', ...bins.map((b) => label(b.from, b.to))],
      g.candidates.map((c) => [
        c.candidate,
        ...bins.map((b) => {
          const hit = c.byDistance.find((x) => x.from === b.from);
          return hit ? `${pct(hit.meanAbsRelErr)} (${pct(hit.bias, true)})` : '—';
        }),
      ]),
    ),
  );
  return out;
}
