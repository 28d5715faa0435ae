import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFit, runFit } from './fit.js';
import { loadRuns } from '../runs-options.js';

/** The package root (the folder with package.json), from wherever this file was compiled to. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * `npm start`: the main job on bundled data. Today: Epoch's replication of the Chinchilla Approach-3 fit
 * (Besiroglu et al. 2024) on the 240 runs they keep, with a 4,000-resample bootstrap.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the bundled demo: the Chinchilla fit on Epoch\'s 240 runs, with bootstrap intervals')
    .action(async () => {
      const file = relative(process.cwd(), join(packageRoot(), 'datasets/chinchilla/epoch_chinchilla_points.csv'));
      const flags = {
        params: 'N_params', tokens: 'D_tokens', loss: 'loss', where: ['in_epoch_fit=1'],
        law: 'chinchilla', objective: 'huber', grid: 'hoffmann', screen: '64',
        bootstrap: '4000', seed: '42', budget: '5.88e23,1e24,1e25',
      };
      const command = `scalewise fit ${file} --params N_params --tokens D_tokens --loss loss --where in_epoch_fit=1 --grid hoffmann --bootstrap 4000 --seed 42 --budget 5.88e23,1e24,1e25`;
      process.stdout.write(`$ ${command}\n\n`);
      const { report } = await runFit(await loadRuns([file], flags), flags);
      process.stdout.write(formatFit(report) + '\n');
      process.stdout.write(
        '\nEpoch AI (Besiroglu et al. 2024) report A 482.01, B 2085.43, E 1.817, alpha 0.3478, beta 0.3658, a 0.513;\n' +
          'Hoffmann et al. (2022) reported a = 0.46 for the same data.\n',
      );
      for (const w of report.warnings) process.stderr.write(`scalewise: warning: ${w}\n`);
    });
}
