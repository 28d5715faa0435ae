/** The tables of skills' comparisons: N* at the user's budgets, the per-dataset view, datamix differences and the covariate line. */
import type { SkillsAnalysisResult, SkillsGroup } from '../analyses/skills.js';
import type { CovariateLine } from '../methods/skill-covariate.js';
import { num, range } from '../format/number.js';
import { gap, line, table, type Block } from './document.js';

const withCi = (v: number | null, ci: [number, number] | undefined, digits = 3) =>
  v === null ? '—' : ci ? `${num(v, digits)} ${range(ci[0], ci[1], 2)}` : num(v, digits);
const verdict = (b: boolean | undefined) => (b === undefined ? '—' : b ? 'yes' : 'no');

/** Per group: N* of every skill at the user's budgets from its power law, against the aggregate and the reference law. */
export function atBudgetBlocks(g: SkillsGroup): Block[] {
  const all = [...g.skills, g.aggregate];
  if (!all.some((s) => s.atBudgets)) return [];
  const law = all.some((s) => s.atBudgets!.some((b) => b.toReference));
  const out: Block[] = [gap, line(`N* at the given budgets from each power law N* = k·C^a${law ? ', against the reference law' : ''}`)];
  out.push(
    table(
      ['skill', 'C (FLOP)', 'N*', 'N*/aggregate', ...(law ? ['N*/reference'] : [])],
      all.flatMap((s) =>
        s.atBudgets!.map((b) => [
          s.name,
          num(b.C, 3),
          b.N === null ? '—' : b.ci95 ? `${num(b.N, 3)} ${range(b.ci95[0], b.ci95[1], 2)}` : num(b.N, 3),
          b.toAggregate ? withCi(b.toAggregate.ratio, b.toAggregate.ci95) : '',
          ...(law ? [b.toReference ? withCi(b.toReference.ratio, b.toReference.ci95) : ''] : []),
        ]),
      ),
    ),
  );
  return out;
}

/** Per group with --per-dataset: per skill and budget, the distribution of log(N*_column/N*_reference). */
export function datasetBlocks(g: SkillsGroup): Block[] {
  if (!g.datasets) return [];
  const out: Block[] = [gap, line(`Per dataset: ln(N*_column / N*_${g.datasets.reference}) per budget, over each skill's member columns with a minimum`)];
  out.push(
    table(
      ['skill', 'C (FLOP)', 'columns', 'min', 'q1', 'median', 'q3', 'max'],
      g.datasets.skills.flatMap((s) =>
        s.budgets.map((b) => {
          const f = b.logRatio;
          return [
            s.name,
            num(b.C, 3),
            `${f?.count ?? 0}/${s.columns.length}`,
            ...(f ? [f.min, f.q1, f.median, f.q3, f.max].map((v) => num(v, 3)) : ['—', '—', '—', '—', '—']),
          ];
        }),
      ),
    ),
  );
  return out;
}

const lineText = (l: CovariateLine | null, digits = 3) =>
  l === null ? ['—', ''] : [`${num(l.intercept, digits)} + ${num(l.slope, digits)}·share`, l.slopeCi95 ? range(l.slopeCi95[0], l.slopeCi95[1], 3) : ''];

/** Across groups: differences to the reference group with intervals, and the covariate lines. */
export function comparisonBlocks(result: SkillsAnalysisResult): Block[] {
  const out: Block[] = [];
  const c = result.groupComparison;
  if (c) {
    const budgetsOfReference = result.groups.find((g) => g.group === c.reference)!.aggregate.isoflop.budgets.length;
    out.push(
      gap,
      line(
        `Datamix differences against ${c.reference}: Δa = a(group) − a(${c.reference}), and N*(group)/N*(${c.reference}) at ${c.budgets.map((C) => num(C, 3)).join(', ')} from the power laws`,
      ),
    );
    out.push(
      table(
        ['skill', 'group', 'paired budgets', 'Δa', 'beyond noise', ...c.budgets.flatMap((C) => [`N* ratio at ${num(C, 3)}`, 'beyond noise'])],
        c.skills.flatMap((s) =>
          s.groups.map((g) => [
            s.name,
            g.group,
            `${g.pairedBudgets}/${budgetsOfReference}`,
            g.deltaA.value === null
              ? '—'
              : g.deltaA.ci95
                ? `${num(g.deltaA.value, 3)} ${range(g.deltaA.ci95[0], g.deltaA.ci95[1], 3)}`
                : num(g.deltaA.value, 3),
            verdict(g.deltaA.beyondNoise),
            ...g.ratioN.flatMap((r) => [withCi(r.value, r.ci95), verdict(r.beyondNoise)]),
          ]),
        ),
      ),
    );
  }
  const cov = result.covariate;
  if (cov) {
    out.push(
      gap,
      line(`Against the covariate (share of skill-relevant data): a, and ln N* at C = ${num(cov.budget, 3)}, weighted least squares over the groups`),
    );
    out.push(
      table(
        ['skill', 'groups', 'a = …', 'slope 95% interval', 'ln N* = …', 'slope 95% interval'],
        cov.skills.map((s) => [s.name, String(s.points.filter((p) => p.a !== null).length), ...lineText(s.a), ...lineText(s.logN)]),
      ),
    );
  }
  return out;
}
