// Skill-dependent compute-optimal scaling (Roberts et al. 2025) on synthetic runs made in the test from
// known per-skill laws, where the right answers are known in closed form.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { mixSweep, simplexGrid, skillsAnalysis, type SkillSpec } from '../../src/methods/skills.js';
import type { Runs } from '../../src/data/runs.js';
import { Random } from '../../src/stats/random.js';
import { scalewise, tempFiles } from '../helpers/cli.js';

/** IsoFLOP runs at 8 budgets (doubling): `sizes` log-spaced sizes per budget, from lo(C) to hi(C). */
function grid(lo = (c: number) => 0.025 * Math.sqrt(c), hi = (c: number) => 0.4 * Math.sqrt(c), sizes = 9): Runs {
  const N: number[] = [],
    D: number[] = [],
    C: number[] = [];
  for (let c = 1e18; c < 2e20; c *= 2) {
    for (let j = 0; j < sizes; j++) {
      const n = lo(c) * Math.pow(hi(c) / lo(c), j / (sizes - 1));
      N.push(n);
      D.push(c / (6 * n));
      C.push(c);
    }
  }
  const f = (a: number[]) => Float64Array.from(a);
  return { N: f(N), D: f(D), C: f(C), loss: new Float64Array(N.length), origin: [] };
}

const member = (name: string, loss: Float64Array): SkillSpec => ({ name, members: [{ column: name, weight: 1, loss }] });

/** Compute-optimal N of E + A/N^α + B/D^β at budget C (Hoffmann et al. 2022, eq. 4). */
const nOpt = (A: number, B: number, alpha: number, beta: number, C: number) =>
  Math.pow((alpha * A) / (beta * B), 1 / (alpha + beta)) * Math.pow(C / 6, beta / (alpha + beta));

test('per-skill exponents recovered inside their intervals, and ordered: knowledge capacity-hungry, code data-hungry', async () => {
  const K = [400, 1880, 0.26, 0.4] as const,
    Co = [400, 213, 0.4, 0.26] as const,
    Ag = [400, 400, 0.33, 0.33] as const;
  // Sizes spanning every skill's optimum by a factor 4 on each side, as a real sweep would.
  const lo = (c: number) => Math.min(...[K, Co, Ag].map(([A, B, al, be]) => nOpt(A, B, al, be, c))) / 4;
  const hi = (c: number) => Math.max(...[K, Co, Ag].map(([A, B, al, be]) => nOpt(A, B, al, be, c))) * 4;
  const runs = grid(lo, hi, 15);
  const rng = new Random(3);
  // a = β/(α+β): knowledge 0.40/(0.26+0.40) = 0.606, code 0.26/(0.40+0.26) = 0.394, aggregate 0.5.
  const law = (E: number, A: number, B: number, alpha: number, beta: number, sigma: number) =>
    runs.N.map((n, i) => E + A / n ** alpha + B / runs.D[i]! ** beta + sigma * rng.normal());
  const truth = { knowledge: 0.4 / 0.66, code: 0.26 / 0.66, aggregate: 0.5 };
  const knowledge = member('knowledge', law(1.5, ...K, 0.002));
  const code = member('code', law(0.8, ...Co, 0.002));
  const aggregate = member('aggregate', law(1.8, ...Ag, 0.002));
  const r = skillsAnalysis(runs, [knowledge, code], aggregate, {
    isoflop: { method: 'akima', intervals: { kind: 'noise', sigma: 0.002, draws: 300, seed: 5 } },
  });
  for (const s of [...r.skills, r.aggregate]) {
    const want = truth[s.name as keyof typeof truth];
    const [lo, hi] = s.isoflop.fit!.ci95!.a;
    assert.ok(lo <= want && want <= hi, `${s.name}: true a ${want} outside [${lo}, ${hi}]`);
    assert.ok(Math.abs(s.pooled!.a - want) < 0.02, `${s.name}: pooled a ${s.pooled!.a} vs ${want}`);
  }
  const [k, c] = r.skills;
  assert.ok(k!.isoflop.fit!.a > r.aggregate.isoflop.fit!.a && r.aggregate.isoflop.fit!.a > c!.isoflop.fit!.a);
  // Knowledge wants more parameters than the aggregate at every budget, code fewer.
  for (const x of k!.ratioToAggregate) assert.ok(x.pooled! > 1 && x.ratio! > 1, `knowledge/aggregate at ${x.C}: ${x.ratio}`);
  for (const x of c!.ratioToAggregate) assert.ok(x.pooled! < 1 && x.ratio! < 1, `code/aggregate at ${x.C}: ${x.ratio}`);
});

