// Exports of the current view: the figure as SVG or PNG, the numbers behind it as CSV or JSON.
import type { MixView, Prepared } from './model.js';

export interface NumbersInput {
  view: MixView;
  prepared: Prepared;
  groupIndex: number;
}

/** Hands a blob to the browser as a download. */
export function downloadBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Rasterises the (self-contained) SVG at `scale`× its size. */
export async function svgToPng(svg: SVGSVGElement, scale: number): Promise<Blob> {
  const w = Number(svg.getAttribute('width')),
    h = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = w * scale;
    canvas.height = h * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Per budget: the mix's optimum and each skill's N* (null where the curve has no interior minimum). */
function rows({ view, prepared, groupIndex }: NumbersInput) {
  const g = prepared.groups[groupIndex]!;
  return view.result.budgets.map((b, j) => ({
    C: b.C,
    N: b.excluded ? null : b.N,
    D: b.excluded ? null : b.D,
    loss: b.excluded ? null : b.loss,
    excluded: b.excluded,
    ...(view.band ? { ci95: view.band[j]?.N ?? null } : {}),
    skills: Object.fromEntries(
      prepared.config.skills.map((s, k) => {
        const sb = g.skills[k]!.budgets[j]!;
        return [s.name, sb.excluded ? null : sb.N];
      }),
    ),
  }));
}

export function figureCsv(input: NumbersInput): string {
  const names = input.prepared.config.skills.map((s) => s.name);
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const band = !!input.view.band;
  const lines = [
    ['C', 'N_star', ...(band ? ['N_star_lo', 'N_star_hi'] : []), 'D_star', 'loss_star', 'excluded', ...names.map((n) => `N_star_${n}`)].map(q).join(','),
  ];
  for (const r of rows(input)) {
    const ci = band ? [r.ci95?.[0] ?? '', r.ci95?.[1] ?? ''] : [];
    lines.push([r.C, r.N ?? '', ...ci, r.D ?? '', r.loss ?? '', r.excluded ?? '', ...names.map((n) => r.skills[n] ?? '')].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function figureJson(input: NumbersInput): string {
  const { view, prepared, groupIndex } = input;
  const g = prepared.groups[groupIndex]!;
  return `${JSON.stringify(
    {
      group: g.group,
      config: prepared.config,
      weights: Object.fromEntries(prepared.config.skills.map((s, k) => [s.name, view.weights[k]])),
      method: view.result.method,
      budgets: rows(input),
      fit: view.result.fit,
      skillFits: Object.fromEntries(prepared.config.skills.map((s, k) => [s.name, g.skills[k]!.fit])),
      warnings: view.result.warnings,
    },
    null,
    2,
  )}\n`;
}
