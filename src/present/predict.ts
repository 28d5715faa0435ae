/** How a forecast from a saved fit is shown. */
import { num, range } from '../format/number.js';
import type { PredictReport } from '../schema/predict.js';
import { line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';

export function presentPredict(report: PredictReport): Presentation {
  return { json: report, blocks: predictBlocks(report), warnings: report.warnings, figures: async () => [] };
}

export function predictBlocks(r: PredictReport): Block[] {
  const ci = r.predictions.some((p) => p.ci95);
  const pi = r.predictions.some((p) => p.pi95);
  const err = r.predictions.some((p) => p.error !== undefined);
  const acc = r.predictions.some((p) => p.accuracy !== undefined);
  const header = [
    'N',
    'D',
    'C',
    'M',
    'loss',
    ...(ci ? ['95% interval'] : []),
    ...(pi ? ['pi95 (new run)'] : []),
    ...(err ? ['error', ...(ci ? ['95% interval'] : [])] : []),
    ...(acc ? ['accuracy', ...(ci ? ['95% interval'] : []), 'direct', ...(ci ? ['95% interval'] : [])] : []),
    'vs largest fitted C',
  ];
  const rows = r.predictions.map((p) => [
    num(p.N, 3),
    num(p.D, 3),
    num(p.C, 3),
    num(p.M, 3),
    num(p.loss),
    ...(ci ? [p.ci95 ? range(p.ci95[0], p.ci95[1]) : ''] : []),
    ...(pi ? [p.pi95 ? range(p.pi95[0], p.pi95[1]) : ''] : []),
    ...(err ? [num(p.error!), ...(ci ? [p.errorCi95 ? range(p.errorCi95[0], p.errorCi95[1]) : ''] : [])] : []),
    ...(acc
      ? [
          num(p.accuracy!),
          ...(ci ? [p.accuracyCi95 ? range(p.accuracyCi95[0], p.accuracyCi95[1]) : ''] : []),
          num(p.accuracyDirect!),
          ...(ci ? [p.accuracyDirectCi95 ? range(p.accuracyDirectCi95[0], p.accuracyDirectCi95[1]) : ''] : []),
        ]
      : []),
    p.extrapolation <= 1 ? 'within data' : `${num(p.extrapolation, 2)}× beyond`,
  ]);
  return [line(`${r.law} forecast from ${r.fit}`), table(header, rows)];
}
