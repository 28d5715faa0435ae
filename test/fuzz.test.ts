// A fuzzer over every command (issue 15): generated bad and edge inputs — broken tables, odd cells, wrong flag
// values, mangled saved fits and study files — from a fixed seed. Every run must exit 0 or 2; on 2, exactly one
// line on stderr and nothing on stdout; on 0 with --json, a document its zod schema accepts (so no NaN, infinity
// or null where a number is promised). A failure prints the case (its seed and index) to reproduce it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { z } from 'zod';
import { compareReportSchema } from '../src/schema/compare.js';
import { fitReportSchema } from '../src/schema/fit.js';
import { isoflopReportSchema } from '../src/schema/isoflop.js';
import { l2lReportSchema } from '../src/schema/l2l.js';
import { predictReportSchema } from '../src/schema/predict.js';
import { anyPlanReportSchema } from '../src/schema/plan.js';
import { skillsReportSchema } from '../src/schema/skills.js';
import { scalewise } from './helpers/cli.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const dir = mkdtempSync(join(tmpdir(), 'scalewise-fuzz-'));
after(() => process.env.FUZZ_KEEP || rmSync(dir, { recursive: true, force: true }));

/** mulberry32: small, seeded, the same sequence everywhere. */
class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Grid = string[][];

/** A clean sweep: 4 budgets × 4 sizes, a Chinchilla-like loss, a second loss, a group and an error column. */
function sweep(): Grid {
  const rows: Grid = [['N', 'D', 'C', 'loss', 'lb', 'g', 'err']];
  for (const C of [1e18, 3e18, 1e19, 3e19])
    for (let k = 0; k < 4; k++) {
      const N = Math.sqrt(C / 120) * 2 ** (k - 1.5);
      const D = C / (6 * N);
      const L = 1.7 + 400 / N ** 0.34 + 410 / D ** 0.28;
      rows.push([N, D, C, L, 1.2 + 0.9 * (L - 1.5) ** 1.1].map((v) => v.toPrecision(6)).concat([k % 2 ? 'web' : 'code', String(0.9 - 0.1 * L)]));
    }
  return rows;
}

const oddCells = [
  '',
  ' ',
  'abc',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '0',
  '-0',
  '-1',
  '1e308',
  '-1e308',
  '1e400',
  '1e-320',
  '5e-324',
  '0x10',
  '0b11',
  '0o7',
  '1_000',
  ' 3 ',
  '1e',
  '.',
  '+.5',
  '1,5',
  '"',
  'a"b',
  'x\ny',
  'x\r\ny',
  '\t',
  'true',
  'null',
  '__proto__',
  'constructor',
  '💥',
  'x'.repeat(5000),
];
const oddNames = ['', ' ', '__proto__', 'constructor', 'toString', 'N', 'loss', 'a,b', 'x"y', 'x\ny', 'é', 'hasOwnProperty'];

/** 0–3 random changes to the table's cells and shape. */
function mutateGrid(rng: Rng, grid: Grid): Grid {
  const g = grid.map((r) => [...r]);
  const n = rng.int(4);
  for (let i = 0; i < n; i++) {
    const row = 1 + rng.int(Math.max(1, g.length - 1));
    switch (rng.int(10)) {
      case 0:
      case 1:
      case 2:
        if (g[row]) g[row]![rng.int(g[row]!.length)] = rng.pick(oddCells);
        break;
      case 3:
        g[row]?.pop(); // a ragged row
        break;
      case 4:
        g[row]?.push('1'); // one cell too many
        break;
      case 5:
        g[0]![rng.int(g[0]!.length)] = rng.chance(0.5) ? g[0]![rng.int(g[0]!.length)]! : rng.pick(oddNames); // a repeated or odd header
        break;
      case 6:
        g.splice(1); // header only
        break;
      case 7:
        g.splice(1 + rng.int(g.length), 1 + rng.int(3)); // fewer rows
        break;
      case 8:
        for (const r of g.slice(1)) r[rng.int(r.length)] = rng.pick(oddCells); // a bad column
        break;
      default:
        if (g[row]) g.push([...g[row]!]); // a repeated row
    }
  }
  return g;
}

