/**
 * Shared look of every figure: palettes, tick formats and axis labels a reader of a scaling-law paper
 * expects. Pure: no DOM, no Node.
 */
import * as Plot from '@observablehq/plot';

/**
 * Categorical palette for skills, groups and laws: Okabe & Ito (2008), "Color Universal Design", ordered so
 * the first colours differ most for the common colour-vision deficiencies; their yellow (#F0E442) comes last
 * because it barely shows on white.
 */
export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

/** Colour of the i-th category (cycling through {@link OKABE_ITO}). */
export function categorical(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length]!;
}

/** Grey for excluded budgets and reference lines. */
export const MUTED = '#9a9a9a';

const viridis = Plot.scale({ color: { type: 'linear', scheme: 'viridis', domain: [0, 1] } });

/**
 * Sequential colours for ordered values (compute budgets): viridis, colour-blind safe and monotone in
 * lightness, stopped at 0.85 so the lightest colour still shows on white. `n` colours, dark to light.
 */
export function sequential(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(viridis.apply(n === 1 ? 0 : (0.85 * i) / (n - 1))));
}

/** Axis labels with units. */
export const LABEL = {
  N: 'parameters N',
  D: 'training tokens D',
  C: 'compute C (FLOP)',
  loss: 'loss (nats/token)',
  Nstar: 'compute-optimal parameters N*',
  Dstar: 'compute-optimal tokens D*',
} as const;

const SUFFIX: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Counts people read: 1e8 → "100M", 1.5e9 → "1.5B", 2e12 → "2T". */
export function formatCount(v: number): string {
  for (const [scale, s] of SUFFIX) if (Math.abs(v) >= scale) return `${trim(v / scale)}${s}`;
  return trim(v);
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Compute in FLOP as powers of ten: 1e20 → "10²⁰", 3e19 → "3×10¹⁹". */
export function formatFlop(v: number): string {
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = v / 10 ** e;
  const pow = `10${String(e)
    .split('')
    .map((d) => (d === '-' ? '⁻' : SUPERSCRIPT[Number(d)]))
    .join('')}`;
  return Math.abs(m - 1) < 1e-6 ? pow : `${trim(m)}×${pow}`;
}

/** Up to 3 significant digits without trailing zeros. */
export function trim(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * Tick values for a log axis over [lo, hi]: powers of ten, with 2× and 5× between them when the range spans
 * fewer than three decades (and every integer multiple when it spans less than one), so that a narrow range
 * still gets several labelled ticks and a wide one is not crowded.
 */
export function logTicks(lo: number, hi: number): number[] {
  const decades = Math.log10(hi / lo);
  const mantissas = decades < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : decades < 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** [min, max] of the finite positive values, padded by `pad` of the log range on each side. */
export function logExtent(values: Iterable<number>, pad = 0.05): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values)
    if (v > 0 && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!(lo <= hi)) return [1, 10];
  if (lo === hi) return [lo / 2, hi * 2];
  const r = Math.log(hi / lo) * pad;
  return [lo * Math.exp(-r), hi * Math.exp(r)];
}

/**
 * A log axis with readable ticks: a linear scale over log10 of the values. Plot's own log scale thins the
 * labels of explicit ticks (d3's log tick format drops 5× labels but keeps 2×); drawing in log10 space keeps
 * every tick {@link logTicks} chose labelled. Marks give raw values; the transform takes their log.
 */
export function logAxis(label: string, domain: [number, number], format: (v: number) => string): Plot.ScaleOptions {
  return {
    type: 'linear',
    transform: Math.log10,
    domain: domain.map(Math.log10),
    ticks: logTicks(domain[0], domain[1]).map(Math.log10),
    tickFormat: (v: number) => format(10 ** v),
    label,
    grid: true,
    labelAnchor: 'center',
    labelArrow: 'none',
  };
}

/** n values evenly spaced from lo to hi, both included. */
export function linSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** n values evenly spaced in log between lo and hi (inclusive). */
export function logSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
}
