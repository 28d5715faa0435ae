// The dashboard page: load run tables (the served study, a file picker, or drag-and-drop), map columns, choose
// skills, and move the validation-mix slider; the numeric core recomputes N*(C) in the page on every move.
import { num } from '../format/number.js';
import { parseTable, tableFormats } from '../data/parse.js';
import type { IsoflopResult } from '../methods/isoflop.js';
import { concatTables, type Table } from '../data/table.js';
import { applyFilters, parseFilter } from '../data/where.js';
import { UserError } from '../errors.js';
import { frontier, isoflopSeries } from '../plots/frontier.js';
import { isoflopCurves } from '../plots/isoflop-curves.js';
import {
  groupColumns,
  guessMapping,
  mixView,
  numericColumns,
  prepare,
  sliderWeights,
  type DashboardConfig,
  type DashboardInfo,
  type MixView,
  type Prepared,
} from './model.js';
import { downloadBlob, figureCsv, figureJson, svgToPng } from './export.js';
import { renderPlanner } from './planner.js';
import type { PlannerFit } from './plan-model.js';
import './style.css';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  table: null as Table | null,
  config: { params: '', skills: [], method: 'parabola' } as DashboardConfig,
  prepared: null as Prepared | null,
  groupIndex: 0,
  sliders: [] as number[],
  budget: null as number | null,
  view: null as MixView | null,
  /** Which figure is shown (and exported): the mix's IsoFLOP curves, or N*(C) per skill and for the mix. */
  figure: 'isoflop' as 'isoflop' | 'frontier',
};

/** Shows a user mistake as the CLI would print it (one line); anything else as an internal error. Never a blank page. */
function showError(err: unknown): void {
  const box = $('error');
  box.textContent =
    err instanceof UserError
      ? `scalewise: error: ${err.message}`
      : `scalewise: internal error (a bug; please report it): ${err instanceof Error ? err.message : String(err)}`;
  box.hidden = false;
}

function clearError(): void {
  $('error').hidden = true;
  $('error').textContent = '';
}

/** Runs `f`, turning any failure into the visible error message. */
async function guarded(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (err) {
    showError(err);
  }
}

async function loadFiles(files: { name: string; bytes: Uint8Array }[], keep?: Partial<DashboardConfig>, where: string[] = []): Promise<void> {
  const tables: Table[] = [];
  for (const f of files) tables.push(await parseTable(f.name, f.bytes));
  const table = applyFilters(
    concatTables(tables),
    where.map((w) => parseFilter(w)),
  );
  if (table.rows.length === 0) throw new UserError(`${files.map((f) => f.name).join(', ')}: no runs (the table has no data rows)`);
  const has = (c: string | undefined) => (c && table.columns.includes(c) ? c : undefined);
  const guess = guessMapping(table.columns);
  state.table = table;
  state.config = {
    params: has(keep?.params) ?? guess.params,
    // Keep the user's mapping where the new table has those columns; guess the rest by name.
    tokens: has(keep?.tokens) ?? guess.tokens,
    flops: has(keep?.flops) ?? guess.flops,
    group: has(keep?.group),
    skills: (keep?.skills ?? []).filter((s) => s.columns.every((c) => table.columns.includes(c))),
    method: keep?.method ?? 'parabola',
    ...(keep?.band ? { band: keep.band } : {}),
  };
  if (state.config.skills.length === 0) state.config.skills = [{ name: 'skill 1', columns: [] }];
  $('source').textContent = `${files.map((f) => f.name).join(', ')} · ${table.rows.length} runs · ${table.columns.length} columns`;
  state.sliders = [];
  state.groupIndex = 0;
  renderControls();
  reprepare();
}

/** Options of a <select>; `none` adds an empty choice first. */
function fillSelect(sel: HTMLSelectElement, values: string[], selected: string | undefined, none?: string): void {
  sel.replaceChildren(...(none !== undefined ? [new Option(none, '')] : []), ...values.map((v) => new Option(v, v)));
  sel.value = selected ?? '';
}

