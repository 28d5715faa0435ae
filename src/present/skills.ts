/** How a skills analysis is shown. */
import type { SkillsAnalysisResult, SkillsGroup } from '../analyses/skills.js';
import { num, range } from '../format/number.js';
import { gap, heading, line, table, type Block } from './document.js';
import { atBudgetBlocks, comparisonBlocks, datasetBlocks } from './skills-comparisons.js';
import type { Presentation } from './presentation.js';
import { prefixed } from '../warnings.js';

export function presentSkills(result: SkillsAnalysisResult): Presentation {
  const { groups, groupComparison, covariate, checkpoints } = result;
  const warnings = groups.flatMap((g) =>
    [...g.skills, g.aggregate].flatMap((s) => {
      const at = `${g.group === null ? '' : `[${g.group}] `}${s.name}`;
      return [...s.isoflop.warnings.map((w) => prefixed(`${at}: `, w)), ...(s.pooled?.warnings ?? []).map((w) => prefixed(`${at}: pooled L(N,D) fit: `, w))];
    }),
  );
  if (covariate) warnings.push(...covariate.warnings);
  if (checkpoints) warnings.unshift(...checkpoints.warnings);
  return {
    json: { groups, ...(groupComparison ? { groupComparison } : {}), ...(covariate ? { covariate } : {}), ...(checkpoints ? { checkpoints } : {}) },
    blocks: [...skillsBlocks(groups), ...comparisonBlocks(result)],
    warnings,
    figures: async (document) => (await import('../plots/sets.js')).skillsFigures(document, groups, result),
  };
}

export function skillsBlocks(groups: SkillsGroup[]): Block[] {
  const out: Block[] = [];
  for (const g of groups) {
    if (g.group !== null) out.push(heading(g.group));
    const all = [...g.skills, g.aggregate];
    const budgets = g.aggregate.isoflop.budgets.map((b) => b.C);
    out.push(line('N* per budget (per-budget optimum; "edge" or "—" where the curve has no interior minimum)'));
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
    out.push(gap);
    out.push(
      table(
        ['skill', 'a (per-budget fit)', '95% interval', 'Δa vs aggregate', 'budgets', 'a (pooled L(N,D) fit)'],
        all.map((s) => [
          s.name,
          s.isoflop.fit ? num(s.isoflop.fit.a, 3) : '—',
          s.isoflop.fit?.ci95 ? range(s.isoflop.fit.ci95.a[0], s.isoflop.fit.ci95.a[1], 3) : '',
          !s.deltaA
            ? ''
            : s.deltaA.value === null
              ? '—'
              : `${num(s.deltaA.value, 3)}${s.deltaA.ci95 ? ` ${range(s.deltaA.ci95[0], s.deltaA.ci95[1], 3)}` : ''}`,
          String(s.isoflop.fit?.budgets ?? 0),
          s.pooled
            ? `${num(s.pooled.a, 3)}${s.pooled.ci95 ? ` ${range(s.pooled.ci95.a[0], s.pooled.ci95.a[1], 3)}` : ''}${s.pooled.warnings.length ? ' (untrusted)' : ''}`
            : '',
        ]),
      ),
    );
    out.push(...atBudgetBlocks(g), ...datasetBlocks(g));
    if (g.mix) {
      const m = g.mix;
      const label = (i: number | null) => (i === null ? '—' : m.weights[i]!.map((w, k) => `${num(w, 2)} ${m.skills[k]}`).join(' + '));
      out.push(gap);
      out.push(line(`Validation mix sweep over ${m.skills.join(', ')} (${m.weights.length} mixes): how far the validation set moves N*`));
      // With draws: the interval of max/min (paired draws) and whether it excludes 1.
      const drawn = m.budgets.some((b) => b.Nci95 !== undefined);
      out.push(
        table(
          ['C (FLOP)', 'mixes with a minimum', 'max/min N*', ...(drawn ? ['95% interval', 'beyond noise'] : []), 'largest N* at', 'smallest N* at'],
          m.budgets.map((b) => [
            num(b.C, 3),
            `${b.N.filter((v) => v !== null).length}/${b.N.length}`,
            b.maxOverMin === null ? '—' : num(b.maxOverMin, 3),
            ...(drawn ? [b.ci95 ? range(b.ci95[0], b.ci95[1], 3) : '—', b.beyondNoise === null ? '—' : b.beyondNoise ? 'yes' : 'no'] : []),
            label(b.argmax),
            label(b.argmin),
          ]),
        ),
      );
    }
    out.push(gap);
  }
  if (groups.length > 1) {
    // How each skill's optimum shifts between groups (datamixes): exponent, and N* at the largest budget.
    const names = [...groups[0]!.skills.map((s) => s.name), groups[0]!.aggregate.name];
    const top = groups[0]!.aggregate.isoflop.budgets.reduce((m, b) => Math.max(m, b.C), -Infinity);
    out.push(line(`Across groups: a per skill (per-budget fit), and N* at C = ${num(top, 3)}`));
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
  return out;
}
