// Real analyses the figure tests draw, computed in-process from the bundled datasets (small and fast).
import { join } from 'node:path';
import { fitReport } from '../../src/analyses/fit-report.js';
import { isoflop, type IsoflopPoints, type IsoflopResult } from '../../src/methods/isoflop.js';
import { skillsAnalysis, type SkillsGroupResult } from '../../src/methods/skills.js';
import { toRuns } from '../../src/data/columns.js';
import { readTables } from '../../src/data/read.js';
import type { Runs } from '../../src/data/runs.js';
import { applyFilters, parseFilter } from '../../src/data/where.js';
import { bootstrapSlice } from '../../src/fitting/bootstrap.js';
import { fitLaw } from '../../src/fitting/fit.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import type { FitReport } from '../../src/schema/fit.js';
import { l2lAnalysis, type L2lGroupPairs, type L2lOptions } from '../../src/analyses/l2l.js';
import type { L2lReport } from '../../src/schema/l2l.js';
import { root } from '../helpers/cli.js';
import { skillsAnalysis as skillsAnalysisOf, type SkillsAnalysisResult } from '../../src/analyses/skills.js';
import { datamixTable, lawWithExponent } from '../helpers/skill-sweeps.js';

const where = async (file: string, ...filters: string[]) =>
  applyFilters(
    await readTables([join(root, file)]),
    filters.map((f) => parseFilter(f)),
  );

/** Porian et al.'s configuration on RefinedWeb (`config_id`), as `scalewise isoflop` analyses it. */
export async function porian(config: number, method: 'parabola' | 'akima', noise?: number): Promise<{ result: IsoflopResult; points: IsoflopPoints }> {
  const tbl = await where('datasets/porian/isoflop_points.csv', 'dataset=rw', `config_id=${config}`);
  const runs = toRuns(tbl, { params: 'n_params', flops: 'flops_budget', loss: 'loss' });
  const points = { C: runs.C, N: runs.N, loss: runs.loss };
  return { result: isoflop(points, { method, ...(noise ? { intervals: { kind: 'noise', sigma: noise, draws: 200, seed: 42 } } : {}) }), points };
}

/** Epoch's 240 Chinchilla runs, the default-grid fit and `resamples` in-process bootstrap refits. */
export async function chinchillaFit(resamples: number): Promise<{ report: FitReport; runs: Runs }> {
  const runs = toRuns(await where('datasets/chinchilla/epoch_chinchilla_points.csv', 'in_epoch_fit=1'), {
    params: 'N_params',
    tokens: 'D_tokens',
    loss: 'loss',
  });
  const fit = fitLaw(chinchilla, runs, { objective: { kind: 'huber', delta: 1e-3 }, starts: 'default' });
  const draws = resamples
    ? {
        ...bootstrapSlice(chinchilla, runs, { law: 'chinchilla', objective: fit.objective, start: fit.theta, seed: 1, from: 0, to: resamples }),
        seed: 1,
        start: 'optimum' as const,
      }
    : undefined;
  return { report: fitReport(chinchilla, runs, fit, [5.88e23, 1e24, 1e25], 'default', draws), runs };
}

