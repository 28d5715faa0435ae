// The zod schemas of `isoflop --json` and `skills --json` against what the CLI really prints: every document
// parses (strictly: no field the schema does not name), and the invariants the descriptions promise hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import { isoflopReportSchema, type isoflopResultSchema, type IsoflopReport } from '../src/schema/isoflop.js';
import { skillsReportSchema, type SkillsReport } from '../src/schema/skills.js';
import { compareReportSchema } from '../src/schema/compare.js';
import { scalewise } from './helpers/cli.js';
import { SWEEP, SWEEP_RUNS } from './helpers/kempner.js';

const runs = new Map<string, Promise<string>>();

/** `scalewise ARGS` must succeed; its stdout parsed as JSON (a fresh copy; each command runs once per file). */
async function jsonOf(...args: string[]): Promise<unknown> {
  const key = JSON.stringify(args);
  if (!runs.has(key)) {
    runs.set(
      key,
      scalewise(...args).then((r) => {
        assert.equal(r.status, 0, `status ${r.status}; stderr: ${r.stderr}`);
        return r.stdout;
      }),
    );
  }
  return JSON.parse(await runs.get(key)!);
}

const clone = <T>(v: T): T => structuredClone(v);

/** `schema.parse` must throw on `doc`, with an issue at `path`. */
function rejects(schema: z.ZodType, doc: unknown, path: (string | number)[], code: string): void {
  const r = schema.safeParse(doc);
  assert.equal(r.success, false, `accepted a document that should fail at ${path.join('.')}`);
  assert.ok(
    r.error!.issues.some((i) => i.code === code && JSON.stringify(i.path) === JSON.stringify(path)),
    `no ${code} issue at ${path.join('.')}: ${JSON.stringify(r.error!.issues)}`,
  );
}

/**
 * The invariants of one IsoFLOP result that the schema's descriptions state. `weighted`: whether the fit is
 * weighted by the draws (isoflop's median-of-draws estimate; skills' point estimate is the unweighted fit on the data).
 */
function checkIsoflopResult(r: z.infer<typeof isoflopResultSchema>, withDraws: boolean, where: string, weighted = withDraws): void {
  const Cs = r.budgets.map((b) => b.C);
  assert.deepEqual(
    Cs,
    [...Cs].sort((x, y) => x - y),
    `${where}: budgets by C ascending`,
  );
  for (const b of r.budgets) {
    const at = `${where} C=${b.C}`;
    if (b.excluded === null) {
      assert.equal(b.reason, undefined, `${at}: a kept budget has no reason`);
      assert.equal(typeof b.N, 'number', at);
      assert.equal(typeof b.D, 'number', at);
      assert.equal(typeof b.loss, 'number', at);
      assert.equal(b.ci95 !== undefined, withDraws, `${at}: ci95 exactly with draws`);
      assert.equal(b.logNsd !== undefined, withDraws, `${at}: logNsd exactly with draws`);
      if (b.ci95) assert.ok(b.ci95.N[0] <= b.N! && b.N! <= b.ci95.N[1], `${at}: N* inside its interval`);
    } else {
      assert.equal(typeof b.reason, 'string', `${at}: an excluded budget says why`);
      assert.ok(b.reason!.length > 0, at);
      assert.equal(b.ci95, undefined, `${at}: no interval on an excluded budget`);
      assert.equal(b.logNsd, undefined, at);
      // No minimum at all: N, D and loss are null. An edge minimum keeps its (out-of-range) point.
      const none = b.excluded === 'concave' || b.excluded === 'too-few-sizes';
      assert.equal(b.N === null, none, `${at}: N null exactly for concave/too-few-sizes (${b.excluded})`);
      assert.equal(b.D === null, none, at);
      assert.equal(b.loss === null, none, at);
    }
  }
  // validDraws: on every budget whose draws were run (kept, or left out because too few draws had a minimum).
  if (withDraws)
    for (const b of r.budgets)
      assert.equal(
        b.validDraws !== undefined,
        b.excluded === null || (b.excluded === 'edge-min' && b.reason!.includes('draws')),
        `${where} C=${b.C}: validDraws`,
      );
  const kept = r.budgets.filter((b) => b.excluded === null).length;
  if (r.fit) {
    assert.equal(r.fit.budgets, kept, `${where}: fit.budgets counts the budgets kept`);
    assert.equal(r.fit.weighted, weighted, where);
    assert.equal(r.fit.ci95 !== undefined, withDraws, where);
    if (r.fit.ci95) assert.ok(r.fit.ci95.a[0] <= r.fit.a && r.fit.a <= r.fit.ci95.a[1], `${where}: a inside its interval`);
  } else assert.ok(kept < 2, `${where}: no fit only with fewer than 2 budgets kept`);
  // Every budget left out is said so in the warnings, one budget-excluded warning each.
  const excludedWarnings = r.warnings.filter((w) => w.code === 'budget-excluded');
  assert.equal(excludedWarnings.length, r.budgets.filter((b) => b.excluded).length, `${where}: one budget-excluded warning per budget left out`);
  for (const b of r.budgets)
    if (b.excluded)
      assert.ok(
        excludedWarnings.some((w) => w.message.includes(`(${b.excluded})`) && w.message.includes(b.reason!)),
        `${where}: no warning for C=${b.C}`,
      );
  assert.equal(
    r.fit === null,
    r.warnings.some((w) => w.code === 'no-power-law'),
    `${where}: no-power-law exactly when fit is null`,
  );
}

