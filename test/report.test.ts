// `scalewise report`: one self-contained page with every analysis of the study, its exact commands (which
// reproduce the tables shown), figures and warnings; bad study files name the file and the JSON path.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { textToHtml } from '../src/report/html.js';
import { analysisCommand, shellCommand } from '../src/report/study-args.js';
import { studySchema } from '../src/schema/study.js';
import { bin, root, scalewise, tempFiles } from './helpers/cli.js';

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

test('report: one page, no scripts or fetches, every analysis with its command, tables, figures and warnings', () => {
  const dir = tempFiles({ 'study.json': JSON.stringify(study) });
  const out = join(dir, 'out');
  const r = scalewise('report', join(dir, 'study.json'), '--out', out);
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
  const parsed = studySchema.parse(study);
  for (const a of parsed.analyses) {
    const cmd = analysisCommand(parsed, a);
    assert.ok(html.includes(shellCommand(cmd).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')));
    const run = spawnSync(process.execPath, [bin, cmd.kind, ...cmd.files, ...cmd.flags], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(html.includes(textToHtml(run.stdout.trimEnd())), `${cmd.kind}: the report's tables differ from what the command prints`);
  }
});

test('study → command: the study\'s columns and filters reach analyses on its data only; flags as the CLI spells them', () => {
  const parsed = studySchema.parse(study);
  assert.equal(
    shellCommand(analysisCommand(parsed, parsed.analyses[0]!)),
    `scalewise isoflop ${porian} --params n_params --flops flops_budget --loss loss --where dataset=rw --where 'config_id<=2' --method akima --group config_id --noise 0.002 --draws 100 --seed 42`,
  );
  assert.equal(
    shellCommand(analysisCommand(parsed, parsed.analyses[1]!)),
    `scalewise fit ${chinchilla} --params N_params --tokens D_tokens --where in_epoch_fit=1 --bootstrap 20 --seed 3`,
  );
  const skills = studySchema.parse({ ...study, analyses: [{ kind: 'skills', skills: { k: ['a', 'b'], c: { x: 2, y: 1 } }, aggregate: 'k', mix: ['k', 'c'], pooled: false, budgetTolerance: 0.01 }] });
  assert.deepEqual(analysisCommand(skills, skills.analyses[0]!).flags.slice(10), ['--skill', 'k=a,b', '--skill', 'c=x:2,y:1', '--budget-tolerance', '0.01', '--aggregate', 'k', '--mix', 'k,c', '--no-pooled']);
});

test('text tables become HTML tables, cells with spaces kept whole', () => {
  const text = 'N* per budget\nC (FLOP)  knowledge/agg\n--------  -----------------\n2.00e17   0.931 [0.73, 1.2]\n4.37e17                   —\n\n== fineweb';
  assert.equal(
    textToHtml(text),
    '<p>N* per budget</p>\n<table><thead><tr><th>C (FLOP)</th><th>knowledge/agg</th></tr></thead><tbody><tr><td>2.00e17</td><td>0.931 [0.73, 1.2]</td></tr><tr><td>4.37e17</td><td>—</td></tr></tbody></table>\n<h3>fineweb</h3>',
  );
});

test('a note printed right under a table (no blank line) ends the table instead of becoming a row', () => {
  // formatFit prints "(4000 bootstrap resamples, …)" directly under the constants.
  const text = '       estimate      SE\n-----  --------  ------\nE         1.817  0.0253\n(4000 bootstrap resamples, seed 42)';
  assert.equal(
    textToHtml(text),
    '<table><thead><tr><th></th><th>estimate</th><th>SE</th></tr></thead><tbody><tr><td>E</td><td>1.817</td><td>0.0253</td></tr></tbody></table>\n<p>(4000 bootstrap resamples, seed 42)</p>',
  );
});

test('bad study files: exit 2, one line naming the file and the JSON path, nothing on stdout', () => {
  const cases: [string, string][] = [
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit"},{"kind":"isoflop","bootstrap":"200"}]}', 'analyses[1].bootstrap: Invalid input: expected number, received string'],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"isoflp"}]}', "analyses[0].kind: Invalid discriminator value. Expected 'fit' | 'isoflop' | 'skills'"],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"fit","bootstrp":3}]}', 'analyses[0]: Unrecognized key: "bootstrp"'],
    ['{"title":"t","data":[],"analyses":[{"kind":"fit"}]}', 'data: Too small: expected array to have >=1 items'],
    ['{"title":"t","data":["x.csv"],"analyses":[{"kind":"skills","skills":{"a":["b"]},"aggregate":"b","columns":{"loss":"l"}}]}', "analyses[0]: unknown option '--loss' (Did you mean --flops?)"],
  ];
  for (const [text, message] of cases) {
    const dir = tempFiles({ 's.json': text });
    const r = scalewise('report', join(dir, 's.json'), '--out', join(dir, 'out'));
    assert.equal(r.status, 2, text);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `scalewise: error: ${join(dir, 's.json')}: ${message}\n`);
  }
  const dir = tempFiles({ 's.json': '{"title":"t","data":["missing.csv"],"analyses":[{"kind":"fit"}]}', 'bad.json': '{"title": ' });
  assert.equal(scalewise('report', join(dir, 's.json')).stderr, `scalewise: error: ${join(dir, 's.json')}: analyses[0]: ${join(dir, 'missing.csv')}: cannot read file (no such file)\n`);
  assert.match(scalewise('report', join(dir, 'bad.json')).stderr, /^scalewise: error: .*bad\.json: not valid JSON \(.+\)\n$/);
  assert.equal(scalewise('report', join(dir, 'nope.json')).stderr, `scalewise: error: ${join(dir, 'nope.json')}: cannot read the study file (ENOENT)\n`);
});