const csvCell = (v: string, d: string) => (v.includes(d) || v.includes('"') || /[\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The grid as a file of a random format, sometimes with a BOM, CRLF, blank lines, broken quoting or a cut. */
function serialise(rng: Rng, g: Grid): { ext: string; bytes: string } {
  const ext = rng.pick(['.csv', '.csv', '.tsv', '.json', '.jsonl']);
  let text: string;
  if (ext === '.csv' || ext === '.tsv') {
    const d = ext === '.csv' ? ',' : '\t';
    const eol = rng.pick(['\n', '\n', '\r\n', '\r']);
    const raw = rng.chance(0.1); // no quoting at all: quotes and line breaks land raw
    text = g.map((r) => r.map((c) => (raw ? c : csvCell(c, d))).join(d)).join(eol) + (rng.chance(0.8) ? eol : '');
    if (rng.chance(0.1)) text = text.replace(eol, '\r\n'); // a CRLF header with other rows
    if (rng.chance(0.1)) text = text.replace(eol, `${eol}${eol}`); // a blank line
  } else {
    const [head, ...rows] = g;
    const objs = rows.map((r) => {
      const o: Record<string, unknown> = {};
      r.forEach((c, j) => {
        if (rng.chance(0.03)) return; // a missing key
        const key = head![j] ?? `extra${j}`;
        const x = Number(c);
        o[key] = rng.chance(0.05)
          ? rng.pick([true, false, null, [1], { a: 1 }, 12345678901234567890n.toString()])
          : c !== '' && Number.isFinite(x) && rng.chance(0.8)
            ? x
            : c;
      });
      return o;
    });
    text = ext === '.json' ? JSON.stringify(rng.chance(0.05) ? { runs: objs } : objs) : objs.map((o) => JSON.stringify(o)).join('\n');
    if (rng.chance(0.05)) text = text.replace('1e+308', '1e999');
  }
  if (rng.chance(0.05)) text = text.slice(0, rng.int(text.length + 1)); // cut anywhere
  if (rng.chance(0.08)) text = `\uFEFF${text}`;
  return { ext, bytes: text };
}

let fileCount = 0;
function writeTable(rng: Rng, grid: Grid, mutate = true): string {
  const { ext, bytes } = mutate ? serialise(rng, mutateGrid(rng, grid)) : { ext: '.csv', bytes: `${grid.map((r) => r.join(',')).join('\n')}\n` };
  const path = join(dir, `t${fileCount++}${ext}`);
  writeFileSync(path, bytes);
  return path;
}

const counts = ['', '-1', '0', '1', '2', '3', '1.5', '0x3', 'abc', '4294967296', '99999999999999999999', '1e1'];
const numbers = ['', '0', '-1', '1e-300', '1e300', '1e400', '0x10', 'abc', 'NaN', '2', '0.5', '1,2', 'Infinity'];
const columns = ['N', 'D', 'C', 'loss', 'lb', 'g', 'err', 'nope', '', '__proto__', 'N,D', 'g,g'];
const conditions = ['g=web', 'g!=web', 'loss<3', 'loss>9', 'N>=abc', 'x', '=1', 'nope=1', 'loss<', 'g=', '__proto__=1'];

/** Flags a case may add, with the values to draw from (small valid counts only: a fuzzer must stay fast). */
const flagPools: Record<string, Record<string, readonly string[]>> = {
  common: { '--where': conditions, '--params': columns, '--tokens': columns, '--flops': columns },
  fit: {
    '--law': ['chinchilla', 'kaplan', 'overtrain', 'kaplin', ''],
    '--objective': ['huber', 'mse', 'asym', 'l1'],
    '--delta': numbers,
    '--bootstrap': counts,
    '--seed': counts,
    '--budget': numbers,
    '--fix': ['E=1.5', 'E=abc', 'Q=1', 'E', 'E=1e400'],
    '--tie': ['alpha=beta', 'alpha=alpha', 'alpha=zz', 'x'],
    '--bound': ['E=0:2', 'E=2:0', 'E=a:b', 'E=0'],
    '--holdout-top': counts,
    '--label': columns,
    '--loss': columns,
  },
  isoflop: {
    '--method': ['parabola', 'akima', 'cubic'],
    '--group': columns,
    '--bootstrap': counts,
    '--noise': numbers,
    '--draws': counts,
    '--seed': counts,
    '--budget-tolerance': numbers,
    '--loss': columns,
  },
  skills: {
    '--method': ['parabola', 'akima'],
    '--group': columns,
    '--skill': ['a=loss', 'b=lb', 'a=loss:2,lb:1', 'c=nope', 'd=', '=loss', 'e=loss:-1', 'f=loss:abc', '__proto__=loss', 'a=lb'],
    '--aggregate': ['a', 'loss', 'nope', ''],
    '--mix': ['a,b', 'a,a', 'a', 'a,nope', ',', ''],
    '--steps': ['0', '1', '2', '3', 'abc', '-1'],
    '--bootstrap': ['', '0', '2', 'abc'],
  },
  compare: {
    '--arm': columns,
    '--baseline': ['web', 'code', 'nope', '', '__proto__'],
    '--budget': numbers,
    '--law': ['chinchilla', 'kaplan', 'overtrain', 'kaplin'],
    '--share': ['E', 'E,alpha,beta', 'alpha', 'Q', 'E,E', ''],
    '--fix': ['E=1.5', 'E=abc', 'alpha=0.3', 'E=-1', 'E=1e400', 'Q=1'],
    '--tie': ['alpha=beta', 'x'],
    '--tokens-per-param': numbers,
    '--bootstrap': ['', '0', '10', 'abc', '3'],
    '--seed': counts,
    '--loss': columns,
  },
  l2l: {
    '--x': columns,
    '--y': columns,
    '--ex': numbers,
    '--ey': numbers,
    '--e-law': ['kaplan', 'chinchilla', 'nope'],
    '--pair-on': columns,
    '--group': columns,
    '--bootstrap': ['', '0', '2', 'abc'],
    '--holdout-top': counts,
  },
};

/** A command's base arguments and 0–3 drawn flags. */
function drawArgs(rng: Rng, kind: string, base: string[]): string[] {
  const args = [...base];
  const pools = { ...flagPools.common, ...flagPools[kind] };
  const flags = Object.keys(pools);
  for (let n = rng.int(4); n > 0; n--) {
    const flag = rng.pick(flags);
    args.push(flag, rng.pick(pools[flag]!));
  }
  if (rng.chance(0.05)) args.push(rng.pick(['--bootstrp', '--nope', '-x', '--json=1']));
  if (rng.chance(0.85)) args.push('--json');
  return args;
}

interface Case {
  what: string;
  args: string[];
  schema?: z.ZodType;
}

/**
 * Runs the cases and checks the contract; every broken case is listed (with what reproduces it). Returns how
 * many exited 0 and 2 (a fuzzer whose cases all fail early tests little).
 */
async function check(name: string, cases: Case[], t?: { diagnostic(message: string): void }): Promise<{ ok: number; refused: number }> {
  let ok = 0,
    refused = 0;
  const broken: string[] = [];
  for (const [i, c] of cases.entries()) {
    const r = await scalewise(...c.args);
    const where = `${name} case ${i} (seed ${SEED}): ${c.what}\n  scalewise ${c.args.map((a) => JSON.stringify(a)).join(' ')}\n  stderr: ${r.stderr.slice(0, 600)}`;
    if (r.status === 2) {
      refused++;
      if (process.env.FUZZ_SHOW) process.stderr.write(`${name}: ${r.stderr}`);
      if (r.stdout !== '') broken.push(`stdout on error: ${where}`);
      else if (!/^scalewise: error: [^\n]+\n$/.test(r.stderr)) broken.push(`not one error line: ${where}`);
      continue;
    }
    if (r.status !== 0) {
      broken.push(`exit ${r.status}: ${where}`);
      continue;
    }
    ok++;
    if (!c.args.includes('--json') || !c.schema) continue;
    const parsed = c.schema.safeParse(JSON.parse(r.stdout));
    if (parsed.success) continue;
    broken.push(`output off its schema: ${JSON.stringify(parsed.error.issues.slice(0, 2))}\n  ${where}`);
  }
  assert.deepEqual(broken, [], `${broken.length} broken cases:\n${broken.join('\n')}`);
  t?.diagnostic(`${name}: ${cases.length} cases, ${ok} exit 0, ${refused} exit 2`);
  return { ok, refused };
}

function tableCases(kind: string, n: number, seed: number, base: (file: string) => string[], schema: z.ZodType): Case[] {
  const rng = new Rng(seed);
  const grid = sweep();
  return Array.from({ length: n }, () => {
    const file = writeTable(rng, grid, rng.chance(0.75)); // a quarter of the tables clean: the flags alone vary
    return { what: `table ${file}`, args: drawArgs(rng, kind, [kind, file, ...base(file)]), schema };
  });
}

test('fuzz: fit', async (t) => {
  const r = await check(
    'fit',
    tableCases('fit', 220, SEED + 1, () => ['--params', 'N', '--tokens', 'D', '--law', 'kaplan'], fitReportSchema),
    t,
  );
  assert.ok(r.ok > 20 && r.refused > 100, JSON.stringify(r));
});

test('fuzz: isoflop', async (t) => {
  const r = await check(
    'isoflop',
    tableCases('isoflop', 300, SEED + 2, () => ['--params', 'N', '--flops', 'C'], isoflopReportSchema),
    t,
  );
  assert.ok(r.ok > 30 && r.refused > 100, JSON.stringify(r));
});

test('fuzz: skills', async (t) => {
  const r = await check(
    'skills',
    tableCases(
      'skills',
      220,
      SEED + 3,
      () => ['--params', 'N', '--flops', 'C', '--skill', 'a=loss', '--skill', 'b=lb', '--aggregate', 'a', '--no-pooled'],
      skillsReportSchema,
    ),
    t,
  );
  assert.ok(r.ok > 20 && r.refused > 100, JSON.stringify(r));
});

test('fuzz: l2l', async (t) => {
  const r = await check(
    'l2l',
    tableCases('l2l', 220, SEED + 4, () => ['--params', 'N', '--flops', 'C', '--x', 'loss', '--y', 'lb', '--ex', '1', '--ey', '1'], l2lReportSchema),
    t,
  );
  assert.ok(r.ok > 20 && r.refused > 100, JSON.stringify(r));
});

test('fuzz: compare', async (t) => {
  // Arms from the g column (web, code: 8 runs each); a third of the cases with --frontier, some --unpaired.
  const rng = new Rng(SEED + 7);
  const grid = sweep();
  const cases: Case[] = Array.from({ length: 200 }, () => {
    const file = writeTable(rng, grid, rng.chance(0.75));
    const base = ['compare', file, '--params', 'N', '--tokens', 'D', '--flops', 'C', '--arm', 'g'];
    base.push(...(rng.chance(0.35) ? ['--frontier'] : ['--share', 'E,alpha,beta']));
    if (rng.chance(0.15)) base.push('--unpaired');
    return { what: `table ${file}`, args: drawArgs(rng, 'compare', base), schema: compareReportSchema };
  });
  const r = await check('compare', cases, t);
  assert.ok(r.ok > 20 && r.refused > 60, JSON.stringify(r));
});

/** Every place in a JSON document: the paths of its values. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, Array.isArray(v) ? Number(k) : k]));
  return out;
}

/** Mangles a saved fit in place: with probability `untouched` not at all, else 1 or 2 paths deleted (30%) or set to one of `values`. */
function mangle(d: unknown, all: (string | number)[][], values: readonly unknown[], rng: Rng, untouched: number): void {
  for (let k = rng.chance(untouched) ? 0 : 1 + rng.int(2); k > 0; k--) {
    const p = rng.pick(all);
    let parent = d as Record<string | number, unknown>;
    for (const key of p.slice(0, -1)) parent = (parent?.[key] ?? {}) as typeof parent;
    const last = p.at(-1)!;
    if (parent === null || typeof parent !== 'object') continue; // an earlier change replaced the container
    if (rng.chance(0.3)) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else parent[last] = rng.pick(values);
  }
}

/** The sweep written to NAME.csv and fitted (`args` after `--tokens D`) to NAME.json: its path, document and every path in it. */
async function savedSweepFit(name: string, ...args: string[]) {
  const table = join(dir, `${name}.csv`);
  writeFileSync(
    table,
    `${sweep()
      .map((r) => r.join(','))
      .join('\n')}\n`,
  );
  const saved = join(dir, `${name}.json`);
  const made = await scalewise('fit', table, '--params', 'N', '--tokens', 'D', ...args, '--bootstrap', '10', '--save', saved);
  assert.equal(made.status, 0, made.stderr);
  const doc = JSON.parse(readFileSync(saved, 'utf8'));
  return { saved, doc, all: paths(doc).filter((p) => p.length > 0) };
}

test('fuzz: predict with mangled saved fits', async (t) => {
  const rng = new Rng(SEED + 5);
  const { doc, all } = await savedSweepFit('fit-base', '--law', 'kaplan');
  const values: unknown[] = [null, 'x', '', -1, 0, 1e308, [], {}, true, [1, 2], 1.5, 'kaplin', 'sigmoid'];
  const cases: Case[] = Array.from({ length: 320 }, (_, i) => {
    const d = structuredClone(doc);
    mangle(d, all, values, rng, 0.3);
    let text = JSON.stringify(d);
    if (rng.chance(0.05)) text = text.slice(0, rng.int(text.length));
    if (rng.chance(0.05)) text = `\uFEFF${text}`;
    const file = join(dir, `fit${i}.json`);
    writeFileSync(file, text);
    const args = ['predict', file];
    const pair = rng.chance(0.5) ? ['--n', '--d'] : ['--c', '--m'];
    for (const flag of pair) if (rng.chance(0.95)) args.push(flag, rng.chance(0.6) ? rng.pick(['1e9', '2e10', '1e9,2e9', '20']) : rng.pick(numbers));
    if (rng.chance(0.85)) args.push('--json');
    return { what: `saved fit ${file}`, args, schema: predictReportSchema };
  });
  const r = await check('predict', cases, t);
  assert.ok(r.ok > 20 && r.refused > 100, JSON.stringify(r));
});

test('fuzz: report with generated study files', async (t) => {
  const rng = new Rng(SEED + 6);
  const grid = sweep();
  const kinds: Record<string, () => Record<string, unknown>> = {
    fit: () => ({ kind: 'fit', law: 'kaplan', columns: { params: 'N', tokens: 'D' } }),
    isoflop: () => ({ kind: 'isoflop', columns: { params: 'N', flops: 'C' } }),
    skills: () => ({ kind: 'skills', columns: { params: 'N', flops: 'C' }, skills: { a: ['loss'], b: { lb: 1 } }, aggregate: 'a', pooled: false }),
    l2l: () => ({ kind: 'l2l', columns: { params: 'N', flops: 'C' }, x: 'loss', y: 'lb', ex: 1, ey: 1 }),
  };
  const keys = [
    'bootstrap',
    'seed',
    'group',
    'method',
    'mix',
    'steps',
    'law',
    'where',
    'data',
    'columns',
    'title',
    'nope',
    'skills',
    'aggregate',
    'x',
    'ex',
    'budget',
  ];
  const junk: unknown[] = [
    null,
    '',
    'x',
    -1,
    0,
    2,
    1.5,
    2 ** 32,
    1e300,
    true,
    [],
    ['a', 'a'],
    ['--save=PWNED.json'],
    { a: 1 },
    'loss',
    'a,b',
    ['g'],
    ['loss<3'],
  ];
  const cases: Case[] = Array.from({ length: 150 }, (_, i) => {
    const file = rng.chance(0.95) ? writeTable(rng, grid, rng.chance(0.4)) : rng.pick(['missing.csv', '-x.csv', 'runs.xlsx', '']);
    const analyses = Array.from({ length: 1 + rng.int(2) }, () => {
      const a = kinds[rng.pick(Object.keys(kinds))]!();
      for (let k = rng.chance(0.5) ? 0 : 1 + rng.int(2); k > 0; k--) a[rng.pick(keys)] = rng.pick(junk);
      return a;
    });
    const study: Record<string, unknown> = { title: 'fuzz', data: [file.startsWith(dir) ? file.slice(dir.length + 1) : file], analyses };
    if (rng.chance(0.1)) study[rng.pick(['title', 'data', 'analyses', 'where', 'columns', 'extra'])] = rng.pick(junk);
    let text = JSON.stringify(study);
    if (rng.chance(0.05)) text = text.slice(0, rng.int(text.length));
    if (rng.chance(0.05)) text = `\uFEFF${text}`;
    if (rng.chance(0.03)) text = text.replace('"a":', '"__proto__":');
    const path = join(dir, `study${i}.json`);
    writeFileSync(path, text);
    return { what: `study ${path}: ${text.slice(0, 300)}`, args: ['report', path, '--out', join(dir, `report${i}`)] };
  });
  const r = await check('report', cases, t);
  assert.ok(r.ok > 10 && r.refused > 50, JSON.stringify(r));
});

test('fuzz: plan with mangled saved fits, several fits and random options', async (t) => {
  const rng = new Rng(SEED + 7);
  const { saved, doc, all } = await savedSweepFit('plan-base');
  const values: unknown[] = [null, 'x', '', -1, 0, 1e308, [], {}, true, [1, 2], 1.5, 'data-constrained'];
  const flags: Record<string, string[]> = {
    '--budget': ['1e20', '1e18,1e22', '1e40', '1'],
    '--target-loss': ['3', '2.5', '0.1', '1e9'],
    '--inference-tokens': ['0', '1e12'],
    '--n': ['1e9', '1e9,2e9'],
    '--d': ['2e10', '1e12,1e13'],
    '--throughput': ['989e12'],
    '--price': ['2'],
    '--utilisation': ['0.4', '1.5'],
    '--unique-tokens': ['1e10'],
    '--group': ['x', ''],
    '--also': [saved, `b=${saved}`, '=', 'b=', join(dir, 'missing.json')],
  };
  const cases: Case[] = Array.from({ length: 150 }, (_, i) => {
    const d = structuredClone(doc);
    // Half the cases mangle the saved fit; the others vary the options alone.
    mangle(d, all, values, rng, 0.5);
    let text = JSON.stringify(d);
    if (rng.chance(0.05)) text = text.slice(0, rng.int(text.length));
    const file = join(dir, `plan${i}.json`);
    writeFileSync(file, text);
    const args = ['plan', file, '--budget', rng.pick(['1e20', '1e21,1e22', '5e19'])];
    for (let k = rng.int(3); k > 0; k--) {
      const flag = rng.pick(Object.keys(flags));
      // Mostly values a user means, sometimes junk numbers.
      args.push(flag, rng.chance(0.75) || flag === '--also' || flag === '--group' ? rng.pick(flags[flag]!) : rng.pick(numbers));
    }
    if (rng.chance(0.85)) args.push('--json');
    return { what: `saved fit ${file}`, args, schema: anyPlanReportSchema };
  });
  const r = await check('plan', cases, t);
  assert.ok(r.ok > 20 && r.refused > 30, JSON.stringify(r));
});