test('mix sweep: N* of a weighted validation mix matches the closed form, and so does max/min', async () => {
  // Losses that are exact parabolas in log N per budget: loss_s = c_s + q_s·(log N − m_s(C))².
  // A mix Σ w_s·loss_s is then a parabola with vertex Σ w_s q_s m_s / Σ w_s q_s.
  const runs = grid();
  const q = [0.08, 0.03],
    shift = [0.5, -0.6];
  const centre = (c: number) => Math.log(0.1 * Math.sqrt(c));
  const loss = (s: number) => runs.N.map((n, i) => 2 + s + q[s]! * (Math.log(n) - centre(runs.C[i]!) - shift[s]!) ** 2);
  const sweep = mixSweep(runs, [member('knowledge', loss(0)), member('code', loss(1))], 11, { method: 'parabola' });
  assert.deepEqual(
    sweep.weights.map((w) => w[0]),
    [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0].map((v) => Math.round(v * 10) / 10),
  );
  for (const b of sweep.budgets) {
    const vertex = sweep.weights.map(([w0, w1]) => Math.exp(centre(b.C) + (w0! * q[0]! * shift[0]! + w1! * q[1]! * shift[1]!) / (w0! * q[0]! + w1! * q[1]!)));
    b.N.forEach((v, i) => {
      assert.ok(Math.abs(v! / vertex[i]! - 1) < 1e-9, `C ${b.C} mix ${i}: ${v} vs ${vertex[i]}`);
    });
    assert.ok(Math.abs(b.maxOverMin! - Math.exp(shift[0]! - shift[1]!)) < 1e-9);
    assert.equal(b.argmax, 0);
    assert.equal(b.argmin, 10);
  }
  assert.equal(simplexGrid(3, 3).length, 6);
});

test("ratio to the aggregate: paired draws; a skill with the aggregate's losses, and the aggregate itself, are 1 with the interval [1, 1]", () => {
  const runs = grid(
    (c) => 0.1 * Math.sqrt(c),
    (c) => 1.6 * Math.sqrt(c),
    11,
  );
  const rng = new Random(8);
  const loss = runs.N.map((n, i) => 1.8 + 400 / n ** 0.33 + 400 / runs.D[i]! ** 0.33 + 0.003 * rng.normal());
  for (const intervals of [
    { kind: 'bootstrap', resamples: 200, seed: 2 },
    { kind: 'noise', sigma: 0.003, draws: 200, seed: 2 },
  ] as const) {
    const r = skillsAnalysis(runs, [member('same', Float64Array.from(loss))], member('aggregate', loss), {
      isoflop: { method: 'parabola', intervals },
      pooled: false,
    });
    for (const s of [r.skills[0]!, r.aggregate])
      for (const x of s.ratioToAggregate) {
        if (x.ratio === null) continue;
        assert.equal(x.ratio, 1, `${intervals.kind} ${s.name} at ${x.C}`);
        assert.deepEqual(x.ci95, [1, 1], `${intervals.kind} ${s.name} at ${x.C}`);
      }
    assert.ok(r.aggregate.ratioToAggregate.filter((x) => x.ratio !== null).length >= 6);
    assert.deepEqual(r.skills[0]!.deltaA!.ci95, [0, 0]);
  }
  // Without draws: no interval.
  const plain = skillsAnalysis(runs, [member('same', loss)], member('aggregate', loss), { isoflop: { method: 'parabola' }, pooled: false });
  for (const x of plain.aggregate.ratioToAggregate) assert.equal(x.ci95, undefined);
});

test('skills CLI: bad skills and mixes are one-line errors', async () => {
  const csv = `C,N,a,b,v\n${Array.from({ length: 12 }, (_, i) => `${1e18 * 2 ** (i % 3)},${1e7 * (1 + i)},3,2.5,2.8`).join('\n')}`;
  const file = join(tempFiles({ 'runs.csv': csv }), 'runs.csv');
  const base = ['skills', file, '--flops', 'C', '--params', 'N', '--aggregate', 'v'];
  const cases: [string[], string][] = [
    [['--skill', 'k=a,zz'], '--skill "k=a,zz": no column "zz"'],
    [['--skill', 'k='], '--skill "k=": skill "k" has no columns'],
    [['--skill', 'k=a:-1'], '--skill "k=a:-1": weight "-1" of a must be a number >= 0'],
    [['--skill', 'k=a', '--skill', 'c=b', '--mix', 'k,math'], '--mix: "math" is not a skill (skills: k, c)'],
    [['--skill', 'k=a', '--aggregate', 'nope'], '--aggregate "nope": not a column or a skill'],
  ];
  for (const [args, message] of cases) {
    const r = await scalewise(...base, ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `scalewise: error: ${message}\n`);
    assert.equal(r.stdout, '');
  }
});

test('skills CLI on the 529-run sweep: six datamixes, every skill and mix reported, byte-identical on a rerun', async () => {
  const args = [
    'skills',
    'datasets/kempner/runs.csv',
    '--flops',
    'iso_flop',
    '--params',
    'params',
    '--tokens',
    'tokens',
    '--skill',
    'knowledge=loss_task_sciq,loss_task_arc_easy',
    '--skill',
    'code=loss_task_imbue_code_comprehension,loss_task_imbue_codegen',
    '--aggregate',
    'loss_val_own',
    '--group',
    'datamix',
    '--mix',
    'knowledge,code',
    '--steps',
    '5',
    '--bootstrap',
    '50',
    '--seed',
    '3',
    '--json',
  ];
  const r = await scalewise(...args);
  assert.equal(r.status, 0, r.stderr);
  const { groups } = JSON.parse(r.stdout);
  assert.deepEqual(groups.map((g: { group: string }) => g.group).sort(), ['fineweb', 'fineweb_edu', 'proof_pile_2', 'slimpajama', 'smollm', 'starcoder']);
  for (const g of groups) {
    assert.equal(g.aggregate.isoflop.budgets.length, 8);
    assert.equal(g.mix.weights.length, 5);
    // The aggregate (own-datamix validation loss) has an interior minimum at every budget of every datamix.
    assert.equal(g.aggregate.isoflop.fit.budgets, 8, g.group);
  }
  assert.equal((await scalewise(...args)).stdout, r.stdout);
});
