// `scalewise import`: each format's fixture (test/fixtures/import, SOURCE.md says where each is documented)
// becomes the exact canonical table; quoting, slashes, dots and GFLOPs cells come through as W&B wrote them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTable } from '../src/data/parse.js';
import { sniff } from '../src/data/import/formats.js';
import { root, scalewise, tempFiles } from './helpers/cli.js';

const fx = (p: string) => join('test/fixtures/import', p);
const lmEval = 'lm-eval/EleutherAI__pythia-160m';
const date = '2025-03-02T09-15-00.123456';

/** `scalewise import ARGS --out -`: the CSV on stdout, and stderr. */
async function imported(...args: string[]): Promise<{ csv: string; stderr: string }> {
  const r = await scalewise('import', ...args, '--out', '-');
  assert.equal(r.status, 0, r.stderr);
  return { csv: r.stdout, stderr: r.stderr };
}

test('wandb: a runs-table export keeps names with slashes and dots, quoted cells and the GFLOPs column as written, and says its unit', async () => {
  const { csv, stderr } = await imported('wandb', fx('wandb-runs.csv'));
  assert.equal(
    csv,
    [
      'run,Name,State,Notes,User,Tags,Created,Runtime,Sweep,model.d_model,model.n_layers,optimizer.lr,eval/paloma/macro_loss,throughput/total_tokens,throughput/total_gflops,train/loss',
      'isoflop-1e18-d512,isoflop-1e18-d512,finished,-,alice,"isoflop, 1e18",2025-03-01T10:00:00.000Z,3600,sweep-a,512,8,0.003,3.4121,1048576000,1.0000123e+09,3.3012',
      'isoflop-1e18-d768,isoflop-1e18-d768,finished,-,alice,"isoflop, 1e18",2025-03-01T11:00:00.000Z,3900,sweep-a,768,10,0.0025,3.3877,524288000,1.0000071e+09,3.2790',
      'isoflop-1e18-d1024,isoflop-1e18-d1024,crashed,"OOM at step 900, ""restarted""",alice,isoflop,2025-03-01T12:00:00.000Z,1200,sweep-a,1024,12,0.002,,,,',
      '',
    ].join('\n'),
  );
  assert.equal(stderr, 'scalewise: note: column "throughput/total_gflops" is in GFLOP, kept as is (--flops expects FLOP: multiply by 1e9)\n');
});

test('wandb: the format is sniffed from the header, and the same input gives the same bytes', async () => {
  const a = await imported(fx('wandb-runs.csv'));
  const b = await imported('auto', fx('wandb-runs.csv'));
  assert.equal(a.csv, b.csv);
  assert.equal(a.csv, (await imported('wandb', fx('wandb-runs.csv'))).csv);
});

test('wandb: --metrics keeps the run column and the columns asked for, in that order', async () => {
  const { csv } = await imported('wandb', fx('wandb-runs.csv'), '--metrics', 'throughput/total_gflops,eval/paloma/macro_loss');
  assert.equal(
    csv,
    'run,throughput/total_gflops,eval/paloma/macro_loss\nisoflop-1e18-d512,1.0000123e+09,3.4121\nisoflop-1e18-d768,1.0000071e+09,3.3877\nisoflop-1e18-d1024,,\n',
  );
});

test('wandb: the imported table is read back by the analyses, --where taking names with slashes and dots', async () => {
  const dir = tempFiles({});
  const out = join(dir, 'runs.csv');
  assert.equal((await scalewise('import', 'wandb', fx('wandb-runs.csv'), '--out', out)).status, 0);
  const t = await parseTable(out, readFileSync(out));
  assert.equal(t.rows[2]!.values.Notes, 'OOM at step 900, "restarted"');
  assert.equal(t.rows[0]!.values['throughput/total_gflops'], '1.0000123e+09');
  // A --where on a dotted and a slashed name: an unknown column names the table's columns.
  const r = await scalewise('isoflop', out, '--where', 'model.d_model>=512', '--where', 'eval/paloma/macro_los!=', '--params', 'model.d_model');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^scalewise: error: --where "eval\/paloma\/macro_los!=": no column "eval\/paloma\/macro_los" \(columns: run, Name, State,/);
});

