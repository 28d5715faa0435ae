// Datamix differences, the covariate line and the reference law of `skills`, on synthetic sweeps with a known
// truth (test/helpers/skill-sweeps.ts) and on the 529-run sweep; bad input for the new options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisEnv } from '../../src/analyses/analysis.js';
import { skillsAnalysis } from '../../src/analyses/skills.js';
import type { Table } from '../../src/data/table.js';
import { LLAMA3, referenceN } from '../../src/methods/reference-law.js';
import { skillsReportSchema } from '../../src/schema/skills.js';
import { scalewise, tempFiles, testBadInputs } from '../helpers/cli.js';
import { CODE, KNOWLEDGE, SWEEP, SWEEP_RUNS } from '../helpers/kempner.js';
import { C_MID, datamixTable, lawWithExponent } from '../helpers/skill-sweeps.js';

const SIGMA = 0.004;
const base = { params: 'N', tokens: 'D', flops: 'C', aggregate: 'agg', group: ['group'] };
const skill = (name: string) => ({ name, members: [{ column: name, weight: 1 }], text: `${name}=${name}` });

/** An environment whose only file is the covariate table. */
const envWith = (tables: Record<string, Table>): AnalysisEnv => ({
  readTable: async (p) => tables[p]!,
  readText: async () => undefined,
});

test('datamix differences: Δa between groups recovers the known per-group exponents inside its 95% interval over 20 seeds (paired)', async () => {
  // Three datamixes where the skill's exponent is 0.45, 0.50 and 0.58 (the reference group first).
  const truth: Record<string, number> = { g0: 0.45, g1: 0.5, g2: 0.58 };
  let hits = 0,
    total = 0,
    beyond = 0;
  for (let seed = 0; seed < 20; seed++) {
    const table = datamixTable(Object.keys(truth), (g) => ({ s: lawWithExponent(truth[g]!) }), SIGMA, seed);
    const r = await skillsAnalysis.run(table, { ...base, skills: [skill('s')], bootstrap: 100, seed, pooled: false });
    const c = r.groupComparison!;
    assert.equal(c.reference, 'g0');
    const s = c.skills.find((x) => x.name === 's')!;
    for (const g of s.groups) {
      assert.equal(g.paired, true, 'the groups share every configuration');
      assert.equal(g.pairedBudgets, 8);
      const want = truth[g.group]! - truth.g0!;
      const [lo, hi] = g.deltaA.ci95!;
      total++;
      if (lo <= want && want <= hi) hits++;
      if (g.group === 'g2' && g.deltaA.beyondNoise) beyond++;
    }
  }
  // 40 intervals at 95%: 38 expected; 34 or fewer would happen with probability < 3% (binomial).
  assert.ok(hits >= 35, `Δa interval held the truth in ${hits} of ${total}`);
  // A true Δa of 0.13 is beyond noise (σ = 0.004, 11 sizes per budget) in nearly every seed.
  assert.ok(beyond >= 18, `Δa = 0.13 declared beyond noise in ${beyond} of 20`);
});

test('datamix differences without shared configurations (each group its own sizes): unpaired, and Δa still holds the truth in ≥ 35 of 40', async () => {
  const truth: Record<string, number> = { g0: 0.45, g1: 0.5, g2: 0.58 };
  const shift: Record<string, number> = { g0: 1, g1: 1.07, g2: 0.93 };
  let hits = 0,
    total = 0;
  for (let seed = 0; seed < 20; seed++) {
    const table = datamixTable(
      Object.keys(truth),
      (g) => ({ s: lawWithExponent(truth[g]!) }),
      SIGMA,
      300 + seed,
      (g) => shift[g]!,
    );
    const r = await skillsAnalysis.run(table, { ...base, skills: [skill('s')], bootstrap: 100, seed, pooled: false });
    for (const g of r.groupComparison!.skills[0]!.groups) {
      assert.equal(g.paired, false);
      assert.equal(g.pairedBudgets, 0);
      const want = truth[g.group]! - truth.g0!;
      const [lo, hi] = g.deltaA.ci95!;
      total++;
      if (lo <= want && want <= hi) hits++;
    }
  }
  assert.ok(hits >= 35, `Δa interval held the truth in ${hits} of ${total}`);
});

