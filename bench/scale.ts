// `npm run bench:scale`: time and peak memory of fit, isoflop, skills and l2l on synthetic checkpoint tables of
// 1e4, 1e5 and 1e6 rows (bench/scale-data.ts), each command a child process under /usr/bin/time -v, and the
// numpy/scipy reference (bench/reference/scale_reference.py) on the same data where one exists, as ratios.
// SCALEWISE_SCALE_ROWS=10000,100000 picks the sizes; SCALEWISE_SCALE_COMMANDS='isoflop,fit --no-calibrate' picks
// commands by name (on a loaded machine the 1e6-row runs take minutes); SCALEWISE_SCALE_REFERENCE=0 skips Python.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitAnalysis } from '../src/analyses/fit.js';
import { isoflopAnalysis } from '../src/analyses/isoflop.js';
import { l2lAnalysis } from '../src/analyses/l2l.js';
import { readTables } from '../src/data/read.js';
import { scaleCsv } from './scale-data.js';

const sizes = (process.env.SCALEWISE_SCALE_ROWS ?? '10000,100000,1000000').split(',').map(Number);
const withReference = process.env.SCALEWISE_SCALE_REFERENCE !== '0';
const bin = join(import.meta.dirname, '..', 'src', 'cli', 'bin.js');
const timeBin = '/usr/bin/time';

/**
 * The commands, as a user with a checkpoint table runs them. `ref`: the reference mode computing the same, and
 * `core`: the same analysis run in this process on the table already read, timed against the reference's
 * computation (which also excludes reading).
 */
type Core = (table: Awaited<ReturnType<typeof readTables>>) => Promise<unknown>;
const commands: { name: string; args: (f: string) => string[]; ref?: string; core?: Core }[] = [
  { name: 'fit', args: (f) => ['fit', f, '--params', 'N', '--tokens', 'D', '--loss', 'loss'] },
  {
    name: 'fit --no-calibrate',
    args: (f) => ['fit', f, '--params', 'N', '--tokens', 'D', '--loss', 'loss', '--no-calibrate'],
    ref: 'fit',
    core: (t) => fitAnalysis.run(t, { params: 'N', tokens: 'D', loss: 'loss', calibrate: false }),
  },
  {
    name: 'isoflop',
    args: (f) => ['isoflop', f, '--flops', 'C', '--params', 'N', '--tokens', 'D', '--loss', 'loss'],
    ref: 'isoflop',
    core: (t) => isoflopAnalysis.run(t, { flops: 'C', params: 'N', tokens: 'D', loss: 'loss' }),
  },
  {
    name: 'skills',
    args: (f) => [
      'skills',
      f,
      '--flops',
      'C',
      '--params',
      'N',
      '--tokens',
      'D',
      '--skill',
      'knowledge=know_1,know_2',
      '--skill',
      'code=code_1,code_2',
      '--aggregate',
      'loss',
    ],
  },
  { name: 'l2l (E fitted)', args: (f) => ['l2l', f, '--x', 'loss', '--y', 'loss_b', '--params', 'N', '--tokens', 'D'] },
  {
    name: 'l2l (E given)',
    args: (f) => ['l2l', f, '--x', 'loss', '--y', 'loss_b', '--ex', '1.5', '--ey', '1'],
    ref: 'l2l',
    core: (t) => l2lAnalysis.run(t, { x: 'loss', y: 'loss_b', ex: 1.5, ey: 1 }),
  },
];

const only = process.env.SCALEWISE_SCALE_COMMANDS?.split(',').map((c) => c.trim());
const chosen = only ? commands.filter((c) => only.includes(c.name)) : commands;
if (only && chosen.length !== only.length) {
  throw new Error(`SCALEWISE_SCALE_COMMANDS: unknown command in ${only.join(', ')} (known: ${commands.map((c) => c.name).join(', ')})`);
}

interface Measured {
  seconds: number;
  peakMiB: number | null;
  status: number | null;
}

/** Runs node on the CLI under /usr/bin/time -v (wall time and peak RSS), or times it alone without it. */
function measure(args: string[]): Measured {
  const hasTime = existsSync(timeBin);
  const started = performance.now();
  const r = hasTime
    ? spawnSync(timeBin, ['-v', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  const rss = hasTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr) : null;
  const status = hasTime ? Number(/Exit status: (\d+)/.exec(r.stderr)?.[1] ?? r.status) : r.status;
  if (status !== 0) process.stderr.write(`  ${args[0]} exited ${status}: ${r.stderr.split('\n').find((l) => l.startsWith('scalewise: error')) ?? ''}\n`);
  return { seconds, peakMiB: rss ? Number(rss[1]) / 1024 : null, status };
}

function reference(mode: string, file: string): { seconds: number } | undefined {
  const r = spawnSync('python3', [join(import.meta.dirname, '..', '..', 'bench', 'reference', 'scale_reference.py'), mode, '--csv', file], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    process.stderr.write(`  reference ${mode} did not run: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}\n`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

const dir = mkdtempSync(join(tmpdir(), 'scalewise-scale-'));
process.stdout.write(`scalewise at scale: synthetic checkpoint tables (72 runs, 8 budgets × 9 sizes); ${availableParallelism()} cores\n`);
process.stdout.write(
  'seconds, peak RSS: the whole process (reading the CSV included); analysis alone: the same analysis in this process on the table already read, as the reference times its computation\n\n',
);
process.stdout.write(
  '| rows | command | seconds | peak RSS (MiB) | analysis alone (s) | numpy/scipy (s) | reference / analysis |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n',
);
try {
  for (const rows of sizes) {
    const file = join(dir, `ckpt-${rows}.csv`);
    writeFileSync(file, scaleCsv({ rows }));
    const table = await readTables([file]);
    for (const c of chosen) {
      const m = measure(c.args(file));
      let core: number | undefined;
      if (c.core) {
        const t = performance.now();
        await c.core(table);
        core = (performance.now() - t) / 1000;
      }
      const ref = withReference && c.ref ? reference(c.ref, file) : undefined;
      const cells = [
        rows.toLocaleString('en-US'),
        c.name,
        m.status === 0 ? m.seconds.toFixed(2) : `exit ${m.status}`,
        m.peakMiB === null ? '—' : m.peakMiB.toFixed(0),
        core === undefined ? '—' : core.toFixed(2),
        ref ? ref.seconds.toFixed(2) : '—',
        ref && core !== undefined ? `${(ref.seconds / core).toFixed(1)}×` : '—',
      ];
      process.stdout.write(`| ${cells.join(' | ')} |\n`);
    }
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
