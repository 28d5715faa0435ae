// The joint fit of several groups with shared constants (src/laws/shared.ts, fit --group COL --share …):
// its Jacobian against central differences, a known synthetic truth recovered (shared exponents, per-group
// coefficients), controls expanded per group, intervals, the saved fit and predict --group, and its errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { runsAt, type Runs } from '../../src/data/runs.js';
import { fitLaw } from '../../src/fitting/fit.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import { sharedLaw } from '../../src/laws/shared.js';
import { fitReportSchema, type FitReport } from '../../src/schema/fit.js';
import { readSavedFit } from '../../src/schema/saved-fit.js';
import { Random } from '../../src/stats/random.js';
import { scalewise, tempFiles, testBadInputs } from '../helpers/cli.js';
import { chinchillaRuns, isoflopGrid, truth } from './synthetic.js';
import { assertJacobian } from '../helpers/jacobian.js';

/** Three datamixes: the exponents (and E) alike, the coefficients not — what `--share alpha,beta` assumes. */
const groups = {
  web: { ...truth, A: 406.4, B: 410.7, E: 1.69 },
  code: { ...truth, A: 250, B: 900, E: 1.2 },
  math: { ...truth, A: 600, B: 300, E: 1.45 },
};
const noise = 0.003;

/** Each group's runs on the IsoFLOP grid, the loss times exp(noise·z), z standard normal, independent across groups. */
function groupedRuns(): { runs: Runs; csv: string } {
  const names = Object.keys(groups);
  const parts = Object.values(groups).map((c, g) => {
    const r = chinchillaRuns(c, isoflopGrid());
    const rng = new Random(7, g);
    return { ...r, loss: r.loss.map((l) => l * Math.exp(noise * rng.normal())) };
  });
  const cat = (k: 'N' | 'D' | 'C' | 'loss') => Float64Array.from(parts.flatMap((r) => Array.from(r[k])));
  const of = Int32Array.from(parts.flatMap((r, g) => Array.from(r.N, () => g)));
  const runs: Runs = { N: cat('N'), D: cat('D'), C: cat('C'), loss: cat('loss'), origin: [], group: { column: 'mix', names, of } };
  runs.origin = Array.from(runs.N, (_, i) => ({ file: 'runs.csv', row: i + 1 }));
  const lines = ['N,D,loss,mix', ...Array.from(runs.N, (n, i) => `${n},${runs.D[i]},${runs.loss[i]},${names[of[i]!]}`)];
  return { runs, csv: `${lines.join('\n')}\n` };
}

test('joint law: the Jacobian matches central differences (rel 1e-6), shared and per-group entries', () => {
  const { runs } = groupedRuns();
  const law = sharedLaw(chinchilla, runs.group!.names, ['alpha', 'beta']);
  assert.deepEqual(law.thetaNames.slice(0, 4), ['alpha', 'beta', 'a[web]', 'b[web]']);
  assert.deepEqual(law.publicNames.slice(0, 5), ['alpha', 'beta', 'E[web]', 'A[web]', 'B[web]']);
  const theta = law.join([Float64Array.of(6, 6.1, 0.5, 0.34, 0.28), Float64Array.of(5.5, 6.8, 0.2, 0.3, 0.3), Float64Array.of(6.4, 5.7, 0.4, 0.38, 0.26)]);
  // Shared entries at the groups' mean.
  assert.ok(Math.abs(theta[0]! - (0.34 + 0.3 + 0.38) / 3) < 1e-15);
  const f = law.prepare(runs);
  const n = runs.N.length,
    q = law.thetaNames.length;
  const out = assertJacobian(law, f, n, theta);
  // Each run's loss is the base law at its group's θ.
  const viaBase = new Float64Array(n);
  for (let g = 0; g < 3; g++) {
    const all = new Float64Array(n);
    chinchilla.predict(law.groupTheta(theta, g), chinchilla.prepare(runs), all);
    for (let i = 0; i < n; i++) if (runs.group!.of[i] === g) viaBase[i] = all[i]!;
  }
  assert.deepEqual(out, viaBase);
  // fromPublic inverts toPublic.
  const back = law.fromPublic!(law.toPublic(theta));
  for (let j = 0; j < q; j++) assert.ok(Math.abs(back[j]! - theta[j]!) < 1e-12, law.thetaNames[j]);
});

test('joint law: runs of one group only give the other groups no gradient', () => {
  const law = sharedLaw(chinchilla, ['x', 'y'], ['E']);
  const at = { ...runsAt([1e8, 2e8], [1e10, 2e10]), group: { column: 'g', names: ['x', 'y'], of: Int32Array.of(0, 0) } };
  const jac = new Float64Array(2 * law.thetaNames.length);
  law.predict(law.join([Float64Array.of(6, 6, 0.5, 0.3, 0.3), Float64Array.of(6, 6, 0.5, 0.3, 0.3)]), law.prepare(at), new Float64Array(2), jac);
  const yColumns = law.thetaNames.flatMap((k, j) => (k.endsWith('[y]') ? [j] : []));
  assert.equal(yColumns.length, 4);
  for (const j of yColumns) for (let i = 0; i < 2; i++) assert.equal(jac[i * law.thetaNames.length + j], 0);
});

