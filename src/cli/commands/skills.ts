import type { Command } from 'commander';
import { numericColumn, toRuns } from '../../data/columns.js';
import { subsetRuns } from '../../data/runs.js';
import type { Table } from '../../data/table.js';
import { UserError } from '../../errors.js';
import { skillsAnalysis, type SkillsGroupResult, type SkillSpec } from '../../methods/skills.js';
import { groupsOf } from '../../data/groups.js';
import { num, range, table } from '../format.js';
import { collect, count } from '../parse.js';
import { addRunsOptions, loadTable, mapping } from '../runs-options.js';
import { addPlotOption, ensureDir } from '../plot-option.js';
import { emit, type AnalysisOutput } from '../analysis-output.js';
import { skillsFigures } from '../../plots/sets.js';
import { addIsoflopOptions, isoflopOptions, type IsoflopFlags } from '../isoflop-options.js';

interface SkillsFlags extends IsoflopFlags {
  skill: string[];
  aggregate?: string;
  mix?: string;
  steps: string;
  pooled: boolean;
}

export type SkillsGroup = { group: string | null } & SkillsGroupResult;

export function registerSkills(program: Command): void {
  const cmd = program
    .command('skills')
    .description('skill-dependent compute-optimal scaling: per-skill IsoFLOP optima vs an aggregate, datamix groups, validation-mix sweep')
    .argument('<files...>', 'run tables: .csv, .tsv, .json, .jsonl or .parquet');
  addRunsOptions(cmd, { loss: false })
    .option('--skill <NAME=COL[:W],...>', 'a skill: the (weighted) mean of these loss columns; repeatable', collect, [])
    .option('--aggregate <COL|NAME>', 'the aggregate validation loss: a column, or one of the skills')
    .option('--mix <NAME,NAME,...>', 'sweep validation sets mixing these skills')
    .option('--steps <K>', 'grid steps per weight in the mix sweep', '11')
    .option('--no-pooled', 'skip the pooled parametric (Chinchilla) fit per skill');
  addPlotOption(addIsoflopOptions(cmd))
    .option('--json', 'print one JSON document (see README)')
    .action(async (files: string[], flags: SkillsFlags & { plot?: string }) => {
      ensureDir('--plot', flags.plot);
      emit(await skillsCommand(files, flags), flags);
    });
}

/** `scalewise skills FILES FLAGS` as a value: what the command prints and draws (shared with `report`). */
export async function skillsCommand(files: string[], flags: SkillsFlags): Promise<AnalysisOutput> {
  const groups = await runSkills(await loadTable(files, flags), flags);
  const warnings = groups.flatMap((g) =>
    [...g.skills, g.aggregate].flatMap((s) => {
      const at = `${g.group === null ? '' : `[${g.group}] `}${s.name}`;
      return [...s.isoflop.warnings.map((w) => `${at}: ${w}`), ...(s.pooled?.warnings ?? []).map((w) => `${at}: pooled L(N,D) fit: ${w}`)];
    }),
  );
  return { json: { groups }, text: formatSkills(groups), warnings, figures: (doc) => skillsFigures(doc, groups) };
}

/** `NAME=COL[:W],COL[:W]` → a skill over the table's columns. */
export function parseSkill(text: string, tbl: Table): SkillSpec {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : '';
  const list = eq > 0 ? text.slice(eq + 1).trim() : '';
  if (!name) throw new UserError(`--skill "${text}": expected NAME=COL[:W][,COL[:W]...]`);
  if (!list) throw new UserError(`--skill "${text}": skill "${name}" has no columns`);
  const members = list.split(',').map((part) => {
    const [column, w] = part.trim().split(':') as [string, string | undefined];
    if (!tbl.columns.includes(column)) throw new UserError(`--skill "${text}": no column "${column}"`);
    const weight = w === undefined ? 1 : Number(w);
    if (!Number.isFinite(weight) || weight < 0) throw new UserError(`--skill "${text}": weight "${w}" of ${column} must be a number >= 0`);
    return { column, weight, loss: numericColumn(tbl, column, { positive: true }) };
  });
  if (members.every((m) => m.weight === 0)) throw new UserError(`--skill "${text}": all weights are 0`);
  return { name, members };
}