const porianArgs = [
  'isoflop',
  'datasets/porian/isoflop_points.csv',
  '--flops',
  'flops_budget',
  '--params',
  'n_params',
  '--loss',
  'loss',
  '--where',
  'dataset=rw',
  '--group',
  'config_id',
  '--method',
  'akima',
  '--noise',
  '0.002',
  '--draws',
  '50',
  '--seed',
  '42',
  '--json',
];
const kempnerArgs = [
  'isoflop',
  'datasets/kempner/runs.csv',
  '--flops',
  'iso_flop',
  '--params',
  'params',
  '--tokens',
  'tokens',
  '--loss',
  'loss_val_own',
  '--where',
  'datamix=fineweb',
  '--bootstrap',
  '50',
  '--seed',
  '1',
  '--json',
];
const skillsArgs = [
  'skills',
  'datasets/kempner/runs.csv',
  '--flops',
  'iso_flop',
  '--params',
  'params',
  '--tokens',
  'tokens',
  '--skill',
  'knowledge=loss_task_arc_easy,loss_task_sciq',
  '--skill',
  'code=loss_task_imbue_codegen',
  '--aggregate',
  'loss_val_own',
  '--group',
  'datamix',
  '--mix',
  'knowledge,code',
  '--steps',
  '5',
  '--bootstrap',
  '20',
  '--seed',
  '1',
  '--json',
];
const datamixes = ['fineweb', 'fineweb_edu', 'proof_pile_2', 'slimpajama', 'smollm', 'starcoder'];

test('isoflop --json on Porian (Akima, noise draws, groups) matches isoflopReportSchema', async () => {
  const raw = await jsonOf(...porianArgs);
  const doc: IsoflopReport = isoflopReportSchema.parse(raw);
  assert.deepEqual(
    doc.groups.map((g) => g.group),
    ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  );
  for (const g of doc.groups) {
    assert.equal(g.method, 'akima');
    checkIsoflopResult(g, true, `group ${g.group}`);
  }
  // This sweep has edge minima (groups 2 and 6): they are left out with their point kept and a reason.
  const edges = doc.groups.flatMap((g) => g.budgets.filter((b) => b.excluded === 'edge-min'));
  assert.ok(edges.length > 0, 'expected edge-min budgets in the Porian sweep');
  assert.ok(edges.every((b) => b.N !== null && /smallest|largest|draws/.test(b.reason!)));
});