test('datamix differences: the same laws in every group give Δa ≈ 0 and N* ratios ≈ 1 whose intervals mostly include them', async () => {
  let excluded = 0,
    total = 0;
  for (let seed = 0; seed < 10; seed++) {
    const table = datamixTable(['a', 'b', 'c'], () => ({ s: lawWithExponent(0.5) }), SIGMA, 100 + seed);
    const r = await skillsAnalysis.run(table, { ...base, skills: [skill('s')], bootstrap: 100, seed, pooled: false, budget: [1e21], referenceGroup: 'b' });
    assert.equal(r.groupComparison!.reference, 'b');
    for (const g of r.groupComparison!.skills[0]!.groups) {
      assert.notEqual(g.group, 'b');
      total += 2;
      if (g.deltaA.beyondNoise) excluded++;
      if (g.ratioN[0]!.beyondNoise) excluded++;
    }
  }
  assert.ok(excluded <= 3, `a null difference declared beyond noise ${excluded} of ${total} times`);
});

test('covariate: a known linear effect of the share on a (slope 0.3) and on log N* is recovered inside its 95% interval over 20 seeds', async () => {
  const shares = [0.1, 0.2, 0.3, 0.4, 0.5];
  const groups = shares.map((_, i) => `mix${i}`);
  const slope = 0.3;
  const aOf = (g: string) => 0.42 + slope * shares[groups.indexOf(g)]!;
  const file: Table = {
    columns: ['group', 'skill', 'share'],
    rows: groups.map((g, i) => ({ origin: { file: 'shares.csv', row: i + 1 }, values: { group: g, skill: 's', share: String(shares[i]) } })),
  };
  // ln N*(C) = ln N*_agg(C_MID) + a·ln(C/C_MID) (every law meets the aggregate at C_MID), so its slope on the share is 0.3·ln(C/C_MID).
  const C = 1e21;
  const logNSlope = slope * Math.log(C / C_MID);
  let hitsA = 0,
    hitsN = 0,
    positive = 0;
  for (let seed = 0; seed < 20; seed++) {
    const table = datamixTable(groups, (g) => ({ s: lawWithExponent(aOf(g)) }), SIGMA, 200 + seed);
    const r = await skillsAnalysis.run(
      table,
      { ...base, skills: [skill('s')], bootstrap: 100, seed, pooled: false, budget: [C], covariate: 'shares.csv' },
      envWith({ 'shares.csv': file }),
    );
    const s = r.covariate!.skills.find((x) => x.name === 's')!;
    assert.equal(r.covariate!.budget, C);
    assert.deepEqual(
      s.points.map((p) => p.share),
      shares,
    );
    const [lo, hi] = s.a!.slopeCi95!;
    if (lo <= slope && slope <= hi) hitsA++;
    if (lo > 0) positive++;
    const [nlo, nhi] = s.logN!.slopeCi95!;
    if (nlo <= logNSlope && logNSlope <= nhi) hitsN++;
    assert.equal(s.a!.weighted, true);
    assert.equal(s.a!.band!.length, 11);
  }
  assert.ok(hitsA >= 17, `slope of a: interval held 0.3 in ${hitsA} of 20`);
  assert.ok(hitsN >= 17, `slope of ln N*: interval held ${logNSlope.toFixed(3)} in ${hitsN} of 20`);
  assert.ok(positive >= 18, `more skill data → larger exponent declared in ${positive} of 20`);
});

test('covariate warnings: a row of a group not in the data and a group without a share are named; one share value gives no line', async () => {
  const table = datamixTable(['m0', 'm1', 'm2'], (g) => ({ s: lawWithExponent(g === 'm0' ? 0.45 : 0.5) }), SIGMA, 9);
  const rows = (pairs: [string, string][]) =>
    pairs.map(([group, share], i) => ({ origin: { file: 'shares.csv', row: i + 1 }, values: { group, skill: 's', share } }));
  const file: Table = {
    columns: ['group', 'skill', 'share'],
    rows: rows([
      ['m0', '0.1'],
      ['m1', '0.3'],
      ['c4', '0.2'],
    ]),
  };
  const r = await skillsAnalysis.run(
    table,
    { ...base, skills: [skill('s')], bootstrap: 20, pooled: false, covariate: 'shares.csv' },
    envWith({ 'shares.csv': file }),
  );
  assert.deepEqual(r.covariate!.warnings, [
    { code: 'covariate-unmatched', message: 'shares.csv: group "c4" (skill s) is not a group of the data: left out' },
    { code: 'covariate-unmatched', message: 'shares.csv: no share for group "m2", skill s: left out of its line' },
  ]);
  assert.deepEqual(
    r.covariate!.skills[0]!.points.map((p) => p.group),
    ['m0', 'm1'],
  );
  // Two groups and two shares: a line through both points exactly.
  const [p0, p1] = r.covariate!.skills[0]!.points;
  assert.ok(Math.abs(r.covariate!.skills[0]!.a!.slope - (p1!.a! - p0!.a!) / 0.2) < 1e-9);
  const same: Table = {
    columns: ['group', 'skill', 'share'],
    rows: rows([
      ['m0', '0.2'],
      ['m1', '0.2'],
      ['m2', '0.2'],
    ]),
  };
  const flat = await skillsAnalysis.run(
    table,
    { ...base, skills: [skill('s')], bootstrap: 20, pooled: false, covariate: 'shares.csv' },
    envWith({ 'shares.csv': same }),
  );
  assert.equal(flat.covariate!.skills[0]!.a, null);
  assert.deepEqual(flat.covariate!.warnings, [
    { code: 'no-covariate-line', message: 'skill s: fewer than 2 groups with a share and a power law, or one share value: no line' },
  ]);
});

