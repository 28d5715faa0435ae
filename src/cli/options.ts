/**
 * The CLI's side of the option declarations: each spec becomes a Commander option (`--kebab-key <ARG>`), and
 * the strings Commander collects become the typed values the analysis takes. Messages name the flag.
 */
import { MAX_COUNT } from '../options/check.js';
import { Option, type Command } from 'commander';
import { decimal } from '../data/columns.js';
import { parseFilter } from '../data/where.js';
import { UserError } from '../errors.js';
import { flagName, offFlag, type OptionSpec, type OptionSpecs } from '../options/option.js';

/** Adds one Commander option per spec (positional options are the command's argument, and also a flag). */
export function addOptions(cmd: Command, specs: OptionSpecs): Command {
  for (const [key, spec] of Object.entries(specs)) {
    cmd.addOption(commanderOption(key, spec));
    // A former name still works (hidden from --help); parseOptions says it is deprecated.
    for (const old of spec.deprecated ?? []) cmd.addOption(commanderOption(old, { ...spec, flag: undefined, deprecated: undefined }).hideHelp());
  }
  return cmd;
}

function commanderOption(key: string, spec: OptionSpec): Option {
  const flag = flagName(key, spec);
  const shown =
    spec.default !== undefined && !(Array.isArray(spec.default) && spec.default.length === 0) && spec.kind !== 'switch'
      ? ` (default: ${String(spec.default)})`
      : '';
  if (spec.kind === 'switch') return spec.negatable ? new Option(offFlag(key), spec.doc) : new Option(flag, spec.doc);
  const arg = spec.arg ?? 'VALUE';
  const opt = new Option(`${flag} <${arg}>`, spec.doc + shown);
  if (spec.kind === 'conditions' || (spec.kind === 'custom' && spec.repeated)) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  return opt;
}

/**
 * Commander's strings → typed option values, defaults filled in; `given` holds what the user typed. A former
 * flag still counts, and adds a line to `notices`.
 */
export function parseOptions<T>(specs: OptionSpecs, given: Record<string, unknown>, notices: string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    // Commander names the value after the flag (`--skill` → `skill`).
    let raw = given[spec.flag ? spec.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) : key];
    for (const old of spec.deprecated ?? []) {
      if (given[old] === undefined) continue;
      notices.push(`${flagName(old)} is deprecated: use ${flagName(key, spec)}`);
      raw ??= given[old];
    }
    if (raw === undefined) {
      if (spec.default !== undefined) out[key] = spec.default;
      continue;
    }
    out[key] = parsedValue(spec, raw, flagName(key, spec));
  }
  return out as T;
}

function parsedValue(spec: OptionSpec, raw: unknown, flag: string): unknown {
  switch (spec.kind) {
    case 'switch':
      return raw as boolean;
    case 'conditions':
      return (raw as string[]).map((w) => parseFilter(w, flag));
    case 'custom':
      return spec.fromText(spec.repeated ? (raw as string[]) : [raw as string], flag);
    case 'text':
      return raw as string;
  }
  const text = raw as string;
  switch (spec.kind) {
    case 'number':
      return spec.positive ? positiveNumber(flag, text) : spec.nonNegative ? nonNegativeNumber(flag, text) : finiteNumber(flag, text);
    case 'count':
      return spec.all && text === 'all' ? Infinity : count(flag, text);
    case 'choice':
      if (!spec.values.includes(text)) throw new UserError(`unknown ${spec.noun} "${text}" (known: ${spec.values.join(', ')})`);
      return text;
    case 'numbers':
      return text.split(',').map((t) => positiveNumber(flag, t.trim()));
    case 'names':
      return distinctNames(
        flag,
        text.split(',').map((t) => t.trim()),
      );
  }
}

/** A list of names holds each once (`--mix a,a` would weigh one skill against itself). */
export function distinctNames(flag: string, names: string[]): string[] {
  const seen = new Set<string>();
  for (const n of names) {
    if (n !== '' && seen.has(n)) throw new UserError(`${flag} "${names.join(',')}": "${n}" is listed twice`);
    seen.add(n);
  }
  return names;
}

/** A positive finite number from a flag, or a UserError naming the flag. */
export function positiveNumber(flag: string, text: string): number {
  const v = decimal(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UserError(`${flag} "${text}": expected a positive number`);
  return v;
}

function nonNegativeNumber(flag: string, text: string): number {
  const v = decimal(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0) throw new UserError(`${flag} "${text}": expected a number >= 0`);
  return v;
}

function finiteNumber(flag: string, text: string): number {
  const v = decimal(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new UserError(`${flag} "${text}": expected a number`);
  return v;
}

/**
 * Counts and seeds are 32-bit: a seed enters the generator as a 32-bit word, so a larger one would silently
 * be taken modulo 2^32 (and 2^32 resamples or steps are no count anyone means).
 */
export { MAX_COUNT };

/** A non-negative integer from a flag, at most {@link MAX_COUNT}. */
export function count(flag: string, text: string): number {
  const v = Number(text);
  if (!/^\d+$/.test(text.trim())) throw new UserError(`${flag} "${text}": expected a whole number >= 0`);
  if (!(v <= MAX_COUNT)) throw new UserError(`${flag} "${text}": at most ${MAX_COUNT} (counts and seeds are 32-bit)`);
  return v;
}
