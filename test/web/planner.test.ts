// The dashboard's planner in Debian's chromium: at several positions of the log-scale budget slider, every
// fit's N*, D*, tokens per parameter and loss with their intervals are, to the printed digits, what
// `scalewise plan A.json --also B.json --budget C --json` gives for the budget the page shows. Without a
// browser: the slider's budgets and the page's model against the CLI at every position.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { num, range } from '../../src/format/number.js';
import { multiPlanReportSchema, type PlanReport } from '../../src/schema/plan.js';
import type { SavedFit } from '../../src/schema/saved-fit.js';
import { budgetAt, budgetRange, plansAt, SLIDER_STEPS } from '../../src/web/plan-model.js';
import { hasChromium, launchChromium, noChromium, startServe } from '../helpers/browser.js';
import { scalewise, tempFiles } from '../helpers/cli.js';
import { SWEEP, SWEEP_LOSS } from '../helpers/kempner.js';

// Two datamixes of the bundled sweep (datasets/kempner/SOURCE.md), fitted and saved as a user would.
const dir = tempFiles({});
const files = { fineweb: join(dir, 'fineweb.json'), starcoder: join(dir, 'starcoder.json') };
for (const [mix, file] of Object.entries(files)) {
  const r = await scalewise('fit', SWEEP, ...SWEEP_LOSS, '--where', `datamix=${mix}`, '--bootstrap', '100', '--seed', '1', '--save', file);
  assert.equal(r.status, 0, r.stderr);
}
const fits = Object.entries(files).map(([label, file]) => ({ label, saved: JSON.parse(readFileSync(file, 'utf8')) as SavedFit }));
const also = Object.entries(files).flatMap(([label, file]) => ['--also', `${label}=${file}`]);

async function cliPlans(C: number): Promise<Map<string, PlanReport['plans'][number]>> {
  const r = await scalewise('plan', ...also, '--budget', String(C), '--json');
  assert.equal(r.status, 0, r.stderr);
  return new Map(multiPlanReportSchema.parse(JSON.parse(r.stdout)).fits.map((f) => [f.label, f.plans[0]!]));
}

/** A plan's cells as the page prints them (the CLI's text table's formats). */
function cells(p: PlanReport['plans'][number]): Record<string, string> {
  const iv = (x: [number, number] | undefined, d = 3) => (x ? range(x[0], x[1], d) : '—');
  return {
    n: num(p.N, 3),
    'n-ci': iv(p.ci95?.N),
    d: num(p.D, 3),
    'd-ci': iv(p.ci95?.D),
    m: num(p.tokensPerParam, 3),
    loss: num(p.loss),
    'loss-ci': iv(p.ci95?.loss, 4),
    'loss-pi': iv(p.pi95, 4),
  };
}

const positions = [0, 137, 300, 451, SLIDER_STEPS];

test('the slider spans the fitted C to 1000× beyond, in log steps, each budget as typed (4 digits)', () => {
  const span = budgetRange(fits);
  const lo = Math.min(...fits.map((f) => f.saved.data.C[0])),
    hi = Math.max(...fits.map((f) => f.saved.data.C[1]));
  assert.ok(10 ** span[0] <= lo && 10 ** span[0] > lo / 1.3);
  assert.ok(10 ** (span[1] - 3) >= hi && 10 ** (span[1] - 3) < hi * 1.3);
  for (let k = 1; k <= SLIDER_STEPS; k++) {
    const C = budgetAt(span, k);
    assert.ok(C > budgetAt(span, k - 1), `position ${k}`);
    assert.equal(Number(C.toPrecision(4)), C);
  }
});

test("the page's model: every fit's plan at the slider's budgets is the CLI's, field for field", async () => {
  const span = budgetRange(fits);
  for (const k of positions) {
    const C = budgetAt(span, k);
    const want = await cliPlans(C);
    for (const { label, report } of plansAt(fits, C)) {
      const { warnings: _, ...plan } = report.plans[0]! as PlanReport['plans'][number] & { warnings?: unknown };
      assert.deepEqual(plan, want.get(label), `${label} at C = ${C}`);
    }
  }
});

describe('planner in chromium', { skip: hasChromium ? false : noChromium }, () => {
  let browser: Browser;
  let page: Page;
  let serve: Awaited<ReturnType<typeof startServe>>;
  before(async () => {
    serve = await startServe(...Object.entries(files).flatMap(([label, file]) => ['--fit', `${label}=${file}`]));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(serve.url);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    assert.equal(await serve?.stop(), 0);
  });

  test('at five slider positions, each fit’s numbers equal plan --json at the budget shown, to the printed digits', async () => {
    assert.equal(await page.locator('#error').isHidden(), true, (await page.locator('#error').textContent()) ?? '');
    for (const k of positions) {
      await page.locator('#plan-budget').evaluate((el, v) => {
        (el as HTMLInputElement).value = String(v);
        el.dispatchEvent(new Event('input'));
      }, k);
      const C = Number(await page.locator('#plan-budget-value').getAttribute('data-c'));
      assert.equal(C, budgetAt(budgetRange(fits), k));
      const want = await cliPlans(C);
      const shown = await page.locator('#plan-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          fit: (tr as HTMLElement).dataset.fit!,
          cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.className, td.textContent!])),
        })),
      );
      assert.deepEqual(
        shown.map((s) => s.fit),
        ['fineweb', 'starcoder'],
      );
      for (const s of shown) {
        const { fit: _, beyond: __, ...got } = s.cells;
        assert.deepEqual(got, cells(want.get(s.fit)!), `${s.fit} at position ${k} (C = ${C})`);
      }
    }
  });
});

test("serve's fits from a study: its plan entries' fit entries and saved files, planned as the report plans them", async () => {
  const { plannerFitsOf } = await import('../../src/node/dashboard-server.js');
  const { runStudy } = await import('../../src/report/study.js');
  const { nodeEnv } = await import('../../src/node/env.js');
  const { studySchema } = await import('../../src/schema/study.js');
  const { root } = await import('../helpers/cli.js');
  const study = studySchema.parse({
    title: 'plans',
    data: [join(root, SWEEP)],
    columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_own' },
    analyses: [
      { kind: 'fit', title: 'slimpajama', where: ['datamix=slimpajama'], bootstrap: 50, seed: 1 },
      { kind: 'plan', from: 'slimpajama', also: { code: 'starcoder.json' }, budget: [1e21] },
    ],
  }) as import('../../src/schema/study.js').Study;
  const file = join(dir, 'study.json');
  const served = await plannerFitsOf(study, file, [{ label: 'fineweb', file: files.fineweb }]);
  assert.deepEqual(
    served.map((f) => f.label),
    ['fineweb', 'slimpajama', 'code'],
  );
  const report = multiPlanReportSchema.parse((await runStudy(study, file, nodeEnv({ base: dir })))[1]!.shown.json);
  const page = plansAt(served.slice(1), 1e21);
  for (const [i, f] of report.fits.entries()) assert.deepEqual(page[i]!.report.plans, f.plans, f.label);
  // A saved file outside the study's folder is refused, as in the report.
  const outside = { ...study, analyses: [{ kind: 'plan' as const, fit: '../x.json', budget: [1e21] }] };
  await assert.rejects(plannerFitsOf(outside, file, []), {
    message: `${file}: analyses[0]: fit: "../x.json" leaves the study's folder (".."); a study reads only files in its own folder`,
  });
});