test('isoflopReportSchema is strict and typed: unknown fields and wrong values are rejected', async () => {
  const raw = (await jsonOf(...porianArgs)) as { groups: Record<string, unknown>[] } & Record<string, unknown>;
  const withTop = clone(raw);
  withTop.extra = 1;
  rejects(isoflopReportSchema, withTop, [], 'unrecognized_keys');
  const withGroup = clone(raw);
  withGroup.groups[0]!.extra = 1;
  rejects(isoflopReportSchema, withGroup, ['groups', 0], 'unrecognized_keys');
  const withBudget = clone(raw) as unknown as IsoflopReport;
  (withBudget.groups[0]!.budgets[0] as Record<string, unknown>).Nopt = 1;
  rejects(isoflopReportSchema, withBudget, ['groups', 0, 'budgets', 0], 'unrecognized_keys');
  const withCi = clone(raw) as unknown as IsoflopReport;
  (withCi.groups[0]!.fit!.ci95 as Record<string, unknown>).k = [0, 1];
  rejects(isoflopReportSchema, withCi, ['groups', 0, 'fit', 'ci95'], 'unrecognized_keys');
  const badExclusion = clone(raw) as unknown as IsoflopReport;
  (badExclusion.groups[0]!.budgets[0] as Record<string, unknown>).excluded = 'edge';
  rejects(isoflopReportSchema, badExclusion, ['groups', 0, 'budgets', 0, 'excluded'], 'invalid_value');
  const noFitKey = clone(raw) as unknown as IsoflopReport;
  delete (noFitKey.groups[0] as Partial<IsoflopReport['groups'][number]>).fit;
  rejects(isoflopReportSchema, noFitKey, ['groups', 0, 'fit'], 'invalid_type');
  const badInterval = clone(raw) as unknown as IsoflopReport;
  (badInterval.groups[0]!.budgets[0]!.ci95!.N as number[]).push(3);
  rejects(isoflopReportSchema, badInterval, ['groups', 0, 'budgets', 0, 'ci95', 'N'], 'too_big');
  // Warnings are {code, message} with a known code (group 2 has an edge budget, so a warning).
  const badCode = clone(raw) as unknown as IsoflopReport;
  (badCode.groups[1]!.warnings[0] as Record<string, unknown>).code = 'edge';
  rejects(isoflopReportSchema, badCode, ['groups', 1, 'warnings', 0, 'code'], 'invalid_value');
  const plain = clone(raw) as unknown as { groups: { warnings: unknown[] }[] };
  plain.groups[1]!.warnings[0] = 'budget left out';
  rejects(isoflopReportSchema, plain, ['groups', 1, 'warnings', 0], 'invalid_type');
  // A fit of null (no power law) and --timing's seconds are allowed.
  const noFit = clone(raw) as unknown as IsoflopReport;
  noFit.groups[0]!.fit = null;
  noFit.seconds = 0.5;
  assert.doesNotThrow(() => isoflopReportSchema.parse(noFit));
});

test('isoflop --json on the Kempner sweep (parabola, bootstrap, no groups) matches isoflopReportSchema', async () => {
  const doc = isoflopReportSchema.parse(await jsonOf(...kempnerArgs));
  assert.equal(doc.groups.length, 1);
  const [g] = doc.groups;
  assert.equal(g!.group, null);
  assert.equal(g!.method, 'parabola');
  checkIsoflopResult(g!, true, 'fineweb');
  assert.equal(g!.fit!.budgets, 8);
  assert.ok(g!.fit!.refits! > 0 && g!.fit!.refits! <= 50);
  for (const b of g!.budgets) assert.ok(b.validDraws! >= 25 && b.validDraws! <= 50);
});