function renderControls(): void {
  const t = state.table!;
  const numeric = numericColumns(t);
  const c = state.config;
  fillSelect($('col-params'), numeric, c.params);
  fillSelect($('col-tokens'), numeric, c.tokens, '— none (C/6N) —');
  fillSelect($('col-flops'), numeric, c.flops, '— 6·N·D —');
  fillSelect($('col-group'), groupColumns(t), c.group, '— all runs —');
  ($('method') as HTMLSelectElement).value = c.method;
  // Loss-like columns first: those are what skills are made of.
  const rest = numeric.filter((col) => col !== c.params && col !== c.tokens && col !== c.flops);
  const losses = [...rest.filter((col) => /loss/i.test(col)), ...rest.filter((col) => !/loss/i.test(col))];
  const list = $('skills');
  list.replaceChildren();
  c.skills.forEach((s, k) => {
    const box = document.createElement('div');
    box.className = 'skill';
    box.dataset.skill = String(k);
    const name = document.createElement('input');
    name.value = s.name;
    name.className = 'skill-name';
    name.setAttribute('aria-label', `name of skill ${k + 1}`);
    name.addEventListener('change', () => {
      s.name = name.value.trim() || `skill ${k + 1}`;
      void guarded(() => {
        renderSliders();
        update();
      });
    });
    const remove = document.createElement('button');
    remove.textContent = '×';
    remove.title = 'remove this skill';
    remove.className = 'remove';
    remove.disabled = c.skills.length === 1;
    remove.addEventListener('click', () => {
      c.skills.splice(k, 1);
      state.sliders = [];
      renderControls();
      reprepare();
    });
    const cols = document.createElement('select');
    cols.multiple = true;
    cols.size = 7;
    cols.className = 'skill-columns';
    cols.setAttribute('aria-label', `loss columns of skill ${k + 1}`);
    for (const col of losses) cols.append(new Option(col, col, false, s.columns.includes(col)));
    // A new choice of columns averages them with equal weights (a study's weights apply to its own columns).
    cols.addEventListener('change', () => {
      s.columns = [...cols.selectedOptions].map((o) => o.value);
      delete s.weights;
      reprepare();
    });
    const head = document.createElement('div');
    head.className = 'skill-head';
    head.append(name, remove);
    box.append(head, cols);
    list.append(box);
    // Scroll each list to its first chosen column, so the choice is visible without scrolling by hand.
    const first = cols.selectedOptions[0];
    if (first) cols.scrollTop = (first.index * cols.scrollHeight) / cols.options.length - 4;
  });
}

/** Column mapping, skills, group column or method changed: validate and recompute the per-skill analyses. */
function reprepare(): void {
  state.prepared = null;
  state.view = null;
  clearError();
  const c = state.config;
  if (c.skills.some((s) => s.columns.length === 0)) {
    $('figure').replaceChildren(hint('Choose one or more loss columns for every skill (hold Ctrl/⌘ to select several).'));
    $('numbers').replaceChildren();
    return;
  }
  try {
    state.prepared = prepare(state.table!, c);
  } catch (err) {
    $('figure').replaceChildren();
    $('numbers').replaceChildren();
    showError(err);
    return;
  }
  const groups = state.prepared.groups;
  state.groupIndex = Math.min(state.groupIndex, groups.length - 1);
  const gsel = $('group-value') as HTMLSelectElement;
  fillSelect(
    gsel,
    groups.map((g) => g.group ?? 'all runs'),
    groups[state.groupIndex]!.group ?? 'all runs',
  );
  gsel.disabled = groups.length === 1;
  if (state.sliders.length !== c.skills.length) state.sliders = c.skills.length === 2 ? [50, 50] : c.skills.map(() => 100);
  renderSliders();
  update();
}

function renderSliders(): void {
  const c = state.config;
  const box = $('sliders');
  box.replaceChildren();
  const names = c.skills.map((s) => s.name);
  // Two skills: one slider, the weight w of the first (the second gets 1 − w). More: one per skill, normalised.
  const inputs = c.skills.length === 2 ? [0] : c.skills.map((_, k) => k);
  for (const k of inputs) {
    const row = document.createElement('label');
    row.className = 'slider';
    const text = document.createElement('span');
    text.textContent = c.skills.length === 2 ? `w on ${names[0]} (vs ${names[1]})` : names[k]!;
    const input = document.createElement('input');
    input.type = 'range';
    input.min = '0';
    input.max = '100';
    input.step = '1';
    input.id = c.skills.length === 2 ? 'mix-w' : `mix-${k}`;
    input.value = String(state.sliders[k]);
    input.addEventListener('input', () => {
      const v = Number(input.value);
      if (c.skills.length === 2) state.sliders = [v, 100 - v];
      else state.sliders[k] = v;
      void guarded(update);
    });
    row.append(text, input);
    box.append(row);
  }
  const weights = document.createElement('div');
  weights.id = 'mix-weights';
  box.append(weights);
}

function mixLabel(weights: number[]): string {
  return weights.map((w, k) => `${num(w, 2)} ${state.config.skills[k]!.name}`).join(' + ');
}