test('wandb: --where, --params, --tokens and --loss take the imported names with slashes and dots', async () => {
  const dir = tempFiles({});
  const out = join(dir, 'runs.csv');
  assert.equal((await scalewise('import', fx('wandb-isoflop-sweep.csv'), '--out', out)).status, 0);
  const flags = ['--params', 'model.n_params', '--tokens', 'throughput/total_tokens', '--loss', 'eval/paloma/macro_loss', '--json'];
  const all = await scalewise('isoflop', out, '--where', 'eval/paloma/macro_loss!=', ...flags);
  const wide = await scalewise('isoflop', out, '--where', 'eval/paloma/macro_loss!=', '--where', 'model.d_model>=640', ...flags);
  assert.equal(all.status, 0, all.stderr);
  assert.equal(wide.status, 0, wide.stderr);
  const sizes = (r: { stdout: string }) => JSON.parse(r.stdout).groups[0].budgets.map((b: { points: number }) => b.points);
  assert.deepEqual(sizes(all), [5, 5, 4, 4]);
  // d_model 512 is the smallest width of the smallest budget only.
  assert.deepEqual(sizes(wide), [4, 5, 4, 4]);
});

test('wandb-history (long): (run, step, metric, value) pivots to one row per checkpoint, metric columns sorted', async () => {
  const { csv } = await imported(fx('wandb-history-long.csv'));
  assert.equal(
    csv,
    [
      'run,step,eval/paloma/macro_loss,throughput/total_tokens,train/loss',
      'isoflop-1e18-d512,500,,524288000,3.912',
      'isoflop-1e18-d512,1000,3.4121,1048576000,3.301',
      'isoflop-1e18-d768,500,3.3877,524288000,3.279',
      '',
    ].join('\n'),
  );
});

test('wandb-history (wide): a run-history Parquet (_step + metrics, no run column) is named by its file', async () => {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const rows = JSON.parse(readFileSync(join(root, fx('wandb-history-wide.json')), 'utf8')) as Record<string, number>[];
  const names = ['_step', '_runtime', '_timestamp', 'train/loss', 'optim/lr', 'eval/paloma/macro_loss'];
  const columnData = names.map((name) => ({ name, data: rows.map((r) => r[name] ?? null), type: 'DOUBLE' as const }));
  const dir = tempFiles({ 'run-abc123-history.parquet': new Uint8Array(parquetWriteBuffer({ columnData })) });
  const { csv } = await imported(join(dir, 'run-abc123-history.parquet'));
  assert.equal(
    csv,
    [
      'run,step,_runtime,_timestamp,eval/paloma/macro_loss,optim/lr,train/loss',
      'abc123,0,12.5,1740906000,,0,10.83',
      'abc123,500,1800,1740907800,,0.003,3.912',
      'abc123,1000,3600,1740909600,3.4121,0.0003,3.301',
      '',
    ].join('\n'),
  );
});

test('wandb-history: --step and --run name other columns', async () => {
  const dir = tempFiles({ 'h.csv': 'who,iter,loss\na,10,3.5\na,20,3.25\nb,10,3.75\n' });
  const { csv } = await imported('wandb-history', join(dir, 'h.csv'), '--run', 'who', '--step', 'iter');
  assert.equal(csv, 'run,step,loss\na,10,3.5\na,20,3.25\nb,10,3.75\n');
});

test('lm-eval: metric and stderr per task, the filter in the name when not "none", "N/A" empty, and the mean answer NLL from the samples', async () => {
  const { csv, stderr } = await imported(
    'lm-eval',
    ...['results', 'samples_arc_easy', 'samples_lambada_openai', 'samples_gsm8k'].map((f) =>
      fx(`${lmEval}/${f}_${date}.${f === 'results' ? 'json' : 'jsonl'}`),
    ),
  );
  const [header, row, end] = csv.split('\n');
  assert.equal(end, '');
  const cells = Object.fromEntries(header!.split(',').map((c, i) => [c, row!.split(',')[i]]));
  assert.deepEqual(cells, {
    model: 'EleutherAI/pythia-160m',
    revision: 'step143000',
    acc_norm_stderr_task_arc_easy: '0.010032',
    acc_norm_task_arc_easy: '0.3952',
    acc_stderr_task_arc_easy: '0.010177',
    acc_stderr_task_lambada_openai: '',
    acc_task_arc_easy: '0.4365',
    acc_task_lambada_openai: '0.3285',
    'exact_match_flexible-extract_task_gsm8k': '0.0227',
    'exact_match_stderr_flexible-extract_task_gsm8k': '0.004106',
    'exact_match_stderr_strict-match_task_gsm8k': '0.003447',
    'exact_match_strict-match_task_gsm8k': '0.0159',
    // arc_easy: golds 2, 1, 1 have loglikelihoods -9.5, -7.5, -6.25; lambada: -2.75, -5.25.
    loss_task_arc_easy: '7.75',
    loss_task_lambada_openai: '4',
    model_num_parameters: '162322944',
    perplexity_stderr_task_lambada_openai: '1.4437',
    perplexity_task_lambada_openai: '38.2912',
  });
  assert.equal(
    stderr,
    `scalewise: note: ${fx(`${lmEval}/samples_gsm8k_${date}.jsonl`)}: the responses are not [loglikelihood, is_greedy] pairs (generated text?): no loss for task "gsm8k"\n`,
  );
});