test('isoflop --timing adds seconds, which the schema accepts', async () => {
  const doc = isoflopReportSchema.parse(await jsonOf(...kempnerArgs.filter((a, i, all) => a !== '--bootstrap' && all[i - 1] !== '--bootstrap'), '--timing'));
  assert.equal(typeof doc.seconds, 'number');
  checkIsoflopResult(doc.groups[0]!, false, 'fineweb, no draws');
});

test('skills --json (mix sweep, groups, bootstrap, pooled fits) matches skillsReportSchema', async () => {
  const doc: SkillsReport = skillsReportSchema.parse(await jsonOf(...skillsArgs));
  assert.deepEqual(
    doc.groups.map((g) => g.group),
    datamixes,
  );
  for (const g of doc.groups) {
    assert.equal(g.aggregate.name, 'loss_val_own', `${g.group}: the aggregate is named`);
    assert.deepEqual(
      g.skills.map((s) => s.name),
      ['knowledge', 'code'],
      `${g.group}: the skills named, in order`,
    );
    for (const s of [...g.skills, g.aggregate]) {
      const where = `${g.group}/${s.name}`;
      checkIsoflopResult(s.isoflop, true, where, false);
      assert.ok(s.pooled, `${where}: a pooled fit`);
      if (s === g.aggregate) assert.ok(!('deltaA' in s), `${where}: no deltaA on the aggregate`);
      else {
        const want = s.isoflop.fit && g.aggregate.isoflop.fit ? s.isoflop.fit.a - g.aggregate.isoflop.fit.a : null;
        assert.equal(s.deltaA!.value, want, `${where}: deltaA = a − a_aggregate`);
        assert.equal(s.deltaA!.ci95 !== undefined, want !== null, `${where}: deltaA has an interval exactly when it has a value`);
      }
      assert.deepEqual(Object.keys(s.pooled.params).sort(), ['A', 'B', 'E', 'alpha', 'beta']);
      // A constant printed as null (not finite) is always flagged.
      if (Object.values(s.pooled.params).includes(null))
        assert.ok(
          s.pooled.warnings.some((w) => w.code === 'not-finite'),
          `${where}: null constant without a not-finite warning`,
        );
      assert.deepEqual(
        s.ratioToAggregate.map((r) => r.C),
        s.isoflop.budgets.map((b) => b.C),
        `${where}: a ratio per budget`,
      );
      s.ratioToAggregate.forEach((r, j) => {
        const mine = s.isoflop.budgets[j]!,
          agg = g.aggregate.isoflop.budgets[j]!;
        assert.equal(r.ratio === null, mine.excluded !== null || agg.excluded !== null, `${where} C=${r.C}: ratio null exactly where a budget is excluded`);
        if (r.ratio !== null) assert.ok(Math.abs(r.ratio - mine.N! / agg.N!) <= 1e-12 * r.ratio, `${where}: ratio = N*/N*_agg`);
        assert.equal(r.ci95 !== undefined, r.ratio !== null, `${where}: an interval exactly where there is a ratio`);
        if (r.ci95) assert.ok(r.ci95[0] <= r.ratio! && r.ratio! <= r.ci95[1], `${where} C=${r.C}: the ratio inside its interval`);
        assert.ok('pooled' in r, `${where}: the pooled ratio`);
      });
    }
    // Paired draws: the aggregate's ratio to itself is 1 in every draw, so its interval is [1, 1].
    for (const r of g.aggregate.ratioToAggregate) {
      assert.equal(r.ratio, 1);
      assert.deepEqual(r.ci95, [1, 1], `${g.group} C=${r.C}: the aggregate's own ratio interval`);
    }
    const m = g.mix!;
    assert.deepEqual(m.skills, ['knowledge', 'code']);
    assert.deepEqual(m.weights, [
      [1, 0],
      [0.75, 0.25],
      [0.5, 0.5],
      [0.25, 0.75],
      [0, 1],
    ]);
    assert.deepEqual(
      m.budgets.map((b) => b.C),
      g.aggregate.isoflop.budgets.map((b) => b.C),
    );
    for (const b of m.budgets) {
      assert.equal(b.N.length, m.weights.length);
      const found = b.N.filter((v) => v !== null) as number[];
      assert.equal(b.maxOverMin === null, found.length < 2);
      assert.equal(b.argmax === null, b.maxOverMin === null);
      assert.equal(b.argmin === null, b.maxOverMin === null);
      // With draws: an interval per mix with a minimum, and one of max/min with its verdict, holding the point.
      assert.equal(b.Nci95!.length, b.N.length);
      b.Nci95!.forEach((ci, i) => {
        if (b.N[i] === null) assert.equal(ci, null);
        else if (ci) assert.ok(ci[0] <= b.N[i]! && b.N[i]! <= ci[1], `${g.group} C=${b.C} mix ${i}: N* inside its interval`);
      });
      assert.equal(b.ci95 === undefined, b.maxOverMin === null, `${g.group} C=${b.C}: max/min interval exactly with max/min`);
      assert.equal(b.beyondNoise, b.ci95 ? b.ci95[0] > 1 : null);
      if (b.ci95) assert.ok(b.ci95[0] <= b.maxOverMin! && b.maxOverMin! <= b.ci95[1]);
      if (b.maxOverMin !== null) {
        assert.equal(b.N[b.argmax!], Math.max(...found));
        assert.equal(b.N[b.argmin!], Math.min(...found));
        assert.ok(Math.abs(b.maxOverMin - Math.max(...found) / Math.min(...found)) < 1e-12 * b.maxOverMin);
      }
    }
  }
  // Strict below the isoflop level too.
  const raw = (await jsonOf(...skillsArgs)) as SkillsReport;
  const extra = clone(raw);
  (extra.groups[0]!.skills[0]!.ratioToAggregate[0] as Record<string, unknown>).lo = 0;
  rejects(skillsReportSchema, extra, ['groups', 0, 'skills', 0, 'ratioToAggregate', 0], 'unrecognized_keys');
  const extraIso = clone(raw);
  (extraIso.groups[0]!.aggregate.isoflop as Record<string, unknown>).group = 'x';
  rejects(skillsReportSchema, extraIso, ['groups', 0, 'aggregate', 'isoflop'], 'unrecognized_keys');
  const badArg = clone(raw);
  (badArg.groups[0]!.mix!.budgets[0] as Record<string, unknown>).argmax = 0.5;
  rejects(skillsReportSchema, badArg, ['groups', 0, 'mix', 'budgets', 0, 'argmax'], 'invalid_type');
});

