import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { readBytes } from '../../data/read.js';
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
    text = new TextDecoder().decode(await readBytes(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: cannot read the study file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    // A byte-order mark (as some editors save JSON) is not part of the document.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const proto = protoKey(json, []);
  if (proto) throw new UserError(`${file}: ${jsonPath(proto) || '(top level)'}: "__proto__" cannot be a name (choose another)`);
  const { studySchema } = await import('../../schema/study.js');
  const parsed = studySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: ${jsonPath(issue.path) || '(top level)'}: ${issue.message.replace(/\s+/g, ' ')}`);
  }
  return parsed.data as Study;
}

/** `analyses[1].skills` from a JSON path. */
function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)), '');
}

/**
 * Where the document has a key `__proto__` (JSON.parse makes it an own key; a validated copy would drop it,
 * or set the copy's prototype), as the path of the object that holds it.
 */
function protoKey(v: unknown, path: PropertyKey[]): PropertyKey[] | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if (!Array.isArray(v) && Object.hasOwn(v, '__proto__')) return path;
  for (const [k, x] of Object.entries(v)) {
    const found = protoKey(x, [...path, Array.isArray(v) ? Number(k) : k]);
    if (found) return found;
  }
  return undefined;
}
