/** How a fit is shown: its JSON document, its tables, its warnings and its figures. */
import type { FitAnalysisResult } from '../analyses/fit.js';
import { num, range } from '../format/number.js';
import type { FitReport } from '../schema/fit.js';
import { gap, line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';

export function presentFit(result: FitAnalysisResult): Presentation {
  const { report, runs, accuracyRows } = result;
  return {
    json: report,
    blocks: fitBlocks(report),
    warnings: report.warnings,
    figures: async (document) => (await import('../plots/sets.js')).fitFigures(document, report, runs, accuracyRows ? { accuracyRows } : {}),
  };
}

/** The human-readable fit: constants with intervals, then the allocation per budget. */
export function fitBlocks(r: FitReport): Block[] {
  const out: Block[] = [];
  const bs = r.bootstrap;
  out.push(line(`${r.law} fit: ${r.formula}`));
  out.push(
    line(
      `${r.n} runs; objective ${r.objective.kind}${r.objective.kind !== 'mse' ? ` (δ = ${r.objective.delta})` : ''} on ${r.objective.space} loss = ${r.objective.value.toPrecision(10)}; ` +
        `${r.search.optimised} of ${r.search.starts} starts optimised (${r.search.grid} grid), ${r.search.agreeing} reached the best`,
    ),
  );
  if (r.controls) out.push(line(`controls: ${controlsText(r.controls)}`));
  if (r.selection) out.push(gap, ...selectionBlocks(r.selection));
  out.push(gap);
  // A joint fit's table holds the shared constants; each group's own follow in the per-group table.
  const names = r.joint ? r.joint.shared : [...Object.keys(r.params), ...(r.optimal && !('a' in r.params) ? ['a', 'b'] : [])];
  const value = (k: string) => (k in r.params ? r.params[k]! : k === 'a' ? r.optimal!.a : r.optimal!.b);
  out.push(
    table(
      bs ? ['', 'estimate', 'SE', '95% interval'] : ['', 'estimate'],
      names.map((k) => (bs ? [k, num(value(k)), num(bs.se[k]!, 3), range(bs.ci95[k]![0], bs.ci95[k]![1])] : [k, num(value(k))])),
    ),
  );
  if (r.joint) out.push(gap, ...jointBlocks(r.joint));
  if (bs)
    out.push(
      line(
        `(${bs.resamples} bootstrap resamples${bs.unit === 'run' ? ' of whole runs' : ''}, seed ${bs.seed}, each refitted from the ${bs.start === 'grid' ? 'start grid' : 'full-data optimum'})`,
      ),
    );
  if (r.optimal) {
    out.push(gap);
    out.push(line(`Compute-optimal allocation (C = 6ND): N_opt = ${num(r.optimal.G)}·(C/6)^${num(r.optimal.a)}, D_opt ∝ (C/6)^${num(r.optimal.b)}`));
    out.push(
      table(
        ['C (FLOP)', 'N_opt', ...(bs ? ['95% interval'] : []), 'D_opt', ...(bs ? ['95% interval'] : []), 'D/N', 'loss', 'vs largest run'],
        r.optimal.budgets.map((b) => [
          num(b.C, 3),
          num(b.N, 3),
          ...(b.ci95 ? [range(b.ci95.N[0], b.ci95.N[1], 3)] : []),
          num(b.D, 3),
          ...(b.ci95 ? [range(b.ci95.D[0], b.ci95.D[1], 3)] : []),
          num(b.tokensPerParam, 3),
          num(b.loss),
          b.extrapolation <= 1 ? 'within data' : `${num(b.extrapolation, 2)}× beyond`,
        ]),
      ),
    );
  }
  if (r.chinchilla) {
    const c = r.chinchilla;
    out.push(gap);
    out.push(
      line(
        `As Chinchilla constants: E = ${num(c.E)}, A = ${num(c.A)}, B = ${num(c.B)}, alpha = beta = ${num(c.alpha)}; compute-optimal D/N = ${num(r.optimalM!)}`,
      ),
    );
  }
  if (r.errorLaw) {
    const e = r.errorLaw;
    out.push(gap);
    out.push(line(`Error law (${e.link}, ${e.n} runs, fitted on their true losses): ${e.formula}`));
    out.push(
      line(
        Object.entries(e.params)
          .map(([k, v]) => `${k} = ${num(v)}${e.ci95 ? ` ${range(e.ci95[k]![0], e.ci95[k]![1])}` : ''}`)
          .join(', '),
      ),
    );
  }
  if (r.accuracyLaw) out.push(gap, ...accuracyLawBlocks(r.accuracyLaw));
  if (r.calibration) {
    const c = r.calibration;
    out.push(
      gap,
      line(
        `Prediction intervals for new runs (pi95): calibrated on ${c.forecasts} leave-future-out forecasts of these runs from ${c.cuts} cuts, up to ${num(c.maxDistance, 3)}× beyond each cut (docs/backtest.md)`,
      ),
    );
  }
  if (r.targets) out.push(gap, ...targetBlocks(r));
  return out;
}

/** The accuracy chain's step 2 (the link, its floor and anchors) and the direct law beside it. */
function accuracyLawBlocks(a: NonNullable<FitReport['accuracyLaw']>): Block[] {
  const anchors = a.anchors.length > 0 ? `, anchors ${a.anchors.map(([l, q]) => `(${l}, ${q})`).join(', ')}` : '';
  const held = a.held?.length ? ` (${a.held.join(', ')} held on its bound)` : '';
  const values = (params: Record<string, number>, ci?: Record<string, [number, number]>) =>
    Object.entries(params)
      .map(([k, v]) => `${k} = ${num(v)}${ci?.[k] ? ` ${range(ci[k][0], ci[k][1])}` : ''}`)
      .join(', ');
  return [
    line(`Accuracy link (${a.link}, ${a.n} rows of ${a.column}, fitted on their true task losses; chance ${a.chance}${anchors}): ${a.formula}`),
    line(`${values(a.params, a.ci95)}${held}`),
    line(`Direct law (${a.direct.n} loss-fit runs, Krajewski et al.): ${a.direct.formula}: ${values(a.direct.params, a.direct.ci95)}`),
  ];
}

/** A joint fit: each group's own constants, its compute-optimal exponent and N_opt at the first budget, with intervals. */
function jointBlocks(j: NonNullable<FitReport['joint']>): Block[] {
  const own = Object.keys(j.groups[0]!.params).filter((k) => !j.shared.includes(k));
  const first = j.groups[0]!.optimal?.budgets[0];
  const cell = (v: number, ci?: [number, number], digits?: number) => (ci ? `${num(v, digits)} ${range(ci[0], ci[1], digits)}` : num(v, digits));
  return [
    line(
      `Joint fit across ${j.column} (${j.groups.length} groups): ${j.shared.length > 0 ? `${j.shared.join(', ')} shared` : 'nothing shared'}, ${own.join(', ')} per group`,
    ),
    table(
      ['group', 'runs', ...own, ...(first ? ['a', `N_opt at ${num(first.C, 3)}`] : [])],
      j.groups.map((g) => {
        const ci = g.bootstrap?.ci95;
        const b = g.optimal?.budgets[0];
        return [
          g.group,
          String(g.n),
          ...own.map((k) => cell(g.params[k]!, ci?.[k])),
          ...(g.optimal && b ? [cell(g.optimal.a, ci?.a), cell(b.N, b.ci95?.N, 3)] : []),
        ];
      }),
    ),
  ];
}

/** `--select backtest`: the chosen specification, then every candidate's leave-future-out errors and score. */
function selectionBlocks(s: NonNullable<FitReport['selection']>): Block[] {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const bin = s.bin ? (s.bin.to === null ? `${s.bin.from}× or more` : `${s.bin.from}–${s.bin.to}×`) : '';
  const scored = s.bin ? `the forecasts ${bin} beyond their cut` : 'the forecasts of the last cut';
  return [
    line(
      `Specification chosen by backtest: ${s.chosen} (rolling origin on these runs, ${s.cuts} cuts of ${s.budgets} budgets; score: mean |error| of ${scored})`,
    ),
    table(
      ['candidate', 'forecasts', 'mean |error|', 'bias', s.bin ? `in bin ${bin}` : 'of last cut', 'score', ''],
      s.candidates.map((c) => [
        c.candidate,
        String(c.forecasts),
        pct(c.meanAbsRelErr),
        `${c.bias >= 0 ? '+' : ''}${pct(c.bias)}`,
        String(c.scoredForecasts),
        pct(c.score),
        c.candidate === s.chosen ? 'chosen' : '',
      ]),
    ),
  ];
}

/** The controls as one clause each: `E fixed at 1.69; alpha = beta`. */
export function controlsText(c: NonNullable<FitReport['controls']>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(c.fix ?? {})) parts.push(`${k} fixed at ${v}`);
  for (const [a, b] of c.tie ?? []) parts.push(`${a} = ${b}`);
  for (const [k, b] of Object.entries(c.bounds ?? {})) {
    const range = b.lo !== undefined && b.hi !== undefined ? `${b.lo} ≤ ${k} ≤ ${b.hi}` : b.lo !== undefined ? `${k} ≥ ${b.lo}` : `${k} ≤ ${b.hi}`;
    parts.push(b.active ? `${range} (held on its ${b.active === 'lo' ? 'lower' : 'upper'} bound)` : range);
  }
  if (c.weights) parts.push(`runs weighted by ${c.weights.startsWith('col:') ? `column ${c.weights.slice(4)}` : c.weights}`);
  return parts.join('; ');
}