test('skills --json --no-pooled matches skillsReportSchema, with no pooled field anywhere', async () => {
  const doc = skillsReportSchema.parse(await jsonOf(...skillsArgs, '--no-pooled'));
  assert.deepEqual(
    doc.groups.map((g) => g.group),
    datamixes,
  );
  for (const g of doc.groups) {
    assert.equal(g.aggregate.name, 'loss_val_own');
    assert.deepEqual(
      g.skills.map((s) => s.name),
      ['knowledge', 'code'],
    );
    for (const s of [...g.skills, g.aggregate]) {
      assert.ok(!('pooled' in s), `${g.group}/${s.name}: no pooled fit`);
      for (const r of s.ratioToAggregate) assert.ok(!('pooled' in r), `${g.group}/${s.name}: no pooled ratio`);
      checkIsoflopResult(s.isoflop, true, `${g.group}/${s.name}`, false);
    }
  }
});

test('skills --json without --group or --mix: one group (null), no mix', async () => {
  const args = skillsArgs.filter(
    (a, i, all) => !['--group', '--mix', '--steps', '--bootstrap'].includes(a) && !['--group', '--mix', '--steps', '--bootstrap'].includes(all[i - 1]!),
  );
  const doc = skillsReportSchema.parse(await jsonOf(...args, '--where', 'datamix=starcoder'));
  assert.equal(doc.groups.length, 1);
  assert.equal(doc.groups[0]!.group, null);
  assert.ok(!('mix' in doc.groups[0]!));
  for (const s of [...doc.groups[0]!.skills, doc.groups[0]!.aggregate]) checkIsoflopResult(s.isoflop, false, s.name);
});