const { csv } = groupedRuns();
const dir = tempFiles({ 'runs.csv': csv });
const file = join(dir, 'runs.csv');
const cli = ['fit', file, '--params', 'N', '--tokens', 'D', '--group', 'mix'];

async function fitJson(...args: string[]): Promise<FitReport> {
  const r = await scalewise(...cli, ...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  return fitReportSchema.parse(JSON.parse(r.stdout));
}

test('fit --group --share alpha,beta recovers the shared exponents and each group’s E, A, B; its intervals hold the truth', async () => {
  const r = await fitJson('--share', 'alpha,beta', '--bootstrap', '200', '--seed', '3', '--no-calibrate');
  assert.deepEqual(r.joint!.shared, ['alpha', 'beta']);
  assert.deepEqual(
    r.joint!.groups.map((g) => [g.group, g.n]),
    [
      ['web', 63],
      ['code', 63],
      ['math', 63],
    ],
  );
  // One value of each shared constant in params; the per-group ones by NAME[group].
  assert.deepEqual(Object.keys(r.params).slice(0, 5), ['alpha', 'beta', 'E[web]', 'A[web]', 'B[web]']);
  const ci = r.bootstrap!.ci95;
  for (const k of ['alpha', 'beta'] as const) {
    assert.ok(Math.abs(r.params[k]! - truth[k]) < 0.01, `${k} ${r.params[k]}`);
    assert.ok(ci[k]![0] <= truth[k] && truth[k] <= ci[k]![1], `${k} ${ci[k]}`);
  }
  for (const g of r.joint!.groups) {
    const want = groups[g.group as keyof typeof groups];
    assert.equal(g.params.alpha, r.params.alpha);
    assert.ok(Math.abs(g.params.E! - want.E) < 0.02, `${g.group} E ${g.params.E}`);
    for (const k of ['A', 'B'] as const) assert.ok(Math.abs(Math.log(g.params[k]! / want[k])) < 0.25, `${g.group} ${k} ${g.params[k]}`);
    // The group's allocation: a = β/(α+β), the same for every group since the exponents are shared.
    assert.ok(Math.abs(g.optimal!.a - r.params.beta! / (r.params.alpha! + r.params.beta!)) < 1e-12);
    assert.ok(g.bootstrap!.ci95.E![0] <= want.E && want.E <= g.bootstrap!.ci95.E![1], `${g.group} E ${g.bootstrap!.ci95.E}`);
  }
});

test('fit --group: sharing the exponents pins them better than separate fits of each group', async () => {
  const joint = await fitJson('--share', 'alpha,beta', '--bootstrap', '200', '--seed', '3', '--no-calibrate');
  const { runs } = groupedRuns();
  // The separate fit of one group with the same noise: its α interval is wider than the joint one.
  const separate = await scalewise(
    'fit',
    file,
    '--params',
    'N',
    '--tokens',
    'D',
    '--where',
    'mix=web',
    '--bootstrap',
    '200',
    '--seed',
    '3',
    '--no-calibrate',
    '--json',
  );
  const s = fitReportSchema.parse(JSON.parse(separate.stdout));
  const width = (c: [number, number]) => c[1] - c[0];
  assert.ok(width(joint.bootstrap!.ci95.alpha!) < 0.8 * width(s.bootstrap!.ci95.alpha!), `${joint.bootstrap!.ci95.alpha} vs ${s.bootstrap!.ci95.alpha}`);
  // Sharing nothing is the separate fits: the same optimum for each group as fitting it alone.
  const none = await fitJson('--no-calibrate');
  const alone = fitLaw(chinchilla, { ...runs, group: undefined, ...pickGroup(runs, 0) });
  for (const k of ['E', 'A', 'B', 'alpha', 'beta']) {
    const got = none.joint!.groups[0]!.params[k]!;
    assert.ok(Math.abs(got - alone.params[k]!) <= 1e-4 * Math.abs(alone.params[k]!), `${k}: ${got} vs ${alone.params[k]}`);
  }
});

function pickGroup(runs: Runs, g: number): Pick<Runs, 'N' | 'D' | 'C' | 'loss' | 'origin'> {
  const idx = [...runs.group!.of.keys()].filter((i) => runs.group!.of[i] === g);
  return {
    N: Float64Array.from(idx, (i) => runs.N[i]!),
    D: Float64Array.from(idx, (i) => runs.D[i]!),
    C: Float64Array.from(idx, (i) => runs.C[i]!),
    loss: Float64Array.from(idx, (i) => runs.loss[i]!),
    origin: idx.map((i) => runs.origin[i]!),
  };
}

test('fit --group: controls named by the base law apply to every group (--fix alpha, --tie within each group)', async () => {
  const fixed = await fitJson('--share', 'beta', '--fix', 'alpha=0.34', '--no-calibrate');
  for (const g of fixed.joint!.groups) assert.equal(g.params.alpha, 0.34);
  assert.deepEqual(Object.keys(fixed.controls!.fix!), ['alpha[web]', 'alpha[code]', 'alpha[math]']);
  const tied = await fitJson('--tie', 'alpha=beta', '--no-calibrate');
  for (const g of tied.joint!.groups) assert.equal(g.params.alpha, g.params.beta);
  // The groups' tied exponents differ: tied within each group, not across.
  assert.notEqual(tied.joint!.groups[0]!.params.alpha, tied.joint!.groups[1]!.params.alpha);
  const one = await fitJson('--fix', 'E[code]=1.2', '--no-calibrate');
  assert.equal(one.joint!.groups[1]!.params.E, 1.2);
  assert.notEqual(one.joint!.groups[0]!.params.E, 1.2);
});

test('fit --group --share --save: predict --group forecasts one group with its intervals; held-out runs carry their group', async () => {
  const saved = join(dir, 'joint.json');
  const r = await scalewise(...cli, '--share', 'alpha,beta', '--bootstrap', '100', '--holdout-top', '1', '--save', saved, '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = fitReportSchema.parse(JSON.parse(r.stdout));
  assert.deepEqual([...new Set(report.targets!.map((t) => t.group))], ['web', 'code', 'math']);
  // Every target is predicted by its own group's constants: within 2% at one budget out with 0.3% noise.
  for (const t of report.targets!) assert.ok(Math.abs(t.signedRelErr) < 0.02, `${t.group} ${t.signedRelErr}`);
  assert.ok(report.calibration, 'a joint fit calibrates pi95 on its own rolling origin');
  const fit = readSavedFit(JSON.parse(readFileSync(saved, 'utf8')), saved);
  assert.deepEqual(fit.joint, { column: 'mix', groups: ['web', 'code', 'math'], shared: ['alpha', 'beta'] });
  const p = await scalewise('predict', saved, '--n', '1e9', '--d', '2e10', '--group', 'code', '--json');
  assert.equal(p.status, 0, p.stderr);
  const pred = JSON.parse(p.stdout).predictions[0];
  const code = report.joint!.groups[1]!.params;
  const want = code.E! + code.A! / 1e9 ** code.alpha! + code.B! / 2e10 ** code.beta!;
  assert.ok(Math.abs(pred.loss - want) < 1e-12 * want, `${pred.loss} vs ${want}`);
  assert.ok(pred.ci95[0] <= pred.loss && pred.loss <= pred.ci95[1] && pred.pi95[0] < pred.ci95[0]);
});

testBadInputs([
  ['share without group', ['fit', file, '--params', 'N', '--tokens', 'D', '--share', 'E'], '--share needs --group COL'],
  ['share an unknown constant', [...cli, '--share', 'G'], '--share: unknown constant "G" of the chinchilla law (constants: E, A, B, alpha, beta)'],
  [
    'fix an unknown group',
    [...cli, '--fix', 'E[fortran]=1'],
    `--fix "E[fortran]=1": unknown constant "E[fortran]" of the chinchilla law (constants: ${['web', 'code', 'math'].flatMap((g) => ['E', 'A', 'B', 'alpha', 'beta'].map((k) => `${k}[${g}]`)).join(', ')})`,
  ],
]);

test('fit --group: a group with too few runs, a held-out group never fitted, predict without --group', async () => {
  const few = tempFiles({ 'few.csv': `${csv}1e8,1e10,3.1,tiny\n2e8,1e10,3.0,tiny\n` });
  const r = await scalewise('fit', join(few, 'few.csv'), '--params', 'N', '--tokens', 'D', '--group', 'mix');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'scalewise: error: --group: group "tiny" has 2 runs; the chinchilla law needs more than 5 per group\n');
  const h = await scalewise(
    'fit',
    join(few, 'few.csv'),
    '--params',
    'N',
    '--tokens',
    'D',
    '--group',
    'mix',
    '--fit-where',
    'mix!=tiny',
    '--target-where',
    'mix=tiny',
  );
  assert.equal(h.status, 2);
  assert.match(
    h.stderr,
    /^scalewise: error: held-out runs: .*few\.csv, row 190, column "mix": group "tiny" has no fitted runs \(fitted groups: web, code, math\)\n$/,
  );
  const saved = join(dir, 'joint2.json');
  assert.equal((await scalewise(...cli, '--share', 'E', '--no-calibrate', '--save', saved)).status, 0);
  const p = await scalewise('predict', saved, '--n', '1e9', '--d', '2e10');
  assert.equal(p.status, 2);
  assert.equal(p.stderr, `scalewise: error: ${saved} is a joint fit across mix: give --group NAME (one of web, code, math)\n`);
});

test('fit --group --plot: residuals with each run at its group’s constants, one frontier per group, no single iso-loss surface', async () => {
  const figs = join(dir, 'figs');
  const r = await scalewise(...cli, '--share', 'alpha,beta', '--no-calibrate', '--plot', figs);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote 2 figures \(SVG and PNG\) to .*: fit-residuals, fit-frontier/);
  const svg = readFileSync(join(figs, 'fit-frontier.svg'), 'utf8');
  for (const g of ['web', 'code', 'math']) assert.ok(svg.includes(`>${g}<`), g);
});
