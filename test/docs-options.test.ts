// One declaration per option, three front ends derived from it: the docs tables, the study schema and the
// CLI's Commander options must agree with the declarations (and so with each other), in both directions.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import { Command, type Option } from 'commander';
import { docsPages, flagCell, root, warningsPage } from '../scripts/options-docs.js';
import { cliOptionsOf, registerAnalysis } from '../src/cli/analysis-command.js';
import type { OptionSpec, OptionSpecs } from '../src/options/option.js';
import { analyses, studyKinds, type AnalysisKind } from '../src/present/registry.js';
import { analysisSchema, studySchema } from '../src/schema/study.js';

const kinds = Object.keys(analyses) as AnalysisKind[];
const specsOf = (kind: AnalysisKind): OptionSpecs => analyses[kind].analysis.options as OptionSpecs;
/** The keys a study's analysis has besides its options. */
const sectionKeys = ['kind', 'title', 'data', 'columns', 'where'];
const quiet = { stdout: () => {}, stderr: () => {}, isTTY: false };

/** The Commander command of one analysis, as `main` registers it. */
function commandOf(kind: AnalysisKind): Command {
  const program = new Command('scalewise');
  registerAnalysis(program, analyses[kind], quiet);
  const cmd = program.commands.find((c) => c.name() === kind);
  assert.ok(cmd, `no command ${kind}`);
  return cmd;
}

/** The study schema's object for one kind (its keys: the section keys and the options). */
function studyShapeOf(kind: string): Record<string, unknown> {
  const objects = (analysisSchema as unknown as { options: { shape: Record<string, { value?: unknown }> }[] }).options;
  const object = objects.find((o) => o.shape.kind?.value === kind);
  assert.ok(object, `the study schema has no analysis of kind ${kind}`);
  return object.shape;
}

test('the options tables in docs/*.md are generated from the declarations (npm run docs:options)', () => {
  const pages = docsPages();
  assert.deepEqual(pages.map((p) => p.kind).sort(), [...kinds].sort());
  for (const page of pages) assert.equal(page.current, page.expected, `${relative(root, page.file)}: the options table is stale; run \`npm run docs:options\``);
  const warnings = warningsPage();
  assert.equal(warnings.current, warnings.expected, 'docs/warnings.md: the table of warning codes is stale; run `npm run docs:options`');
});

