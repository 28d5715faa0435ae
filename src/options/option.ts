/**
 * The option declaration language: each analysis declares its options once, as a record of these specs,
 * and every front end derives from that record — the CLI its flags, the study file its keys, the docs their
 * reference table. A spec says what the value is (its kind), its default, and a one-line doc; nothing here
 * knows how a front end spells it.
 */
import type { Filter } from '../data/where.js';

/** What every option has. */
interface Common<T> {
  /** One line: what the option does (CLI help, docs table, study schema description). */
  doc: string;
  /** The value when the option is not given; undefined: the option is optional and absent. */
  default?: T;
  /** Placeholder in the CLI's usage (`--bootstrap <B>`); defaults by kind. */
  arg?: string;
  /** Required: an analysis without it is an error (study schema: required key; CLI: checked in the analysis). */
  required?: boolean;
  /** The CLI's flag when it is not `--kebab-key` (the study's `skills` record is the CLI's repeated `--skill`). */
  flag?: string;
  /** Former keys (camelCase) still accepted, with a notice: the CLI's `--kebab` of each, and the study key. */
  deprecated?: readonly string[];
  /** Where a study holds it: under `columns`, as the `where` list, or (default) as a key of the analysis. */
  study?: 'columns' | 'where';
}

/** A number; `min` is inclusive unless `positive`. */
export interface NumberOption extends Common<number> {
  kind: 'number';
  /** > 0 (else ≥ 0 when nonNegative, else any finite number). */
  positive?: boolean;
  nonNegative?: boolean;
}
/** A whole number ≥ 0 (resamples, seeds, counts). */
export interface CountOption extends Common<number> {
  kind: 'count';
  /** Also allowed: the word `all` (meaning no limit, Infinity). */
  all?: boolean;
}
/** Free text: a column name, a file. */
export interface TextOption extends Common<string> {
  kind: 'text';
  /** The text names a file, relative to the study file in a study (the only kind of path a study holds). */
  path?: boolean;
  /** The CLI also takes it as the command's argument (`scalewise predict FIT`). */
  positional?: boolean;
}
/** One of a fixed list of names. */
export interface ChoiceOption extends Common<string> {
  kind: 'choice';
  values: readonly string[];
  /** What the names are, for messages: `unknown law "x" (known: …)`. */
  noun: string;
}
/** On or off. `negatable`: on by default, the CLI spells the off switch `--no-NAME`. */
export interface SwitchOption extends Common<boolean> {
  kind: 'switch';
  negatable?: boolean;
}
/** A list of positive numbers (CLI: comma-separated; study: an array). */
export interface NumbersOption extends Common<number[]> {
  kind: 'numbers';
}
/** A list of names (columns, skills): CLI comma-separated, study an array. */
export interface NamesOption extends Common<string[]> {
  kind: 'names';
  /** Fewest names. */
  min?: number;
}
/** Row conditions `COL=VALUE`, `COL<VALUE`, …: the CLI repeats the flag, a study lists them; ANDed. */
export interface ConditionsOption extends Common<Filter[]> {
  kind: 'conditions';
}
/**
 * A value with its own two spellings (a skill: `--skill NAME=COL:W,…` repeated on the CLI, an object in a
 * study). The analysis gives both parsers; each turns its input into the same typed value.
 */
export interface CustomOption<T> extends Common<T> {
  kind: 'custom';
  /** CLI: the flag is repeated and every value is collected (else the last one given counts). */
  repeated?: boolean;
  /** The typed value from the CLI's string(s). */
  fromText(values: string[], flag: string): T;
  /** The study's value, already checked against `studyType`, as the typed value. */
  fromStudy(value: unknown): T;
  /** The study's JSON value as a tiny type language, turned into a zod schema by the study front end. */
  studyType: StudyType;
  /** The value as the CLI's arguments after the flag, for the command a report prints. */
  toText(value: T): string[];
}

