/** How a plan from a saved fit is shown. */
import { num, range } from '../format/number.js';
import { planCurvesOf } from '../analyses/plan.js';
import type { MultiPlanReport, PlanReport } from '../schema/plan.js';
import { line, table, type Block } from './document.js';
import type { Presentation } from './presentation.js';

export function presentPlan(report: PlanReport | MultiPlanReport): Presentation {
  const blocks = 'fits' in report ? report.fits.flatMap((f) => planBlocks(f, f.label)) : planBlocks(report);
  return {
    json: report,
    blocks,
    warnings: report.warnings,
    figures: async (document) => {
      const curves = planCurvesOf(report);
      return curves ? (await import('../plots/sets.js')).planFigures(document, curves) : [];
    },
  };
}

const iv = (x: [number, number] | undefined, digits = 3) => (x ? range(x[0], x[1], digits) : '');
const beyond = (x: number) => (x <= 1 ? 'within data' : `${num(x, 2)}× beyond`);

export function planBlocks(r: PlanReport, label?: string): Block[] {
  const from = label !== undefined && label !== r.fit ? `${label}: ${r.law} plan from ${r.fit}` : `${r.law} plan from ${r.fit}`;
  const blocks: Block[] = [line(`${from}${r.group !== undefined ? ` (group ${r.group})` : ''}; asymptote E = ${num(r.E)}`)];
  if (r.plans.length > 0) {
    const ci = r.plans.some((p) => p.ci95);
    const ciC = r.plans.some((p) => p.ci95?.C);
    const pi = r.plans.some((p) => p.pi95);
    const target = r.plans.some((p) => p.targetLoss !== undefined);
    const cost = r.plans.some((p) => p.cost);
    const money = r.plans.some((p) => p.cost?.dollars !== undefined);
    blocks.push(
      line('Compute-optimal runs (C = 6ND)'),
      table(
        [
          ...(target ? ['target loss'] : []),
          'C (FLOP)',
          ...(ciC ? ['95% interval'] : []),
          'N_opt',
          ...(ci ? ['95% interval'] : []),
          'D_opt',
          ...(ci ? ['95% interval'] : []),
          'D/N',
          'loss',
          ...(ci ? ['95% interval'] : []),
          ...(pi ? ['pi95 (new run)'] : []),
          'vs largest fitted C',
          ...(cost ? ['GPU-hours'] : []),
          ...(money ? ['cost'] : []),
        ],
        r.plans.map((p) => [
          ...(target ? [p.targetLoss !== undefined ? num(p.targetLoss) : ''] : []),
          num(p.C, 3),
          ...(ciC ? [iv(p.ci95?.C)] : []),
          num(p.N, 3),
          ...(ci ? [iv(p.ci95?.N)] : []),
          num(p.D, 3),
          ...(ci ? [iv(p.ci95?.D)] : []),
          num(p.tokensPerParam, 3),
          num(p.loss),
          ...(ci ? [iv(p.ci95?.loss, 4)] : []),
          ...(pi ? [iv(p.pi95, 4)] : []),
          beyond(p.extrapolation),
          ...(cost ? [p.cost ? num(p.cost.gpuHours, 3) : ''] : []),
          ...(money ? [p.cost?.dollars !== undefined ? num(p.cost.dollars, 3) : ''] : []),
        ]),
      ),
    );
    const dc = r.plans.filter((p) => p.dataConstrained);
    if (dc.length > 0) {
      blocks.push(
        line(`Under a limit of ${num(dc[0]!.dataConstrained!.U, 3)} unique tokens (Muennighoff et al. 2023): the runs above repeat their data D/U times`),
        table(
          ['C (FLOP)', 'epochs', 'effective D′', 'effective N′', 'last token worth', 'unconstrained N_opt', 'D_opt', 'its epochs', 'its loss', 'loss gained'],
          dc.map((p) => {
            const d = p.dataConstrained!;
            return [
              num(p.C, 3),
              num(d.epochs, 3),
              num(d.effectiveD, 3),
              num(d.effectiveN, 3),
              num(d.lastTokenWorth, 3),
              num(d.unconstrained.N, 3),
              num(d.unconstrained.D, 3),
              num(d.unconstrained.epochs, 3),
              num(d.unconstrained.loss),
              num(d.unconstrained.loss - p.loss, 3),
            ];
          }),
        ),
      );
    }
    const inf = r.plans.filter((p) => p.inference);
    if (inf.length > 0) {
      const T = inf[0]!.inference!.tokens;
      blocks.push(
        line(`Inference-aware runs (Sardana et al. 2023): least 6ND + 2N·T at the same loss, T = ${num(T, 3)} inference tokens`),
        table(
          ['loss', 'N', 'D', 'D/N', 'training FLOP', 'inference FLOP', 'total FLOP', 'compute-optimal total', 'saving'],
          inf.map((p) => {
            const i = p.inference!;
            return [
              num(i.loss),
              num(i.N, 3),
              num(i.D, 3),
              num(i.tokensPerParam, 3),
              num(i.trainingFlops, 3),
              num(i.inferenceFlops, 3),
              num(i.totalFlops, 3),
              num(i.chinchilla.totalFlops, 3),
              `${num(i.saving.flops, 3)} (${num(100 * i.saving.fraction, 3)}%)`,
            ];
          }),
        ),
      );
    }
  }
  if (r.proposed.length > 0) {
    const ci = r.proposed.some((p) => p.ci95);
    blocks.push(
      line('Proposed runs against the frontier: deadweight = C − C of the compute-optimal run of the same loss'),
      table(
        [
          'N',
          'D',
          'C (FLOP)',
          'D/N',
          'loss',
          ...(ci ? ['95% interval'] : []),
          'optimal N',
          'optimal D',
          'optimal C',
          'deadweight',
          ...(ci ? ['95% interval'] : []),
        ],
        r.proposed.map((p) => [
          num(p.N, 3),
          num(p.D, 3),
          num(p.C, 3),
          num(p.tokensPerParam, 3),
          num(p.loss),
          ...(ci ? [iv(p.ci95?.loss, 4)] : []),
          num(p.optimal.N, 3),
          num(p.optimal.D, 3),
          num(p.optimal.C, 3),
          `${num(p.deadweight.flops, 3)} (${num(100 * p.deadweight.fraction, 3)}%)`,
          ...(ci ? [iv(p.ci95?.deadweight)] : []),
        ]),
      ),
    );
  }
  return blocks;
}
