// The examples of docs/library.md, as tests: the same code (imports from the index and scalewise/node, the same
// options), asserting the numbers the page prints and the published ones behind them.
// Keep the two in step: a change here that is not a change of the page (or back) makes the docs lie.
//
// Expected numbers:
// - Epoch AI's grid fit of Hoffmann et al.'s Approach 3 on their 240 points (Besiroglu, Erdil, Barnett, You 2024,
//   "Chinchilla Scaling: A replication attempt", arXiv:2404.10102; notebook `data_analysis.ipynb` of
//   github.com/epoch-research/analyzing-chinchilla, cell 18: best objective 0.001018274034615, A 477.84171,
//   B 2143.86379, E 1.817236, alpha 0.347313, beta 0.367183), as transcribed in datasets/chinchilla/SOURCE.md.
//   a = beta/(alpha + beta) = 0.367183 / 0.714496 = 0.5139 from the same constants.
// - The allocation lines (N_opt = 0.1132·(C/6)^0.5139, 7.40e10 parameters at 5.88e23 FLOP) are what
//   `scalewise fit … --grid hoffmann --budget 5.88e+23,1e+24,1e+25` prints (docs/fit.md, "Example: Epoch AI's 240
//   Chinchilla runs").
// - The IsoFLOP numbers are the CLI's on the same data, not a paper's:
//   `node dist/src/cli/bin.js isoflop datasets/kempner/runs.csv --flops iso_flop --params params --tokens tokens
//   --loss loss_val_own --where datamix=fineweb --bootstrap 200 --seed 1` prints
//   `N* = 0.1457·C^0.4944 (a 95% interval [0.4848, 0.4986]); … 8 budgets, weighted R² 0.9989 [parabola]`
//   (docs/isoflop.md, "Example with figures": N* = 0.146·C^0.494, a in [0.485, 0.499]); without --bootstrap the fit
//   is unweighted and the same command prints `N* = 0.1252·C^0.4978; … 8 budgets, R² 0.9990 [parabola]`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  analyses,
  applyFilters,
  chinchilla,
  computeOptimal,
  fitAnalysis,
  fitLaw,
  fitOptions,
  isoflopAnalysis,
  isoflopAnalysisOptions,
  kebab,
  parseFilter,
  parseTable,
  toRuns,
  toText,
  UserError,
  type AnalysisEnv,
  type FitAnalysisOptions,
  type FitAnalysisResult,
  type IsoflopAnalysisOptions,
  type IsoflopAnalysisResult,
  type OptionSpecs,
  type OptionValues,
  type Table,
} from '../src/index.js';
import { nodeEnv, readTables } from '../src/node/index.js';
import { withDefaults as declaredWithDefaults } from '../src/index.js';

// ---- As in docs/library.md, "From a CSV file to an analysis result" ----

/** Reads one run table (CSV, TSV, JSON, JSONL or Parquet: the extension decides). */
async function readTable(path: string): Promise<Table> {
  return parseTable(path, await readFile(path));
}

/** What a pipeline may read besides its table (an error file, a task list); bootstraps run in this thread. */
const env: AnalysisEnv = {
  readTable,
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // "not a file": a list of names
      throw err;
    }
  },
};

/** `given`, with the declaration's default wherever it has no value: the options object `run` takes. */
function withDefaults<S extends OptionSpecs>(specs: S, given: Partial<OptionValues<S>>): OptionValues<S> {
  const out: Record<string, unknown> = { ...given };
  for (const [key, spec] of Object.entries(specs)) if (out[key] === undefined && spec.default !== undefined) out[key] = spec.default;
  return out as OptionValues<S>;
}