/** The slider's path: mixed loss → IsoFLOP analysis → figure and table. Synchronous, so one input event is one update. */
function update(): void {
  const p = state.prepared;
  if (!p) return;
  const data = p.groups[state.groupIndex]!;
  const weights = sliderWeights(state.sliders);
  const view = mixView(data, weights, p.config.method);
  state.view = view;
  $('mix-weights').textContent = mixLabel(weights);
  const budgets = view.result.budgets.map((b) => b.C);
  if (state.budget === null || !budgets.includes(state.budget)) state.budget = budgets[budgets.length - 1] ?? null;
  const bsel = $('budget') as HTMLSelectElement;
  if (bsel.options.length !== budgets.length || [...bsel.options].some((o, j) => Number(o.value) !== budgets[j])) {
    // One at a time: a spread of every budget would meet the engine's argument limit on a checkpoint table.
    bsel.replaceChildren();
    for (const C of budgets) bsel.append(new Option(`${num(C, 3)} FLOP`, String(C)));
  }
  bsel.value = String(state.budget);
  // The same figures `scalewise isoflop/skills --plot` writes (src/plots), drawn in the page.
  const group = data.group === null ? null : `${p.config.group} = ${data.group}`;
  const svg =
    state.figure === 'isoflop'
      ? isoflopCurves(document, { result: view.result, points: view.points, group, lossLabel: `validation mix loss (${mixLabel(weights)})` })
      : frontier(document, {
          title: `Compute-optimal frontier${group ? ` — ${group}` : ''}`,
          series: [...p.config.skills.map((s, k) => isoflopSeries(s.name, data.skills[k]!)), isoflopSeries(`mix (${mixLabel(weights)})`, view.result)],
          note: `The mix is the validation loss ${mixLabel(weights)}; move the slider to change it.`,
        });
  $('figure').replaceChildren(svg);
  renderNumbers(view, data.skills);
}

function renderNumbers(view: MixView, skills: IsoflopResult[]): void {
  const names = state.config.skills.map((s) => s.name);
  const fit = view.result.fit;
  const sel = view.result.budgets.find((b) => b.C === state.budget);
  const summary = document.createElement('div');
  summary.className = 'summary';
  const card = (label: string, value: string, id: string) => {
    const d = document.createElement('div');
    d.className = 'card';
    d.innerHTML = `<div class="label"></div><div class="value" id="${id}"></div>`;
    d.querySelector('.label')!.textContent = label;
    d.querySelector('.value')!.textContent = value;
    return d;
  };
  const band = view.band;
  const selCi = sel?.ci95?.N;
  summary.append(
    card(
      `N* of the mix at ${state.budget === null ? '—' : num(state.budget, 3)} FLOP`,
      sel && !sel.excluded && sel.N !== null ? num(sel.N, 3) : 'no minimum',
      'selected-nstar',
    ),
    ...(band ? [card('its 95% interval', selCi ? `[${num(selCi[0], 3)}, ${num(selCi[1], 3)}]` : '—', 'selected-nstar-ci')] : []),
    card('exponent a of N* ∝ C^a (mix)', fit ? `${num(fit.a, 3)}` : '—', 'mix-a'),
    card('budgets with an interior minimum', `${fit?.budgets ?? 0} of ${view.result.budgets.length}`, 'mix-budgets'),
  );
  const table = document.createElement('table');
  table.id = 'nstar-table';
  const head = table.createTHead().insertRow();
  for (const h of ['C (FLOP)', 'N* (mix)', ...(band ? ['95% interval of N* (mix)'] : []), 'D* (mix)', 'loss* (mix)', ...names.map((n) => `N* ${n}`)]) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  view.result.budgets.forEach((b, j) => {
    const tr = body.insertRow();
    tr.dataset.budget = num(b.C, 3);
    if (b.C === state.budget) tr.className = 'selected';
    const ok = !b.excluded && b.N !== null;
    const ci = band?.[j];
    const cells: [string, string, string?][] = [
      ['c', num(b.C, 3)],
      ['nstar', nStar(b), ok ? '' : b.reason],
      ...(band ? [['nstar-ci', ci ? `[${num(ci.N[0], 3)}, ${num(ci.N[1], 3)}]` : '—'] as [string, string]] : []),
      ['dstar', ok ? num(b.D!, 3) : '—'],
      ['loss', ok ? num(b.loss!, 4) : '—'],
      ...skills.map((r, k): [string, string] => [`skill skill-${k}`, nStar(r.budgets[j]!)]),
    ];
    for (const [cls, text, title] of cells) {
      const td = tr.insertCell();
      td.className = cls;
      td.textContent = text;
      if (title) td.title = title;
      // The interval's ends at full precision, for the exports' readers and the tests.
      if (cls === 'nstar-ci' && ci) {
        td.dataset.lo = String(ci.N[0]);
        td.dataset.hi = String(ci.N[1]);
      }
    }
  });
  const foot = document.createElement('p');
  foot.className = 'note';
  const r = state.prepared?.groups[state.groupIndex]?.resamples;
  foot.textContent =
    `N* per budget: ${view.result.method === 'parabola' ? 'the vertex of a least-squares parabola of loss in log N' : 'the minimum of an Akima interpolant of log loss in log N'}, as \`scalewise skills --mix\`; "edge" = the minimum is at the smallest or largest size tried, so the budget is left out of the fit.` +
    (band && r
      ? ` 95% interval (the band in the figures): the runs resampled within each budget, ${r.resamples} times, drawn once; on every move the mix is refitted on the same resamples, as \`scalewise skills --mix … --bootstrap ${r.resamples} --seed ${r.seed}\`.`
      : '');
  $('numbers').replaceChildren(summary, table, foot);
}

