import type { Command } from 'commander';
import { type IsoflopIntervals, type IsoflopOptions } from '../methods/isoflop.js';
import { UserError } from '../errors.js';
import { count, positiveNumber } from './parse.js';
import type { RunsFlags } from './runs-options.js';

export interface IsoflopFlags extends RunsFlags {
  method: string;
  group?: string;
  bootstrap?: string;
  noise?: string;
  draws: string;
  seed: string;
  budgetTolerance: string;
  json?: boolean;
}

/** The IsoFLOP flags `isoflop` and `skills` share. */
export function addIsoflopOptions(cmd: Command): Command {
  return cmd
    .option('--method <m>', 'parabola | akima', 'parabola')
    .option('--group <COL>', 'run the analysis separately for each value of this column (a datamix)')
    .option('--bootstrap <B>', 'intervals by resampling the runs within each budget, B times')
    .option('--noise <SIGMA>', 'intervals by adding Gaussian noise of this sd to the losses')
    .option('--draws <K>', 'noisy draws with --noise', '1000')
    .option('--seed <S>', 'seed of the draws', '0')
    .option('--budget-tolerance <r>', 'runs whose compute agrees within this relative tolerance are one budget', '1e-6');
}

/** The IsoFLOP options from the flags `isoflop` and `skills` share. */
export function isoflopOptions(flags: IsoflopFlags): IsoflopOptions {
  const method = flags.method;
  if (method !== 'parabola' && method !== 'akima') throw new UserError(`unknown method "${method}" (known: parabola, akima)`);
  if (flags.bootstrap !== undefined && flags.noise !== undefined) throw new UserError('choose one of --bootstrap and --noise');
  const seed = count('--seed', flags.seed);
  let intervals: IsoflopIntervals | undefined;
  if (flags.noise !== undefined) intervals = { kind: 'noise', sigma: positiveNumber('--noise', flags.noise), draws: atLeast('--draws', flags.draws, 10), seed };
  if (flags.bootstrap !== undefined) intervals = { kind: 'bootstrap', resamples: atLeast('--bootstrap', flags.bootstrap, 10), seed };
  return { method, intervals, budgetTolerance: positiveNumber('--budget-tolerance', flags.budgetTolerance) };
}

function atLeast(flag: string, text: string, min: number): number {
  const v = count(flag, text);
  if (v < min) throw new UserError(`${flag} needs at least ${min}, got ${v}`);
  return v;
}
