// The plan figure (src/plots/plan.ts): N*, D* and loss against budget, one line per fit. Properties — each fit's
// curve is its plan at every budget drawn, its band holds it, the dots are the plans asked for, the line is solid
// up to the largest fitted C and dashed beyond — and a normalised SVG snapshot.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { planCurvesOf, planFromSaved, type PlanSource } from '../src/analyses/plan.js';
import { svgDocument, svgText } from '../src/node/render.js';
import { planFigures } from '../src/plots/sets.js';
import type { SavedFit } from '../src/schema/saved-fit.js';
import { scalewise, tempFiles } from './helpers/cli.js';
import { matchSnapshot } from './plots/snapshot.js';

const dir = tempFiles({});
const sources: PlanSource[] = [];
for (const mix of ['fineweb_edu', 'starcoder']) {
  const file = join(dir, `${mix}.json`);
  const r = await scalewise(
    'fit',
    'datasets/kempner/runs.csv',
    ...['--params', 'params', '--tokens', 'tokens', '--flops', 'iso_flop', '--loss', 'loss_val_own'],
    ...['--where', `datamix=${mix}`, '--bootstrap', '40', '--seed', '1', '--save', file],
  );
  assert.equal(r.status, 0, r.stderr);
  sources.push({ label: mix, file, saved: JSON.parse(readFileSync(file, 'utf8')) as SavedFit });
}
const options = { budget: [1e20, 1e21, 1e22], utilisation: 0.4 };
const report = planFromSaved(sources, options);

test('each curve is the plan at each of its budgets, inside its band, from the smallest fitted C past the largest plan', () => {
  const curves = planCurvesOf(report)!;
  assert.deepEqual(
    curves.map((c) => c.label),
    ['fineweb_edu', 'starcoder'],
  );
  for (const [i, c] of curves.entries()) {
    assert.equal(c.points.length, 40);
    assert.equal(c.points[0]!.C, sources[i]!.saved.data.C[0]);
    assert.ok(Math.abs(c.points.at(-1)!.C / 1.5e22 - 1) < 1e-12);
    for (const p of c.points.filter((_, j) => j % 7 === 0)) {
      const single = planFromSaved([sources[i]!], { ...options, budget: [p.C] });
      const want = 'plans' in single ? single.plans[0]! : undefined;
      assert.equal(p.N, want!.N);
      assert.equal(p.loss, want!.loss);
      assert.deepEqual(p.ci95, { N: want!.ci95!.N, D: want!.ci95!.D, loss: want!.ci95!.loss });
    }
    for (const p of c.points)
      for (const q of ['N', 'D', 'loss'] as const) assert.ok(p.ci95![q][0] <= p[q] && p[q] <= p.ci95![q][1], `${c.label} ${q} at ${p.C}`);
    assert.deepEqual(
      c.plans.map((p) => p.C),
      options.budget,
    );
  }
});

test('the figure: per panel and fit one band, a solid and a dashed line, one dot per plan; its snapshot', () => {
  const [fig] = planFigures(svgDocument(), planCurvesOf(report)!);
  assert.equal(fig!.name, 'plan-curves');
  const svg = fig!.svg;
  const count = (cls: string) => [...svg.querySelectorAll(`.${cls}`)].flatMap((el) => (el.tagName.toLowerCase() === 'g' ? [...el.children] : [el])).length;
  assert.equal(count('sw-band'), 3 * 2);
  assert.equal(count('sw-law'), 3 * 2 * 2);
  assert.equal(count('sw-optimum'), 3 * 2 * options.budget.length);
  const dashed = [...svg.querySelectorAll('.sw-law')].filter((el) => /stroke-dasharray/.test(el.outerHTML)).length;
  assert.equal(dashed, 3 * 2);
  matchSnapshot('plan-curves', svgText(svg));
});

test('plan --plot DIR writes the figure the report draws', async () => {
  const out = join(dir, 'plots');
  const r = await scalewise('plan', sources[0]!.file, '--also', `code=${sources[1]!.file}`, '--budget', '1e20,1e21', '--plot', out);
  assert.equal(r.status, 0, r.stderr);
  const svg = readFileSync(join(out, 'plan-curves.svg'), 'utf8');
  assert.match(svg, /^<\?xml[^>]*>\n<svg /);
  assert.ok(svg.includes('code'), 'the second fit is labelled');
});
