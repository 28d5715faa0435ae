// `scalewise report`: one self-contained page with every analysis of the study, its exact commands (which
// reproduce the tables shown), figures and warnings; bad study files name the file and the JSON path.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeEnv } from '../src/node/env.js';
import { gap, heading, line, table, toHtml, toText } from '../src/present/document.js';
import { runStudy, shellCommand, studyCommand } from '../src/report/study.js';
import { studySchema, type Study } from '../src/schema/study.js';
import { bin, root, scalewise, tempFiles } from './helpers/cli.js';

/** Each analysis's command, run as a user runs it from the study's folder, prints exactly the tables the report shows. */
async function commandsReproduce(parsed: Study, dir: string, html: string): Promise<void> {
  const results = await runStudy(parsed, 'study.json', nodeEnv({ base: dir }));
  for (const [i, a] of parsed.analyses.entries()) {
    const [, ...args] = studyCommand(parsed, a);
    assert.ok(
      html.includes(
        shellCommand(['scalewise', ...args])
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/"/g, '&quot;'),
      ),
    );
    const run = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${toText(results[i]!.shown.blocks)}\n`, `${a.kind}: the command prints other tables than the report's`);
    assert.ok(html.includes(toHtml(results[i]!.shown.blocks)), `${a.kind}: the report's tables differ from the analysis's`);
  }
}

const porian = join(root, 'datasets/porian/isoflop_points.csv');
const chinchilla = join(root, 'datasets/chinchilla/epoch_chinchilla_points.csv');
const study = {
  title: 'Two Porian configurations & the Chinchilla fit',
  data: [porian],
  columns: { params: 'n_params', flops: 'flops_budget', loss: 'loss' },
  where: ['dataset=rw', 'config_id<=2'],
  analyses: [
    { kind: 'isoflop', title: 'IsoFLOP per configuration', group: 'config_id', method: 'akima', noise: 0.002, draws: 100, seed: 42 },
    { kind: 'fit', data: [chinchilla], columns: { params: 'N_params', tokens: 'D_tokens' }, where: ['in_epoch_fit=1'], bootstrap: 20, seed: 3 },
  ],
};