const near = (got: number, want: number, tol: number, what: string) => assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} ± ${tol}`);
const rel = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got / want - 1) <= tol, `${what}: got ${got}, want ${want} (relative ${tol})`);

/** The fit options of the page's first example. */
const fitExampleOptions = (): FitAnalysisOptions =>
  withDefaults(fitOptions, {
    where: [parseFilter('in_epoch_fit=1')],
    params: 'N_params',
    tokens: 'D_tokens',
    grid: 'hoffmann',
    budget: [5.88e23, 1e24, 1e25],
  });

test("library example 1: fitAnalysis on Epoch AI's 240 runs gives Epoch's constants and the CLI's allocation", async () => {
  // As in docs/library.md: the raw table, only the options that differ from the defaults, the Node environment.
  const epoch = await readTables(['datasets/chinchilla/epoch_chinchilla_points.csv']);
  const result: FitAnalysisResult = await fitAnalysis.run(
    epoch,
    { where: [parseFilter('in_epoch_fit=1')], params: 'N_params', tokens: 'D_tokens', grid: 'hoffmann', budget: [5.88e23, 1e24, 1e25] },
    nodeEnv(),
  );

  const { report } = result;
  assert.equal(report.n, 240);
  assert.equal(report.search.starts, 4500);
  assert.deepEqual(report.warnings, []);
  // Epoch, cell 18: best objective 0.001018274034615 (ours 0.0010182740178…: the same basin).
  rel(report.objective.value, 0.001018274, 1e-6, 'objective');
  rel(report.params.A!, 477.8, 0.01, 'A');
  rel(report.params.B!, 2143.9, 0.01, 'B');
  near(report.params.E!, 1.8172, 1e-3, 'E');
  near(report.params.alpha!, 0.34731, 1e-3, 'alpha');
  near(report.params.beta!, 0.36718, 1e-3, 'beta');

  const { a, b, G, budgets } = report.optimal!;
  near(a, 0.5139, 1e-3, 'a = beta/(alpha+beta)');
  // What the page prints (the CLI's numbers, docs/fit.md).
  assert.equal(`N_opt = ${G.toPrecision(4)}·(C/6)^${a.toFixed(4)}, D_opt ∝ (C/6)^${b.toFixed(4)}`, 'N_opt = 0.1132·(C/6)^0.5139, D_opt ∝ (C/6)^0.4861');
  assert.deepEqual(
    budgets.map((p) => `${p.C.toExponential(2)} ${p.N.toExponential(2)} ${p.D.toExponential(2)} ${p.tokensPerParam.toFixed(1)} ${p.loss.toFixed(3)}`),
    ['5.88e+23 7.40e+10 1.32e+12 17.9 1.973', '1.00e+24 9.72e+10 1.72e+12 17.6 1.959', '1.00e+25 3.17e+11 5.25e+12 16.6 1.911'],
  );

  // The same result as a person reads it: what `scalewise fit` prints, from the presenter.
  const shown = analyses.fit.present(result);
  assert.deepEqual(shown.warnings, []);
  assert.equal(shown.json, report);
  const text = toText(shown.blocks);
  assert.match(
    text,
    /^chinchilla fit: L = E \+ A\/N\^alpha \+ B\/D\^beta\n240 runs; objective huber \(δ = 0\.001\) on log loss = 0\.001018274018; 64 of 4500 starts optimised \(hoffmann grid\), 11 reached the best\n/,
  );
  assert.match(text, /\na {8}0\.5139\n/);
  assert.match(text, /\nCompute-optimal allocation \(C = 6ND\): N_opt = 0\.1132·\(C\/6\)\^0\.5139, D_opt ∝ \(C\/6\)\^0\.4861\n/);
  assert.match(text, /\n5\.88e23 {3}7\.40e10 {2}1\.32e12 {2}17\.9 {2}1\.973 {6}45× beyond\n/);
});

test('library example 2: isoflopAnalysis of the FineWeb datamix gives N* = 0.146·C^0.494, as the CLI prints', async () => {
  const options: Partial<IsoflopAnalysisOptions> = {
    where: [parseFilter('datamix=fineweb')],
    flops: 'iso_flop',
    params: 'params',
    tokens: 'tokens',
    loss: 'loss_val_own',
    bootstrap: 200,
    seed: 1,
  };
  const sweep = await readTables(['datasets/kempner/runs.csv']);
  const result: IsoflopAnalysisResult = await isoflopAnalysis.run(sweep, options);

  assert.equal(result.groups.length, 1);
  const [fineweb] = result.groups;
  assert.equal(fineweb!.group, null); // no `group` option: one group of every row
  assert.equal(fineweb!.budgets.length, 8);
  assert.ok(
    fineweb!.budgets.every((b) => b.N !== null && !b.excluded),
    'every budget has an interior minimum',
  );
  assert.deepEqual(fineweb!.warnings, []);
  const fit = fineweb!.fit!;
  assert.equal(fit.budgets, 8);
  assert.equal(fit.weighted, true);
  // CLI: N* = 0.1457·C^0.4944 (a 95% interval [0.4848, 0.4986]); docs/isoflop.md: 0.146·C^0.494, a in [0.485, 0.499].
  assert.equal(`N* = ${fit.k.toPrecision(3)}·C^${fit.a.toFixed(3)}`, 'N* = 0.146·C^0.494');
  near(fit.a, 0.494, 0.002, 'a');
  near(fit.ci95!.a[0], 0.4848, 1e-4, 'a, 95% low');
  near(fit.ci95!.a[1], 0.4986, 1e-4, 'a, 95% high');
  assert.equal(fineweb!.budgets[0]!.N!.toExponential(2), '4.90e+7');

  const text = toText(analyses.isoflop.present(result).blocks);
  assert.match(
    text,
    /\nN\* = 0\.1457·C\^0\.4944 \(a 95% interval \[0\.4848, 0\.4986\]\); {2}D\* = 1\.144·C\^0\.5056 \(b \[0\.5014, 0\.5152\]\); {2}8 budgets, weighted R² 0\.9989 {2}\[parabola\]$/,
  );

  // Without intervals the power law is fitted unweighted: the CLI's `N* = 0.1252·C^0.4978` (the page says so).
  const plain = await isoflopAnalysis.run(sweep, { ...options, bootstrap: undefined });
  const unweighted = plain.groups[0]!.fit!;
  assert.equal(unweighted.weighted, false);
  assert.equal(`N* = ${unweighted.k.toPrecision(4)}·C^${unweighted.a.toFixed(4)}`, 'N* = 0.1252·C^0.4978');
});

test("library: the low-level building blocks give the pipeline's fit", async () => {
  // As in docs/library.md, "Low-level building blocks".
  const epoch = applyFilters(await readTable('datasets/chinchilla/epoch_chinchilla_points.csv'), [parseFilter('in_epoch_fit=1')]);
  const runs = toRuns(epoch, { params: 'N_params', tokens: 'D_tokens', loss: 'loss' });
  const fit = fitLaw(chinchilla, runs, { objective: { kind: 'huber', delta: 1e-3 }, starts: 'hoffmann' });
  const optimal = computeOptimal(chinchilla, fit.theta, [5.88e23]);

  assert.equal(fit.n, 240);
  assert.equal(fit.converged, true);
  rel(fit.objective.value, 0.001018274, 1e-6, 'objective');
  rel(fit.params.A!, 477.8, 0.01, 'A');
  near(fit.params.alpha!, 0.34731, 1e-3, 'alpha');
  assert.equal(String(fit.params.alpha), '0.34731153630391354'); // what the page prints
  assert.equal(optimal.a.toFixed(4), '0.5139');
  assert.equal(optimal.budgets[0]!.N.toExponential(2), '7.40e+10');
  // The pipeline is this plus the report: the same optimum, to the last digit.
  const pipeline = await fitAnalysis.run(epoch, fitExampleOptions(), env);
  assert.deepEqual(pipeline.fit.params, fit.params);
});

test("library: withDefaults fills what a page's helper filled, and run's partial options give the complete ones' fit", async () => {
  const given = { params: 'N_params', tokens: 'D_tokens', grid: 'hoffmann', bootstrap: undefined };
  assert.deepEqual(withDefaults(fitOptions, given), declaredWithDefaults(fitOptions, given));
  assert.deepEqual(withDefaults(isoflopAnalysisOptions, {}), declaredWithDefaults(isoflopAnalysisOptions, {}));
  const full = fitExampleOptions();
  const epoch = await readTables(['datasets/chinchilla/epoch_chinchilla_points.csv']);
  const partial = await fitAnalysis.run(epoch, { where: full.where, params: 'N_params', tokens: 'D_tokens', grid: 'hoffmann', budget: full.budget! });
  const complete = await fitAnalysis.run(applyFilters(epoch, full.where), full, env);
  assert.deepEqual(partial.report, complete.report);
  // Every defaulted option is filled, the others stay absent.
  const filled = withDefaults(fitOptions, {});
  for (const [key, spec] of Object.entries(fitOptions as OptionSpecs)) {
    assert.deepEqual((filled as Record<string, unknown>)[key], spec.default, key);
  }
});

test('library: bad options throw UserError naming the option by key', async () => {
  const options = fitExampleOptions();
  const epoch = applyFilters(await readTable('datasets/chinchilla/epoch_chinchilla_points.csv'), options.where);
  // As in docs/library.md, "Errors".
  const err = await fitAnalysis.run(epoch, { ...options, bootstrap: 3 }, env).then(
    () => assert.fail('bootstrap: 3 must be refused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof UserError, String(err));
  assert.equal(err.message, 'bootstrap needs 0 (no intervals) or at least 10 resamples, got 3');
  assert.equal(
    err.render((key) => `--${kebab(key)}`),
    '--bootstrap needs 0 (no intervals) or at least 10 resamples, got 3',
  );

  await assert.rejects(fitAnalysis.run(epoch, { ...options, params: 'n_params' }, env), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /^datasets\/chinchilla\/epoch_chinchilla_points\.csv: no column "n_params" \(columns: row, N_params, /);
    return true;
  });
  assert.throws(
    () => parseFilter('in_epoch_fit'),
    (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, 'where "in_epoch_fit": expected COL=VALUE (or !=, <, <=, >, >=)');
      return true;
    },
  );
});
