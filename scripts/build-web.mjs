// Builds the dashboard (src/web) into dist/web: one minified ES module bundle with its CSS, and the page.
// esbuild rather than vite: a single entry, no dev server needed, and it is already what tsx runs on.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/web', { recursive: true });
await build({
  entryPoints: { app: 'src/web/main.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir: 'dist/web',
  // csv-parse's Node build uses Buffer; its browser build is the same parser with a polyfill.
  alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' },
  logLevel: 'warning',
});
copyFileSync('src/web/index.html', 'dist/web/index.html');
