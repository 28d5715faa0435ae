// Bad input to `scalewise import`: one line naming the file and the row or JSON path, exit 2, nothing on stdout;
// an unknown name lists the nearest ones, a file no importer reads lists the formats.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { scalewise, tempFiles, testBadInputs } from './helpers/cli.js';

const results = (metrics: Record<string, unknown>) => JSON.stringify({ results: { hellaswag: { alias: 'hellaswag', ...metrics } }, model_name: 'm' });
const sample = (target: unknown, resps: unknown) => JSON.stringify({ doc_id: 0, target, filtered_resps: resps, filter: 'none' });
const date = '2025-03-02T09-15-00.123456';
const dir = join(
  tempFiles({
    'results_x.json': results({ 'acc,none': 'x', 'acc_stderr,none': 0.01 }),
    'broken.json': '{"results": {',
    [`samples_arc_${date}.jsonl`]: `${sample(1, [
      ['-1', 'False'],
      ['-2', 'False'],
    ])}\n${sample(5, [
      ['-1', 'False'],
      ['-2', 'False'],
    ])}\n`,
    [`samples_piqa_${date}.jsonl`]: `${sample(0, [
      ['-1', 'False'],
      ['-2', 'False'],
    ])}\n${sample(1, [
      ['-1', 'False'],
      ['abc', 'False'],
    ])}\n`,
    'ragged.csv': '"Name","State","loss"\n"a","finished","3.1"\n"b","finished"\n',
    'noname.csv': '"State","loss"\n"finished","3.1"\n',
    'steps.csv': 'run,step,metric,value\na,100,loss,3.5\na,abc,loss,3.4\n',
    'twice.csv': 'run,step,metric,value\na,100,loss,3.5\na,100,loss,3.4\n',
    'nostep.csv': 'run,iteration,loss\na,100,3.5\n',
    'notes.txt': 'hello',
    'metrics_step10.json': '{"train/CE loss": "high"}',
    'tracker_metrics.jsonl': '{"event": "log", "step": 1, "metrics": {"train/loss": 3.5}}\n{"event": "log", "step": -4, "metrics": {"train/loss": 3.4}}\n',
    'runs.csv': 'run,N\nm,1e8\n',
    'ok.csv': 'run,step,metric,value\na,100,loss,3.5\na,100,lr,0.1\n',
  }),
);
const f = (name: string) => join(dir, name);
const out = ['--out', '-'];

