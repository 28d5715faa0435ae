import type { Command } from 'commander';
import { toRuns } from '../../data/columns.js';
import type { Table } from '../../data/table.js';
import { groupsOf } from '../../data/groups.js';
import { isoflop, type IsoflopPoints, type IsoflopResult } from '../../methods/isoflop.js';
import { isoflopFigures } from '../../plots/sets.js';
import { addPlotOption, ensureDir } from '../plot-option.js';
import { emit, type AnalysisOutput } from '../analysis-output.js';
import { num, range, table } from '../format.js';
import { addRunsOptions, loadTable, mapping } from '../runs-options.js';
import { addIsoflopOptions, isoflopOptions, type IsoflopFlags } from '../isoflop-options.js';

/** One group's analysis, as printed in JSON. */
export type IsoflopGroup = { group: string | null } & IsoflopResult;

export function registerIsoflop(program: Command): void {
  const cmd = program
    .command('isoflop')
    .description('IsoFLOP analysis (Approach 2): the loss-minimising N per compute budget, and N* = k·C^a across budgets')
    .argument('<files...>', 'run tables: .csv, .tsv, .json, .jsonl or .parquet');
  addPlotOption(addIsoflopOptions(addRunsOptions(cmd)))
    .option('--json', 'print one JSON document (see README)')
    .action(async (files: string[], flags: IsoflopFlags & { plot?: string }) => {
      ensureDir('--plot', flags.plot);
      emit(await isoflopCommand(files, flags), flags);
    });
}

/** `scalewise isoflop FILES FLAGS` as a value: what the command prints and draws (shared with `report`). */
export async function isoflopCommand(files: string[], flags: IsoflopFlags): Promise<AnalysisOutput> {
  const tbl = await loadTable(files, flags);
  const options = isoflopOptions(flags);
  const inputs = isoflopInputs(tbl, flags);
  const groups: IsoflopGroup[] = inputs.map(({ group, points }) => ({ group, ...isoflop(points, options) }));
  return {
    json: { groups },
    text: formatIsoflop(groups),
    warnings: groups.flatMap((g) => g.warnings.map((w) => `${g.group === null ? '' : `[${g.group}] `}${w}`)),
    figures: (doc) => isoflopFigures(doc, groups.map((g, i) => ({ group: g.group, result: g, points: inputs[i]!.points })), options.budgetTolerance),
  };
}

/** The runs of each group as the analysis takes them (also what the figures draw). */
function isoflopInputs(tbl: Table, flags: IsoflopFlags): { group: string | null; points: IsoflopPoints }[] {
  const runs = toRuns(tbl, mapping(flags));
  return groupsOf(tbl, flags.group).map(({ group, index: idx }) => {
    const pick = (a: Float64Array) => idx.map((i) => a[i]!);
    return { group, points: { C: pick(runs.C), N: pick(runs.N), loss: pick(runs.loss) } };
  });
}

export function formatIsoflop(groups: IsoflopGroup[]): string {
  const out: string[] = [];
  for (const g of groups) {
    if (g.group !== null) out.push(`== ${g.group}`);
    const withCi = g.budgets.some((b) => b.ci95);
    out.push(
      table(
        ['C (FLOP)', 'sizes', 'N*', ...(withCi ? ['95% interval'] : []), 'D*', 'D/N', 'loss', 'used'],
        g.budgets.map((b) => [
          num(b.C, 3),
          String(b.points),
          b.N === null ? '—' : num(b.N, 3),
          ...(withCi ? [b.ci95 ? range(b.ci95.N[0], b.ci95.N[1], 3) : ''] : []),
          b.D === null ? '—' : num(b.D, 3),
          b.N === null ? '—' : num(b.D! / b.N, 3),
          b.loss === null ? '—' : num(b.loss),
          b.excluded ? `no: ${b.excluded}` : 'yes',
        ]),
      ),
    );
    if (g.fit) {
      const ci = g.fit.ci95;
      out.push(
        `N* = ${num(g.fit.k)}·C^${num(g.fit.a)}${ci ? ` (a 95% interval ${range(ci.a[0], ci.a[1])})` : ''};  ` +
          `D* = ${num(g.fit.kD)}·C^${num(g.fit.b)}${ci ? ` (b ${range(ci.b[0], ci.b[1])})` : ''};  ` +
          `${g.fit.budgets} budgets, ${g.fit.weighted ? 'weighted ' : ''}R² ${g.fit.r2.toFixed(4)}  [${g.method}]`,
      );
    } else out.push(`no power law (${g.method}): see warnings`);
    out.push('');
  }
  if (groups.length > 1) {
    out.push('Summary: N* ∝ C^a per group');
    out.push(
      table(
        ['group', 'a', '95% interval', 'budgets'],
        groups.map((g) => [String(g.group), g.fit ? num(g.fit.a) : '—', g.fit?.ci95 ? range(g.fit.ci95.a[0], g.fit.ci95.a[1]) : '', g.fit ? String(g.fit.budgets) : '0']),
      ),
    );
  }
  return out.join('\n').trimEnd();
}