test('reference law: llama3 is D* = 0.29·C^0.53 (Llama 3, 2024), N* = C/(6D*); N*/reference = N*(C)/that, and D=0.29*C^0.53 gives the same', async () => {
  // Llama Team (2024), "The Llama 3 Herd of Models", §3.2.1: (α, A) = (0.53, 0.29) for the optimal token count.
  assert.equal(referenceN(LLAMA3, 1e23), 1e23 / (6 * 0.29 * 1e23 ** 0.53));
  const table = datamixTable(['only'], () => ({ s: lawWithExponent(0.5) }), SIGMA, 3);
  const opts = { ...base, group: undefined, skills: [skill('s')], bootstrap: 50, pooled: false, budget: [1e21, 1e23] };
  const named = await skillsAnalysis.run(table, { ...opts, referenceLaw: 'llama3' });
  const given = await skillsAnalysis.run(table, { ...opts, referenceLaw: 'D=0.29*C^0.53' });
  const s = named.groups[0]!.skills[0]!;
  const fit = s.isoflop.fit!;
  for (const [j, C] of [1e21, 1e23].entries()) {
    const b = s.atBudgets![j]!;
    assert.equal(b.N, fit.k * C ** fit.a);
    assert.ok(b.ci95![0] <= b.N! && b.N! <= b.ci95![1]);
    assert.equal(b.toReference!.ratio, b.N! / referenceN(LLAMA3, C));
    assert.equal(given.groups[0]!.skills[0]!.atBudgets![j]!.toReference!.ratio, b.toReference!.ratio);
  }
  // The aggregate against itself: exactly 1 with the interval [1, 1] (paired draws).
  assert.deepEqual(named.groups[0]!.aggregate.atBudgets![0]!.toAggregate, { ratio: 1, ci95: [1, 1] });
});

test('per-dataset view: member columns whose true N* is 0.5×, 1× and 2× the aggregate give log ratios near ln 0.5, 0, ln 2 at every budget', async () => {
  const factors = { m0: 0.5, m1: 1, m2: 2 };
  const table = datamixTable(['only'], () => Object.fromEntries(Object.entries(factors).map(([k, f]) => [k, lawWithExponent(0.5, f)])), 0, 0);
  const r = await skillsAnalysis.run(table, {
    ...base,
    group: undefined,
    skills: [{ name: 'k', members: Object.keys(factors).map((column) => ({ column, weight: 1 })), text: 'k=m0,m1,m2' }],
    perDataset: true,
    pooled: false,
  });
  const d = r.groups[0]!.datasets!;
  assert.equal(d.reference, 'agg');
  const k = d.skills[0]!;
  assert.deepEqual(
    k.columns.map((c) => c.column),
    ['m0', 'm1', 'm2'],
  );
  for (const b of k.budgets) {
    assert.equal(b.logRatio!.count, 3);
    // Noise-free: the parabola's vertex on an 11-size grid sits within 3% of the true N* (ln ±0.03).
    for (const [i, f] of Object.values(factors).entries()) assert.ok(Math.abs(b.values[i]! - Math.log(f)) < 0.03, `${b.C}: ${b.values[i]} vs ln ${f}`);
    assert.equal(b.logRatio!.median, [...b.values].sort((x, y) => x! - y!)[1]);
    assert.equal(b.logRatio!.min, Math.min(...(b.values as number[])));
  }
});

const KEMPNER = [
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
];

