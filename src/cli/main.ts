#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import { registerDemo } from './commands/demo.js';
import { registerFit } from './commands/fit.js';
import { registerIsoflop } from './commands/isoflop.js';
import { registerL2l } from './commands/l2l.js';
import { registerPredict } from './commands/predict.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerSkills } from './commands/skills.js';

/**
 * The `scalewise` command. User mistakes (UserError, bad flags) print one line, `scalewise: error: …`,
 * and exit 2; anything else is a bug and exits 1 with its stack.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('scalewise')
    .description('Scaling laws for LLM training runs: compute-optimal size and data, per skill, with honest intervals.')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  registerFit(program);
  registerIsoflop(program);
  registerPredict(program);
  registerSkills(program);
  registerL2l(program);
  registerReport(program);
  registerDemo(program);
  registerServe(program);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeErr: () => {} });
  try {
    // Bare `scalewise` shows the usage rather than an error.
    await program.parseAsync(argv.length <= 2 ? [...argv, '--help'] : argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      process.stderr.write(`scalewise: error: ${err.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`scalewise: error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`scalewise: internal error (a bug; please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
