// The numeric core must run in a browser: no Node built-ins, no file or process access.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { root } from './helpers/cli.js';

// web: the dashboard runs the same core in the page.
const core = ['laws', 'objectives', 'optim', 'fitting', 'analyses', 'stats', 'schema', 'plots', 'report', 'web'];

test('the numeric core imports nothing from Node', () => {
  const files = [join(root, 'src/errors.ts'), join(root, 'src/index.ts')];
  // The data layer but its file reader (data/read.ts), the importers' parsers included.
  for (const f of readdirSync(join(root, 'src/data'), { recursive: true }) as string[]) {
    if (f.endsWith('.ts') && f !== 'read.ts') files.push(join(root, 'src/data', f));
  }
  for (const dir of core) {
    for (const f of readdirSync(join(root, 'src', dir), { recursive: true }) as string[]) {
      if (f.endsWith('.ts')) files.push(join(root, 'src', dir, f));
    }
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const bad = text.match(/from ['"](node:[^'"]+|fs|path|os|child_process|worker_threads)['"]|\bprocess\.|\brequire\(/);
    assert.equal(bad, null, `${file} uses ${bad?.[0]}`);
  }
});

/**
 * Layers, low to high (docs/architecture.md): a module imports values only from its own layer or lower ones.
 * Type-only imports are free (they vanish when compiled). Lazy loads (`await import`) are imports too, with the
 * exceptions listed below, each a deliberate late load.
 */
const layers: [number, string[]][] = [
  [0, ['errors.ts', 'warnings.ts', 'format']],
  [1, ['stats', 'optim']],
  [2, ['data']],
  [3, ['laws', 'objectives']],
  [4, ['fitting']],
  [5, ['methods']],
  [6, ['options']],
  [7, ['analyses']],
  [8, ['present', 'plots']],
  [9, ['schema', 'report']],
  [10, ['web', 'node', 'cli']],
  [11, ['index.ts']],
];
/** Lazy loads that go up a layer on purpose. */
const lateLoads = new Set([
  // predict reads a saved fit through its zod schema, loaded only then.
  'analyses/saved-fit.ts -> schema/saved-fit.ts',
]);

function layerOf(rel: string): number {
  const top = rel.split('/')[0]!;
  const hit = layers.find(([, names]) => names.includes(top));
  assert.ok(hit, `src/${rel} is in no layer (add its folder to the layers in test/architecture.test.ts and docs/architecture.md)`);
  return hit[0];
}

test('imports run with the layers: no module imports a value from a higher layer', () => {
  const src = join(root, 'src');
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const wrong: string[] = [];
  for (const rel of files) {
    const text = readFileSync(join(src, rel), 'utf8');
    const from = layerOf(rel);
    const imports = [
      ...[...text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]!),
      ...[...text.matchAll(/^export\s+(?!type\s)[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]!),
      ...[...text.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => m[1]!),
    ];
    for (const spec of imports) {
      const target = join(dirname(rel), spec).replace(/\.js$/, '.ts');
      if (target.endsWith('.css')) continue;
      if (layerOf(target) > from && !lateLoads.has(`${rel} -> ${target}`)) wrong.push(`src/${rel} imports src/${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the package exports only its public API: the index, by name; deep imports are refused', async () => {
  const api = await import('scalewise');
  for (const name of ['fitAnalysis', 'isoflopAnalysis', 'skillsAnalysis', 'l2lAnalysis', 'predictAnalysis', 'withDefaults', 'toText', 'fitLaw', 'parseTable'])
    assert.equal(typeof (api as Record<string, unknown>)[name], name === 'fitAnalysis' || name.endsWith('Analysis') ? 'object' : 'function', name);
  await assert.rejects(import('scalewise/dist/src/cli/main.js' as string), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
});

test('scalewise/node reads a run table and runs an analysis with the Node environment, as the CLI does', async () => {
  const node = await import('scalewise/node');
  const api = await import('scalewise');
  const table = await node.readTables(['datasets/chinchilla/epoch_chinchilla_points.csv']);
  const r = await api.fitAnalysis.run(
    table,
    { params: 'N_params', tokens: 'D_tokens', where: [api.parseFilter('in_epoch_fit=1')], grid: 'hoffmann', bootstrap: 20, calibrate: false },
    node.nodeEnv(),
  );
  // Epoch AI's grid fit (datasets/chinchilla/SOURCE.md): objective 0.0010182740, alpha 0.34731, beta 0.36718.
  assert.ok(Math.abs(r.report.objective.value / 0.001018274 - 1) < 1e-6);
  assert.ok(Math.abs(r.report.params.alpha! - 0.34731) < 1e-3 && Math.abs(r.report.params.beta! - 0.36718) < 1e-3);
  assert.equal(r.report.bootstrap!.resamples, 20);
});