test('kempner: datamix differences, reference law and per-dataset view validate against skillsReportSchema and are byte-identical for a seed', async () => {
  const args = [...KEMPNER, '--bootstrap', '40', '--seed', '3', '--budget', '1e21,1e23', '--reference-law', 'llama3', '--per-dataset', '--no-pooled', '--json'];
  const first = await scalewise(...args);
  assert.equal(first.status, 0, first.stderr);
  const doc = skillsReportSchema.parse(JSON.parse(first.stdout));
  assert.equal(doc.groupComparison!.reference, 'fineweb');
  assert.equal(doc.groupComparison!.skills.length, 3);
  // Each datamix of the sweep has 4–5 configurations FineWeb lacks (84–91 runs each): paired only at the budgets whose
  // sizes are FineWeb's, counted from runs.csv (the distinct params per datamix and iso_flop).
  const shared = { fineweb_edu: 3, proof_pile_2: 2, slimpajama: 2, smollm: 2, starcoder: 3 };
  for (const s of doc.groupComparison!.skills) assert.deepEqual(Object.fromEntries(s.groups.map((g) => [g.group, g.pairedBudgets])), shared);
  assert.ok(doc.groupComparison!.skills.every((s) => s.groups.every((g) => !g.paired)));
  // Every point inside its own interval: N* at a budget and its ratios (centred), and the datamix N* ratios.
  const inside = (v: number | null, ci: [number, number] | undefined, what: string) => {
    if (v !== null && ci) assert.ok(ci[0] <= v * (1 + 1e-12) && v <= ci[1] * (1 + 1e-12), `${what}: ${v} outside [${ci}]`);
  };
  for (const g of doc.groups)
    for (const s of [...g.skills, g.aggregate]) {
      assert.equal(s.atBudgets!.length, 2);
      for (const b of s.atBudgets!) {
        inside(b.N, b.ci95, `${g.group} ${s.name} N* at ${b.C}`);
        inside(b.toAggregate!.ratio, b.toAggregate!.ci95, `${g.group} ${s.name} N*/aggregate at ${b.C}`);
        inside(b.toReference!.ratio, b.toReference!.ci95, `${g.group} ${s.name} N*/llama3 at ${b.C}`);
      }
    }
  for (const s of doc.groupComparison!.skills)
    for (const g of s.groups) for (const r of g.ratioN) inside(r.value, r.ci95, `${s.name} ${g.group} ratio at ${r.C}`);
  assert.equal(doc.groups[0]!.datasets!.skills[0]!.columns.length, 8);
  const second = await scalewise(...args);
  assert.equal(second.stdout, first.stdout);
});

const dir = tempFiles({
  'shares.csv': 'group,skill,share\nfineweb,code,0.01\nstarcoder,code,1\n',
  'noshare.csv': 'group,skill\nfineweb,code\n',
  'badshare.csv': 'group,skill,share\nfineweb,code,lots\n',
  'badskill.csv': 'group,skill,share\nfineweb,math,0.2\n',
  'twice.csv': 'group,skill,share\nfineweb,code,0.1\nfineweb,code,0.2\n',
});
const K = ['skills', SWEEP, ...SWEEP_RUNS, '--skill', `code=${CODE}`, '--aggregate', 'loss_val_own'];
testBadInputs([
  [
    '--reference-law not a law',
    [...K, '--reference-law', 'chinchilla'],
    '--reference-law "chinchilla": expected llama3 or D=K*C^B (tokens D*(C) = K·C^B, e.g. D=0.29*C^0.53)',
  ],
  ['--reference-law with K = 0', [...K, '--reference-law', 'D=0*C^0.5'], '--reference-law "D=0*C^0.5": K must be > 0'],
  ['--reference-group without groups', [...K, '--reference-group', 'fineweb'], '--reference-group needs --group with at least two groups'],
  [
    '--reference-group not a group',
    [...K, '--group', 'datamix', '--reference-group', 'c4'],
    '--reference-group "c4": no such group (groups: fineweb, fineweb_edu, proof_pile_2, slimpajama, smollm, starcoder)',
  ],
  ['--covariate without --group', [...K, '--covariate', `${dir}/shares.csv`], '--covariate needs --group (one share per group)'],
  [
    '--covariate without a share column',
    [...K, '--group', 'datamix', '--covariate', `${dir}/noshare.csv`],
    `${dir}/noshare.csv: the covariate file needs columns group, skill, share; it has group, skill`,
  ],
  [
    '--covariate share not a number',
    [...K, '--group', 'datamix', '--covariate', `${dir}/badshare.csv`],
    `${dir}/badshare.csv, row 1, column "share": "lots" is not a number`,
  ],
  [
    '--covariate unknown skill',
    [...K, '--group', 'datamix', '--covariate', `${dir}/badskill.csv`],
    `${dir}/badskill.csv, row 1, column "skill": "math" is not a skill (skills: code, loss_val_own)`,
  ],
  [
    '--covariate a pair twice',
    [...K, '--group', 'datamix', '--covariate', `${dir}/twice.csv`],
    `${dir}/twice.csv, row 2: group "fineweb", skill "code" is given twice`,
  ],
]);
