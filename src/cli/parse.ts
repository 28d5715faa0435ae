import { UserError } from '../errors.js';

/** A positive finite number from a flag, or a UserError naming the flag. */
export function positiveNumber(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UserError(`${flag} "${text}": expected a positive number`);
  return v;
}

/** A non-negative integer from a flag. */
export function count(flag: string, text: string): number {
  const v = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(v)) throw new UserError(`${flag} "${text}": expected a whole number >= 0`);
  return v;
}

/** Comma-separated positive numbers: `--budget 1e21,5.88e23`. */
export function positiveList(flag: string, text: string): number[] {
  return text.split(',').map((t) => positiveNumber(flag, t.trim()));
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
