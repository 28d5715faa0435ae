/**
 * Prediction intervals for a new run, calibrated on the law's own leave-future-out errors.
 *
 * A bootstrap interval of the fitted curve (`ci95`) carries parameter uncertainty only; a new run also
 * scatters about the curve, and the law errs more the further it extrapolates — on the 529-run sweep the
 * curve's interval holds a few percent of later runs. This interval is split conformal prediction (Vovk et
 * al. 2005; Lei et al. 2018) on rolling-origin forecasts, with a scale that grows with distance:
 *
 *   r = log(loss / predicted)            a backtest forecast's log error, at distance d = C / C_max(fitted) > 1
 *   s(d)² = σ₀² + γ²·(ln d)²             σ₀: the fit's in-sample scatter; γ: extrapolation error per ln d
 *   q = 95% conformal quantile of |r − m|/s(d), the new run counted beyond every backtest error
 *   band: m(d) ± q·s(d)
 *
 * twice: with m = 0 (the errors as they were), and with m = ln d·(a + b·x), the law's systematic error as a
 * slope in ln d that drifts with the cut x = ln(C_cut / C_fit), fitted by least squares and extrapolated to
 * the calibrated fit (x = 0). A misspecified law's error grows with scale (on the sweep the Chinchilla law
 * under-predicts from small cuts and over-predicts from large ones), which earlier cuts alone do not show;
 * a correct law's drift is noise, which the plain band absorbs. The interval is the hull of the two bands:
 * measured coverage 95–99% on exact, Kaplan-form and drifting-exponent synthetic truths at 2–20×, and 95%
 * (top budget) / 99% (top two) on the sweep's six datamixes (test/analyses/calibration.test.ts,
 * docs/backtest.md). Forecasts from one cut share that cut's error, so they are not independent: with fewer
 * than {@link MIN_CUTS} cuts the interval is not given.
 */

import type { Runs } from '../data/runs.js';
import type { Law } from '../laws/law.js';
import { forecast } from './forecast.js';

/** A fit's in-sample scatter σ₀: the sd of log(loss / fitted) over its runs, on n − p degrees of freedom. */
export function logScatter<F>(law: Law<F>, theta: Float64Array, runs: Runs): number {
  let ss = 0;
  forecast(law, theta, runs).forEach((p, i) => {
    ss += Math.log(runs.loss[i]! / p.loss) ** 2;
  });
  return Math.sqrt(ss / Math.max(1, runs.loss.length - law.thetaNames.length));
}

/** Cuts a calibration needs before it is given. */
export const MIN_CUTS = 3;

/** One leave-future-out forecast: its distance, its log error, and where its cut lies. */
export interface CalibrationPoint {
  distance: number;
  /** log(loss / predicted). */
  logError: number;
  /** ln(the forecast's cut / the calibrated fit's cut), ≤ 0; default 0. */
  cutOffset?: number;
}

/** One band: errors about a drift of `drift`·ln d, scaled by √(σ₀² + γ²·ln²d), and their conformal quantile. */
export interface Scale {
  /** Systematic log error per ln of distance at the calibrated fit's cut (0: none). */
  drift: number;
  /** In-sample scatter of log loss about the fitted law. */
  sigma0: number;
  /** Growth of the log error per ln of distance. */
  gamma: number;
  /** 95% conformal quantile of the |standardised error|. */
  q: number;
}

export interface Calibration {
  /** The errors as they were (no drift). */
  plain: Scale;
  /** The errors about their drift, extrapolated to the calibrated fit's cut. */
  drifting: Scale;
  /** Forecasts and cuts the calibration rests on, and the largest distance it saw. */
  forecasts: number;
  cuts: number;
  maxDistance: number;
}

/** The calibration from rolling-origin forecasts, or null with fewer than {@link MIN_CUTS} cuts or too few forecasts for a 95% level. */
export function calibrate(points: readonly CalibrationPoint[], sigma0: number, cuts: number): Calibration | null {
  if (cuts < MIN_CUTS || points.length === 0) return null;
  const plain = conformal(points, sigma0, 0, 0);
  const [a, b] = driftSlope(points);
  const drifting = conformal(points, sigma0, a, b);
  if (!plain || !drifting) return null;
  let maxDistance = 1;
  for (const p of points) if (p.distance > maxDistance) maxDistance = p.distance;
  return { plain, drifting: { ...drifting, drift: a }, forecasts: points.length, cuts, maxDistance };
}

/** The 95% prediction interval of a new run at `distance` whose law forecasts `predicted`: the hull of the two bands. */
export function predictionInterval(c: Calibration, predicted: number, distance: number): [number, number] {
  const d = Math.max(1, distance);
  const [lo1, hi1] = band(c.plain, d);
  const [lo2, hi2] = band(c.drifting, d);
  return [predicted * Math.exp(Math.min(lo1, lo2)), predicted * Math.exp(Math.max(hi1, hi2))];
}

/** The log band of one scale at distance d. */
function band(s: Scale, d: number): [number, number] {
  const half = s.q * scale(s.sigma0, s.gamma, d);
  const shift = s.drift * Math.log(d);
  return [shift - half, shift + half];
}

/** The systematic log error as a slope in ln d that drifts with the cut, r ≈ ln d·(a + b·cutOffset), by least squares. */
function driftSlope(points: readonly CalibrationPoint[]): [number, number] {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let t1 = 0;
  let t2 = 0;
  for (const p of points) {
    const l = Math.log(p.distance);
    const x = p.cutOffset ?? 0;
    s11 += l * l;
    s12 += l * l * x;
    s22 += l * l * x * x;
    t1 += l * p.logError;
    t2 += l * x * p.logError;
  }
  const det = s11 * s22 - s12 * s12;
  // All forecasts from one cut (or none spread in x): the drift cannot be told from a constant slope.
  if (det > 1e-9 * s11 * s22) return [(t1 * s22 - t2 * s12) / det, (s11 * t2 - s12 * t1) / det];
  return [s11 > 0 ? t1 / s11 : 0, 0];
}

/** The scale and 95% conformal quantile of the errors left after a drift of `a + b·cutOffset` per ln d. */
function conformal(points: readonly CalibrationPoint[], sigma0: number, a: number, b: number): Scale | null {
  const err = (p: CalibrationPoint) => p.logError - Math.log(p.distance) * (a + b * (p.cutOffset ?? 0));
  let num = 0;
  let den = 0;
  for (const p of points) {
    const l2 = Math.log(p.distance) ** 2;
    num += (err(p) ** 2 - sigma0 * sigma0) * l2;
    den += l2 * l2;
  }
  const gamma = Math.sqrt(Math.max(0, den > 0 ? num / den : 0));
  // Split conformal: the ⌈0.95(n + 1)⌉-th smallest |u|; with fewer than 19 forecasts no 95% level exists.
  const u = Float64Array.from(points, (p) => Math.abs(err(p) / scale(sigma0, gamma, p.distance))).sort();
  const k = Math.ceil(0.95 * (u.length + 1));
  return k <= u.length ? { drift: 0, sigma0, gamma, q: u[k - 1]! } : null;
}

function scale(sigma0: number, gamma: number, distance: number): number {
  const s = Math.sqrt(sigma0 * sigma0 + (gamma * Math.log(distance)) ** 2);
  // An exact fit (σ₀ = 0) at distance 1 would give a zero scale and 0/0 errors.
  return s > 0 ? s : Number.MIN_VALUE;
}
