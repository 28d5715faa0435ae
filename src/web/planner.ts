// The dashboard's planner: a log-scale budget slider and, per saved fit (arm), the compute-optimal N*, D*,
// tokens per parameter and loss at that budget with their intervals, computed in the page (src/web/plan-model.ts).
import { num, range } from '../format/number.js';
import { budgetAt, budgetRange, plansAt, SLIDER_STEPS, type PlannerFit } from './plan-model.js';

const iv = (x: [number, number] | undefined, digits = 3) => (x ? range(x[0], x[1], digits) : '—');

/** Fills `box` with the slider and the table; returns nothing when there are no fits (the section stays hidden). */
export function renderPlanner(box: HTMLElement, fits: PlannerFit[], onError: (err: unknown) => void): void {
  if (fits.length === 0) return;
  box.hidden = false;
  const span = budgetRange(fits);
  const head = document.createElement('h2');
  head.textContent = 'Planner: the compute-optimal run at a budget, per fit';
  const row = document.createElement('label');
  row.className = 'slider planner-slider';
  const text = document.createElement('span');
  const input = document.createElement('input');
  input.type = 'range';
  input.id = 'plan-budget';
  input.min = '0';
  input.max = String(SLIDER_STEPS);
  input.step = '1';
  input.value = String(Math.round(SLIDER_STEPS * ((span[1] - 3 - span[0]) / (span[1] - span[0]))));
  input.setAttribute('aria-label', 'training budget C (log scale)');
  row.append(text, input);
  const out = document.createElement('div');
  out.id = 'plan-table-box';
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent =
    'As `scalewise plan FIT.json --also … --budget C`: N* and D* from each fit’s closed-form allocation, intervals over its saved bootstrap draws, pi95 for a new run from its calibration. The slider is logarithmic, from the smallest fitted C to 1000× beyond the largest.';
  box.replaceChildren(head, row, out, note);
  const update = () => {
    try {
      const C = budgetAt(span, Number(input.value));
      text.textContent = `budget C = ${num(C, 4)} FLOP`;
      text.dataset.c = String(C);
      text.id = 'plan-budget-value';
      out.replaceChildren(planTable(plansAt(fits, C)));
    } catch (err) {
      onError(err);
    }
  };
  input.addEventListener('input', update);
  update();
}

function planTable(plans: ReturnType<typeof plansAt>): HTMLTableElement {
  const table = document.createElement('table');
  table.id = 'plan-table';
  const head = table.createTHead().insertRow();
  for (const h of ['fit', 'N*', '95% interval', 'D*', '95% interval', 'D/N', 'loss', '95% interval', 'pi95 (new run)', 'vs largest fitted C']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const { label, report } of plans) {
    const p = report.plans[0]!;
    const tr = body.insertRow();
    tr.dataset.fit = label;
    const cells: [string, string][] = [
      ['fit', label],
      ['n', num(p.N, 3)],
      ['n-ci', iv(p.ci95?.N)],
      ['d', num(p.D, 3)],
      ['d-ci', iv(p.ci95?.D)],
      ['m', num(p.tokensPerParam, 3)],
      ['loss', num(p.loss)],
      ['loss-ci', iv(p.ci95?.loss, 4)],
      ['loss-pi', iv(p.pi95, 4)],
      ['beyond', p.extrapolation <= 1 ? 'within data' : `${num(p.extrapolation, 2)}× beyond`],
    ];
    for (const [cls, value] of cells) {
      const td = tr.insertCell();
      td.className = cls;
      td.textContent = value;
    }
  }
  return table;
}