test("lm-eval: --answer-loss per-char and bpb divide each answer loss by the gold continuation's characters or UTF-8 bytes (× ln 2)", async () => {
  const files = ['results', 'samples_arc_easy', 'samples_lambada_openai'].map((f) => fx(`${lmEval}/${f}_${date}.${f === 'results' ? 'json' : 'jsonl'}`));
  const cells = async (mode: string, prefix: string) => {
    const { csv } = await imported('lm-eval', ...files, '--answer-loss', mode, '--metrics', `${prefix}_task_arc_easy,${prefix}_task_lambada_openai`);
    const [header, row] = csv.split('\n');
    assert.equal(header, `model,revision,${prefix}_task_arc_easy,${prefix}_task_lambada_openai`);
    return row!.split(',').slice(2).map(Number);
  };
  // The gold answers: " Planetary days will become shorter." (36 characters), " buildings will be made safer" (29),
  // " an asteroid impact" (19); " signs" and " docks" (6 each). All ASCII: bytes = characters.
  const arc = [9.5 / 36, 7.5 / 29, 6.25 / 19];
  const lambada = [2.75 / 6, 5.25 / 6];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [perChar, bpb] = [await cells('per-char', 'loss_per_char'), await cells('bpb', 'bpb')];
  assert.ok(Math.abs(perChar[0]! - mean(arc)) < 1e-12 && Math.abs(perChar[1]! - mean(lambada)) < 1e-12, String(perChar));
  assert.ok(Math.abs(bpb[0]! - mean(arc) / Math.LN2) < 1e-12 && Math.abs(bpb[1]! - mean(lambada) / Math.LN2) < 1e-12, String(bpb));
});

test('lm-eval: several results files give several rows, joined to a run table by model path (--runs, --join)', async () => {
  const results = (model: string, acc: number) =>
    JSON.stringify({
      results: { hellaswag: { alias: 'hellaswag', 'acc,none': acc, 'acc_stderr,none': 0.005 } },
      config: { model: 'hf', model_args: `pretrained=${model},dtype=bfloat16` },
    });
  const dir = tempFiles({
    'a.json': results('/ckpt/ladder-190m-1xC/step5000-hf', 0.31),
    'b.json': results('/ckpt/ladder-370m-1xC/step9000-hf', 0.36),
    'runs.csv': 'run,params,tokens\nladder-190m-1xC,1.9e8,3.8e9\nladder-370m-1xC,3.7e8,7.4e9\nladder-760m-1xC,7.6e8,1.5e10\n',
  });
  const plain = await imported('lm-eval', join(dir, 'a.json'), join(dir, 'b.json'));
  assert.equal(
    plain.csv,
    'model,acc_stderr_task_hellaswag,acc_task_hellaswag\n/ckpt/ladder-190m-1xC/step5000-hf,0.005,0.31\n/ckpt/ladder-370m-1xC/step9000-hf,0.005,0.36\n',
  );
  const { csv, stderr } = await imported('lm-eval', join(dir, 'a.json'), join(dir, 'b.json'), '--runs', join(dir, 'runs.csv'));
  assert.equal(
    csv,
    [
      'run,params,tokens,model,acc_stderr_task_hellaswag,acc_task_hellaswag',
      'ladder-190m-1xC,1.9e8,3.8e9,/ckpt/ladder-190m-1xC/step5000-hf,0.005,0.31',
      'ladder-370m-1xC,3.7e8,7.4e9,/ckpt/ladder-370m-1xC/step9000-hf,0.005,0.36',
      '',
    ].join('\n'),
  );
  assert.equal(stderr, `scalewise: note: 1 run of ${join(dir, 'runs.csv')} has no imported row: ladder-760m-1xC\n`);
});

