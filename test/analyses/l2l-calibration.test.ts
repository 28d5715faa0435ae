// pi95 of loss-to-loss forecasts (src/analyses/l2l-calibration.ts): coverage of held-out runs over many seeds
// on synthetic sweeps whose L_y is not a shifted power law of L_x (two Chinchilla-form laws with different
// exponents), and the calibration's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { l2lAnalysis } from '../../src/analyses/l2l.js';
import type { Table } from '../../src/data/table.js';
import { Random } from '../../src/stats/random.js';
import { sweep, WIDE } from '../helpers/sweeps.js';

/** L_x: Hoffmann et al.'s constants; L_y: another datamix's law, other exponents (outside the l2l family). */
const lx = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
const ly = (N: number, D: number) => 1.2 + 250 / N ** 0.3 + 900 / D ** 0.33;
/** An L_y on the line: L_y − 1.2 = 0.8·(L_x − 1.69) exactly (the line family, κ = 1). */
const onLine = (N: number, D: number) => 1.2 + 0.8 * (lx(N, D) - 1.69);

/** The sweep of L_x (its loss column renamed x) with L_y beside it, each with its own noise. */
function pairsTable(seed: number, sigma: number, truthY = ly): Table {
  const t = sweep(lx, { ...WIDE, sigma, seed });
  const rng = new Random(seed, 1);
  const rows = t.rows.map((r) => {
    const { loss, ...rest } = r.values;
    const N = rest.N as number,
      D = rest.D as number;
    return { origin: r.origin, values: { ...rest, x: loss!, y: truthY(N, D) * Math.exp(sigma * rng.normal()) } };
  });
  return { columns: ['N', 'D', 'C', 'x', 'y'], rows };
}

async function coverage(holdoutTop: number, seeds: number, truthY = ly) {
  let held = 0,
    n = 0,
    width = 0,
    error = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const r = await l2lAnalysis.run(pairsTable(seed, 0.004, truthY), {
      params: 'N',
      tokens: 'D',
      flops: 'C',
      x: 'x',
      y: 'y',
      ex: 1.69,
      ey: 1.2,
      bootstrap: 0,
      holdoutTop,
    });
    const { targets, calibration } = r.report as { targets: { y: number; pi95: [number, number]; predicted: number }[]; calibration: unknown };
    assert.ok(calibration, `seed ${seed}: calibrated`);
    for (const t of targets) {
      n++;
      if (t.pi95[0] <= t.y && t.y <= t.pi95[1]) held++;
      width += (t.pi95[1] - t.pi95[0]) / 2 / t.predicted;
      error += Math.abs(t.predicted - t.y) / t.y;
    }
  }
  return { share: held / n, n, width: width / n, error: error / n };
}

test('l2l pi95 holds 90–99% of held-out runs at 2.2–4.8× over 40 seeds, on the line and off it (0.4% noise)', async () => {
  for (const [what, truthY, top] of [
    ['off the line', ly, 1],
    ['off the line', ly, 2],
    ['on the line', onLine, 1],
    ['on the line', onLine, 2],
  ] as const) {
    const c = await coverage(top, 40, truthY);
    console.log(
      `# l2l pi95 ${what}, top ${top} budget(s) held out: ${(100 * c.share).toFixed(1)}% of ${c.n} runs, mean half-width ${(100 * c.width).toFixed(2)}%, mean |error| ${(100 * c.error).toFixed(2)}%`,
    );
    assert.ok(c.share >= 0.9 && c.share <= 0.99, `top ${top}: ${c.share}`);
  }
});

test('l2l: targets without compute get no pi95 and a warning; a sweep of few budgets is not calibrated', async () => {
  const t = pairsTable(1, 0.004);
  const noCompute = await l2lAnalysis.run(t, {
    params: 'N',
    x: 'x',
    y: 'y',
    ex: 1.69,
    ey: 1.2,
    bootstrap: 0,
    targetWhere: [{ column: 'C', op: '>', value: '1e20', text: 'C>1e20' }],
  } as never);
  const r = noCompute.report as { targets: { pi95?: unknown; extrapolation?: unknown }[]; warnings: { code: string; message: string }[] };
  assert.ok(r.targets.length > 0 && r.targets.every((x) => x.pi95 === undefined && x.extrapolation === undefined));
  assert.deepEqual(
    r.warnings.map((w) => w.code),
    ['no-calibration'],
  );
  assert.match(r.warnings[0]!.message, /no compute per run .*: targets have no distance and no pi95/);
  const few = { columns: t.columns, rows: t.rows.filter((row) => (row.values.C as number) < 1e18 * 2.2 ** 5) };
  const r5 = (await l2lAnalysis.run(few, { params: 'N', tokens: 'D', flops: 'C', x: 'x', y: 'y', ex: 1.69, ey: 1.2, bootstrap: 0, holdoutTop: 1 })).report as {
    calibration?: unknown;
    warnings: { code: string }[];
  };
  assert.equal(r5.calibration, undefined);
  assert.deepEqual(
    r5.warnings.map((w) => w.code),
    ['no-calibration'],
  );
});
