// Formula laws (src/laws/formula): the grammar (precedence, associativity, numbers, functions), exact
// derivatives against central differences, the same predictions as the built-in laws at the same θ, the θ
// scales and default starts, the numeric allocation against the Chinchilla closed form, and every bad formula's
// one-line error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runs } from '../../src/data/runs.js';
import { UserError } from '../../src/errors.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import { formulaLaw, MAX_STARTS } from '../../src/laws/formula/law.js';
import { numericOptimum, powerLawThrough } from '../../src/laws/formula/optimal.js';
import { parseStarts } from '../../src/laws/formula/options.js';
import { kaplan } from '../../src/laws/kaplan.js';
import type { Law } from '../../src/laws/law.js';
import { overtrain } from '../../src/laws/overtrain.js';
import { isFormula, lawByName } from '../../src/laws/registry.js';
import { assertJacobian } from '../helpers/jacobian.js';

const runsOf = (N: number[], D: number[], extra: Partial<Runs> = {}): Runs => ({
  N: Float64Array.from(N),
  D: Float64Array.from(D),
  C: Float64Array.from(N, (n, i) => 6 * n * D[i]!),
  loss: Float64Array.from(N, () => 1),
  origin: N.map((_, i) => ({ file: 'synthetic', row: i + 1 })),
  ...extra,
});
const predict = <F>(law: Law<F>, theta: Float64Array, runs: Runs) => {
  const out = new Float64Array(runs.N.length);
  law.predict(theta, law.prepare(runs), out);
  return out;
};
/** The formula at θ = 0 for a leading log-scale k (k = 1): its value per run. */
const evaluate = (body: string, runs: Runs) => {
  const law = formulaLaw(`k*(${body})`);
  assert.deepEqual(law.scales, ['log']);
  return predict(law, new Float64Array(1), runs);
};

const small = runsOf([0.5, 1, 1.5, 2], [3, 0.25, 2, 5]);

test('grammar: ^ binds tighter than unary minus and is right-associative; - and / are left-associative; numbers with exponents', () => {
  const cases: [string, (N: number, D: number) => number][] = [
    ['-N^2', (N) => -(N ** 2)],
    ['2^-N^2', (N) => 2 ** -(N ** 2)],
    ['2^3^N', (N) => 2 ** (3 ** N)],
    ['N - D - 1', (N, D) => N - D - 1],
    ['N/D/2', (N, D) => N / D / 2],
    ['-N*D', (N, D) => -N * D],
    ['1e-3*N + 2.5E2 - .5', (N) => 1e-3 * N + 250 - 0.5],
    ['(N + D)^0.5 * +D', (N, D) => Math.sqrt(N + D) * D],
    ['exp(-N) + log(D) + sqrt(N*D)', (N, D) => Math.exp(-N) + Math.log(D) + Math.sqrt(N * D)],
    ['M + C/(6*N*D)', (N, D) => D / N + 1],
  ];
  for (const [body, f] of cases) {
    const got = evaluate(body, small);
    small.N.forEach((N, i) => {
      assert.ok(Math.abs(got[i]! - f(N, small.D[i]!)) <= 1e-14 * Math.max(1, Math.abs(got[i]!)), `${body} at run ${i}: ${got[i]}`);
    });
  }
});

test('derivatives: forward-mode dL/dθ of every constant equals the central difference, through every operation and both scales', () => {
  const runs = runsOf([1.1e7, 7.9e7, 4.1e8, 1.4e9, 6.9e9], [2.2e8, 4.7e10, 8.2e9, 9.2e11, 1.4e11], {
    U: Float64Array.of(1e8, 4e10, 8e9, 1e11, 1.4e11),
    columns: { lr: Float64Array.of(3e-3, 1e-3, 6e-4, 3e-4, 2e-4) },
  });
  const formulas: [string, number[]][] = [
    ['E + A*N^-alpha + B*D^-beta', [0.5, 6, 0.34, 7, 0.28]],
    ['E + ((A/N)^(alpha/beta) + B/D)^beta', [0.4, 20, 0.3, 22, 0.25]],
    ['E + (a*M^eta + b*M^-eta)*C^-eta', [0.6, 5.4, 0.14, 5.9]],
    ['E + A*exp(-N/s) - log(1 + B*U^-beta)/sqrt(g + M) + h*`lr`^2 * N^q', [0.3, 1, 2e8, 3, 0.2, 0.1, 0.5, 0.05]],
  ];
  for (const [text, theta] of formulas) {
    const law = formulaLaw(text);
    assert.equal(law.thetaNames.length, theta.length, text);
    assertJacobian(law, law.prepare(runs), runs.N.length, Float64Array.from(theta), text);
  }
});

