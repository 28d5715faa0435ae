/** Numbers as a person reads them, in every output (tables, warnings, figures, the dashboard). */

/** 4 significant digits; exponent notation outside [1e-3, 1e6). */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(digits - 1).replace('e+', 'e');
  return Number(v.toPrecision(digits)).toString();
}

/** `[lo, hi]`, each with {@link num}. */
export function range(lo: number, hi: number, digits = 4): string {
  return `[${num(lo, digits)}, ${num(hi, digits)}]`;
}