/** JSON shapes a custom option may take in a study (kept small so no front end needs to know zod here). */
export type StudyType =
  | { type: 'string' }
  | { type: 'number'; nonNegative?: boolean }
  | { type: 'array'; of: StudyType; min?: number }
  | { type: 'record'; of: StudyType }
  | { type: 'union'; of: StudyType[] };

export type OptionSpec =
  | NumberOption
  | CountOption
  | TextOption
  | ChoiceOption
  | SwitchOption
  | NumbersOption
  | NamesOption
  | ConditionsOption
  | CustomOption<unknown>;

/** The typed value an option spec produces. */
export type ValueOf<S> =
  S extends CustomOption<infer T>
    ? T
    : S extends NumberOption | CountOption
      ? number
      : S extends TextOption | ChoiceOption
        ? string
        : S extends SwitchOption
          ? boolean
          : S extends NumbersOption
            ? number[]
            : S extends NamesOption
              ? string[]
              : S extends ConditionsOption
                ? Filter[]
                : never;

export type OptionSpecs = Record<string, OptionSpec>;

/** The options an analysis receives: every option with a default is present, the others may be absent. */
export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S as S[K] extends { default: unknown } ? K : S[K] extends { required: true } ? K : never]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K] extends { default: unknown } ? never : S[K] extends { required: true } ? never : K]?: ValueOf<S[K]>;
};

/** Option constructors: `option.count('resamples for intervals', { default: 1000 })`. */
export const option = {
  number: <const E extends Omit<NumberOption, 'kind' | 'doc'>>(doc: string, extra?: E) => ({ kind: 'number', doc, ...extra }) as NumberOption & E,
  count: <const E extends Omit<CountOption, 'kind' | 'doc'>>(doc: string, extra?: E) => ({ kind: 'count', doc, ...extra }) as CountOption & E,
  text: <const E extends Omit<TextOption, 'kind' | 'doc'>>(doc: string, extra?: E) => ({ kind: 'text', doc, ...extra }) as TextOption & E,
  choice: <const E extends Omit<ChoiceOption, 'kind' | 'doc'>>(doc: string, extra: E) => ({ kind: 'choice', doc, ...extra }) as ChoiceOption & E,
  switch: <const E extends Omit<SwitchOption, 'kind' | 'doc'>>(doc: string, extra?: E) => ({ kind: 'switch', doc, ...extra }) as SwitchOption & E,
  numbers: <const E extends Omit<NumbersOption, 'kind' | 'doc'>>(doc: string, extra?: E) => ({ kind: 'numbers', doc, ...extra }) as NumbersOption & E,
  names: <const E extends Omit<NamesOption, 'kind' | 'doc'>>(doc: string, extra?: E) => ({ kind: 'names', doc, ...extra }) as NamesOption & E,
  /** Conditions default to none. */
  conditions: <const E extends Omit<ConditionsOption, 'kind' | 'doc'>>(doc: string, extra?: E) =>
    ({ kind: 'conditions', doc, default: [], ...extra }) as ConditionsOption & E & { default: Filter[] },
  custom: <const E extends Omit<CustomOption<unknown>, 'kind' | 'doc'>>(doc: string, extra: E) =>
    ({ kind: 'custom', doc, ...extra }) as CustomOption<ReturnType<E['fromText']>> & E,
};

/** `budgetTolerance` → `budget-tolerance`: how the CLI and the docs spell a key. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The CLI's flag of an option: `--budget-tolerance`, or the spec's own `flag` (`skills` is `--skill`). */
export function flagName(key: string, spec?: OptionSpec): string {
  return `--${spec?.flag ?? kebab(key)}`;
}

/** The flag that turns a negatable switch off: `--no-pooled`. */
export function offFlag(key: string): string {
  return `--no-${kebab(key)}`;
}

/** The options with every default filled in where `given` has no value (what a library caller passes to `run`). */
export function withDefaults<S extends OptionSpecs>(specs: S, given: Partial<OptionValues<S>>): OptionValues<S> {
  const out: Record<string, unknown> = { ...given };
  for (const [key, spec] of Object.entries(specs)) if (out[key] === undefined && spec.default !== undefined) out[key] = spec.default;
  return out as OptionValues<S>;
}
