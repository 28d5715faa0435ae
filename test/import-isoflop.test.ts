// The import's promise: a W&B-style export of an IsoFLOP sweep, analysed with only column flags, gives the
// same IsoFLOP answer as the cleaned table. Both come from one synthetic sweep (a Chinchilla-form law).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { scalewise, tempFiles } from './helpers/cli.js';

const law = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const loss = (N: number, D: number) => law.E + law.A / N ** law.alpha + law.B / D ** law.beta;

/** Seven sizes per budget, log-spaced around the budget's optimum; D = C/(6N) in full precision, so each budget's C agrees. */
function sweep(): { name: string; N: string; D: string; C: number; loss: string }[] {
  const runs = [];
  for (const C of [1e18, 3e18, 1e19, 3e19]) {
    const mid = 0.12 * C ** 0.5;
    for (let i = -3; i <= 3; i++) {
      const N = Number((mid * 2 ** (i / 1.5)).toPrecision(6));
      const D = C / (6 * N);
      runs.push({ name: `iso-${C.toExponential()}-${i + 3}`, N: String(N), D: String(D), C, loss: String(loss(N, D)) });
    }
  }
  return runs;
}

const q = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

test('a W&B-style export of an IsoFLOP sweep, imported and analysed with column flags only, gives the IsoFLOP answer of the cleaned table', async () => {
  const runs = sweep();
  const clean = ['N,D,loss', ...runs.map((r) => `${r.N},${r.D},${r.loss}`)].join('\n');
  // W&B quotes every header and cell, names metrics with slashes and dots, logs FLOPs in GFLOPs, and lists
  // crashed runs with empty summaries.
  const header = [
    'Name',
    'State',
    'Tags',
    'model.n_params',
    'optimizer.lr',
    'throughput/total_tokens',
    'throughput/total_gflops',
    'eval/paloma/macro_loss',
    'train/loss',
  ];
  const lines = runs.map((r) => q([r.name, 'finished', 'isoflop, sweep-1', r.N, '0.003', r.D, String(r.C / 1e9), r.loss, String(Number(r.loss) - 0.1)]));
  lines.splice(3, 0, q(['iso-crashed-a', 'crashed', 'isoflop', '4.2e7', '0.003', '', '', '', '']));
  lines.push(q(['iso-crashed-b', 'failed', 'isoflop', '9.9e8', '0.003', '', '', '', '']));
  const dir = tempFiles({ 'clean.csv': `${clean}\n`, 'export.csv': `${[q(header), ...lines].join('\n')}\n` });

  const imp = await scalewise('import', 'wandb', join(dir, 'export.csv'), '--out', join(dir, 'runs.csv'));
  assert.equal(imp.status, 0, imp.stderr);
  const cleaned = await scalewise('isoflop', join(dir, 'clean.csv'), '--params', 'N', '--tokens', 'D', '--loss', 'loss', '--json');
  const wandb = await scalewise(
    'isoflop',
    join(dir, 'runs.csv'),
    '--where',
    'State=finished',
    '--params',
    'model.n_params',
    '--tokens',
    'throughput/total_tokens',
    '--loss',
    'eval/paloma/macro_loss',
    '--json',
  );
  assert.equal(cleaned.status, 0, cleaned.stderr);
  assert.equal(wandb.status, 0, wandb.stderr);
  const a = JSON.parse(cleaned.stdout);
  const b = JSON.parse(wandb.stdout);
  assert.deepEqual(b, a);
  // Every budget found whole (the crashed runs left out by --where), and the answer is the law's:
  // N* ∝ C^(β/(α+β)) = C^0.4516.
  assert.deepEqual(
    a.groups[0].budgets.map((g: { points: number; excluded: string | null }) => [g.points, g.excluded]),
    [
      [7, null],
      [7, null],
      [7, null],
      [7, null],
    ],
  );
  assert.ok(Math.abs(a.groups[0].fit.a - law.beta / (law.alpha + law.beta)) < 0.01, `a = ${a.groups[0].fit.a}`);
});
