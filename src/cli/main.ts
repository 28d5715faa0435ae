/**
 * The `scalewise` command as a function: `main(args, io)` parses, runs and prints through `io`, and returns the
 * exit status, so tests run it in-process. User mistakes (UserError, bad flags) print one line,
 * `scalewise: error: …`, and return 2; anything else is a bug and returns 1 with its stack.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import { flagName, type OptionSpecs } from '../options/option.js';
import { analyses } from '../present/registry.js';
import { cliOptionsOf, registerAnalysis } from './analysis-command.js';
import { registerDemo } from './commands/demo.js';
import { registerImport } from './commands/import.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { processIo, type Io } from './io.js';
import { oneLine } from './output.js';

export const VERSION = '0.2.0';

export async function main(args: string[], io: Io = processIo): Promise<number> {
  const program = new Command('scalewise')
    .description('Scaling laws for LLM training runs: compute-optimal size and data, per skill, with honest intervals.')
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: () => {} });
  for (const shown of Object.values(analyses)) registerAnalysis(program, shown, io);
  registerReport(program, io);
  registerDemo(program, io);
  registerServe(program, io);
  registerImport(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: () => {} });
  try {
    // Bare `scalewise` shows the usage rather than an error.
    await program.parseAsync(args.length === 0 ? ['--help'] : args, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      // Commander adds its suggestion on a line of its own ("\n(Did you mean --bootstrap?)"): fold it in.
      io.stderr(`scalewise: error: ${oneLine(err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '))}\n`);
      return 2;
    }
    if (err instanceof UserError) {
      io.stderr(`scalewise: error: ${oneLine(err.render(flagNamer(args[0])))}\n`);
      return 2;
    }
    io.stderr(`scalewise: internal error (a bug; please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
    return 1;
  }
}

/** How the command's errors name an option key: its flag (`--bootstrap`, `--skill`). */
function flagNamer(kind: string | undefined): (key: string) => string {
  const entry = kind !== undefined ? (analyses as Record<string, { analysis: { options: OptionSpecs } }>)[kind] : undefined;
  const specs: OptionSpecs = entry ? { ...entry.analysis.options, ...cliOptionsOf(kind!) } : {};
  return (key) => flagName(key, specs[key]);
}
