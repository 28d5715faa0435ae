// `--plot DIR` on the commands: the figures are written, stdout is unchanged (JSON stays parseable), a bad
// folder is a one-line error with exit 2 and nothing on stdout.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scalewise, tempFiles } from '../helpers/cli.js';

const porian = [
  'isoflop',
  'datasets/porian/isoflop_points.csv',
  '--flops',
  'flops_budget',
  '--params',
  'n_params',
  '--loss',
  'loss',
  '--where',
  'dataset=rw',
  '--where',
  'config_id<=2',
  '--group',
  'config_id',
  '--json',
];

test('isoflop --plot: one curves figure per group and the frontier, SVG and PNG; stdout identical to the run without it', async () => {
  const dir = join(tempFiles({}), 'figs');
  const plain = await scalewise(...porian);
  const r = await scalewise(...porian, '--plot', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, plain.stdout);
  JSON.parse(r.stdout);
  assert.deepEqual(readdirSync(dir).sort(), [
    'isoflop-curves-1.png',
    'isoflop-curves-1.svg',
    'isoflop-curves-2.png',
    'isoflop-curves-2.svg',
    'isoflop-frontier.png',
    'isoflop-frontier.svg',
  ]);
  assert.match(r.stderr, /^scalewise: wrote 3 figures \(SVG and PNG\) to .*figs: isoflop-curves-1, isoflop-curves-2, isoflop-frontier$/m);
  const svg = readFileSync(join(dir, 'isoflop-curves-1.svg'), 'utf8');
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // Same input, same bytes.
  const again = join(tempFiles({}), 'figs');
  await scalewise(...porian, '--plot', again);
  for (const f of readdirSync(dir)) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(again, f))), `${f} differs between runs`);
});

test('fit --plot writes residuals, iso-loss and frontier figures', async () => {
  const dir = join(tempFiles({}), 'out');
  const r = await scalewise(
    'fit',
    'datasets/chinchilla/epoch_chinchilla_points.csv',
    '--params',
    'N_params',
    '--tokens',
    'D_tokens',
    '--where',
    'in_epoch_fit=1',
    '--plot',
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['fit-residuals', 'fit-iso-loss', 'fit-frontier']) assert.ok(existsSync(join(dir, `${f}.svg`)) && existsSync(join(dir, `${f}.png`)), f);
});

test('l2l --plot: the lines and, with targets, the forecasts; stdout identical to the run without it; same bytes on a rerun', async () => {
  const args = [
    'l2l',
    'datasets/kempner/runs.csv',
    '--x',
    'loss_val_own',
    '--y',
    'loss_val_own',
    '--x-where',
    'datamix=fineweb_edu',
    '--y-where',
    'datamix=starcoder',
    '--pair-on',
    'params,tokens',
    '--tokens',
    'tokens',
    '--flops',
    'iso_flop',
    '--holdout-top',
    '1',
    '--bootstrap',
    '20',
    '--seed',
    '3',
  ];
  const dir = join(tempFiles({}), 'figs');
  const plain = await scalewise(...args);
  const r = await scalewise(...args, '--plot', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, plain.stdout);
  assert.match(r.stderr, /^scalewise: wrote 2 figures \(SVG and PNG\) to .*figs: l2l-lines, l2l-forecasts$/m);
  assert.deepEqual(readdirSync(dir).sort(), ['l2l-forecasts.png', 'l2l-forecasts.svg', 'l2l-lines.png', 'l2l-lines.svg']);
  const again = join(tempFiles({}), 'figs');
  await scalewise(...args, '--plot', again);
  for (const f of readdirSync(dir)) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(again, f))), `${f} differs between runs`);
  // Without targets there is nothing to forecast: the lines only.
  const none = join(tempFiles({}), 'figs');
  assert.equal((await scalewise(...args.slice(0, -6), '--plot', none)).status, 0);
  assert.deepEqual(readdirSync(none).sort(), ['l2l-lines.png', 'l2l-lines.svg']);
});

test('--plot into a path that cannot be a folder: exit 2, one line, nothing on stdout', async () => {
  const file = join(tempFiles({ 'x.txt': 'not a folder' }), 'x.txt');
  const r = await scalewise(...porian, '--plot', join(file, 'figs'));
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `scalewise: error: --plot "${join(file, 'figs')}": cannot create the folder (ENOTDIR)\n`);
});