test('report: one page, no scripts or fetches, every analysis with its command, tables, figures and warnings', async () => {
  const dir = tempFiles({ 'study.json': JSON.stringify(study) });
  const out = join(dir, 'out');
  const r = await scalewise('report', join(dir, 'study.json'), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `scalewise: wrote ${join(out, 'report.html')}\n`);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.doesNotMatch(html, /<script|<link|src=|@import/);
  assert.deepEqual([...new Set(html.match(/https?:\/\/[^"'\s)]+/g))], ['http://www.w3.org/2000/svg']);
  assert.match(html, /<title>Two Porian configurations &amp; the Chinchilla fit<\/title>/);
  // isoflop: 2 curve figures + frontier; fit: residuals, iso-loss, frontier.
  assert.equal(html.match(/<figure /g)!.length, 6);
  assert.equal(html.match(/<svg [^>]*xmlns=/g)!.length, 6);
  // Configuration 2 (RW) has its smallest budget's minimum at the edge: the warning is listed.
  assert.match(html, /<div class="warnings"><strong>Warnings \(\d+\)<\/strong><ul><li>\[2\] budget C = 1.25e16 left out \(edge-min\)/);
  // The commands shown reproduce the tables shown: run each in the study's folder and compare.
  await commandsReproduce(studySchema.parse(study) as Study, dir, html);
});

test('report: a loss-to-loss backtest and an over-training backtest with an error law from a long file; the commands reproduce the tables', async () => {
  const copy = (f: string) => readFileSync(join(root, 'datasets/overtraining', f));
  const kempner = join(root, 'datasets/kempner/runs.csv');
  const backtests = {
    title: 'Backtests',
    data: [kempner],
    columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop' },
    analyses: [
      {
        kind: 'l2l',
        x: 'loss_val_own',
        y: 'loss_val_own',
        xWhere: ['datamix=fineweb_edu'],
        yWhere: ['datamix=starcoder'],
        pairOn: ['params', 'tokens'],
        holdoutTop: 1,
        bootstrap: 20,
        seed: 3,
      },
      {
        kind: 'fit',
        data: ['models.csv'],
        columns: { params: 'params', tokens: 'tokens', loss: 'loss_c4_val' },
        where: ['dataset=redpajama'],
        law: 'overtrain',
        objective: 'mse',
        fitWhere: ['default_fit_loss=1'],
        targetWhere: ['default_target=1'],
        error: 'error',
        errorFile: 'downstream-redpajama-17.csv',
        join: 'run_name',
        tasks: 'tasks17.txt',
        errorFitWhere: ['default_fit_error=1'],
      },
    ],
  };
  // The error file and task list sit beside the study and are named relative to it.
  const dir = tempFiles({
    'study.json': JSON.stringify(backtests),
    'models.csv': copy('models.csv'),
    'downstream-redpajama-17.csv': copy('downstream-redpajama-17.csv'),
    'tasks17.txt': copy('tasks17.txt'),
  });
  const out = join(dir, 'out');
  const r = await scalewise('report', join(dir, 'study.json'), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  // l2l: lines and forecasts; fit: residuals, iso-loss, frontier and forecasts.
  assert.equal(html.match(/<figure /g)!.length, 6);
  // StarCoder's held-out top budget from FineWeb-Edu: 0.834% (README backtest table, as `scalewise l2l` prints it).
  assert.match(html, /<td>0\.834%<\/td>/);
  // Gadre et al. (2024), scaling_explorer.ipynb: loss 0.7103% / 0.7320%, 17-task error 3.6365% / 0.0464%.
  // Signed in the tables: positive where the law over-predicts.
  for (const pct of ['0.7103%', '0.7320%', '3.6365%', '0.0464%'])
    assert.ok(/<td>[+-]/.test(html) && new RegExp(`<td>[+-]${pct.replace('.', '\\.')}</td>`).test(html), pct);
  await commandsReproduce(studySchema.parse(backtests) as Study, dir, html);
});

test("study → command: the study's columns and filters reach analyses on its data only; flags as the CLI spells them", async () => {
  const parsed = studySchema.parse(study) as Study;
  assert.equal(
    shellCommand(studyCommand(parsed, parsed.analyses[0]!)),
    `scalewise isoflop ${porian} --params n_params --flops flops_budget --loss loss --where dataset=rw --where 'config_id<=2' --method akima --group config_id --noise 0.002 --draws 100 --seed 42`,
  );
  assert.equal(
    shellCommand(studyCommand(parsed, parsed.analyses[1]!)),
    `scalewise fit ${chinchilla} --params N_params --tokens D_tokens --where in_epoch_fit=1 --bootstrap 20 --seed 3`,
  );
  const skills = studySchema.parse({
    ...study,
    analyses: [{ kind: 'skills', skills: { k: ['a', 'b'], c: { x: 2, y: 1 } }, aggregate: 'k', mix: ['k', 'c'], pooled: false, budgetTolerance: 0.01 }],
  }) as Study;
  assert.deepEqual(studyCommand(skills, skills.analyses[0]!).slice(11), [
    '--skill',
    'k=a,b',
    '--skill',
    'c=x:2,y:1',
    '--budget-tolerance',
    '0.01',
    '--aggregate',
    'k',
    '--mix',
    'k,c',
    '--no-pooled',
  ]);
  // Conditions are repeated flags; column and task lists are comma-joined.
  const l2l = studySchema.parse({
    ...study,
    where: undefined,
    columns: undefined,
    analyses: [
      {
        kind: 'l2l',
        x: 'a',
        y: 'b',
        xWhere: ['m=p', 'n>1'],
        yWhere: ['m=q'],
        pairOn: ['n', 'd'],
        group: ['m'],
        ex: 0,
        refitE: true,
        fitWhere: ['c<5'],
        targetWhere: ['c>=5', 'n>2'],
      },
      { kind: 'fit', error: 'err', errorFile: 'long.csv', join: 'run', tasks: 'tasks.txt', link: 'sigmoid', errorFitWhere: ['u=1', 'v=2'], holdoutTop: 2 },
      { kind: 'fit', error: 'err', errorFile: 'long.csv', join: 'run', tasks: ['t1', 't2'] },
    ],
  }) as Study;
  assert.deepEqual(studyCommand(l2l, l2l.analyses[0]!), [
    'scalewise',
    'l2l',
    porian,
    '--x',
    'a',
    '--y',
    'b',
    '--x-where',
    'm=p',
    '--x-where',
    'n>1',
    '--y-where',
    'm=q',
    '--pair-on',
    'n,d',
    '--ex',
    '0',
    '--refit-e',
    '--group',
    'm',
    '--fit-where',
    'c<5',
    '--target-where',
    'c>=5',
    '--target-where',
    'n>2',
  ]);
  const fit = studyCommand(l2l, l2l.analyses[1]!);
  assert.deepEqual(fit.slice(3), [
    '--holdout-top',
    '2',
    '--error',
    'err',
    '--error-fit-where',
    'u=1',
    '--error-fit-where',
    'v=2',
    '--link',
    'sigmoid',
    '--error-file',
    'long.csv',
    '--join',
    'run',
    '--tasks',
    'tasks.txt',
  ]);
  assert.deepEqual(studyCommand(l2l, l2l.analyses[2]!).slice(-2), ['--tasks', 't1,t2']);
});

test('one table model, two renderings: aligned text as the CLI prints it, and HTML tables with cells kept whole', () => {
  const blocks = [
    line('N* per budget'),
    table(
      ['C (FLOP)', 'knowledge/agg'],
      [
        ['2.00e17', '0.931 [0.73, 1.2]'],
        ['4.37e17', '—'],
      ],
    ),
    line('(a note right under the table)'),
    gap,
    heading('fineweb'),
    gap,
  ];
  assert.equal(
    toText(blocks),
    'N* per budget\nC (FLOP)      knowledge/agg\n--------  -----------------\n2.00e17   0.931 [0.73, 1.2]\n4.37e17                   —\n(a note right under the table)\n\n== fineweb',
  );
  assert.equal(
    toHtml(blocks),
    '<p>N* per budget</p>\n<table><thead><tr><th>C (FLOP)</th><th>knowledge/agg</th></tr></thead><tbody><tr><td>2.00e17</td><td>0.931 [0.73, 1.2]</td></tr><tr><td>4.37e17</td><td>—</td></tr></tbody></table>\n<p>(a note right under the table)</p>\n<h3>fineweb</h3>',
  );
});

test('a study cannot pass options through its paths: a data entry starting with "-" is an error naming it, and nothing is written', async () => {
  const dir = tempFiles({
    'runs.csv': 'N,D,loss\n1e8,2e9,3.1\n2e8,4e9,2.9\n4e8,8e9,2.7\n',
    's.json': JSON.stringify({ title: 't', data: ['runs.csv', '--save=PWNED.json'], columns: { params: 'N', tokens: 'D' }, analyses: [{ kind: 'fit' }] }),
  });
  const r = await scalewise('report', join(dir, 's.json'), '--out', join(dir, 'out'));
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `scalewise: error: ${join(dir, 's.json')}: data[1]: "--save=PWNED.json" is not a data file name (it starts with "-")\n`);
  assert.deepEqual(readdirSync(dir).sort(), ['runs.csv', 's.json']);
});

test('a study may set columns.loss at the top level and hold skills and l2l analyses (they have no loss option), and l2l takes eLaw overtrain', async () => {
  const kempner = join(root, 'datasets/kempner/runs.csv');
  const s = {
    title: 't',
    data: [kempner],
    columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_own' },
    where: ['datamix=fineweb'],
    analyses: [
      { kind: 'skills', skills: { k: ['loss_task_arc_easy'] }, aggregate: 'loss_val_own', pooled: false },
      { kind: 'l2l', x: 'loss_val_own', y: 'loss_task_arc_easy', eLaw: 'overtrain', bootstrap: 0 },
    ],
  };
  const dir = tempFiles({ 's.json': JSON.stringify(s) });
  const r = await scalewise('report', join(dir, 's.json'), '--out', join(dir, 'out'));
  assert.equal(r.status, 0, r.stderr);
  const parsed = studySchema.parse(s) as Study;
  // The study's command for l2l names --e-law overtrain and no --loss; the CLI accepts it.
  const l2l = studyCommand(parsed, parsed.analyses[1]!);
  assert.ok(!l2l.includes('--loss') && l2l.join(' ').includes('--e-law overtrain'));
  assert.equal((await scalewise(...l2l.slice(1))).status, 0);
});

test('bad study files: exit 2, one line naming the file and the JSON path, nothing on stdout', async () => {
  const cases: [string, string][] = [
    [
      '{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit"},{"kind":"isoflop","bootstrap":"200"}]}',
      'analyses[1].bootstrap: Invalid input: expected number, received string',
    ],
    [
      '{"title":"t","data":["x.csv"],"analyses":[{"kind":"isoflp"}]}',
      "analyses[0].kind: Invalid discriminator value. Expected 'fit' | 'isoflop' | 'skills' | 'l2l' | 'backtest' | 'compare' | 'plan'",
    ],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"l2l","x":"a"}]}', 'analyses[0].y: Invalid input: expected string, received undefined'],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit","fitWhere":"a=1"}]}', 'analyses[0].fitWhere: Invalid input: expected array, received string'],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit","bootstrp":3}]}', 'analyses[0]: Unrecognized key: "bootstrp"'],
    ['{"title":"t","data":[],"analyses":[{"kind":"fit"}]}', 'data: Too small: expected array to have >=1 items'],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit","save":"x.json"}]}', 'analyses[0]: Unrecognized key: "save"'],
    [
      '{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit","data":["-x.csv"]}]}',
      'analyses[0].data[0]: "-x.csv" is not a data file name (it starts with "-")',
    ],
  ];
  for (const [text, message] of cases) {
    const dir = tempFiles({ 's.json': text });
    const r = await scalewise('report', join(dir, 's.json'), '--out', join(dir, 'out'));
    assert.equal(r.status, 2, text);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `scalewise: error: ${join(dir, 's.json')}: ${message}\n`);
  }
  const dir = tempFiles({ 's.json': '{"title":"t","data":["missing.csv"],"analyses":[{"kind":"fit"}]}', 'bad.json': '{"title": ' });
  // The analysis runs in the study's folder, so the data file is named as the study names it.
  assert.equal(
    (await scalewise('report', join(dir, 's.json'))).stderr,
    `scalewise: error: ${join(dir, 's.json')}: analyses[0]: missing.csv: cannot read file (no such file)\n`,
  );
  assert.match((await scalewise('report', join(dir, 'bad.json'))).stderr, /^scalewise: error: .*bad\.json: not valid JSON \(.+\)\n$/);
  assert.equal(
    (await scalewise('report', join(dir, 'nope.json'))).stderr,
    `scalewise: error: ${join(dir, 'nope.json')}: cannot read the study file (ENOENT)\n`,
  );
});
