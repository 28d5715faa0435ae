// Fit controls (--fix, --tie, --weights, --bound) recover a known synthetic truth, and are reported in the
// JSON, the text output and the saved fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fitControlled, fitLaw } from '../../src/fitting/fit.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import { fitReportSchema } from '../../src/schema/fit.js';
import { readSavedFit } from '../../src/schema/saved-fit.js';
import { scalewise, tempFiles, testBadInputs } from '../helpers/cli.js';
import { chinchillaRuns, runsCsv, truth } from './synthetic.js';

const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want} (rel ${rel})`);
const objective = { kind: 'mse' as const };

test('fix: E held at its true value recovers the other constants to high precision', () => {
  const runs = chinchillaRuns(truth);
  const fit = fitControlled(chinchilla, runs, { objective, constraints: { fix: { E: 1.69 } } });
  assert.equal(fit.params.E, 1.69);
  for (const k of ['A', 'B', 'alpha', 'beta'] as const) close(fit.params[k]!, truth[k], 1e-6, k);
  // theta is the FULL θ of the law: log E included.
  assert.equal(fit.theta.length, 5);
  assert.equal(fit.theta[2], Math.log(1.69));
  assert.ok(fit.objective.value < 1e-20, String(fit.objective.value));
});

test('fix: E held at a wrong value (2.0) moves the others, and the objective rises', () => {
  const runs = chinchillaRuns(truth, undefined, 0.002);
  const free = fitLaw(chinchilla, runs, { objective });
  const right = fitControlled(chinchilla, runs, { objective, constraints: { fix: { E: 1.69 } } });
  const wrong = fitControlled(chinchilla, runs, { objective, constraints: { fix: { E: 2.0 } } });
  assert.equal(wrong.params.E, 2);
  assert.ok(free.objective.value <= right.objective.value * (1 + 1e-9));
  assert.ok(wrong.objective.value > 2 * right.objective.value, `${wrong.objective.value} vs ${right.objective.value}`);
  // A larger E leaves less loss for the terms: they shrink, and the fit no longer finds the truth.
  assert.ok(Math.abs(wrong.params.alpha! - truth.alpha) > 0.02, String(wrong.params.alpha));
  assert.ok(Math.abs(right.params.alpha! - truth.alpha) < 0.02, String(right.params.alpha));
});

test('tie: alpha = beta recovers a truth with alpha = beta = 0.3, and reports alpha === beta', () => {
  const runs = chinchillaRuns({ ...truth, alpha: 0.3, beta: 0.3 });
  const fit = fitControlled(chinchilla, runs, { objective, constraints: { tie: [['alpha', 'beta']] } });
  assert.equal(fit.params.alpha, fit.params.beta);
  close(fit.params.alpha!, 0.3, 1e-6, 'alpha');
  close(fit.params.E!, 1.69, 1e-6, 'E');
  close(fit.params.A!, 406.4, 1e-5, 'A');
  close(fit.params.B!, 410.7, 1e-5, 'B');
  // Huber on log loss (the default objective) too.
  const huber = fitControlled(chinchilla, runs, { constraints: { tie: [['alpha', 'beta']] } });
  close(huber.params.alpha!, 0.3, 1e-5, 'alpha (huber)');
});

// CLI: the flags, the JSON and text reports, the saved fit and predict reading it.
const runs = chinchillaRuns(truth, undefined, 0.002);
const dir = tempFiles({ 'runs.csv': runsCsv(runs) });
const file = join(dir, 'runs.csv');
const cli = ['fit', file, '--params', 'N', '--tokens', 'D'];

test('CLI: --fix and --tie in the JSON (controls), the text output and the saved fit; predict reads it', async () => {
  const plain = await scalewise(...cli, '--json');
  assert.equal(plain.status, 0, plain.stderr);
  assert.ok(!('controls' in JSON.parse(plain.stdout)), 'no controls field without controls');
  const r = await scalewise(...cli, '--fix', 'E=1.69', '--tie', 'alpha=beta', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = fitReportSchema.parse(JSON.parse(r.stdout));
  assert.deepEqual(doc.controls, { fix: { E: 1.69 }, tie: [['alpha', 'beta']] });
  assert.deepEqual(Object.keys(JSON.parse(r.stdout)).slice(0, 6), ['law', 'formula', 'n', 'objective', 'controls', 'params']);
  assert.equal(doc.params.E, 1.69);
  assert.equal(doc.params.alpha, doc.params.beta);
  const text = await scalewise(...cli, '--fix', 'E=1.69', '--tie', 'alpha=beta');
  assert.equal(text.stdout.split('\n')[2], 'controls: E fixed at 1.69; alpha = beta');
  const save = join(dir, 'fit.json');
  const s = await scalewise(...cli, '--fix', 'E=1.69', '--tie', 'alpha=beta', '--bootstrap', '50', '--threads', '2', '--save', save);
  assert.equal(s.status, 0, s.stderr);
  const saved = readSavedFit(JSON.parse(readFileSync(save, 'utf8')), save);
  assert.deepEqual(saved.controls, { fix: { E: 1.69 }, tie: [['alpha', 'beta']] });
  assert.equal(saved.theta.length, 5, 'the full θ');
  assert.equal(saved.theta[2], Math.log(1.69));
  // Every bootstrap draw is a full θ with E held and alpha = beta.
  assert.equal(saved.bootstrap!.theta.length, 50);
  for (const row of saved.bootstrap!.theta) {
    assert.equal(row.length, 5);
    assert.equal(row[2], Math.log(1.69));
    assert.equal(row[3], row[4]);
  }
  const p = await scalewise('predict', save, '--n', '1e9', '--d', '2e10', '--json');
  assert.equal(p.status, 0, p.stderr);
  const want = 1.69 + doc.params.A! / Math.pow(1e9, doc.params.alpha!) + doc.params.B! / Math.pow(2e10, doc.params.beta!);
  close(JSON.parse(p.stdout).predictions[0].loss, want, 1e-12, 'predict');
});

test('CLI: --fix with the bootstrap on threads equals it in one thread', async () => {
  const one = await scalewise(...cli, '--fix', 'E=1.69', '--bootstrap', '100', '--threads', '1', '--json');
  const two = await scalewise(...cli, '--fix', 'E=1.69', '--bootstrap', '100', '--threads', '2', '--json');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(one.stdout, two.stdout);
  const doc = fitReportSchema.parse(JSON.parse(one.stdout));
  assert.ok(doc.bootstrap!.se.E! < 1e-12);
  assert.ok(doc.bootstrap!.se.alpha! > 0);
});

testBadInputs([
  ['--fix unknown constant', [...cli, '--fix', 'G=1'], '--fix "G=1": unknown constant "G" of the chinchilla law (constants: E, A, B, alpha, beta)'],
  ['--fix bad number', [...cli, '--fix', 'E=abc'], '--fix "E=abc": "abc" is not a finite number'],
  ['--fix no value', [...cli, '--fix', 'E'], '--fix "E": expected NAME=VALUE (e.g. E=1.69)'],
  ['--fix log constant at 0', [...cli, '--fix', 'E=0'], '--fix "E=0": E must be > 0 for the chinchilla law (it fits log E)'],
  ['--fix twice', [...cli, '--fix', 'E=1', '--fix', 'E=2'], '--fix "E=2": E is already fixed (at 1)'],
  [
    '--fix every constant',
    [...cli, '--fix', 'E=1,A=1,B=1', '--fix', 'alpha=0.3', '--fix', 'beta=0.3'],
    '--fix: every constant of the chinchilla law is fixed: nothing is left to fit',
  ],
  ['--tie to itself', [...cli, '--tie', 'alpha=alpha'], '--tie "alpha=alpha": a constant cannot be tied to itself'],
  ['--tie to a fixed one', [...cli, '--fix', 'beta=0.3', '--tie', 'alpha=beta'], '--tie "alpha=beta": beta is fixed by --fix; tie it to nothing, or fix both'],
  [
    '--tie unknown constant',
    [...cli, '--tie', 'alpha=eta'],
    '--tie "alpha=eta": unknown constant "eta" of the chinchilla law (constants: E, A, B, alpha, beta)',
  ],
  ['--tie different scales', [...cli, '--tie', 'E=alpha'], '--tie: cannot tie E to alpha: the chinchilla law fits them on different scales'],
  ['--tie no pair', [...cli, '--tie', 'alpha'], '--tie "alpha": expected NAME=NAME (e.g. alpha=beta)'],
]);

// Weights: the two smallest budgets follow another law (a larger E and steeper exponents); weighting each run
// by its compute pulls the fit toward the constants of the large runs.
const small = { E: 2.1, A: 900, B: 1500, alpha: 0.45, beta: 0.4 };
const mixed = (() => {
  const all = chinchillaRuns(truth);
  const other = chinchillaRuns(small);
  const loss = all.loss.map((l, i) => (all.C[i]! < 5e18 ? other.loss[i]! : l));
  return { ...all, loss };
})();

test('weights: C pulls the fit toward the large runs, sqrtC part of the way', () => {
  const none = fitLaw(chinchilla, mixed, { objective });
  const mean = (w: Float64Array) => w.reduce((a, b) => a + b, 0) / w.length;
  const byC = mixed.C.map((c) => c / mean(mixed.C));
  const sqrt = mixed.C.map(Math.sqrt);
  const bySqrtC = sqrt.map((c) => c / mean(sqrt));
  const C = fitControlled(chinchilla, mixed, { objective, weights: byC });
  const sqrtC = fitControlled(chinchilla, mixed, { objective, weights: bySqrtC });
  const off = (p: Record<string, number>) => Math.abs(p.alpha! - truth.alpha) + Math.abs(p.beta! - truth.beta) + Math.abs(p.E! - truth.E);
  assert.ok(off(C.params) < off(sqrtC.params), `C ${off(C.params)} vs sqrtC ${off(sqrtC.params)}`);
  assert.ok(off(sqrtC.params) < off(none.params), `sqrtC ${off(sqrtC.params)} vs none ${off(none.params)}`);
  assert.ok(off(C.params) < 0.5 * off(none.params), `C ${off(C.params)} vs none ${off(none.params)}`);
});

const wdir = tempFiles({
  'mixed.csv': runsCsv(mixed, { flop: mixed.C, w: mixed.C.map(Math.sqrt) }),
  'zero.csv': runsCsv(mixed, { w: mixed.C.map((_, i) => (i === 3 ? 0 : 1)) }),
});
const wcli = ['fit', join(wdir, 'mixed.csv'), '--params', 'N', '--tokens', 'D'];

test('CLI: --weights C, sqrtC and col:NAME; reported; col:NAME of the same values is the same fit; the bootstrap carries them', async () => {
  const json = async (...args: string[]) => {
    const r = await scalewise(...wcli, ...args, '--json');
    assert.equal(r.status, 0, r.stderr);
    return fitReportSchema.parse(JSON.parse(r.stdout));
  };
  const none = await json();
  const C = await json('--weights', 'C');
  const none2 = await json('--weights', 'none');
  assert.deepEqual(none2, none, '--weights none is no control');
  assert.deepEqual(C.controls, { weights: 'C' });
  assert.ok(Math.abs(C.params.alpha! - truth.alpha) < Math.abs(none.params.alpha! - truth.alpha));
  const col = await json('--weights', 'col:w');
  const sqrtC = await json('--weights', 'sqrtC');
  assert.deepEqual(col.params, sqrtC.params);
  assert.deepEqual(col.controls, { weights: 'col:w' });
  const text = await scalewise(...wcli, '--weights', 'col:w', '--fix', 'E=1.69');
  assert.equal(text.stdout.split('\n')[2], 'controls: E fixed at 1.69; runs weighted by column w');
  // The weights cross to the worker threads: the same draws on 1 and 2 threads, and not the unweighted ones.
  const one = await scalewise(...wcli, '--weights', 'C', '--bootstrap', '100', '--threads', '1', '--json');
  const two = await scalewise(...wcli, '--weights', 'C', '--bootstrap', '100', '--threads', '2', '--json');
  const unweighted = await scalewise(...wcli, '--bootstrap', '100', '--threads', '2', '--json');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(one.stdout, two.stdout);
  const bw = fitReportSchema.parse(JSON.parse(one.stdout)).bootstrap!;
  // (Unweighted, the small runs drive beta to 0 and N_opt to infinity: its document holds nulls, so no schema parse.)
  const bu = JSON.parse(unweighted.stdout).bootstrap as { ci95: Record<string, [number, number]> };
  assert.notDeepEqual(bw.ci95.alpha, bu.ci95.alpha);
  // Each resample is centred on the weighted fit, not the unweighted one.
  assert.ok(bw.ci95.alpha![0] <= C.params.alpha! && C.params.alpha! <= bw.ci95.alpha![1], `${bw.ci95.alpha} vs ${C.params.alpha}`);
});

testBadInputs([
  ['--weights unknown', [...wcli, '--weights', 'D'], '--weights "D": unknown weighting (known: none, C, sqrtC, col:NAME)'],
  ['--weights missing column', [...wcli, '--weights', 'col:v'], `--weights col:v: ${join(wdir, 'mixed.csv')}: no column "v" (columns: N, D, loss, flop, w)`],
  [
    '--weights a zero weight',
    ['fit', join(wdir, 'zero.csv'), '--params', 'N', '--tokens', 'D', '--weights', 'col:w'],
    `--weights col:w: ${join(wdir, 'zero.csv')}, row 4, column "w": must be > 0, got 0`,
  ],
]);

// Bounds: an active-set step holds a constant the data would put outside its bound on that bound.
test('bound: a truth with alpha = 0.34 and alpha >= 0.4 gives alpha = 0.4 with an on-bound warning', () => {
  const runs = chinchillaRuns(truth);
  const fit = fitControlled(chinchilla, runs, { objective, bounds: { alpha: { lo: 0.4 } } });
  assert.equal(fit.params.alpha, 0.4);
  assert.deepEqual(fit.active, { alpha: 'lo' });
  assert.deepEqual(fit.constraints, { fix: { alpha: 0.4 } });
  const w = fit.warnings.filter((x) => x.code === 'on-bound');
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /^alpha = 0\.4 sits on its lower bound 0\.4: the data would put it below \(at 0\.3400 without the bound\)$/);
  // A bound the fit already satisfies changes nothing.
  const inside = fitControlled(chinchilla, runs, { objective, bounds: { alpha: { lo: 0.2, hi: 0.5 }, beta: { hi: 1 } } });
  const free = fitLaw(chinchilla, runs, { objective });
  assert.deepEqual(inside.params, free.params);
  assert.deepEqual(inside.active, {});
  // An upper bound; with alpha tied to beta, the bound holds both.
  const upper = fitControlled(chinchilla, runs, { objective, bounds: { beta: { hi: 0.25 } } });
  assert.equal(upper.params.beta, 0.25);
  assert.ok(upper.warnings.some((x) => x.code === 'on-bound' && /upper bound 0\.25: the data would put it above/.test(x.message)));
  const tied = fitControlled(chinchilla, chinchillaRuns({ ...truth, alpha: 0.3, beta: 0.3 }), {
    objective,
    constraints: { tie: [['alpha', 'beta']] },
    bounds: { alpha: { lo: 0.35 } },
  });
  assert.equal(tied.params.alpha, 0.35);
  assert.equal(tied.params.beta, 0.35);
  assert.deepEqual(tied.active, { alpha: 'lo', beta: 'lo' });
  assert.match(tied.warnings.find((x) => x.code === 'on-bound')!.message, /; beta, tied to it, held there too$/);
});

test('CLI: --bound in the JSON, the text and the warnings; the bootstrap keeps the constant on its bound', async () => {
  const r = await scalewise(...cli, '--bound', 'alpha=0.4:', '--bound', 'beta=0:1', '--bootstrap', '50', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = fitReportSchema.parse(JSON.parse(r.stdout));
  assert.deepEqual(doc.controls, { bounds: { alpha: { lo: 0.4, active: 'lo' }, beta: { lo: 0, hi: 1 } } });
  assert.equal(doc.params.alpha, 0.4);
  assert.ok(doc.warnings.some((w) => w.code === 'on-bound'));
  assert.match(r.stderr, /warning: alpha = 0\.4 sits on its lower bound 0\.4: the data would put it below/);
  assert.ok(doc.bootstrap!.se.alpha! < 1e-12);
  const text = await scalewise(...cli, '--bound', 'alpha=0.4:', '--bound', 'beta=0:1');
  assert.equal(text.stdout.split('\n')[2], 'controls: alpha ≥ 0.4 (held on its lower bound); 0 ≤ beta ≤ 1');
});

testBadInputs([
  ['--bound no colon', [...cli, '--bound', 'alpha=0.4'], '--bound "alpha=0.4": expected NAME=LO:HI (e.g. alpha=0.2: or beta=0:1)'],
  ['--bound both empty', [...cli, '--bound', 'alpha=:'], '--bound "alpha=:": give a lower bound, an upper bound or both'],
  ['--bound bad number', [...cli, '--bound', 'alpha=x:1'], '--bound "alpha=x:1": "x" is not a finite number'],
  [
    '--bound reversed',
    [...cli, '--bound', 'alpha=1:0.5'],
    '--bound "alpha=1:0.5": the lower bound must be below the upper (to hold it at one value, use --fix)',
  ],
  ['--bound unknown constant', [...cli, '--bound', 'G=0:'], '--bound "G=0:": unknown constant "G" of the chinchilla law (constants: E, A, B, alpha, beta)'],
  ['--bound on a fixed constant', [...cli, '--fix', 'E=1.69', '--bound', 'E=1:2'], '--bound "E=1:2": E is fixed by --fix'],
  ['--bound log constant below 0', [...cli, '--bound', 'E=:0'], '--bound "E=:0": E must be > 0 for the chinchilla law (it fits log E)'],
]);
