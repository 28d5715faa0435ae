// `scalewise plan` with several saved fits (one per arm): each fit's plan is exactly its single-fit document,
// labelled; budgets far outside a fit's runs, targets below its asymptote and corrupt files are one line each.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { anyPlanReportSchema, multiPlanReportSchema, planReportSchema } from '../src/schema/plan.js';
import type { SavedFit } from '../src/schema/saved-fit.js';
import { scalewise, tempFiles, testBadInputs } from './helpers/cli.js';

// Two datamixes of Brandfonbrener et al.'s sweep (datasets/kempner/SOURCE.md), each fitted on its own.
const dir = tempFiles({});
const kempner = ['datasets/kempner/runs.csv', '--params', 'params', '--tokens', 'tokens', '--flops', 'iso_flop', '--loss', 'loss_val_own'];
const fineweb = join(dir, 'fineweb.json');
const starcoder = join(dir, 'starcoder.json');
for (const [mix, file] of [
  ['fineweb', fineweb],
  ['starcoder', starcoder],
] as const) {
  const r = await scalewise('fit', ...kempner, '--where', `datamix=${mix}`, '--bootstrap', '100', '--seed', '1', '--save', file);
  assert.equal(r.status, 0, r.stderr);
}
const savedFineweb = JSON.parse(readFileSync(fineweb, 'utf8')) as SavedFit;
const E = Math.exp(savedFineweb.theta[2]!);

async function json(...args: string[]): Promise<unknown> {
  const r = await scalewise('plan', ...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('several fits: one plan per fit, labelled, each exactly the single-fit document at the same budgets', async () => {
  const budgets = ['--budget', '1e20,1e21', '--target-loss', '2.5'];
  const multi = multiPlanReportSchema.parse(await json(fineweb, '--also', `code=${starcoder}`, ...budgets));
  assert.deepEqual(
    multi.fits.map((f) => f.label),
    ['fineweb', 'code'],
  );
  for (const [i, file] of [fineweb, starcoder].entries()) {
    const single = planReportSchema.parse(await json(file, ...budgets));
    const { label: _, ...doc } = multi.fits[i]!;
    assert.deepEqual(doc, single);
  }
  // Every fit's warnings, prefixed by its label.
  assert.deepEqual(
    multi.warnings,
    multi.fits.flatMap((f) => f.warnings.map((w) => ({ ...w, message: `${f.label}: ${w.message}` }))),
  );
  // The datamixes differ: StarCoder's compute-optimal runs are smaller at every budget (its exponent a is lower).
  for (const [j, p] of multi.fits[1]!.plans.slice(0, 2).entries()) assert.ok(p.N < multi.fits[0]!.plans[j]!.N);
});

test('one fit keeps the single-fit document, whether given as the argument or with --also', async () => {
  const a = await json(fineweb, '--budget', '1e21');
  const b = await json('--also', `x=${fineweb}`, '--budget', '1e21');
  assert.deepEqual(b, a);
  assert.ok('plans' in (anyPlanReportSchema.parse(a) as object));
});

test('text: each fit its own tables under its label', async () => {
  const r = await scalewise('plan', fineweb, '--also', starcoder, '--budget', '1e21');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^fineweb: chinchilla plan from .*fineweb\.json; asymptote E = /);
  assert.match(r.stdout, /\nstarcoder: chinchilla plan from .*starcoder\.json; asymptote E = /);
});

test('a budget below the fitted runs warns below-fitted-c; within 1e6× it plans', async () => {
  const lo = savedFineweb.data.C[0];
  const doc = planReportSchema.parse(await json(fineweb, '--budget', String(lo / 10)));
  assert.ok(doc.warnings.some((w) => w.code === 'below-fitted-c'));
  const far = planReportSchema.parse(await json(fineweb, '--budget', String(savedFineweb.data.C[1] * 9e5)));
  assert.ok(far.warnings.some((w) => w.code === 'far-extrapolation'));
});

// Corrupt saved fits: truncated text, and a bootstrap draw cut short.
const bad = tempFiles({
  'truncated.json': readFileSync(fineweb, 'utf8').slice(0, 500),
  'short-draw.json': (() => {
    const doc = JSON.parse(readFileSync(fineweb, 'utf8')) as SavedFit;
    doc.bootstrap!.theta[3] = doc.bootstrap!.theta[3]!.slice(0, 4);
    return JSON.stringify(doc);
  })(),
});
writeFileSync(join(bad, 'empty.json'), '');
const maxC = savedFineweb.data.C[1];
const minC = savedFineweb.data.C[0];
const fmt = (x: number) => x.toPrecision(3).replace('e+', 'e');
testBadInputs([
  [
    'a budget more than 1e6× beyond the fitted C',
    ['plan', fineweb, '--also', starcoder, '--budget', '1e27'],
    `--budget 1.00e27: C = 1.00e27 is ${fmt(1e27 / maxC)}× above the largest C of ${fineweb} (fitted C [${fmt(minC)}, ${fmt(maxC)}]); plan refuses more than 1e6× outside the fitted runs`,
  ],
  [
    'a budget more than 1e6× below the fitted C',
    ['plan', fineweb, '--budget', '1e10'],
    `--budget 1.00e10: C = 1.00e10 is ${fmt(minC / 1e10)}× below the smallest C of ${fineweb} (fitted C [${fmt(minC)}, ${fmt(maxC)}]); plan refuses more than 1e6× outside the fitted runs`,
  ],
  [
    'a target loss below the asymptote of one of the fits names it and its E',
    ['plan', starcoder, '--also', fineweb, '--target-loss', '2'],
    `--target-loss 2 is at or below the fitted asymptote E = ${E.toPrecision(6)} of ${fineweb}: no budget reaches it`,
  ],
  [
    'two fits with the same label',
    ['plan', fineweb, '--also', fineweb, '--budget', '1e21'],
    '--also: two fits are labelled "fineweb" (give each its own: LABEL=FILE)',
  ],
  ['--also without a file', ['plan', fineweb, '--also', 'x=', '--budget', '1e21'], '--also "x=": expected [LABEL=]FILE'],
  ['a truncated saved fit', ['plan', join(bad, 'truncated.json'), '--budget', '1e21'], `${join(bad, 'truncated.json')}: not a saved scalewise fit (not JSON)`],
  [
    'an empty saved fit',
    ['plan', fineweb, '--also', join(bad, 'empty.json'), '--budget', '1e21'],
    `${join(bad, 'empty.json')}: not a saved scalewise fit (not JSON)`,
  ],
  [
    'a bootstrap draw cut short',
    ['plan', join(bad, 'short-draw.json'), '--budget', '1e21'],
    `${join(bad, 'short-draw.json')}: bootstrap.theta[3]: 4 values where theta has 5`,
  ],
]);
