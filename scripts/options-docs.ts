/**
 * The options tables of docs/KIND.md, generated from the analyses' option declarations: for every declared
 * analysis, one row per option (its CLI flag, its study key, its default, its one-line doc) and then the
 * CLI-only options. The table replaces what lies between `<!-- options:KIND:begin -->` and
 * `<!-- options:KIND:end -->`; prose about the options lives after the end marker, by hand.
 *
 *   node --import tsx scripts/options-docs.ts           rewrite the tables
 *   node --import tsx scripts/options-docs.ts --check   exit 1 naming every stale file, write nothing
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliOptionsOf } from '../src/cli/analysis-command.js';
import { flagName, offFlag, type OptionSpec, type OptionSpecs } from '../src/options/option.js';
import { analyses } from '../src/present/registry.js';
import { warningCodes } from '../src/warnings.js';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI spelling of an option as the table shows it: `--bootstrap <B>`, `--json`, `--no-pooled`. */
export function flagCell(key: string, spec: OptionSpec): string {
  if (spec.kind === 'switch') return spec.negatable ? offFlag(key) : flagName(key, spec);
  return `${flagName(key, spec)} <${spec.arg ?? 'VALUE'}>`;
}

/** Where a study holds the option: its key, `columns.KEY`, `where`; `—` when the kind is not a study kind. */
function studyCell(key: string, spec: OptionSpec, inStudy: boolean): string {
  if (!inStudy) return '—';
  if (spec.study === 'columns') return `\`columns.${key}\``;
  if (spec.study === 'where') return '`where`';
  return `\`${key}\``;
}

function defaultCell(spec: OptionSpec): string {
  if (spec.required) return 'required';
  if (spec.kind === 'switch') return spec.default === true ? 'on' : 'off';
  if (spec.default === undefined || (Array.isArray(spec.default) && spec.default.length === 0)) return '—';
  return `\`${String(spec.default)}\``;
}

/** Markdown table cells: a `|` would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (text: string) => `\`${cell(text)}\``;

/** The options table of one declared analysis (the text between its markers, without them). */
export function optionsTable(kind: keyof typeof analyses): string {
  const shown = analyses[kind];
  const specs = shown.analysis.options as OptionSpecs;
  const rows = ['| flag | study key | default | meaning |', '| --- | --- | --- | --- |'];
  for (const [key, spec] of Object.entries(specs)) {
    rows.push(`| ${code(flagCell(key, spec))} | ${studyCell(key, spec, shown.inStudy)} | ${cell(defaultCell(spec))} | ${cell(spec.doc)} |`);
  }
  for (const [key, spec] of Object.entries(cliOptionsOf(kind))) {
    rows.push(`| ${code(flagCell(key, spec))} | — (CLI only) | ${cell(defaultCell(spec))} | ${cell(spec.doc)} |`);
  }
  return rows.join('\n');
}

/** One docs page: what it holds and what it should hold. */
export interface DocsPage {
  kind: string;
  file: string;
  current: string;
  expected: string;
}

/** Every declared analysis's page, with its table regenerated (an error when a page lacks its markers). */
export function docsPages(base = root): DocsPage[] {
  return (Object.keys(analyses) as (keyof typeof analyses)[]).map((kind) => {
    const file = join(base, 'docs', `${kind}.md`);
    const current = readFileSync(file, 'utf8');
    const begin = `<!-- options:${kind}:begin -->`,
      end = `<!-- options:${kind}:end -->`;
    const from = current.indexOf(begin),
      to = current.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${relative(base, file)}: no ${begin} … ${end} markers`);
    const expected = `${current.slice(0, from + begin.length)}\n${optionsTable(kind)}\n${current.slice(to)}`;
    return { kind, file, current, expected };
  });
}

/** docs/warnings.md with its table of warning codes regenerated from src/warnings.ts. */
export function warningsPage(base = root): DocsPage {
  const file = join(base, 'docs', 'warnings.md');
  const current = readFileSync(file, 'utf8');
  const begin = '<!-- warnings:begin -->',
    end = '<!-- warnings:end -->';
  const from = current.indexOf(begin),
    to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${relative(base, file)}: no ${begin} … ${end} markers`);
  const rows = ['| code | meaning |', '| --- | --- |', ...Object.entries(warningCodes).map(([c, doc]) => `| ${code(c)} | ${cell(doc)} |`)];
  return { kind: 'warnings', file, current, expected: `${current.slice(0, from + begin.length)}\n${rows.join('\n')}\n${current.slice(to)}` };
}

/** The pages whose tables are stale. */
export function stalePages(base = root): DocsPage[] {
  return [...docsPages(base), warningsPage(base)].filter((p) => p.current !== p.expected);
}

function cli(args: string[]): number {
  const check = args.includes('--check');
  const stale = stalePages();
  for (const page of stale) {
    const name = relative(root, page.file);
    if (check) process.stderr.write(`${name}: options table is stale (run \`npm run docs:options\`)\n`);
    else {
      writeFileSync(page.file, page.expected);
      process.stdout.write(`${name}: options table updated\n`);
    }
  }
  if (check && stale.length > 0) return 1;
  if (stale.length === 0) process.stdout.write('docs options tables are up to date\n');
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = cli(process.argv.slice(2));