/** The FineWeb datamix of the Kempner sweep: knowledge and code against the validation loss, with the mix sweep. */
export async function kempnerSkills(): Promise<SkillsGroupResult> {
  const tbl = await where('datasets/kempner/runs.csv', 'datamix=fineweb');
  const runs = toRuns(tbl, { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_own' });
  const col = (c: string) => Float64Array.from(tbl.rows, (r) => Number(r.values[c]));
  const spec = (name: string, cols: string[]) => ({ name, members: cols.map((c) => ({ column: c, weight: 1, loss: col(c) })) });
  const knowledge = spec('knowledge', ['loss_task_arc_easy', 'loss_task_arc_challenge', 'loss_task_sciq', 'loss_task_openbook_qa']);
  const code = spec('code', ['loss_task_imbue_code_comprehension', 'loss_task_imbue_codegen']);
  return skillsAnalysis(runs, [knowledge, code], spec('loss_val_own', ['loss_val_own']), {
    isoflop: { method: 'parabola', intervals: { kind: 'bootstrap', resamples: 100, seed: 1 } },
    mix: { skills: ['knowledge', 'code'], steps: 6 },
    pooled: false,
  });
}

/**
 * The README's loss-to-loss backtest on two datamixes of the Kempner sweep, as `scalewise l2l` runs it: SmolLM
 * and StarCoder runs forecast from the FineWeb-Edu run of the same N and D, E from Kaplan fits, the top budget
 * (4.84e19 FLOP) held out.
 */
export async function kempnerL2l(): Promise<{ report: L2lReport; pairs: L2lGroupPairs[] }> {
  const tbl = await where('datasets/kempner/runs.csv', 'datamix!=fineweb', 'datamix!=proof_pile_2', 'datamix!=slimpajama');
  const options: L2lOptions = {
    x: 'loss_val_own',
    y: 'loss_val_own',
    where: [],
    checkpoints: 'final',
    xWhere: [parseFilter('datamix=fineweb_edu')],
    yWhere: [parseFilter('datamix!=fineweb_edu')],
    pairOn: ['params', 'tokens'],
    group: ['datamix'],
    params: 'params',
    tokens: 'tokens',
    flops: 'iso_flop',
    holdoutTop: 1,
    fitWhere: [],
    targetWhere: [],
    eLaw: 'kaplan',
    bootstrap: 0,
    seed: 0,
  };
  return l2lAnalysis.run(tbl, options, { readTable: () => Promise.reject(new Error('no files')), readText: async () => undefined });
}

/**
 * The six datamixes of the Kempner sweep through `skills --group datamix` (knowledge: ARC ×2, SciQ, OpenBookQA;
 * code: the two imbue tasks; 60 resamples, seed 1): the datamix differences against FineWeb and the per-dataset
 * view against Llama 3's law.
 */
export async function kempnerDatamixes(): Promise<SkillsAnalysisResult> {
  const tbl = await readTables([join(root, 'datasets/kempner/runs.csv')]);
  const members = (cols: string[]) => cols.map((column) => ({ column, weight: 1 }));
  return skillsAnalysisOf.run(tbl, {
    params: 'params',
    tokens: 'tokens',
    flops: 'iso_flop',
    group: ['datamix'],
    aggregate: 'loss_val_own',
    skills: [
      { name: 'knowledge', members: members(['loss_task_arc_easy', 'loss_task_arc_challenge', 'loss_task_sciq', 'loss_task_openbook_qa']), text: 'knowledge' },
      { name: 'code', members: members(['loss_task_imbue_code_comprehension', 'loss_task_imbue_codegen']), text: 'code' },
    ],
    bootstrap: 60,
    seed: 1,
    pooled: false,
    budget: [1e21],
    referenceLaw: 'llama3',
    perDataset: true,
  });
}

/**
 * A synthetic covariate (there are no sourced shares for the Kempner datamixes): five datamixes whose skill has
 * exponent a = 0.42 + 0.3·share (test/helpers/skill-sweeps.ts), 60 resamples.
 */
export async function syntheticCovariate(): Promise<SkillsAnalysisResult> {
  const shares = [0.1, 0.2, 0.3, 0.4, 0.5];
  const groups = shares.map((_, i) => `mix${i}`);
  const table = datamixTable(groups, (g) => ({ s: lawWithExponent(0.42 + 0.3 * shares[groups.indexOf(g)]!) }), 0.004, 5);
  const file = {
    columns: ['group', 'skill', 'share'],
    rows: groups.map((g, i) => ({ origin: { file: 'shares.csv', row: i + 1 }, values: { group: g, skill: 's', share: String(shares[i]) } })),
  };
  return skillsAnalysisOf.run(
    table,
    {
      params: 'N',
      tokens: 'D',
      flops: 'C',
      aggregate: 'agg',
      group: ['group'],
      skills: [{ name: 's', members: [{ column: 's', weight: 1 }], text: 's' }],
      bootstrap: 60,
      seed: 5,
      pooled: false,
      budget: [1e21],
      covariate: 'shares.csv',
    },
    { readTable: async () => file, readText: async () => undefined },
  );
}