test('the built-in laws restated as formulas predict the same losses and Jacobians at the same constants', () => {
  const runs = runsOf([1.1e7, 7.9e7, 4.1e8, 1.4e9, 6.9e9, 7e10], [2.2e8, 4.7e10, 8.2e9, 9.2e11, 1.4e11, 1.4e12]);
  const pairs: [Law<unknown>, string, Record<string, number>][] = [
    [chinchilla as Law<unknown>, 'E + A*N^-alpha + B*D^-beta', { E: 1.8172, A: 477.8, B: 2143.9, alpha: 0.3473, beta: 0.3672 }],
    [kaplan as Law<unknown>, 'E + ((A/N)^(alpha/beta) + B/D)^beta', { E: 1.5, A: 5.1e8, B: 1.07e10, alpha: 0.238, beta: 0.253 }],
    [overtrain as Law<unknown>, 'E + (a*M^eta + b*M^-eta)*C^-eta', { E: 1.84, a: 212.2, b: 366.7, eta: 0.1364 }],
  ];
  for (const [law, text, params] of pairs) {
    const f = formulaLaw(text);
    assert.deepEqual([...f.constants].sort(), [...law.publicNames].sort(), text);
    const theta = law.fromPublic!(params);
    const phi = f.fromPublic!(params);
    const n = runs.N.length;
    const [p, q] = [law.thetaNames.length, f.thetaNames.length];
    const out = new Float64Array(n),
      jac = new Float64Array(n * p),
      fout = new Float64Array(n),
      fjac = new Float64Array(n * q);
    law.predict(theta, law.prepare(runs), out, jac);
    f.predict(phi, f.prepare(runs), fout, fjac);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(fout[i]! / out[i]! - 1) < 1e-13, `${text} run ${i}: ${fout[i]} vs ${out[i]}`);
      // Each built-in θ entry against the formula's entry of the same constant, where both fit it on one scale.
      for (const k of law.publicNames) {
        const j = law.thetaNames.findIndex((t) => t === k || t === `log_${k}` || (t.length === 1 && k.toLowerCase().startsWith(t)));
        const fj = f.constants.indexOf(k);
        const logBuiltin = law.thetaNames[j] !== k;
        if (logBuiltin !== (f.scales[fj] === 'log')) continue; // overtrain's E: linear in the built-in, log in the formula by default
        const a = jac[i * p + j]!,
          b = fjac[i * q + fj]!;
        assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), 1e-9), `${text} d/d${k} run ${i}: ${b} vs ${a}`);
      }
    }
  }
});

test('θ: coefficients and lone terms in log space, exponents as they are; a start <= 0 or a saved linear name keeps a constant linear', () => {
  const f = formulaLaw('E + A*N^-alpha + B*D^-beta');
  assert.deepEqual(f.constants, ['E', 'A', 'alpha', 'B', 'beta']);
  assert.deepEqual(f.thetaNames, ['log_E', 'log_A', 'alpha', 'log_B', 'beta']);
  assert.deepEqual(f.roles, ['term', 'coefficient', 'exponent', 'coefficient', 'exponent']);
  assert.deepEqual(formulaLaw('E + A*N^-alpha', { starts: { E: [0, 1] } }).thetaNames, ['E', 'log_A', 'alpha']);
  assert.deepEqual(formulaLaw('E + A*N^-alpha', { linear: ['A'] }).thetaNames, ['log_E', 'A', 'alpha']);
  // exp(…) is an exponent too.
  assert.deepEqual(formulaLaw('E + A*exp(-N/s)').roles, ['term', 'coefficient', 'exponent']);
  // Default starts: exponents 0.1, 0.3, 0.8; terms 0.5, 1, 2; coefficients e^0 … e^25.
  assert.equal(f.starts('default').length, 3 * 6 * 3 * 6 * 3);
  assert.deepEqual(f.startValues.alpha, [0.1, 0.3, 0.8]);
  assert.deepEqual(f.startValues.E, [0.5, 1, 2]);
  assert.deepEqual(
    f.startValues.A!.map((v) => Math.round(Math.log(v))),
    [0, 5, 10, 15, 20, 25],
  );
  // --start replaces one constant's list; the grid is their product.
  const g = formulaLaw('E + A*N^-alpha + B*D^-beta', { starts: { alpha: [0.2, 0.4], E: [1.7] } });
  assert.equal(g.starts('default').length, 1 * 6 * 2 * 6 * 3);
  // θ ↔ constants round trip.
  const p = { E: 1.8, A: 400, alpha: 0.3, B: 2000, beta: 0.35 };
  const back = f.toPublic(f.fromPublic!(p));
  for (const [k, v] of Object.entries(p)) assert.ok(Math.abs(back[k]! / v - 1) < 1e-15, k);
});

test('--start NAME=V1,V2: values without a name belong to the name before; bad items are one-line errors', () => {
  assert.deepEqual(parseStarts(['alpha=0.1', '0.5', 'E=1.7', 'A=1e3']), { alpha: [0.1, 0.5], E: [1.7], A: [1000] });
  const msg = (items: string[]) => {
    try {
      parseStarts(items);
    } catch (err) {
      assert.ok(err instanceof UserError);
      return err.message;
    }
    assert.fail('no error');
  };
  assert.equal(msg(['0.5']), 'start "0.5": expected NAME=VALUE (e.g. alpha=0.3 or alpha=0.1,0.5)');
  assert.equal(msg(['alpha=x']), 'start "alpha=x": "x" is not a finite number');
  assert.equal(msg(['alpha=0.1', 'alpha=0.2']), 'start "alpha=0.2": alpha already has starts');
});

