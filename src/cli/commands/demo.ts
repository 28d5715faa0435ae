import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError } from '../../errors.js';
import { packageRoot } from '../../node/package-root.js';
import { toText } from '../../present/document.js';
import type { Io } from '../io.js';
import { writeReport } from './report.js';

/**
 * `npm start`: the main job on bundled data. Runs the demo study (datasets/demo-study.json): Epoch's
 * replication of the Chinchilla Approach-3 fit (Besiroglu et al. 2024) with a 4,000-resample bootstrap, whose
 * summary is printed, and the IsoFLOP and skills analyses of the 529-run Kempner sweep; everything, with
 * figures, goes into one HTML report.
 */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description("run the bundled demo study: the Chinchilla fit on Epoch's 240 runs, and the skills analysis of the 529-run sweep, into report/report.html")
    .option('--out <DIR>', 'folder for report.html', 'report')
    .action(async (flags: { out: string }) => {
      const path = join(packageRoot(), 'datasets/demo-study.json');
      // The demo's data (Epoch's Chinchilla points, the Kempner sweep) have no licence to ship with the package.
      if (!existsSync(path))
        throw new UserError(
          'the demo runs from a clone of the scalewise repository: its data (datasets/chinchilla, datasets/kempner) are not in the npm package',
        );
      const study = relative(process.cwd(), path);
      let warnings = 0;
      let printed = false;
      const written = await writeReport(study, flags.out, (r) => {
        warnings += r.shown.warnings.length;
        // The first fit is the Chinchilla one; the others are in the report.
        if (r.kind === 'fit' && !printed) {
          printed = true;
          io.stdout(`$ ${r.command}    # in ${dirname(study)}/\n\n${toText(r.shown.blocks)}\n`);
          io.stdout(
            '\nEpoch AI (Besiroglu et al. 2024) report A 482.01, B 2085.43, E 1.817, alpha 0.3478, beta 0.3658, a 0.513;\n' +
              'Hoffmann et al. (2022) reported a = 0.46 for the same data.\n',
          );
        }
      });
      io.stdout(`\nReport with every analysis of ${study} (tables, figures, warnings, commands): ${written}\n`);
      if (warnings) io.stderr(`scalewise: ${warnings} warnings about the sweep's analyses are listed in the report\n`);
    });
}