testBadInputs([
  [
    'lm-eval: a metric that is not a number',
    ['import', 'lm-eval', f('results_x.json'), ...out],
    `${f('results_x.json')}: results.hellaswag["acc,none"]: expected a number, got "x"`,
  ],
  [
    'lm-eval: a target beyond the choices',
    ['import', 'lm-eval', f(`samples_arc_${date}.jsonl`), ...out],
    `${f(`samples_arc_${date}.jsonl`)}, row 2: target: 5 is not one of the 2 choices`,
  ],
  [
    'lm-eval: a loglikelihood that is not a number',
    ['import', f(`samples_piqa_${date}.jsonl`), ...out],
    `${f(`samples_piqa_${date}.jsonl`)}, row 2: filtered_resps[1][0]: expected a loglikelihood (a number), got "abc"`,
  ],
  ['wandb: a row with too few cells', ['import', 'wandb', f('ragged.csv'), ...out], `${f('ragged.csv')}, row 2: 2 cells where the header has 3`],
  [
    'wandb: no run name column',
    ['import', 'wandb', f('noname.csv'), ...out],
    `${f('noname.csv')}: no run name column (expected one of Name, ID; columns: State, loss)`,
  ],
  [
    'wandb-history: a step that is not a number',
    ['import', 'wandb-history', f('steps.csv'), ...out],
    `${f('steps.csv')}, row 2, column "step": expected a step (a whole number >= 0), got "abc"`,
  ],
  [
    'wandb-history: one metric twice at one step',
    ['import', f('twice.csv'), ...out],
    `${f('twice.csv')}, row 2: run "a", step 100: "loss" is 3.4 here but 3.5 in ${f('twice.csv')}, row 1`,
  ],
  [
    'wandb-history: no step column',
    ['import', 'wandb-history', f('nostep.csv'), ...out],
    `${f('nostep.csv')}: no step column (looked for step, _step, global_step, trainer/global_step; name it with --step; columns: run, iteration, loss)`,
  ],
  [
    'wandb-history: an unknown --step column lists the nearest',
    ['import', 'wandb-history', f('nostep.csv'), '--step', 'iter', ...out],
    `${f('nostep.csv')}: --step "iter": no column "iter" (nearest: iteration, loss, run)`,
  ],
  ['an unknown --metrics column lists the nearest', ['import', f('ok.csv'), '--metrics', 'los', ...out], '--metrics: no column "los" (nearest: loss, lr)'],
  [
    'an unknown format lists the formats',
    ['import', 'wandbb', f('steps.csv'), ...out],
    'unknown format "wandbb" (formats: wandb, wandb-history, lm-eval, olmo, marin, auto; nearest: wandb)',
  ],
  [
    'a file no importer reads lists the formats',
    ['import', f('notes.txt'), ...out],
    `${f('notes.txt')}: cannot tell its format: scalewise import reads wandb, wandb-history, lm-eval, olmo, marin (name it: scalewise import FORMAT FILE…)`,
  ],
  [
    'a file of another format says which it looks like',
    ['import', 'olmo', f('steps.csv'), ...out],
    `${f('steps.csv')}: the olmo importer reads OLMo-core's metrics_step<N>.json files (the step is read from the name) (${f('steps.csv')} looks like wandb-history: scalewise import wandb-history …)`,
  ],
  [
    'olmo: a metric that is not a number',
    ['import', f('metrics_step10.json'), ...out],
    `${f('metrics_step10.json')}: ["train/CE loss"]: expected a number, got "high"`,
  ],
  [
    'marin: a negative step',
    ['import', f('tracker_metrics.jsonl'), ...out],
    `${f('tracker_metrics.jsonl')}, row 2: step: expected a step (a whole number >= 0), got -4`,
  ],
  [
    'formats mixed under auto',
    ['import', f('steps.csv'), f('metrics_step10.json'), ...out],
    `${f('steps.csv')} reads as wandb-history but ${f('metrics_step10.json')} as olmo: import one format at a time`,
  ],
  ['--out with another extension', ['import', f('steps.csv'), '--out', f('x.xlsx')], `--out "${f('x.xlsx')}": expected a .csv or .parquet file name (or -)`],
  ['a missing file', ['import', 'wandb', f('nope.csv'), ...out], `${f('nope.csv')}: cannot read file (no such file)`],
  [
    '--join: an unknown column lists the nearest',
    ['import', f('ok.csv'), '--runs', f('runs.csv'), '--join', 'rn', ...out],
    `${f('runs.csv')}: --join "rn": no column "rn" (nearest: run, N)`,
  ],
  [
    '--answer-loss given to another format',
    ['import', 'olmo', f('metrics_step10.json'), '--answer-loss', 'bpb', ...out],
    '--answer-loss applies to lm-eval only',
  ],
  [
    '--answer-loss: an unknown way',
    ['import', 'lm-eval', f('results_x.json'), '--answer-loss', 'per-token', ...out],
    'unknown answer loss "per-token" (known: total, per-char, bpb)',
  ],
  ['--run given to another format', ['import', 'olmo', f('metrics_step10.json'), '--run', 'x', ...out], '--run applies to wandb-history only'],
]);

test('bad input: lm-eval: a file that is not JSON names the file (the parser says where)', async () => {
  const r = await scalewise('import', 'lm-eval', f('broken.json'), ...out);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^scalewise: error: ${f('broken.json').replace(/[.\\/]/g, '\\$&')}: not valid JSON \\(.*position 13.*\\)\n$`));
});
