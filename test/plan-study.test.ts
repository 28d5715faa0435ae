// A study's plan entry: plans from the study's own fit entries (by position or title) and from saved fits in the
// study's folder, exactly as `scalewise plan` plans from the same fits saved; a study cannot make plan read a file
// outside its folder; the plan-curves figure has one line per fit.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeEnv } from '../src/node/env.js';
import { svgDocument } from '../src/node/render.js';
import { runStudy } from '../src/report/study.js';
import { multiPlanReportSchema } from '../src/schema/plan.js';
import { studySchema, type Study } from '../src/schema/study.js';
import { root, scalewise, tempFiles } from './helpers/cli.js';

const runs = join(root, 'datasets/kempner/runs.csv');
const kempner = ['--params', 'params', '--tokens', 'tokens', '--flops', 'iso_flop', '--loss', 'loss_val_own'];
const dir = tempFiles({});
// Fits saved by the CLI with the options of the study's fit entries.
for (const mix of ['fineweb', 'starcoder', 'slimpajama']) {
  const r = await scalewise('fit', runs, ...kempner, '--where', `datamix=${mix}`, '--bootstrap', '50', '--seed', '1', '--save', join(dir, `${mix}.json`));
  assert.equal(r.status, 0, r.stderr);
}
const study = (plan: Record<string, unknown>) =>
  studySchema.parse({
    title: 'plans',
    data: [runs],
    columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_own' },
    analyses: [
      { kind: 'fit', title: 'fineweb', where: ['datamix=fineweb'], bootstrap: 50, seed: 1 },
      { kind: 'fit', title: 'starcoder fit', where: ['datamix=starcoder'], bootstrap: 50, seed: 1 },
      { kind: 'plan', title: 'the plans', budget: [1e20, 1e21], targetLoss: [2.5], ...plan },
    ],
  }) as Study;
const env = nodeEnv({ base: dir });

test('a plan entry from two fit entries and a saved fit in the folder: the CLI plan of the same fits saved', async () => {
  const s = study({ from: [0, 'starcoder fit'], also: { slimpajama: 'slimpajama.json' } });
  const results = await runStudy(s, 'study.json', env);
  const shown = multiPlanReportSchema.parse(results[2]!.shown.json);
  const cli = await scalewise(
    'plan',
    '--also',
    `fineweb=${join(dir, 'fineweb.json')}`,
    '--also',
    `starcoder fit=${join(dir, 'starcoder.json')}`,
    '--also',
    `slimpajama=${join(dir, 'slimpajama.json')}`,
    '--budget',
    '1e20,1e21',
    '--target-loss',
    '2.5',
    '--json',
  );
  assert.equal(cli.status, 0, cli.stderr);
  const want = multiPlanReportSchema.parse(JSON.parse(cli.stdout));
  assert.deepEqual(
    shown.fits.map((f) => f.label),
    ['fineweb', 'starcoder fit', 'slimpajama'],
  );
  // The same plans, number for number (the fit entries' saved fits are the CLI's saved fits).
  for (const [i, f] of shown.fits.entries()) assert.deepEqual(f.plans, want.fits[i]!.plans);
  // The command saves the fits by their own commands, then plans from them.
  assert.match(
    results[2]!.command,
    /--seed 1 --save fit-0\.json && scalewise fit .* --save fit-1\.json && scalewise plan --also fineweb=fit-0\.json --also 'starcoder fit=fit-1\.json' --also slimpajama=slimpajama\.json --budget /,
  );
  // The figure: one line (and band) per fit, labelled in its legend.
  const figures = await results[2]!.shown.figures(svgDocument());
  assert.deepEqual(
    figures.map((f) => f.name),
    ['plan-curves'],
  );
  const svg = figures[0]!.svg.outerHTML;
  for (const label of ['fineweb', 'starcoder fit', 'slimpajama']) assert.ok(svg.includes(`>${label}<`), label);
  // Three panels (N*, D*, loss) × three fits, each with its bootstrap band.
  assert.equal(svg.match(/class="sw-band"/g)?.length, 9);
});

test('a plan entry of saved files only runs as the CLI command it prints', async () => {
  const s = study({ fit: 'fineweb.json' });
  const results = await runStudy(s, 'study.json', env);
  assert.equal(results[2]!.command, 'scalewise plan --fit fineweb.json --budget 100000000000000000000,1e+21 --target-loss 2.5');
  const cli = await scalewise('plan', join(dir, 'fineweb.json'), '--budget', '1e20,1e21', '--target-loss', '2.5', '--json');
  const { fit: _, ...json } = results[2]!.shown.json as { fit: string };
  const { fit: __, ...want } = JSON.parse(cli.stdout) as { fit: string };
  assert.deepEqual(json, want);
});

test('a study cannot make plan read outside its folder, nor plan from what is not an earlier fit entry', async () => {
  copyFileSync(join(dir, 'fineweb.json'), join(dir, 'copy.json'));
  const cases: [Record<string, unknown>, string][] = [
    [
      { fit: '../fineweb.json' },
      `study.json: analyses[2]: fit: "../fineweb.json" leaves the study's folder (".."); a study reads only files in its own folder`,
    ],
    [
      { fit: 'sub/../../x.json' },
      `study.json: analyses[2]: fit: "sub/../../x.json" leaves the study's folder (".."); a study reads only files in its own folder`,
    ],
    [
      { fit: '/etc/passwd' },
      'study.json: analyses[2]: fit: "/etc/passwd" is an absolute path; a study reads only files in its own folder (give a relative path)',
    ],
    [
      { also: { x: '/tmp/x.json' } },
      'study.json: analyses[2]: also.x: "/tmp/x.json" is an absolute path; a study reads only files in its own folder (give a relative path)',
    ],
    [{ from: 7 }, 'study.json: analyses[2]: from: 7 names no analysis of the study (positions 0 to 2)'],
    [{ from: 'nope' }, 'study.json: analyses[2]: from: "nope" names no analysis of the study (no title matches)'],
    [{ from: 2 }, 'study.json: analyses[2]: from: 2 is a plan entry; a plan plans from fit entries'],
    [
      { from: 0, fit: 'copy.json', also: { fineweb: 'fineweb.json' } },
      'study.json: analyses[2]: also: two fits are labelled "fineweb" (give each its own: LABEL=FILE)',
    ],
  ];
  for (const [plan, message] of cases) await assert.rejects(runStudy(study(plan), 'study.json', env), { message }, JSON.stringify(plan));
});
