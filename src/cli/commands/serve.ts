import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import type { Io } from '../io.js';
import { readStudy } from './report.js';

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description("a local dashboard on 127.0.0.1: IsoFLOP and skills views with a validation-mix slider (default: the demo study's 529-run sweep)")
    .argument('[study]', 'study file (as for `report`; its first skills analysis is opened). Default: the demo study')
    .option('--port <P>', 'port on 127.0.0.1 (0: any free port)', '0')
    .option(
      '--fit <[LABEL=]FILE>',
      'a fit saved by `scalewise fit --save` for the planner view (repeatable; also the study’s plan entries’ fits)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .action(async (studyPath: string | undefined, flags: { port: string; fit?: string[] }) => {
      if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) throw new UserError(`--port "${flags.port}": expected a whole number from 0 to 65535`);
      const { dashboardOf, defaultStudyPath, plannerFitsOf, startDashboard } = await import('../../node/dashboard-server.js');
      const { fileLabel } = await import('../../analyses/plan.js');
      const file = studyPath ?? defaultStudyPath;
      const study = await readStudy(file);
      const dashboard = dashboardOf(study, file);
      const given = (flags.fit ?? []).map((v) => {
        const eq = v.indexOf('=');
        const [label, path] = eq < 0 ? [fileLabel(v), v] : [v.slice(0, eq).trim(), v.slice(eq + 1)];
        if (label === '' || path.trim() === '') throw new UserError(`--fit "${v}": expected [LABEL=]FILE`);
        return { label, file: path };
      });
      const fits = await plannerFitsOf(study, file, given);
      const { server, url } = await startDashboard(dashboard, Number(flags.port), fits);
      io.stdout(`${url}\n`);
      io.stderr(`scalewise: serving "${dashboard.info.title}" at ${url} (Ctrl-C to stop)\n`);
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