function hint(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = text;
  return p;
}

function fileName(suffix: string): string {
  const g = state.prepared?.groups[state.groupIndex]?.group;
  return `scalewise-mix${g ? `-${g}` : ''}.${suffix}`;
}

/** A budget's N* as the table shows it: the value; "edge" when the minimum is at the smallest or largest size tried; else "—". */
function nStar(b: { excluded?: unknown; N: number | null }): string {
  return !b.excluded && b.N !== null ? num(b.N, 3) : b.excluded === 'edge-min' ? 'edge' : '—';
}

function wire(): void {
  const picker = $('file') as HTMLInputElement;
  picker.accept = tableFormats.join(',');
  const readUploads = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files = await Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    clearError();
    await loadFiles(files, state.table ? state.config : undefined);
  };
  picker.addEventListener('change', () => void guarded(() => readUploads(picker.files)));
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    void guarded(() => readUploads(e.dataTransfer?.files ?? null));
  });
  const onMapping = (key: 'params' | 'tokens' | 'flops' | 'group', id: string) =>
    $(id).addEventListener('change', () => {
      state.config[key] = ($(id) as HTMLSelectElement).value || ((key === 'params' ? '' : undefined) as string);
      renderControls();
      reprepare();
    });
  onMapping('params', 'col-params');
  onMapping('tokens', 'col-tokens');
  onMapping('flops', 'col-flops');
  onMapping('group', 'col-group');
  $('method').addEventListener('change', () => {
    state.config.method = ($('method') as HTMLSelectElement).value as DashboardConfig['method'];
    reprepare();
  });
  $('group-value').addEventListener('change', () => {
    state.groupIndex = ($('group-value') as HTMLSelectElement).selectedIndex;
    void guarded(update);
  });
  $('budget').addEventListener('change', () => {
    state.budget = Number(($('budget') as HTMLSelectElement).value);
    void guarded(update);
  });
  for (const kind of ['isoflop', 'frontier'] as const) {
    $(`show-${kind}`).addEventListener('click', () => {
      state.figure = kind;
      for (const k of ['isoflop', 'frontier']) $(`show-${k}`).setAttribute('aria-pressed', String(k === kind));
      void guarded(update);
    });
  }
  $('add-skill').addEventListener('click', () => {
    if (!state.table) return;
    state.config.skills.push({ name: `skill ${state.config.skills.length + 1}`, columns: [] });
    state.sliders = [];
    renderControls();
    reprepare();
  });
  const svg = () => $('figure').querySelector('svg');
  $('export-svg').addEventListener('click', () => {
    const s = svg();
    if (s) downloadBlob(new Blob([new XMLSerializer().serializeToString(s)], { type: 'image/svg+xml' }), fileName('svg'));
  });
  $('export-png').addEventListener(
    'click',
    () =>
      void guarded(async () => {
        const s = svg();
        if (s) downloadBlob(await svgToPng(s, 2), fileName('png'));
      }),
  );
  const numbers = () => (state.view && state.prepared ? { view: state.view, prepared: state.prepared, groupIndex: state.groupIndex } : null);
  $('export-csv').addEventListener('click', () => {
    const n = numbers();
    if (n) downloadBlob(new Blob([figureCsv(n)], { type: 'text/csv' }), fileName('csv'));
  });
  $('export-json').addEventListener('click', () => {
    const n = numbers();
    if (n) downloadBlob(new Blob([figureJson(n)], { type: 'application/json' }), fileName('json'));
  });
}

async function start(): Promise<void> {
  wire();
  const info = (await (await fetch('/api/study')).json()) as DashboardInfo;
  document.title = `${info.title} — scalewise`;
  const files = await Promise.all(
    info.files.map(async (f) => {
      const res = await fetch(f.url);
      if (!res.ok) throw new UserError(`${f.name}: cannot read file (${(await res.text()).trim() || res.statusText})`);
      return { name: f.name, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
  await loadFiles(files, info.config, info.where);
  // The planner: the saved fits the server was given (serve --fit, the study's plan entries), if any.
  const fits = (await (await fetch('/api/fits')).json()) as PlannerFit[];
  renderPlanner($('planner'), fits, showError);
}

void guarded(start).finally(() => {
  document.body.dataset.ready = 'true';
});
