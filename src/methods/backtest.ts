import type { Runs } from '../data/runs.js';
import type { Law } from '../laws/law.js';
import { forecast, type ErrorLawState } from './forecast.js';

/** One held-out run scored by a fitted law. */
export interface TargetScore {
  file: string;
  row: number;
  N: number;
  D: number;
  loss: number;
  predicted: number;
  /** |predicted − loss| / loss. */
  relErr: number;
  /** (predicted − loss) / loss: positive when the law over-predicts. */
  signedRelErr: number;
  /** The run's name (a `label` column), when one is given. */
  label?: string;
  ci95?: [number, number];
  error?: number;
  /** The error law at the predicted loss (not at the true one: that is the forecast a user would have made). */
  errorPredicted?: number;
  errorRelErr?: number;
  /** (errorPredicted − error) / error. */
  errorSignedRelErr?: number;
  errorCi95?: [number, number];
}

export interface Backtest {
  targets: TargetScore[];
  meanAbsRelErr: number;
  meanAbsErrorRelErr?: number;
}

/**
 * Scores a fitted law on target runs it was not fitted on (Gadre et al. 2024, Table 2: relative error of the
 * forecast loss and of the downstream error). `error` holds the targets' true errors when an error law is given.
 */
export function backtest<F>(
  law: Law<F>,
  theta: Float64Array,
  targets: Runs,
  lossDraws?: Float64Array,
  errorLaw?: ErrorLawState,
  error?: Float64Array,
): Backtest {
  const f = forecast(law, theta, targets, lossDraws, errorLaw);
  const scores: TargetScore[] = f.map((p, i) => {
    const loss = targets.loss[i]!;
    const s: TargetScore = {
      file: targets.origin[i]!.file,
      row: targets.origin[i]!.row,
      N: targets.N[i]!,
      D: targets.D[i]!,
      loss,
      predicted: p.loss,
      relErr: Math.abs(p.loss - loss) / loss,
      signedRelErr: (p.loss - loss) / loss,
      ...(p.ci95 ? { ci95: p.ci95 } : {}),
    };
    if (p.error !== undefined && error) {
      const e = error[i]!;
      Object.assign(s, {
        error: e,
        errorPredicted: p.error,
        errorRelErr: Math.abs(p.error - e) / e,
        errorSignedRelErr: (p.error - e) / e,
        ...(p.errorCi95 ? { errorCi95: p.errorCi95 } : {}),
      });
    }
    return s;
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    targets: scores,
    meanAbsRelErr: mean(scores.map((s) => s.relErr)),
    ...(errorLaw && error ? { meanAbsErrorRelErr: mean(scores.map((s) => s.errorRelErr!)) } : {}),
  };
}
