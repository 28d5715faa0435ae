import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { defaultStudy, readStudy, startDashboard } from '../../node/dashboard-server.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('a local dashboard on 127.0.0.1: IsoFLOP and skills views with a validation-mix slider (default data: the bundled 529-run sweep)')
    .argument('[study]', 'study file (JSON: files, column mapping, skills; see README)')
    .option('--port <P>', 'port on 127.0.0.1 (0: any free port)', '0')
    .action(async (studyPath: string | undefined, flags: { port: string }) => {
      if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) throw new UserError(`--port "${flags.port}": expected a whole number from 0 to 65535`);
      const { study, dir } = studyPath ? await readStudy(studyPath) : defaultStudy();
      const { server, url } = await startDashboard(study, dir, Number(flags.port));
      process.stdout.write(`${url}\n`);
      process.stderr.write(`scalewise: serving "${study.title}" at ${url} (Ctrl-C to stop)\n`);
      // Serve until SIGINT/SIGTERM, then stop accepting, drop idle keep-alive sockets and return (exit 0).
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop).off('SIGTERM', stop);
          server.close(() => done());
          server.closeAllConnections();
        };
        process.on('SIGINT', stop).on('SIGTERM', stop);
      });
    });
}
