import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.js';
import type { Study } from '../../schema/study.js';
import type { StudyResult } from '../../report/study.js';
import type { Io } from '../io.js';
import { ensureDir } from '../output.js';

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('run every analysis a study file names and write one self-contained HTML report')
    .argument('<study>', 'study file (JSON; see docs/report.md)')
    .option('--out <DIR>', 'folder for report.html (created)', 'report')
    .action(async (file: string, flags: { out: string }) => {
      const path = await writeReport(file, flags.out, (r) => {
        r.notices.forEach((n) => {
          io.stderr(`scalewise: warning: ${file}: ${n}\n`);
        });
      });
      io.stderr(`scalewise: wrote ${path}\n`);
    });
}

/**
 * Reads the study, runs its analyses and writes DIR/report.html; returns its path. Files the study names are
 * read relative to its folder, and named in the output as the study names them. Nothing else is written.
 */
export async function writeReport(file: string, out: string, onResult?: (r: StudyResult) => void): Promise<string> {
  const study = await readStudy(file);
  const [{ runStudy }, { nodeEnv }, { svgDocument, svgText }, { reportHtml }] = await Promise.all([
    import('../../report/study.js'),
    import('../../node/env.js'),
    import('../../node/render.js'),
    import('../../report/html.js'),
  ]);
  const results = await runStudy(study, file, nodeEnv({ base: dirname(file) }), onResult);
  const doc = svgDocument();
  const sections = [];
  for (const r of results) {
    const figures = (await r.shown.figures(doc)).map((f) => ({ name: f.name, svg: svgText(f.svg) }));
    sections.push({ title: r.title, command: r.command, blocks: r.shown.blocks, warnings: r.shown.warnings.map((w) => w.message), figures });
  }
  const html = reportHtml({ title: study.title, description: study.description, workingDirectory: `the folder of ${file.split(/[\\/]/).pop()}`, sections });
  ensureDir('--out', out);
  const path = join(out, 'report.html');
  writeFileSync(path, html);
  return path;
}

/** The study file, validated; a problem is one line naming the file and the JSON path. */
export async function readStudy(file: string): Promise<Study> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the study file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const { studySchema } = await import('../../schema/study.js');
  const parsed = studySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)), '');
    throw new UserError(`${file}: ${at || '(top level)'}: ${issue.message.replace(/\s+/g, ' ')}`);
  }
  return parsed.data as Study;
}