test('bad formulas: one line each, pointing at the position', () => {
  const cases: [string, string][] = [
    ['E + A*(N^-alpha', `at 16: expected ")", found the end ('E + A*(N^-alpha')`],
    ['E + A*foo(N)', `at 7: unknown function "foo" (known: exp, log, sqrt) ('E + A*foo(N)')`],
    ['', 'the formula is empty'],
    ['   ', 'the formula is empty'],
    ['N^-0.5 + D', `the formula has no constant to fit (every name in it is a variable: N, D, C, M, U) ('N^-0.5 + D')`],
    ['2*E', "the formula depends on no variable (N, D, C, M, U) and no `column`: it is one number for every run ('2*E')"],
    ['E + A*N^-alpha $', `at 16: unexpected character "$" ('E + A*N^-alpha $')`],
    ['E + A*N^-alpha)', `at 15: unmatched ")" ('E + A*N^-alpha)')`],
    ['E + A N', `at 7: expected an operator, found "N" ('E + A N')`],
    ['E + *N', `at 5: expected a number, a name or "(", found "*" ('E + *N')`],
    ['E + A*`lr', "at 7: a column name opened with ` is not closed ('E + A*`lr')"],
    ['E + exp*N', `at 5: "exp" is a function: write exp(…) ('E + exp*N')`],
  ];
  for (const [text, want] of cases) {
    assert.throws(
      () => formulaLaw(text),
      (err: unknown) => err instanceof UserError && err.message === want,
      `${JSON.stringify(text)} should fail with ${want}`,
    );
  }
  assert.throws(() => formulaLaw('E + A*N^-alpha', { starts: { x: [1] } }), /^UserError: start x: not a constant of the formula \(constants: E, A, alpha\)$/);
});

test('the registry: a one-word name is a law (or an unknown one), anything else a formula', () => {
  assert.equal(lawByName('chinchilla'), chinchilla);
  assert.equal(isFormula('E + A*N^-alpha'), true);
  assert.equal(isFormula('kaplin'), false);
  assert.throws(() => lawByName('kaplin'), /unknown law "kaplin" \(known: chinchilla, kaplan, overtrain, data-constrained\)/);
  assert.equal(lawByName('E+A*N^-a').name, 'E+A*N^-a');
});

test('numeric allocation: the Chinchilla formula gives the closed form N_opt = G·(C/6)^a; a law with no D term has no minimum in range', () => {
  const p = { E: 1.8172, A: 477.8, B: 2143.9, alpha: 0.3473, beta: 0.3672 };
  const f = formulaLaw('E + A*N^-alpha + B*D^-beta');
  const theta = f.fromPublic!(p);
  const closed = chinchilla.allocate!(chinchilla.fromPublic!(p));
  const points = [1e20, 1e22, 1e24, 1e26].map((C) => numericOptimum(f, theta, C)!);
  for (const pt of points) {
    const N = closed.G * Math.pow(pt.C / 6, closed.a);
    assert.ok(Math.abs(pt.N / N - 1) < 1e-8, `C = ${pt.C}: ${pt.N} vs ${N}`);
    assert.ok(Math.abs(pt.D * 6 * pt.N - pt.C) < 1e-6 * pt.C);
  }
  const power = powerLawThrough(points)!;
  assert.ok(Math.abs(power.a - closed.a) < 1e-8, `a ${power.a} vs ${closed.a}`);
  assert.ok(Math.abs(power.G / closed.G - 1) < 1e-6, `G ${power.G} vs ${closed.G}`);
  // L = E + A/N^α falls forever with N: the search finds its edge, not a minimum.
  const noD = formulaLaw('E + A*N^-alpha');
  assert.equal(numericOptimum(noD, noD.fromPublic!(p), 1e22), undefined);
});

test('a formula of many constants keeps its default grid within MAX_STARTS, thinning the last constants to their middle value', () => {
  const text = 'E + A*N^-a + B*D^-b + G*N^-c*D^-d + H*C^-e + K*M^-f + P*N^-g + Q*D^-h';
  const f = formulaLaw(text);
  const size = f.starts('default').length;
  assert.ok(size <= MAX_STARTS && size > 1000, String(size));
  // The first constants keep their whole lists; --start lists are never thinned.
  assert.deepEqual(f.startValues.E, [0.5, 1, 2]);
  const g = formulaLaw(text, { starts: { h: [0.1, 0.2, 0.4, 0.8] } });
  assert.deepEqual(g.startValues.h, [0.1, 0.2, 0.4, 0.8]);
});