test('olmo: metrics_step<N>.json per checkpoint, the run from the folder, a NaN written by Python an empty cell', async () => {
  const { csv } = await imported('olmo', fx('olmo/olmo-190m-1xC/metrics_step2000.json'), fx('olmo/olmo-190m-1xC/metrics_step1000.json'));
  assert.equal(
    csv,
    [
      'run,step,eval/downstream/hellaswag (length-normalized accuracy),eval/lm/c4_en-validation/CE loss,optim/LR (group 0),throughput/total tokens,train/CE loss,train/PPL,train/grad norm',
      'olmo-190m-1xC,1000,0.2951,3.9021,0.0004,4194304000,3.8123,45.26,',
      'olmo-190m-1xC,2000,0.3188,3.6107,0.0002,8388608000,3.5012,33.16,',
      '',
    ].join('\n'),
  );
});

test('marin: a json_logger stream gives one row per step (events at one step merged); a replicate record one row at its _step', async () => {
  const { csv, stderr } = await imported(fx('marin/isoflop-1e18-d512/tracker_metrics.jsonl'), fx('marin/replicate/tracker_metrics.jsonl'));
  assert.equal(
    csv,
    [
      'run,step,_runtime,config.model.hidden_dim,config.model.num_layers,config.optimizer.learning_rate,config.tokenizer,eval/paloma/c4_en/bpb,eval/paloma/macro_loss,optim/learning_rate,parameter_count,throughput/total_gflops,throughput/total_tokens,train/loss',
      'isoflop-1e18-d512-a1b2c3,250,,,,,,,,0.003,,250003.1,262144000,4.1203',
      'isoflop-1e18-d512-a1b2c3,500,,,,,,1.1042,3.512,0.0015,,500006.2,524288000,3.6511',
      'replicate,1000,3890.2,768,10,0.0025,stanford-crfm/marin-tokenizer,,3.3877,,85000000,1000007.1,524288000,3.279',
      '',
    ].join('\n'),
  );
  assert.equal(
    stderr,
    `scalewise: note: ${fx('marin/isoflop-1e18-d512/tracker_metrics.jsonl')}: summary records left out (they repeat the last logged values)\n` +
      'scalewise: note: column "throughput/total_gflops" is in GFLOP, kept as is (--flops expects FLOP: multiply by 1e9)\n',
  );
});

test('--out FILE.parquet writes numbers as DOUBLE and text as STRING, read back as the CSV reads', async () => {
  const dir = tempFiles({});
  const out = join(dir, 'runs.parquet');
  const r = await scalewise('import', 'wandb', fx('wandb-runs.csv'), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /scalewise: wrote .*runs\.parquet: 3 rows, 16 columns\n$/);
  const t = await parseTable(out, readFileSync(out));
  assert.equal(t.rows[0]!.values['throughput/total_gflops'], 1.0000123e9);
  assert.equal(t.rows[0]!.values.Tags, 'isoflop, 1e18');
  assert.equal(t.rows[2]!.values['train/loss'], null);
  // Same input, same bytes.
  const again = join(dir, 'again.parquet');
  assert.equal((await scalewise('import', 'wandb', fx('wandb-runs.csv'), '--out', again)).status, 0);
  assert.deepEqual(readFileSync(again), readFileSync(out));
});

test('sniffing: by the names the tools give their files, else by the first bytes', () => {
  const file = (name: string, text = '') => ({ name, bytes: new TextEncoder().encode(text) });
  assert.equal(sniff(file(`x/results_${date}.json`)), 'lm-eval');
  assert.equal(sniff(file(`x/samples_arc_easy_${date}.jsonl`)), 'lm-eval');
  assert.equal(sniff(file('run/metrics_step100.json')), 'olmo');
  assert.equal(sniff(file('run/tracker_metrics.jsonl')), 'marin');
  assert.equal(sniff(file('h.parquet')), 'wandb-history');
  assert.equal(sniff(file('h.csv', '"run","_step","loss"\n')), 'wandb-history');
  assert.equal(sniff(file('e.csv', '"Name","State","loss"\n')), 'wandb');
  // A runs-table export's summary `_step` does not make it history.
  assert.equal(sniff(file('e.csv', readFileSync(join(root, fx('wandb-isoflop-sweep.csv')), 'utf8'))), 'wandb');
  assert.equal(sniff(file('m.jsonl', '{"tracker": "json_logger", "event": "log", "step": 1, "metrics": {}}\n')), 'marin');
  assert.equal(sniff(file('r.json', '{\n  "results": {}}')), 'lm-eval');
});

test('the importers are pure: no Node import in src/data/import (the dashboard can run them on uploads)', () => {
  const dir = join(root, 'src/data/import');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    const bad = text.match(/from ['"](node:[^'"]+|fs|path|os)['"]|\bprocess\.|\brequire\(/);
    assert.equal(bad, null, `src/data/import/${f} uses ${bad?.[0]}`);
  }
});
