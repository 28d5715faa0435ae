// A law's analytic Jacobian against central finite differences, shared by the law wrappers' tests.
import assert from 'node:assert/strict';
import type { Law } from '../../src/laws/law.js';

/** Asserts dL̂/dθ_j of every run within 1e-6 (relative) of the central difference; returns the predictions. */
export function assertJacobian<F>(law: Law<F>, features: F, n: number, theta: Float64Array, label = law.name): Float64Array {
  const q = law.thetaNames.length;
  const out = new Float64Array(n),
    jac = new Float64Array(n * q),
    up = new Float64Array(n),
    down = new Float64Array(n);
  law.predict(theta, features, out, jac);
  for (let j = 0; j < q; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
    const tp = theta.slice(),
      tm = theta.slice();
    tp[j]! += h;
    tm[j]! -= h;
    law.predict(tp, features, up);
    law.predict(tm, features, down);
    for (let i = 0; i < n; i++) {
      const fd = (up[i]! - down[i]!) / (2 * h);
      const an = jac[i * q + j]!;
      assert.ok(Math.abs(fd - an) <= 1e-6 * Math.max(Math.abs(an), 1e-3 * Math.abs(out[i]!)), `${label} ${law.thetaNames[j]} run ${i}: ${an} vs ${fd}`);
    }
  }
  return out;
}
