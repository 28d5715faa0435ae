// One point estimate in `skills`: the plain analysis of the runs (each budget's own minimum, unweighted least
// squares), the same with or without intervals, and inside its own interval.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scalewise } from '../helpers/cli.js';
import { CODE, KNOWLEDGE, SWEEP, SWEEP_RUNS } from '../helpers/kempner.js';

const base = [
  'skills',
  SWEEP,
  ...SWEEP_RUNS,
  '--skill',
  `knowledge=${KNOWLEDGE}`,
  '--skill',
  `code=${CODE}`,
  '--aggregate',
  'loss_val_own',
  '--group',
  'datamix',
  '--mix',
  'knowledge,code',
  '--no-pooled',
  '--json',
];

interface Budget {
  C: number;
  N: number | null;
  excluded: string | null;
  ci95?: { N: [number, number] };
}
interface Skill {
  name: string;
  isoflop: { budgets: Budget[]; fit: { a: number; ci95?: { a: [number, number] } } | null };
  deltaA?: { value: number | null; ci95?: [number, number] };
}
interface Doc {
  groups: {
    group: string;
    skills: Skill[];
    aggregate: Skill;
    mix: { budgets: { N: (number | null)[]; maxOverMin: number | null; beyondNoise: boolean | null }[] };
  }[];
}

async function run(...extra: string[]): Promise<Doc> {
  const r = await scalewise(...base, ...extra);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Doc;
}

test('skills on all six datamixes (--bootstrap 200 --seed 1): every a and every N* inside its ci95, and the same as without draws', async () => {
  const [drawn, plain] = await Promise.all([run('--bootstrap', '200', '--seed', '1'), run()]);
  assert.equal(drawn.groups.length, 6);
  let budgets = 0;
  drawn.groups.forEach((g, gi) => {
    const p = plain.groups[gi]!;
    [...g.skills, g.aggregate].forEach((s, si) => {
      const at = `${g.group}/${s.name}`;
      const q = [...p.skills, p.aggregate][si]!;
      const f = s.isoflop.fit!;
      assert.equal(f.a, q.isoflop.fit!.a, `${at}: a the same with and without draws`);
      assert.ok(f.ci95!.a[0] <= f.a && f.a <= f.ci95!.a[1], `${at}: a = ${f.a} outside ${f.ci95!.a}`);
      s.isoflop.budgets.forEach((b, j) => {
        assert.equal(b.N, q.isoflop.budgets[j]!.N, `${at} C=${b.C}: N* the same with and without draws`);
        assert.equal(b.excluded, q.isoflop.budgets[j]!.excluded, `${at} C=${b.C}: the same budgets kept`);
        if (b.excluded) return;
        budgets++;
        assert.ok(b.ci95!.N[0] <= b.N! && b.N! <= b.ci95!.N[1], `${at} C=${b.C}: N* = ${b.N} outside ${b.ci95!.N}`);
      });
      if (s.deltaA) {
        assert.equal(s.deltaA.value, q.deltaA!.value, `${at}: Δa the same with and without draws`);
        assert.ok(s.deltaA.ci95, `${at}: Δa has an interval`);
        assert.equal(q.deltaA!.ci95, undefined, `${at}: no Δa interval without draws`);
      }
    });
    g.mix.budgets.forEach((b, j) => {
      assert.deepEqual(b.N, p.mix.budgets[j]!.N, `${g.group}: mix N* the same with and without draws`);
      assert.equal(b.maxOverMin, p.mix.budgets[j]!.maxOverMin);
      assert.equal(p.mix.budgets[j]!.beyondNoise, null, `${g.group}: no verdict without draws`);
      assert.equal(b.beyondNoise === null, b.maxOverMin === null);
    });
  });
  assert.ok(budgets > 100, `${budgets} budgets checked`);
});

test('the starcoder exponent of code no longer moves with --bootstrap (0.311 with and without draws)', async () => {
  const [drawn, plain] = await Promise.all([run('--where', 'datamix=starcoder', '--bootstrap', '200'), run('--where', 'datamix=starcoder')]);
  const a = (d: Doc) => d.groups[0]!.skills[1]!.isoflop.fit!.a;
  assert.equal(a(drawn), a(plain));
  assert.equal(Math.round(a(plain) * 1000) / 1000, 0.311);
});