const compareArgs = [
  'compare',
  SWEEP,
  ...SWEEP_RUNS,
  '--loss',
  'loss_val_c4',
  '--arm',
  'datamix',
  '--baseline',
  'fineweb_edu',
  '--budget',
  '1e20,1e21',
  '--json',
];

test('compare --json (frontier laws, paired bootstrap) matches compareReportSchema; P(best) sums to 1 over the arms at each budget', async () => {
  const doc = compareReportSchema.parse(await jsonOf(...compareArgs, '--frontier', '--bootstrap', '50', '--seed', '1'));
  assert.equal(doc.along, 'frontier-law');
  assert.equal(doc.paired, true);
  assert.equal(doc.frontierLaws!.length, 6);
  assert.equal(doc.arms.length, 5);
  assert.ok(!doc.arms.some((a) => a.arm === 'fineweb_edu'));
  for (const [k, base] of doc.baselineBudgets!.entries()) {
    const total = base.pBest + doc.arms.reduce((s, a) => s + a.budgets[k]!.pBest!, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `C=${base.C}: P(best) sums to ${total}`);
  }
  for (const a of doc.arms)
    for (const b of a.budgets) {
      assert.equal(typeof b.pBetter, 'number', `${a.arm}: pBetter with --bootstrap`);
      assert.ok(b.lossAdvantageCi95, `${a.arm}: loss advantage interval with --bootstrap`);
    }
  const Cs = doc.decisionAccuracy.map((d) => d.C);
  assert.deepEqual(
    Cs,
    [...Cs].sort((x, y) => x - y),
  );
  assert.equal(doc.decisionAccuracy.at(-1)!.lawAccuracy, null, 'no extrapolated ranking at the largest budget');
});

test('compare --json (joint Chinchilla fit at 20 tokens per parameter, no bootstrap) matches compareReportSchema, with no interval fields', async () => {
  const doc = compareReportSchema.parse(await jsonOf(...compareArgs, '--share', 'E,alpha,beta', '--tokens-per-param', '20'));
  assert.equal(doc.along, 'tokens-per-param');
  assert.equal(doc.tokensPerParam, 20);
  assert.deepEqual(doc.shared, ['E', 'alpha', 'beta']);
  assert.equal(doc.resamples, undefined);
  assert.equal(doc.baselineBudgets, undefined);
  for (const a of doc.arms) for (const b of a.budgets) assert.deepEqual([b.ci95, b.pBetter, b.pBest], [undefined, undefined, undefined]);
});

test('compareReportSchema is strict: unknown fields and probabilities outside [0, 1] are rejected', async () => {
  const doc = (await jsonOf(...compareArgs, '--frontier', '--bootstrap', '50', '--seed', '1')) as Record<string, unknown> & {
    arms: { budgets: Record<string, unknown>[] }[];
  };
  const extra = clone(doc);
  extra.arms[0]!.budgets[0]!.speedup = 2;
  rejects(compareReportSchema, extra, ['arms', 0, 'budgets', 0], 'unrecognized_keys');
  const bad = clone(doc);
  bad.arms[0]!.budgets[0]!.pBest = 1.5;
  rejects(compareReportSchema, bad, ['arms', 0, 'budgets', 0, 'pBest'], 'too_big');
  const nan = clone(doc);
  nan.arms[0]!.budgets[0]!.lossAdvantage = null;
  rejects(compareReportSchema, nan, ['arms', 0, 'budgets', 0, 'lossAdvantage'], 'invalid_type');
});