/** The backtest: each held-out run's true and predicted loss (and error), and the relative errors. */
function targetBlocks(r: FitReport): Block[] {
  const t = r.targets!;
  const ci = t.some((x) => x.ci95);
  const pi = t.some((x) => x.pi95);
  const err = t.some((x) => x.error !== undefined);
  const acc = t.some((x) => x.accuracy !== undefined);
  const pct = (v: number) => `${(100 * v).toFixed(4)}%`;
  // Signed: positive when the law over-predicts.
  const signed = (v: number) => `${v >= 0 ? '+' : '-'}${(100 * Math.abs(v)).toFixed(4)}%`;
  const grouped = t.some((x) => x.group !== undefined);
  const header = [
    'target',
    ...(grouped ? ['group'] : []),
    'N',
    'D',
    'loss',
    'predicted',
    ...(ci ? ['95% interval'] : []),
    ...(pi ? ['pi95 (new run)'] : []),
    'rel. error',
  ];
  if (err) header.push('error', 'predicted', ...(ci ? ['95% interval'] : []), 'rel. error');
  if (acc) header.push('accuracy', 'chained', ...(ci ? ['95% interval'] : []), 'rel. error', 'direct', ...(ci ? ['95% interval'] : []), 'rel. error');
  const rows = t.map((x) => [
    x.label ?? `${x.file}:${x.row}`,
    ...(grouped ? [x.group ?? ''] : []),
    num(x.N, 3),
    num(x.D, 3),
    num(x.loss),
    num(x.predicted),
    ...(ci ? [x.ci95 ? range(x.ci95[0], x.ci95[1]) : ''] : []),
    ...(pi ? [x.pi95 ? range(x.pi95[0], x.pi95[1]) : ''] : []),
    signed(x.signedRelErr),
    ...(err
      ? [num(x.error!), num(x.errorPredicted!), ...(ci ? [x.errorCi95 ? range(x.errorCi95[0], x.errorCi95[1]) : ''] : []), signed(x.errorSignedRelErr!)]
      : []),
    ...(acc
      ? [
          num(x.accuracy!),
          num(x.accuracyPredicted!),
          ...(ci ? [x.accuracyCi95 ? range(x.accuracyCi95[0], x.accuracyCi95[1]) : ''] : []),
          signed(x.accuracyRelErr!),
          num(x.accuracyDirect!),
          ...(ci ? [x.accuracyDirectCi95 ? range(x.accuracyDirectCi95[0], x.accuracyDirectCi95[1]) : ''] : []),
          signed(x.accuracyDirectRelErr!),
        ]
      : []),
  ]);
  const out = [
    line(
      `Held-out targets (${t.length}), scored by the law fitted without them${err ? '; error = error law at the predicted loss' : ''}${acc ? '; chained = accuracy link at the predicted loss, direct = the direct law at C' : ''}; rel. error = (predicted − true)/true:`,
    ),
    table(header, rows),
  ];
  const accuracyMeans =
    r.meanAbsAccuracyRelErr !== undefined ? `, accuracy chained ${pct(r.meanAbsAccuracyRelErr)}, direct ${pct(r.meanAbsAccuracyDirectRelErr!)}` : '';
  out.push(
    line(
      `mean |relative error|: loss ${pct(r.meanAbsRelErr!)}${r.meanAbsErrorRelErr !== undefined ? `, error ${pct(r.meanAbsErrorRelErr)}` : ''}${accuracyMeans}`,
    ),
  );
  if (pi) out.push(line(`pi95 holds ${t.filter((x) => x.pi95 && x.pi95[0] <= x.loss && x.loss <= x.pi95[1]).length} of ${t.length} held-out runs`));
  return out;
}
