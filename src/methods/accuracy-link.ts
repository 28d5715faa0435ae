import { UserError } from '../errors.js';
import type { BoundedLink } from '../laws/accuracy-link.js';
import type { ErrorLink } from '../laws/error-link.js';
import type { ResidualFn } from '../objectives/objective.js';
import { levenbergMarquardt } from '../optim/levenberg-marquardt.js';
import { warning, type Warning } from '../warnings.js';

/** A point (loss, accuracy) the link is pulled towards, e.g. (0, 1): a perfect model is always right. */
export interface Anchor {
  loss: number;
  accuracy: number;
}

/** A fitted accuracy link Acc(L) (step 2 of Bhagia et al.'s two steps). */
export interface AccuracyLinkFit {
  link: string;
  formula: string;
  /** θ by the link's parameter names. */
  params: Record<string, number>;
  theta: Float64Array;
  /** (loss, accuracy) rows fitted, anchors not counted. */
  n: number;
  /** ½·Σ(Acc − Âcc)² at the optimum, over the rows and the anchors. */
  objective: number;
  /** The ceiling held at 1 because the data would put it above (bounded link only). */
  topHeld: boolean;
  warnings: Warning[];
}

const TIGHT = { fTol: 1e-15, xTol: 1e-15, gradTol: 1e-15 };

/**
 * Least squares of accuracy against loss, each anchor one more residual of weight 1 (the way Bhagia et al. add
 * the point (0, 1) to the fitted data), with Levenberg–Marquardt from each of the link's starts, keeping the
 * best. The bounded link's ceiling must stay ≤ 1: a fit that puts it above is refitted with it held at 1 (the
 * optimum on the bound, as scipy's `curve_fit` with bounds finds it). `weights[i]` multiplies row i's squared
 * residual (a bootstrap's counts); the anchors keep weight 1.
 */
export function fitAccuracyLink(
  link: ErrorLink,
  loss: Float64Array,
  accuracy: Float64Array,
  anchors: readonly Anchor[],
  weights?: Float64Array,
  from?: Float64Array,
): AccuracyLinkFit {
  const n = loss.length;
  const p = link.paramNames.length;
  if (n + anchors.length < p)
    throw new UserError(
      `the ${link.name} accuracy link has ${p} parameters and needs at least ${p} runs with an accuracy (anchors included); got ${n + anchors.length}`,
    );
  const x = Float64Array.from([...loss, ...anchors.map((a) => a.loss)]);
  const y = Float64Array.from([...accuracy, ...anchors.map((a) => a.accuracy)]);
  const w = Float64Array.from([...(weights ?? new Float64Array(n).fill(1)), ...anchors.map(() => 1)]);
  const starts = from ? [from] : link.starts(loss, accuracy);
  const bounded = 'chance' in link;
  const chance = bounded ? (link as BoundedLink).chance : 0;
  let best = bestOf(link, x, y, w, starts, (t) => !bounded || (t[1]! >= 0 && t[0]! >= chance));
  let topHeld = false;
  if (bounded && best.x[0]! > 1) {
    // The ceiling on its bound: fit k and L0 with top = 1.
    const held = heldTop(link);
    const r = bestOf(
      held,
      x,
      y,
      w,
      starts.map((s) => s.slice(1)),
      (t) => t[0]! >= 0,
    );
    best = { ...r, x: Float64Array.of(1, r.x[0]!, r.x[1]!) };
    topHeld = true;
  }
  const warnings: Warning[] = [];
  if (!best.converged) warnings.push(warning('accuracy-link-not-converged', `accuracy link: the optimiser did not converge (${best.reason})`));
  const free = p - (topHeld ? 1 : 0);
  if (n + anchors.length <= 2 * free)
    warnings.push(
      warning(
        'accuracy-link-few-runs',
        `accuracy link: only ${n} runs and ${anchors.length} anchors for ${free} free parameters: the fit is weakly determined`,
      ),
    );
  const params = Object.fromEntries(link.paramNames.map((k, j) => [k, best.x[j]!]));
  for (const [k, [lo, hi]] of Object.entries(link.plausible ?? {})) {
    const v = params[k]!;
    if (!(v >= lo && v <= hi))
      warnings.push(warning('accuracy-link-unidentified', `accuracy link: ${k} = ${v.toPrecision(4)} is outside [${lo}, ${hi}]: the runs do not identify it`));
  }
  return { link: link.name, formula: link.formula, params, theta: best.x, n, objective: best.f, topHeld, warnings };
}

/**
 * Refits the link on resample b of its rows for b < B, row i counted `counts(b)[i]` times (the anchors once),
 * each from the full-data optimum. Given the loss bootstrap's own counts, draw b of the link is fitted on the
 * same resampled runs as draw b of the loss law, so a forecast pairing them carries both steps' uncertainty.
 * Returns θ per resample, row-major.
 */
export function bootstrapAccuracyLink(
  link: ErrorLink,
  loss: Float64Array,
  accuracy: Float64Array,
  anchors: readonly Anchor[],
  theta: Float64Array,
  resamples: number,
  counts: (b: number) => Float64Array,
): Float64Array {
  const p = link.paramNames.length;
  const out = new Float64Array(resamples * p);
  for (let b = 0; b < resamples; b++) out.set(fitAccuracyLink(link, loss, accuracy, anchors, counts(b), theta).theta, b * p);
  return out;
}

/**
 * The best optimum over the starts, preferring one inside the link's other bounds (the bounded link: k ≥ 0 and
 * top ≥ chance, `feasible`): a start that ends with a falling-then-rising curve is a worse answer than a slightly
 * higher objective with the right shape. Without any feasible optimum the best is kept (and warned about).
 */
function bestOf(
  link: ErrorLink,
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  starts: Float64Array[],
  feasible: (x: Float64Array) => boolean = () => true,
) {
  const res = residuals(link, x, y, w);
  let best: ReturnType<typeof levenbergMarquardt> | undefined;
  let bestFeasible = false;
  for (const x0 of starts) {
    const r = levenbergMarquardt(res, x0, x.length, TIGHT);
    if (!Number.isFinite(r.f)) continue;
    const ok = feasible(r.x);
    if (!best || (ok && !bestFeasible) || (ok === bestFeasible && r.f < best.f)) {
      best = r;
      bestFeasible = ok;
    }
  }
  if (!best) throw new UserError(`no start of the ${link.name} accuracy link gives a finite fit`);
  return best;
}

/** The bounded link with its ceiling held at 1: θ = (k, L0). */
function heldTop(link: ErrorLink): ErrorLink {
  const full = new Float64Array(3);
  const g = new Float64Array(3);
  return {
    ...link,
    paramNames: link.paramNames.slice(1),
    predict(theta, L, grad) {
      full[0] = 1;
      full[1] = theta[0]!;
      full[2] = theta[1]!;
      const v = link.predict(full, L, grad ? g : undefined);
      if (grad) {
        grad[0] = g[1]!;
        grad[1] = g[2]!;
      }
      return v;
    },
  };
}

function residuals(link: ErrorLink, x: Float64Array, y: Float64Array, w: Float64Array): ResidualFn {
  const p = link.paramNames.length;
  const grad = new Float64Array(p);
  return (theta, r, jac) => {
    for (let i = 0; i < x.length; i++) {
      const s = Math.sqrt(w[i]!);
      r[i] = s * (y[i]! - link.predict(theta, x[i]!, jac ? grad : undefined));
      if (jac) for (let j = 0; j < p; j++) jac[i * p + j] = -s * grad[j]!;
    }
  };
}