test('the docs tables have one row per declared and per CLI-only option', () => {
  for (const page of docsPages()) {
    const kind = page.kind as AnalysisKind;
    const block = page.current.split(`<!-- options:${kind}:begin -->`)[1]!.split(`<!-- options:${kind}:end -->`)[0]!;
    const flags = block
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.match(/^\| `([^`]*)`/)![1]!.replace(/\\\|/g, '|'));
    const want = [...Object.entries(specsOf(kind)), ...Object.entries(cliOptionsOf(kind))].map(([k, s]) => flagCell(k, s));
    assert.deepEqual(flags, want, `docs/${kind}.md`);
  }
});

test('predict, which reads a saved fit, is the only declared analysis a study cannot hold', () => {
  assert.deepEqual(
    kinds.filter((k) => !(studyKinds as readonly string[]).includes(k)),
    ['predict'],
  );
  for (const kind of kinds) assert.equal(analyses[kind].inStudy, kind !== 'predict', kind);
});

test('every study key of an analysis is a declared option, and every declared option a study key', () => {
  for (const kind of studyKinds) {
    const specs = specsOf(kind);
    // Former keys (deprecated, still read with a notice) are study keys too.
    const declared = Object.entries(specs)
      .filter(([, s]) => s.study === undefined)
      .flatMap(([k, s]) => [k, ...(s.deprecated ?? [])])
      .sort();
    const schema = Object.keys(studyShapeOf(kind))
      // A plan's `from` (fit entries of the study) is a key of that kind, not an option.
      .filter((k) => !sectionKeys.includes(k) && !(kind === 'plan' && k === 'from'))
      .sort();
    assert.deepEqual(schema, declared, `study schema of ${kind} vs its declaration`);
    // The keys every study analysis has besides its options are not options.
    for (const key of sectionKeys) assert.ok(key in studyShapeOf(kind), `${kind}: no section key ${key}`);
    for (const key of declared) assert.ok(!sectionKeys.includes(key), `${kind}: option ${key} clashes with a section key`);
  }
});

test('the options a study holds under columns are the columns schema, and where is the where option', () => {
  const columns = (studySchema.shape.columns as unknown as { unwrap(): { shape: Record<string, unknown> } }).unwrap().shape;
  const placed = new Set<string>();
  for (const kind of studyKinds) {
    for (const [key, spec] of Object.entries(specsOf(kind))) {
      if (spec.study === 'columns') {
        placed.add(key);
        assert.ok(key in columns, `${kind}: option ${key} is held under columns, but the columns schema has no ${key}`);
        assert.equal(spec.kind, 'text', `${kind}.${key}: a column is a name`);
      }
      if (spec.study === 'where') assert.equal(spec.kind, 'conditions', `${kind}.${key}: where holds conditions`);
    }
  }
  assert.deepEqual(Object.keys(columns).sort(), [...placed].sort(), 'a columns key no analysis declares');
});

/** The declared and CLI-only options of a command, by the long flag Commander gives them. */
function expectedFlags(kind: AnalysisKind): Map<string, { key: string; spec: OptionSpec; cliOnly: boolean }> {
  const out = new Map<string, { key: string; spec: OptionSpec; cliOnly: boolean }>();
  const add = (specs: OptionSpecs, cliOnly: boolean) => {
    for (const [key, spec] of Object.entries(specs)) {
      const long = flagCell(key, spec).split(' ')[0]!;
      assert.ok(!out.has(long), `${kind}: two options spelled ${long}`);
      out.set(long, { key, spec, cliOnly });
      // A former flag is a hidden Commander option of the same kind.
      for (const old of spec.deprecated ?? []) out.set(flagCell(old, { ...spec, flag: undefined }).split(' ')[0]!, { key, spec, cliOnly });
    }
  };
  add(specsOf(kind), false);
  add(cliOptionsOf(kind), true);
  return out;
}

test('every Commander option of a command is exactly one declared or CLI-only option, and the reverse', () => {
  for (const kind of kinds) {
    const cmd = commandOf(kind);
    const expected = expectedFlags(kind);
    const longs = cmd.options.map((o: Option) => o.long);
    for (const long of longs) assert.ok(long !== undefined && expected.has(long), `${kind}: Commander option ${long} is not declared`);
    assert.equal(new Set(longs).size, longs.length, `${kind}: a flag registered twice`);
    for (const long of expected.keys()) assert.ok(longs.includes(long), `${kind}: declared option ${long} is not a Commander option`);
    // CLI-only options are not study keys, and never shadow a declared option.
    if (analyses[kind].inStudy) {
      const shape = studyShapeOf(kind);
      for (const key of Object.keys(cliOptionsOf(kind))) assert.ok(!(key in shape), `${kind}: CLI-only ${key} is a study key`);
    }
  }
});

test('Commander options take their doc and default from the declaration (no Commander defaults)', () => {
  for (const kind of kinds) {
    const expected = expectedFlags(kind);
    for (const opt of commandOf(kind).options) {
      const { key, spec } = expected.get(opt.long!)!;
      if (opt.hidden) {
        assert.ok(
          spec.deprecated?.some((old) => opt.long === `--${old.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
          `${kind} ${opt.long}: hidden but not a former name`,
        );
        continue;
      }
      assert.equal(opt.defaultValue, undefined, `${kind} ${opt.long}: a Commander default (defaults live in the declaration)`);
      assert.ok(opt.description.startsWith(spec.doc), `${kind} ${opt.long}: help is not the declared doc`);
      const shown = spec.kind !== 'switch' && spec.default !== undefined && !(Array.isArray(spec.default) && spec.default.length === 0);
      if (shown)
        assert.ok(
          opt.description.endsWith(`(default: ${String(spec.default)})`),
          `${kind} ${opt.long} (${key}): help "${opt.description}" does not end with (default: ${String(spec.default)})`,
        );
      else assert.equal(opt.description, spec.doc, `${kind} ${opt.long} (${key}): help adds to the doc`);
      // A switch takes no value; every other option one.
      assert.equal(opt.required || opt.optional, spec.kind !== 'switch', `${kind} ${opt.long}: value placeholder`);
      if (spec.kind === 'switch' && spec.negatable) assert.ok(opt.negate, `${kind} ${opt.long}: a negatable switch is --no-NAME`);
    }
  }
});
