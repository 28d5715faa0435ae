import { UserError } from '../errors.js';
import type { Law } from '../laws/law.js';

/**
 * How misfit is scored. Every kind is a sum over runs of ρ(r), r the residual of one run:
 * - `huber`: Huber_δ(r), r = log L − log L̂ (Hoffmann et al. 2022; Besiroglu et al. 2024). Summed, not
 *   averaged: averaging shrinks gradients by 1/n and L-BFGS then stops early on the flat ridge.
 * - `mse`: r²/2, r = L − L̂ (plain least squares, as Gadre et al. 2024 fit with curve_fit).
 * - `asym`: absolute error in log space that penalises over-prediction `weight` times more than
 *   under-prediction, rounded off within δ of zero (as a Huber) so the gradient is continuous.
 */
export interface ObjectiveSpec {
  kind: 'huber' | 'mse' | 'asym';
  /** Huber/asym transition, in residual units. Default 1e-3. */
  delta?: number;
  /** asym only: how many times an over-prediction costs more than an under-prediction. Default 10. */
  weight?: number;
  /** Residual space; defaults: huber and asym `log`, mse `linear`. */
  space?: 'log' | 'linear';
}

export const objectiveKinds = ['huber', 'mse', 'asym'] as const;

export function parseObjectiveKind(kind: string): ObjectiveSpec['kind'] {
  if ((objectiveKinds as readonly string[]).includes(kind)) return kind as ObjectiveSpec['kind'];
  throw new UserError(`unknown objective "${kind}" (known: ${objectiveKinds.join(', ')})`);
}

/** Fills in every default, so a spec can be reported exactly as it was used. */
export function resolveObjective(spec: ObjectiveSpec): Required<ObjectiveSpec> {
  return {
    kind: spec.kind,
    delta: spec.delta ?? 1e-3,
    weight: spec.weight ?? 10,
    space: spec.space ?? (spec.kind === 'mse' ? 'linear' : 'log'),
  };
}

/** ρ(r) and ρ'(r) for one residual; `dr` receives ρ'(r). */
export type Rho = (r: number, dr: Float64Array) => number;

export function rho(spec: Required<ObjectiveSpec>): Rho {
  const { delta, weight } = spec;
  switch (spec.kind) {
    case 'huber':
      return (r, dr) => {
        const ar = Math.abs(r);
        if (ar <= delta) {
          dr[0] = r;
          return 0.5 * r * r;
        }
        dr[0] = r > 0 ? delta : -delta;
        return delta * (ar - 0.5 * delta);
      };
    case 'mse':
      return (r, dr) => {
        dr[0] = r;
        return 0.5 * r * r;
      };
    case 'asym':
      // r = observed − predicted, so r < 0 is an over-prediction.
      return (r, dr) => {
        const w = r < 0 ? weight : 1;
        const ar = Math.abs(r);
        if (ar <= delta) {
          dr[0] = (w * r) / delta;
          return (0.5 * w * r * r) / delta;
        }
        dr[0] = r > 0 ? w : -w;
        return w * (ar - 0.5 * delta);
      };
  }
}

/** f(θ) with its gradient written into `grad` (when given): what every optimiser here minimises. */
export type ObjectiveFn = (theta: Float64Array, grad?: Float64Array) => number;

/**
 * Builds Σ_i w_i·ρ(r_i(θ)) for a law on prepared features and observed losses.
 * `weights` (optional) multiplies each run's term: a bootstrap resample is a vector of counts.
 */
export function makeObjective<F>(law: Law<F>, features: F, observed: Float64Array, spec: Required<ObjectiveSpec>, weights?: Float64Array): ObjectiveFn {
  const n = observed.length;
  const p = law.thetaNames.length;
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const dr = new Float64Array(1);
  const f = rho(spec);
  const logSpace = spec.space === 'log';
  const target = logSpace ? observed.map(Math.log) : observed;
  return (theta, grad) => {
    law.predict(theta, features, pred, grad ? jac : undefined);
    if (grad) grad.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      if (w === 0) continue;
      const yhat = pred[i]!;
      // A law can predict ≤ 0 far from the data; log then has no value and the step must be rejected.
      if (logSpace && !(yhat > 0)) return Infinity;
      const r = target[i]! - (logSpace ? Math.log(yhat) : yhat);
      total += w * f(r, dr);
      if (grad) {
        // dr/dθ = −(dL̂/dθ)/L̂ in log space, −dL̂/dθ in linear space.
        const s = (-w * dr[0]!) / (logSpace ? yhat : 1);
        const row = i * p;
        for (let j = 0; j < p; j++) grad[j]! += s * jac[row + j]!;
      }
    }
    return total;
  };
}

/**
 * Residuals r_i(θ) and their Jacobian, for least-squares solvers (Levenberg–Marquardt):
 * r = √w·(observed − predicted) in the objective's space, so ½‖r‖² is the weighted `mse` objective.
 */
export type ResidualFn = (theta: Float64Array, r: Float64Array, jac?: Float64Array) => void;

export function makeResiduals<F>(law: Law<F>, features: F, observed: Float64Array, space: 'log' | 'linear', weights?: Float64Array): ResidualFn {
  const n = observed.length;
  const p = law.thetaNames.length;
  const pred = new Float64Array(n);
  const target = space === 'log' ? observed.map(Math.log) : observed;
  const root = weights ? weights.map(Math.sqrt) : undefined;
  return (theta, r, jac) => {
    law.predict(theta, features, pred, jac);
    for (let i = 0; i < n; i++) {
      const yhat = pred[i]!;
      const w = root ? root[i]! : 1;
      const logSpace = space === 'log';
      r[i] = w * (target[i]! - (logSpace ? Math.log(yhat) : yhat));
      if (jac) {
        const s = logSpace ? -w / yhat : -w;
        for (let j = 0; j < p; j++) jac[i * p + j]! *= s;
      }
    }
  };
}