export async function runSkills(tbl: Table, flags: SkillsFlags): Promise<SkillsGroup[]> {
  if (flags.skill.length === 0) throw new UserError('give at least one --skill NAME=COL[,COL...]');
  if (!flags.aggregate) throw new UserError('give --aggregate COL (or the name of one of the skills)');
  const skills = flags.skill.map((s) => parseSkill(s, tbl));
  const names = new Set<string>();
  for (const s of skills) {
    if (names.has(s.name)) throw new UserError(`--skill: "${s.name}" is given twice`);
    names.add(s.name);
  }
  const aggregate = skills.find((s) => s.name === flags.aggregate) ?? aggregateColumn(flags.aggregate, tbl);
  let mix: { skills: string[]; steps: number } | undefined;
  if (flags.mix !== undefined) {
    const mixNames = flags.mix.split(',').map((s) => s.trim());
    for (const n of mixNames) if (!names.has(n)) throw new UserError(`--mix: "${n}" is not a skill (skills: ${[...names].join(', ')})`);
    if (mixNames.length < 2) throw new UserError('--mix needs at least two skills');
    const steps = count('--steps', flags.steps);
    if (steps < 2) throw new UserError('--steps needs at least 2');
    mix = { skills: mixNames, steps };
  }
  const options = isoflopOptions(flags);
  const runs = toRuns(tbl, { ...mapping(flags), loss: aggregate.members[0]!.column });
  return groupsOf(tbl, flags.group).map(({ group, index: idx }) => {
    const pick = (s: SkillSpec): SkillSpec => ({ ...s, members: s.members.map((m) => ({ ...m, loss: Float64Array.from(idx, (i) => m.loss[i]!) })) });
    const res = skillsAnalysis(subsetRuns(runs, idx), skills.map(pick), pick(aggregate), { isoflop: options, mix, pooled: flags.pooled });
    return { group, ...res };
  });
}

function aggregateColumn(column: string, tbl: Table): SkillSpec {
  if (!tbl.columns.includes(column)) throw new UserError(`--aggregate "${column}": not a column or a skill`);
  return { name: column, members: [{ column, weight: 1, loss: numericColumn(tbl, column, { positive: true }) }] };
}


export function formatSkills(groups: SkillsGroup[]): string {
  const out: string[] = [];
  for (const g of groups) {
    if (g.group !== null) out.push(`== ${g.group}`);
    const all = [...g.skills, g.aggregate];
    const budgets = g.aggregate.isoflop.budgets.map((b) => b.C);
    out.push('N* per budget (per-budget optimum; "edge" or "—" where the curve has no interior minimum)');
    out.push(
      table(
        ['C (FLOP)', ...all.map((s) => (s === g.aggregate ? `${s.name} (aggregate)` : s.name)), ...g.skills.map((s) => `${s.name}/agg`)],
        budgets.map((C, j) => [
          num(C, 3),
          ...all.map((s) => {
            const b = s.isoflop.budgets[j]!;
            return b.excluded ? (b.excluded === 'edge-min' ? 'edge' : '—') : num(b.N!, 3);
          }),
          ...g.skills.map((s) => {
            const r = s.ratioToAggregate[j]!;
            return r.ratio === null ? '—' : r.ci95 ? `${num(r.ratio, 3)} ${range(r.ci95[0], r.ci95[1], 2)}` : num(r.ratio, 3);
          }),
        ]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['skill', 'a (per-budget fit)', '95% interval', 'budgets', 'a (pooled L(N,D) fit)'],
        all.map((s) => [
          s.name,
          s.isoflop.fit ? num(s.isoflop.fit.a, 3) : '—',
          s.isoflop.fit?.ci95 ? range(s.isoflop.fit.ci95.a[0], s.isoflop.fit.ci95.a[1], 3) : '',
          String(s.isoflop.fit?.budgets ?? 0),
          s.pooled ? `${num(s.pooled.a, 3)}${s.pooled.warnings.length ? ' (untrusted)' : ''}` : '',
        ]),
      ),
    );
    if (g.mix) {
      const m = g.mix;
      const label = (i: number | null) => (i === null ? '—' : m.weights[i]!.map((w, k) => `${num(w, 2)} ${m.skills[k]}`).join(' + '));
      out.push('');
      out.push(`Validation mix sweep over ${m.skills.join(', ')} (${m.weights.length} mixes): how far the validation set moves N*`);
      out.push(
        table(
          ['C (FLOP)', 'mixes with a minimum', 'max/min N*', 'largest N* at', 'smallest N* at'],
          m.budgets.map((b) => [
            num(b.C, 3),
            `${b.N.filter((v) => v !== null).length}/${b.N.length}`,
            b.maxOverMin === null ? '—' : num(b.maxOverMin, 3),
            label(b.argmax),
            label(b.argmin),
          ]),
        ),
      );
    }
    out.push('');
  }
  if (groups.length > 1) {
    // How each skill's optimum shifts between groups (datamixes): exponent, and N* at the largest budget.
    const names = [...groups[0]!.skills.map((s) => s.name), groups[0]!.aggregate.name];
    const top = Math.max(...groups[0]!.aggregate.isoflop.budgets.map((b) => b.C));
    out.push(`Across groups: a per skill (per-budget fit), and N* at C = ${num(top, 3)}`);
    out.push(
      table(
        ['group', ...names.flatMap((n) => [`${n} a`, `N*`])],
        groups.map((g) => [
          String(g.group),
          ...[...g.skills, g.aggregate].flatMap((s) => {
            const b = s.isoflop.budgets.find((x) => x.C === top);
            return [s.isoflop.fit ? num(s.isoflop.fit.a, 3) : '—', b && !b.excluded ? num(b.N!, 3) : '—'];
          }),
        ]),
      ),
    );
  }
  return out.join('\n').trimEnd();
}
