import { Command, CommanderError } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.js';
import { svgDocument, svgText } from '../../node/render.js';
import { reportHtml, type ReportSection } from '../../report/html.js';
import { analysisCommand, shellCommand } from '../../report/study-args.js';
import { studySchema, type Study } from '../../schema/study.js';
import type { AnalysisOutput } from '../analysis-output.js';
import { ensureDir } from '../plot-option.js';
import { fitCommand, registerFit } from './fit.js';
import { isoflopCommand, registerIsoflop } from './isoflop.js';
import { l2lCommand, registerL2l } from './l2l.js';
import { registerSkills, skillsCommand } from './skills.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('run every analysis a study file names and write one self-contained HTML report')
    .argument('<study>', 'study file (JSON; see README "Plots and reports")')
    .option('--out <DIR>', 'folder for report.html (created)', 'report')
    .action(async (file: string, flags: { out: string }) => {
      const path = await writeReport(file, flags.out);
      process.stderr.write(`scalewise: wrote ${path}\n`);
    });
}

/** Reads the study, runs its analyses, writes DIR/report.html; returns its path. */
export async function writeReport(file: string, out: string, onSection?: (s: ReportSection, output: AnalysisOutput, kind: string) => void): Promise<string> {
  const study = readStudy(file);
  const base = dirname(file);
  const doc = svgDocument();
  const sections: ReportSection[] = [];
  // Each analysis runs in the study's folder, as its command is shown: paths in the study (data, --error-file,
  // --tasks) resolve there, and what the output names (a target's file:row) is what the command prints.
  const cwd = process.cwd();
  try {
    process.chdir(base);
  } catch (err) {
    throw new UserError(`${file}: cannot enter the study's folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    for (const [i, analysis] of study.analyses.entries()) {
      const cmd = analysisCommand(study, analysis);
      const output = await runParsed(cmd.kind, [...cmd.files, ...cmd.flags], `${file}: analyses[${i}]`);
      const section: ReportSection = {
        title: analysis.title ?? `${cmd.kind} ${i + 1}`,
        command: shellCommand(cmd),
        text: output.text,
        warnings: output.warnings,
        figures: output.figures(doc).map((f) => ({ name: f.name, svg: svgText(f.svg) })),
      };
      onSection?.(section, output, cmd.kind);
      sections.push(section);
    }
  } finally {
    process.chdir(cwd);
  }
  const html = reportHtml({ title: study.title, description: study.description, workingDirectory: `the folder of ${file.split(/[\\/]/).pop()}`, sections });
  ensureDir('--out', out);
  const path = join(out, 'report.html');
  writeFileSync(path, html);
  return path;
}

/** The study file, validated; a problem is one line naming the file and the JSON path. */
export function readStudy(file: string): Study {
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
  const parsed = studySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)), '');
    throw new UserError(`${file}: ${at || '(top level)'}: ${issue.message.replace(/\s+/g, ' ')}`);
  }
  return parsed.data;
}

/**
 * Runs `scalewise KIND ARGV` through the command's own option parser (so defaults and checks are the CLI's)
 * and its own analysis function (so the report shows exactly what the command prints).
 */
async function runParsed(kind: string, argv: string[], where: string): Promise<AnalysisOutput> {
  const program = new Command('scalewise').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerFit(program);
  registerIsoflop(program);
  registerSkills(program);
  registerL2l(program);
  let parsed: { files: string[]; flags: object } | undefined;
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    c.action((files: string[], flags: object) => void (parsed = { files, flags }));
  }
  try {
    await program.parseAsync(['node', 'scalewise', kind, ...argv]);
  } catch (err) {
    if (err instanceof CommanderError) throw new UserError(`${where}: ${err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}`);
    throw err;
  }
  const { files, flags } = parsed!;
  try {
    if (kind === 'fit') return await fitCommand(files, flags as Parameters<typeof fitCommand>[1]);
    if (kind === 'isoflop') return await isoflopCommand(files, flags as Parameters<typeof isoflopCommand>[1]);
    if (kind === 'l2l') return await l2lCommand(files, flags as Parameters<typeof l2lCommand>[1]);
    return await skillsCommand(files, flags as Parameters<typeof skillsCommand>[1]);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${where}: ${err.message}`);
    throw err;
  }
}
